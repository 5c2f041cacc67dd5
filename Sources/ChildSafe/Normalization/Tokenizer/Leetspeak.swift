/// Leetspeak and symbol substitutions. Where a symbol is ambiguous (1 ! | -> i or l) the first
/// reading is the default and the lexicon may pick another.
enum Leet {
  static func readings(_ c: UInt32) -> (UInt8, UInt8?)? {
    switch c {
    case 0x30: return (UInt8(ascii: "o"), nil)  // 0
    case 0x31: return (UInt8(ascii: "i"), UInt8(ascii: "l"))  // 1
    case 0x32: return (UInt8(ascii: "z"), nil)  // 2
    case 0x33: return (UInt8(ascii: "e"), nil)  // 3
    case 0x34: return (UInt8(ascii: "a"), nil)  // 4
    case 0x35: return (UInt8(ascii: "s"), nil)  // 5
    case 0x36: return (UInt8(ascii: "g"), UInt8(ascii: "b"))  // 6
    case 0x37: return (UInt8(ascii: "t"), nil)  // 7
    case 0x38: return (UInt8(ascii: "b"), nil)  // 8
    case 0x39: return (UInt8(ascii: "g"), nil)  // 9
    case 0x40: return (UInt8(ascii: "a"), nil)  // @
    case 0x24: return (UInt8(ascii: "s"), nil)  // $
    case 0x21: return (UInt8(ascii: "i"), UInt8(ascii: "l"))  // !
    case 0x7C: return (UInt8(ascii: "l"), UInt8(ascii: "i"))  // |
    case 0x2B: return (UInt8(ascii: "t"), nil)  // +
    case 0x20AC: return (UInt8(ascii: "e"), nil)  // €
    case 0xA3: return (UInt8(ascii: "l"), nil)  // £
    case 0xA1: return (UInt8(ascii: "i"), nil)  // ¡
    default: return nil
    }
  }

  /// Symbols (not digits) that may stand for letters inside a word.
  @inline(__always)
  static func isSymbol(_ c: UInt32) -> Bool {
    c == 0x40 || c == 0x24 || c == 0x21 || c == 0x7C || c == 0x2B || c == 0x20AC || c == 0xA3 || c == 0xA1
  }
}

// Leetspeak: reading digits and symbols as letters (with the lexicon choosing between readings),
// and, in context, reading standalone digit or symbol chunks beside leet words as words.

extension Tokenizer {
  // MARK: Leetspeak in context

  /// Records the word just emitted when it was written in leetspeak ("c4n", "n33d5", "t0"): evidence
  /// that digit chunks beside it are leetspeak too. Product names ("ps5", "gta5") are not evidence:
  /// their reading is no known word and no digit stands between letters.
  mutating func noteLeetWord(_ piece: UnsafeBufferPointer<UInt32>, _ token: RawToken) {
    guard leetRead else { return }
    let text = tokens.view.bytes(token)
    if lexiconContains(text, ascii: !text.contains { $0 >= 0x80 }) {
      leetWords.append(tokens.count - 1)
      return
    }
    var letterSeen = false
    var leetAfterLetter = false
    for c in piece {
      if tables.charClass(c) == .letter {
        if leetAfterLetter {
          leetWords.append(tokens.count - 1)
          return
        }
        letterSeen = true
      } else if letterSeen && ((c >= 0x30 && c <= 0x39) || Leet.isSymbol(c)) {
        leetAfterLetter = true
      }
    }
  }

  /// Records a chunk of digits or leet symbols standing alone between spaces ("70", "47?", "!", "!$")
  /// whose plain reading is a known word, for ``readLeetChunks()`` to decide on in context. `token` is
  /// the number token just emitted for it, or nil when the symbols were dropped as punctuation.
  mutating func noteLeetChunk(_ piece: UnsafeBufferPointer<UInt32>, first: Int, last: Int, token: RawToken?) {
    guard piece.count <= 4, !lexicon.isEmpty else { return }
    for c in piece where !(c >= 0x30 && c <= 0x39) && !Leet.isSymbol(c) { return }
    // Alone between spaces, perhaps with closing punctuation: "70", "4?", but not "5:30", "4.5", "50%".
    guard first == 0 || tables.charClass(s[first - 1]) == .space else { return }
    var k = last + 1
    while k < s.count && Tokenizer.isClosing(s[k]) { k += 1 }
    guard k == s.count || tables.charClass(s[k]) == .space else { return }
    // Numbers from 10 to 19 are ages and stay numbers ("1m 15" is "im 15", not "im is").
    if token != nil && piece.count == 2 && piece[0] == 0x31 { return }
    let reading = deLeet(piece, guided: false)
    // A consonant alone is no word ("at 5" is not "at s"); a vowel may be ("i", "a", "o", "e").
    if piece.count == 1 && !(reading == "i" || reading == "a" || reading == "o" || reading == "e") { return }
    guard lexicon.contains(reading) else { return }
    if let token {
      leetChunks.append((tokens.count - 1, false, Token(text: reading, start: Int(token.start), end: Int(token.end), kind: .word)))
    } else {
      leetChunks.append((tokens.count, true, Token(text: reading, start: start(first), end: end(last), kind: .word)))
    }
  }

  /// "67h" read as the ordinal "6th" with its t written 7 (the grade of "ur in 67h grade"), when the
  /// digits before the 7 take "th" ("17h", five o'clock in French, is no "1th").
  static func leetOrdinal(_ piece: UnsafeBufferPointer<UInt32>) -> String? {
    let n = piece.count
    guard n >= 3, n <= 5, piece[n - 1] == 0x68, piece[n - 2] == 0x37 else { return nil }
    var value = 0
    for c in piece[..<(n - 2)] {
      guard c >= 0x30 && c <= 0x39 else { return nil }
      value = value * 10 + Int(c - 0x30)
    }
    let lastDigit = value % 10
    let teen = value % 100 >= 11 && value % 100 <= 13
    guard value > 0, teen || lastDigit == 0 || lastDigit >= 4 else { return nil }
    return Tokenizer.utf8String(UnsafeBufferPointer(rebasing: piece[..<(n - 2)])) + "th"
  }

  /// Leetspeak in context. A chunk of digits or symbols is a number or punctuation in ordinary text,
  /// but beside a word written in leetspeak it is usually a short word with every letter replaced:
  /// "n33d5 70 kn0w" (to), "! c@n" (i), "s7!ll 47 w0rk" (at), "m33t 47 5pm" (at). Such a chunk is
  /// read as its word when a neighbouring token is a leet word or the text has two leet words, and stays
  /// a number after a number or before a unit ("4 5", "50 bucks"). Runs once per text, over the few
  /// recorded chunks.
  mutating func readLeetChunks() {
    guard !leetChunks.isEmpty, !leetWords.isEmpty else { return }
    cost.add(16 * leetChunks.count)
    var accepted: [(index: Int, inserted: Bool, token: Token)] = []
    for chunk in leetChunks {
      let previous = chunk.index - 1
      let next = chunk.inserted ? chunk.index : chunk.index + 1
      // After a number it is part of a list, a score or a phone number ("4 5", "555 0123").
      if previous >= 0 && tokens[previous].kind == .number { continue }
      if next < tokens.count && Tokenizer.countNouns.contains(tokens.string(next)) { continue }
      if isLeetWord(previous) || isLeetWord(next) || leetWords.count >= 2 { accepted.append(chunk) }
    }
    guard !accepted.isEmpty else { return }
    if !accepted.contains(where: { $0.inserted }) {
      for chunk in accepted { tokens[chunk.index] = tokens.token(chunk.token) }
      return
    }
    var outTokens: [RawToken] = []
    var outSingles: [Bool] = []
    outTokens.reserveCapacity(tokens.count + accepted.count)
    outSingles.reserveCapacity(tokens.count + accepted.count)
    var position = 0
    for chunk in accepted {
      while position < chunk.index {
        outTokens.append(tokens[position])
        outSingles.append(isSingle(position))
        position += 1
      }
      outTokens.append(tokens.token(chunk.token))
      outSingles.append(false)
      if !chunk.inserted { position += 1 }
    }
    while position < tokens.count {
      outTokens.append(tokens[position])
      outSingles.append(isSingle(position))
      position += 1
    }
    tokens.replaceAll(with: outTokens)
    // Never more tokens than scalars (each covers scalars of its own): the buffer holds them all.
    for (index, single) in outSingles.enumerated() where index < singles.count { singles[index] = single }
  }

  /// Whether token `index` is a recorded leet word (binary search in the sorted ``leetWords``).
  mutating func isLeetWord(_ index: Int) -> Bool {
    var low = 0
    var high = leetWords.count
    while low < high {
      let middle = (low + high) / 2
      if leetWords[middle] == index { return true }
      if leetWords[middle] < index { low = middle + 1 } else { high = middle }
    }
    return false
  }

  /// Undoes leetspeak; with ambiguous symbols, prefers a reading the lexicon knows.
  static let maximumGuidedLength = 48

  mutating func deLeet(_ scalars: UnsafeBufferPointer<UInt32>, guided: Bool = true) -> String {
    var nonASCII = false
    for c in scalars where c >= 0x80 && Leet.readings(c) == nil {
      nonASCII = true
      break
    }
    if nonASCII {
      // Mixed with non-ASCII letters: map only the plain leet digits and symbols.
      var out = ""
      for c in scalars {
        if let (first, _) = Leet.readings(c) {
          out.unicodeScalars.append(Unicode.Scalar(first))
        } else if let u = Unicode.Scalar(c) {
          out.unicodeScalars.append(u)
        }
      }
      return out
    }
    // All ASCII once read: the readings are built and looked up as bytes on the stack.
    let n = scalars.count
    return withScratch(of: UInt8.self, capacity: 2 * n + 1) { buffer in
      let base = UnsafeMutableBufferPointer(rebasing: buffer[0..<n])
      let candidate = UnsafeMutableBufferPointer(rebasing: buffer[n..<(2 * n)])
      // Up to four ambiguous symbols: their positions and second readings.
      var positions: (Int, Int, Int, Int) = (0, 0, 0, 0)
      var letters: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
      var ambiguous = 0
      for (k, c) in scalars.enumerated() {
        if let (first, second) = Leet.readings(c) {
          if let second, ambiguous < 4 {
            switch ambiguous {
            case 0: (positions.0, letters.0) = (k, second)
            case 1: (positions.1, letters.1) = (k, second)
            case 2: (positions.2, letters.2) = (k, second)
            default: (positions.3, letters.3) = (k, second)
            }
            ambiguous += 1
          }
          base[k] = first
        } else {
          base[k] = UInt8(truncatingIfNeeded: c)
        }
      }
      let first = Tokenizer.string(UnsafeBufferPointer(base), ascii: true)
      if !guided || ambiguous == 0 { return first }
      // The default reading counts when its unstretched form is known.
      if Tokenizer.isStretched(UnsafeBufferPointer(base)) {
        if lexicon.contains(unstretch(first)) { return first }
      } else if lexicon.contains(ascii: UnsafeBufferPointer(base)) {
        return first
      }
      for mask in 1..<(1 << ambiguous) {
        _ = candidate.update(fromContentsOf: base)
        if mask & 1 != 0 { candidate[positions.0] = letters.0 }
        if mask & 2 != 0 { candidate[positions.1] = letters.1 }
        if mask & 4 != 0 { candidate[positions.2] = letters.2 }
        if mask & 8 != 0 { candidate[positions.3] = letters.3 }
        if knows(UnsafeBufferPointer(candidate)) { return Tokenizer.string(UnsafeBufferPointer(candidate), ascii: true) }
      }
      return first
    }
  }

  /// Whether the lexicon holds the word whose UTF-8 is `text`: by its bytes when it is ASCII (as
  /// the lexicon stores ASCII words), through a String only otherwise.
  mutating func lexiconContains(_ text: UnsafeBufferPointer<UInt8>, ascii: Bool) -> Bool {
    ascii ? lexicon.contains(ascii: text) : lexicon.contains(String(decoding: text, as: UTF8.self))
  }

  /// `lexicon.contains(word) || lexicon.contains(unstretch(word))` for an ASCII word given as
  /// bytes (unstretching changes only a stretched word).
  mutating func knows(_ ascii: UnsafeBufferPointer<UInt8>) -> Bool {
    if lexicon.contains(ascii: ascii) { return true }
    guard Tokenizer.isStretched(ascii) else { return false }
    let word = String(decoding: ascii, as: UTF8.self)
    return lexicon.contains(unstretch(word))
  }
}
