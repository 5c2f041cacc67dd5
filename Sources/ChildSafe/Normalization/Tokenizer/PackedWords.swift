/// A small set of short words (at most 8 UTF-8 bytes each) packed into integers and sorted, so
/// that membership of a run of scalars is a binary search with no String and no hashing.
struct PackedWords: Sendable {
  let keys: [UInt64]

  init(_ words: Set<String>) {
    keys = words.compactMap { word in
      var bytes: [UInt8] = Array(word.utf8)
      guard bytes.count <= 8, !bytes.contains(0) else { return nil }
      bytes.reverse()
      return bytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }.sorted()
  }

  /// Whether the scalars, UTF-8 encoded, spell one of the words exactly.
  func contains(_ scalars: UnsafeBufferPointer<UInt32>) -> Bool {
    var key: UInt64 = 0
    var shift: UInt64 = 0
    func put(_ byte: UInt32) -> Bool {
      guard shift < 64 else { return false }
      key |= UInt64(byte) << shift
      shift += 8
      return true
    }
    for c in scalars {
      // A zero byte would alias a shorter word; no word has one.
      if c == 0 { return false }
      if c < 0x80 {
        guard put(c) else { return false }
      } else if c < 0x800 {
        guard put(0xC0 | c >> 6), put(0x80 | c & 0x3F) else { return false }
      } else if c < 0x10000 {
        guard put(0xE0 | c >> 12), put(0x80 | (c >> 6) & 0x3F), put(0x80 | c & 0x3F) else { return false }
      } else {
        guard put(0xF0 | c >> 18), put(0x80 | (c >> 12) & 0x3F), put(0x80 | (c >> 6) & 0x3F), put(0x80 | c & 0x3F)
        else { return false }
      }
    }
    var low = 0
    var high = keys.count
    while low < high {
      let mid = (low + high) / 2
      if keys[mid] < key { low = mid + 1 } else { high = mid }
    }
    return low < keys.count && keys[low] == key
  }
}
