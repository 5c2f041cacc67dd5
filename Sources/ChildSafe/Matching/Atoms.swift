// Atoms: what a token is to the patterns (its literal word, the stems it starts with, its kind,
// the number ranges it falls in), computed once per message.

extension PatternMatcher {
  /// The atoms each token satisfies, flattened in borrowed memory: atoms of token i are
  /// atoms[offsets[i]..<offsets[i+1]].
  struct TokenAtoms {
    let atoms: UnsafeBufferPointer<Int32>
    let offsets: UnsafeBufferPointer<Int32>
  }

  /// Calls `body` with the atoms of `tokens`, kept in temporary memory (on the stack for
  /// ordinary messages).
  @inline(__always)
  func withAtoms<R>(of tokens: TokenView, _ body: (TokenAtoms) -> R) -> R {
    // A token has at most its word, every stem on one trie path, its kind and every number atom.
    let perToken = 2 + stems.longestChain + numberAtoms.count
    let capacity = tokens.count * (perToken + 1) + 1
    return withScratch(of: Int32.self, capacity: capacity) { memory in
      guard let base = memory.baseAddress else {
        return body(TokenAtoms(atoms: UnsafeBufferPointer(start: nil, count: 0), offsets: UnsafeBufferPointer(start: nil, count: 0)))
      }
      let offsets = base
      let atoms = base + tokens.count + 1
      var count = 0
      offsets[0] = 0
      for i in 0..<tokens.count {
        let token = tokens[i]
        let text = tokens.bytes(token)
        appendWordAtoms(of: text, to: atoms, &count)
        let kindAtom = kindAtoms[Int(token.kind.rawValue)]
        if kindAtom >= 0 {
          atoms[count] = kindAtom
          count += 1
        }
        if token.kind == .number && !numberAtoms.isEmpty {
          let value = PatternMatcher.leadingInteger(text)
          for (range, atom) in numberAtoms {
            if let range {
              // "see u 10:30" is a time, not "you, 10?": a glued number is no age, grade or size
              // (ranges below 100). Longer ranges, as in phone numbers, still read its parts.
              guard !(token.glued && range.upperBound < 100), let value, range.contains(value) else { continue }
            }
            atoms[count] = atom
            count += 1
          }
        }
        offsets[i + 1] = Int32(count)
      }
      return body(
        TokenAtoms(
          atoms: UnsafeBufferPointer(start: atoms, count: count),
          offsets: UnsafeBufferPointer(start: offsets, count: tokens.count + 1)))
    }
  }

  /// The atoms of a token's text: the literal word, then every stem it starts with.
  @inline(__always)
  func appendWordAtoms(of bytes: UnsafeBufferPointer<UInt8>, to atoms: UnsafeMutablePointer<Int32>, _ count: inout Int) {
    if let a = wordTable.value(for: bytes) {
      atoms[count] = a
      count += 1
    }
    if !stems.isEmpty { stems.appendStems(of: bytes, to: atoms, &count) }
  }

  /// Whether a word of the rules could equal or begin a word cut from a run of a dictionary
  /// script: it has a letter of such a script, or only characters such a run may also hold
  /// (combining marks, the prolonged sound mark, the iteration mark). Errs towards true.
  static func couldMatchDictionaryRun(_ word: String) -> Bool {
    var onlyRunCharacters = true
    for scalar in word.unicodeScalars {
      let c = scalar.value
      if c >= 0x80 && ScalarTable.isDictionaryLetter(c) { return true }
      if !(CharClass.of(c) == .mark || c == 0x30FC || c == 0x3005) { onlyRunCharacters = false }
    }
    return onlyRunCharacters
  }

  /// The integer a number token starts with ("13yo" -> 13), capped to stay in range.
  static func leadingInteger(_ text: UnsafeBufferPointer<UInt8>) -> Int? {
    var value = 0
    var digits = 0
    for byte in text {
      guard byte >= 0x30 && byte <= 0x39 else { break }
      if digits < 9 { value = value * 10 + Int(byte - 0x30) }
      digits += 1
    }
    return digits > 0 ? value : nil
  }
}
