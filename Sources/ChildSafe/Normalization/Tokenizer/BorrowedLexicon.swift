/// A lexicon's storage used without retaining it (an `unowned(unsafe)` reference still gets
/// retained around every call); whoever makes one keeps the lexicon alive while it is used.
struct BorrowedLexicon {
  let storage: Unmanaged<Lexicon.Storage>

  init(_ storage: Lexicon.Storage) { self.storage = Unmanaged.passUnretained(storage) }

  @inline(__always)
  func contains(_ word: String) -> Bool { storage._withUnsafeGuaranteedRef { $0.contains(word) } }

  @inline(__always)
  func contains(ascii bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    storage._withUnsafeGuaranteedRef { $0.contains(ascii: bytes) }
  }

  @inline(__always)
  func lookUp(asciiPrefix bytes: UnsafeBufferPointer<UInt8>) -> (isWord: Bool, startsLongerWord: Bool) {
    storage._withUnsafeGuaranteedRef { $0.lookUp(asciiPrefix: bytes) }
  }

  func hasLongerWord(prefix: String, ascii: Bool) -> Bool {
    storage._withUnsafeGuaranteedRef { $0.hasLongerWord(prefix: prefix, ascii: ascii) }
  }

  var isEmpty: Bool { storage._withUnsafeGuaranteedRef { $0.isEmpty } }
}
