extension Tokenizer {
  /// Whether `text` (UTF-8) is one of ``standaloneLetters`` (all single ASCII characters: no other
  /// string is canonically equivalent to one of them, so comparing bytes is enough).
  static func isStandaloneLetter(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
    text.count == 1 && isStandaloneLetter(UInt32(text[0]))
  }

  @inline(__always)
  static func isStandaloneLetter(_ c: UInt32) -> Bool {
    switch c {
    case 0x61, 0x69, 0x75, 0x72, 0x79, 0x6B, 0x6E, 0x62, 0x63, 0x6F, 0x65, 0x78, 0x32, 0x34: return true
    default: return false
    }
  }

  /// Whether two single-letter tokens are chat's "r u" (are you).
  static func isAreYou(_ first: UnsafeBufferPointer<UInt8>, _ second: UnsafeBufferPointer<UInt8>) -> Bool {
    first.count == 1 && second.count == 1 && first[0] == 0x72 && second[0] == 0x75
  }

  /// Rejoins words spelt out with spaces ("s e c r e t") when the result is a known word or the run
  /// is too long to be ordinary single-letter chat ("u r a").
  mutating func joinSpacedLetters() {
    guard tokens.count >= 3, threeSinglesInRow else { return }
    // Only rebuild the token list when three single-letter chunks stand in a row.
    var inRow = 0
    var found = false
    for t in 0..<tokens.count {
      inRow = isSingle(t) ? inRow + 1 : 0
      if inRow >= 3 {
        found = true
        break
      }
    }
    guard found else { return }
    cost.add(4 * tokens.count)
    // Segmenting a run tries up to 16 word lengths at each of at most 64 letters.
    cost.add(16 * tokens.count)
    var out: [RawToken] = []
    out.reserveCapacity(tokens.count)
    var i = 0
    while i < tokens.count {
      var j = i
      while j < tokens.count && isSingle(j) && (tokens[j].kind == .word || tokens[j].kind == .number)
        && Tokenizer.scalarCount(tokens.bytes(j)) == 1
      {
        j += 1
      }
      // "r u" opening a run asks "are you" ("r u a virgin", "r u a girl"): spelt out and joined, the
      // run would read as one word ("rua", Portuguese for street) and hide the question.
      if j - i >= 3, Tokenizer.isAreYou(tokens.bytes(i), tokens.bytes(i + 1)) {
        out.append(tokens[i])
        out.append(tokens[i + 1])
        i += 2
        continue
      }
      if j - i >= 3 {
        let run = i..<j
        // Every token of the run is one letter or digit (checked above): read it from its bytes.
        var letterCount = 0
        var common = 0
        var scalars: [UInt32] = []
        scalars.reserveCapacity(run.count)
        for t in run {
          if tokens[t].kind == .word { letterCount += 1 }
          let bytes = tokens.bytes(t)
          scalars.append(Folding.decode(bytes, at: 0).0)
          if Tokenizer.isStandaloneLetter(bytes) { common += 1 }
        }
        let raw = scalars.withUnsafeBufferPointer { utf8String($0) }
        let hasNumber = letterCount < run.count
        let repaired = unstretch(hasNumber ? scalars.withUnsafeBufferPointer { deLeet($0) } : raw)
        let runStart = Int(tokens[i].start)
        let runEnd = Int(tokens[j - 1].end)
        if letterCount * 2 > run.count && lexicon.contains(repaired) {
          out.append(tokens.token(repaired, start: runStart, end: runEnd, kind: .word))
          i = j
          continue
        }
        // Several words spelt out in a row ("d o n t t e l l"): split where the vocabulary says.
        let repairedScalars = Array(repaired.unicodeScalars)
        if letterCount * 2 > run.count, !lexicon.isEmpty, let pieces = segmented(repairedScalars),
          pieces.count > 1, pieces.count < run.count, repairedScalars.count == run.count
        {
          for piece in pieces {
            let text = String(String.UnicodeScalarView(repairedScalars[piece]))
            out.append(
              tokens.token(
                text, start: Int(tokens[i + piece.lowerBound].start), end: Int(tokens[i + piece.upperBound - 1].end),
                kind: .word))
          }
          i = j
          continue
        }
        if letterCount * 2 > run.count && run.count >= 5 && common * 2 < run.count {
          out.append(tokens.token(repaired, start: runStart, end: runEnd, kind: .word))
          i = j
          continue
        }
      }
      if j == i { j = i + 1 }
      for t in i..<j { out.append(tokens[t]) }
      i = j
    }
    tokens.replaceAll(with: out)
  }

  /// The number of scalars in valid UTF-8 (its bytes that are no continuation bytes).
  static func scalarCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    var count = 0
    for b in bytes where b & 0xC0 != 0x80 { count += 1 }
    return count
  }

  /// Splits letters into known words (fewest words wins), or nil when they cannot all be covered.
  /// Dynamic programming over at most 64 letters and words of at most 16: linear with a small constant.
  mutating func segmented(_ letters: [Unicode.Scalar]) -> [Range<Int>]? {
    let n = letters.count
    guard n >= 2 && n <= 64 else { return nil }
    var best = [Int](repeating: Int.max, count: n + 1)
    var from = [Int](repeating: -1, count: n + 1)
    best[0] = 0
    if letters.allSatisfy(\.isASCII) {
      // Candidates by their bytes, each start extended only while some word begins with it: a
      // run costs a few lookups per letter, not sixteen String builds (for the same result: the
      // pairs skipped are no words, and for each end the first start that is best still wins).
      var bytes = [UInt8](repeating: 0, count: n)
      for k in 0..<n { bytes[k] = UInt8(letters[k].value) }
      bytes.withUnsafeBufferPointer { bytes in
        for start in 0..<n where best[start] != Int.max {
          for end in (start + 1)...min(n, start + 16) {
            let piece = UnsafeBufferPointer(rebasing: bytes[start..<end])
            let found = lexicon.lookUp(asciiPrefix: piece)
            // Single letters count only when they are chat words on their own ("u", "r", "a", "i").
            let isWord = end - start == 1 ? Tokenizer.isStandaloneLetter(UInt32(piece[0])) : found.isWord
            if isWord && best[start] + 1 < best[end] {
              best[end] = best[start] + 1
              from[end] = start
            }
            if !found.startsLongerWord { break }
          }
        }
      }
      return Tokenizer.pieces(best: best, from: from)
    }
    // Some letters are not ASCII ("п р и в е т"): candidates as Strings, extended the same way.
    for start in 0..<n where best[start] != Int.max {
      var candidate = String.UnicodeScalarView()
      var ascii = true
      for end in (start + 1)...min(n, start + 16) {
        let letter = letters[end - 1]
        candidate.append(letter)
        ascii = ascii && letter.isASCII
        // Single letters count only when they are chat words on their own ("u", "r", "a", "i").
        let text = String(candidate)
        let isWord = end - start == 1 ? Tokenizer.isStandaloneLetter(letter.value) : lexicon.contains(text)
        if isWord && best[start] + 1 < best[end] {
          best[end] = best[start] + 1
          from[end] = start
        }
        if !lexicon.hasLongerWord(prefix: text, ascii: ascii) { break }
      }
    }
    return Tokenizer.pieces(best: best, from: from)
  }

  /// The words of a segmentation found by ``segmented(_:)``, or nil when the letters were not all covered.
  static func pieces(best: [Int], from: [Int]) -> [Range<Int>]? {
    var end = best.count - 1
    guard best[end] != Int.max else { return nil }
    var pieces: [Range<Int>] = []
    while end > 0 {
      pieces.append(from[end]..<end)
      end = from[end]
    }
    return pieces.reversed()
  }
}
