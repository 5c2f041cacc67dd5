// Splitting a chunk into word runs, emoji and dictionary-script runs, and a run into pieces at
// separators and elisions; each piece is trimmed of edge punctuation, repaired and emitted.

extension Tokenizer {
  // MARK: Words

  /// Separators used to spell a word out ("s.e.c.r.e.t", "s-e-c-r-e-t", "s_e_c_r_e_t", "s*e*c*r*e*t").
  @inline(__always)
  static func isSpellSeparator(_ c: UInt32) -> Bool {
    c == 0x2E || c == 0x2D || c == 0x5F || c == 0x2A || c == 0x7E || c == 0xB7 || c == 0x2F || c == 0x2C
      || c == 0x2022 || c == 0x2010 || c == 0x2013
  }

  @inline(__always)
  static func isApostrophe(_ c: UInt32) -> Bool { c == 0x27 || c == 0x2019 || c == 0x60 || c == 0xB4 }

  /// Splits a chunk into word runs, emoji and dictionary-script runs.
  mutating func words(_ start: Int, _ end: Int) {
    cost.add(end - start)
    var i = start
    var runStart = -1
    func isWordish(_ c: UInt32, _ cls: CharClass) -> Bool {
      cls == .letter || cls == .digit || cls == .mark || Leet.isSymbol(c) || Tokenizer.isApostrophe(c)
        || Tokenizer.isSpellSeparator(c)
    }
    while i < end {
      let c = s[i]
      let cls = tables.charClass(c)
      if cls == .letter && c >= 0x2E80 && tables.isDictionaryLetter(c) {
        if runStart >= 0 { wordRun(runStart, i) }
        runStart = -1
        var j = i + 1
        while j < end {
          let cj = s[j]
          let clj = tables.charClass(cj)
          if clj == .mark || (clj == .letter && cj >= 0x2E80 && tables.isDictionaryLetter(cj)) {
            j += 1
          } else if cj == 0x30FC || cj == 0x3005 {  // prolonged sound mark, iteration mark
            j += 1
          } else {
            break
          }
        }
        dictionaryRun(i, j)
        i = j
        continue
      }
      if cls == .letter && c >= 0x0E00 && c < 0x1100 && tables.isDictionaryLetter(c) {
        // Thai, Lao, Myanmar, Khmer live below U+2E80.
        if runStart >= 0 { wordRun(runStart, i) }
        runStart = -1
        var j = i + 1
        while j < end {
          let clj = tables.charClass(s[j])
          if clj == .mark || (clj == .letter && s[j] >= 0x80 && tables.isDictionaryLetter(s[j])) {
            j += 1
          } else {
            break
          }
        }
        dictionaryRun(i, j)
        i = j
        continue
      }
      if cls == .emoji {
        if runStart >= 0 { wordRun(runStart, i) }
        runStart = -1
        var j = i + 1
        while j < end && tables.charClass(s[j]) == .emojiModifier { j += 1 }
        if c >= 0x1F1E6 && c <= 0x1F1FF && j < end && s[j] >= 0x1F1E6 && s[j] <= 0x1F1FF { j += 1 }  // flags
        emit(from: i, to: j, kind: .emoji, single: false)
        i = j
        continue
      }
      if isWordish(c, cls) {
        if runStart < 0 { runStart = i }
      } else if cls != .ignorable && cls != .emojiModifier {
        if runStart >= 0 { wordRun(runStart, i) }
        runStart = -1
      }
      i += 1
    }
    if runStart >= 0 { wordRun(runStart, end) }
  }

  /// A run of letters, digits, marks, leet symbols, apostrophes and separators inside one chunk.
  mutating func wordRun(_ start: Int, _ end: Int) {
    cost.add(2 * (end - start))
    // Closing punctuation after a spelt-out word ("p.h.o.t.o!!", "q.u.e.s.t.i.o.n,") is not part of it.
    var spelledEnd = end
    while spelledEnd > start + 1, s[spelledEnd - 1] == 0x21 || s[spelledEnd - 1] == 0x2C { spelledEnd -= 1 }
    // Spelt out with one kind of separator: x.x.x (three or more single characters).
    if spelledEnd - start >= 5 && Tokenizer.isSpellSeparator(s[start + 1]), let joined = spelledOut(start, spelledEnd) {
      let letters = UnsafeBufferPointer(rebasing: work[0..<joined.count])
      append(repaired(letters, start: self.start(joined.first), end: self.end(joined.last)), single: false)
      return
    }
    let wholeChunk = (start == 0 || tables.charClass(s[start - 1]) == .space)
      && (end == s.count || tables.charClass(s[end]) == .space)
    // One letter alone in its chunk, perhaps with closing punctuation ("c l a s s."), may be part of
    // a word spelt out with spaces.
    let singleChunk = wholeChunk && (end - start == 1 || (end - start == 2 && (s[end - 1] == 0x2E || s[end - 1] == 0x2C)))
    // Otherwise split at separators. Apostrophes inside words are dropped ("don't" -> "dont"), except
    // after a French or Italian elided article or pronoun ("t'habites" -> "t habites", "l'amico").
    var count = 0
    var first = -1
    var last = -1
    var k = start
    while k <= end {
      if k == end || Tokenizer.isSpellSeparator(s[k]) {
        if first >= 0 { emitPiece(UnsafeBufferPointer(rebasing: work[0..<count]), first: first, last: last, single: singleChunk) }
        first = -1
        count = 0
      } else if Tokenizer.isApostrophe(s[k]) {
        if first >= 0 && k + 1 < end && tables.charClass(s[k + 1]) == .letter
          && Tokenizer.isElision(UnsafeBufferPointer(rebasing: work[0..<count]))
        {
          emitPiece(UnsafeBufferPointer(rebasing: work[0..<count]), first: first, last: last, single: false)
          first = -1
          count = 0
        }
      } else {
        if first < 0 { first = k }
        work[count] = s[k]
        count += 1
        last = k
      }
      k += 1
    }
  }

  /// French and Italian words that elide before a vowel ("l'", "qu'", "dell'"); English contractions
  /// ("don't", "I'm") keep their letters together.
  static func isElision(_ piece: UnsafeBufferPointer<UInt32>) -> Bool {
    if piece.count == 1 {
      switch piece[0] {
      case 0x6C, 0x74, 0x6A, 0x64, 0x6E, 0x73, 0x6D, 0x63: return true  // l t j d n s m c
      default: return false
      }
    }
    guard piece.count <= 6, piece.allSatisfy({ $0 < 0x80 }) else { return false }
    return Tokenizer.elisionKeys.contains(piece)
  }

  /// Trims leet symbols that are punctuation at a piece's edges ("hi!!!"), keeping a leading "$" or
  /// "|" before a letter ("$ecret") and a trailing "@" or "$" after two letters ("inst@"), then
  /// repairs and emits it. `first`/`last` are the folded indices of its first and last characters.
  mutating func emitPiece(_ piece: UnsafeBufferPointer<UInt32>, first: Int, last: Int, single: Bool) {
    var a = 0
    var b = piece.count
    // Edge symbols that read as letters of a known word stay ("!t" is "it", "$3nd" is "send", "boy$" is "boys").
    if (Leet.isSymbol(piece[0]) || Leet.isSymbol(piece[b - 1])) && b <= Tokenizer.maximumGuidedLength && b >= 2
      && piece.contains(where: { tables.charClass($0) == .letter || ($0 >= 0x30 && $0 <= 0x39) })
      && lexicon.contains(deLeet(piece))
    {
      emitTrimmed(piece, a: 0, b: b, first: first, last: last, single: single)
      return
    }
    while b > a, Leet.isSymbol(piece[b - 1]) {
      let c = piece[b - 1]
      if (c == 0x40 || c == 0x24) && b - a >= 3 && tables.charClass(piece[b - 2]) == .letter
        && tables.charClass(piece[b - 3]) == .letter
      {
        break
      }
      b -= 1
    }
    while a < b, Leet.isSymbol(piece[a]) {
      let c = piece[a]
      if (c == 0x24 || c == 0x7C) && a + 1 < b && tables.charClass(piece[a + 1]) == .letter { break }
      a += 1
    }
    guard a < b else {
      noteLeetChunk(piece, first: first, last: last, token: nil)
      return
    }
    emitTrimmed(piece, a: a, b: b, first: first, last: last, single: single)
  }

  mutating func emitTrimmed(_ piece: UnsafeBufferPointer<UInt32>, a: Int, b: Int, first: Int, last: Int, single: Bool) {
    var onlyMarks = true
    for i in a..<b where tables.charClass(piece[i]) != .mark {
      onlyMarks = false
      break
    }
    if onlyMarks { return }
    let startByte = start(locate(from: first, skip: a))
    let endByte = end(locateBack(from: last, skip: piece.count - b))
    let kept = UnsafeBufferPointer(rebasing: piece[a..<b])
    let token = repaired(kept, start: startByte, end: endByte)
    append(token, single: single && b - a == 1)
    noteLeet(token, piece: piece, kept: kept, whole: a == 0 && b == piece.count, first: first, last: last)
  }

  /// After a piece's token is appended: records it for leetspeak in context (see ``readLeetChunks()``).
  /// `whole` says the piece lost no symbols at its edges; `first`/`last` are its folded indices.
  mutating func noteLeet(
    _ token: RawToken, piece: UnsafeBufferPointer<UInt32>, kept: UnsafeBufferPointer<UInt32>, whole: Bool, first: Int,
    last: Int
  ) {
    if token.kind == .number {
      // "$50", "10!" and "50€" are amounts and exclamations, not words.
      if whole { noteLeetChunk(piece, first: first, last: last, token: token) }
      if let ordinal = Tokenizer.leetOrdinal(kept) {
        leetChunks.append(
          (tokens.count - 1, false, Token(text: ordinal, start: Int(token.start), end: Int(token.end), kind: .number)))
      }
    } else if token.kind == .word {
      noteLeetWord(kept, token)
    }
  }

  /// The folded index of the piece character `skip` places after `from` (apostrophes are not in pieces).
  mutating func locate(from: Int, skip: Int) -> Int {
    cost.add(skip)
    var k = from
    var left = skip
    while left > 0 {
      k += 1
      if !Tokenizer.isApostrophe(s[k]) { left -= 1 }
    }
    return k
  }

  mutating func locateBack(from: Int, skip: Int) -> Int {
    cost.add(skip)
    var k = from
    var left = skip
    while left > 0 {
      k -= 1
      if !Tokenizer.isApostrophe(s[k]) { left -= 1 }
    }
    return k
  }

  /// "s.e.c.r.e.t": copies s, e, c, r, e, t into `work` and returns their count and the folded
  /// indices of the first and last; nil when the run is not spelt out.
  mutating func spelledOut(_ start: Int, _ end: Int) -> (count: Int, first: Int, last: Int)? {
    guard end - start >= 5 else { return nil }
    var count = 0
    var last = start
    var hasLetter = false
    var separator: UInt32? = nil
    var k = start
    while k < end {
      let c = s[k]
      let cls = tables.charClass(c)
      guard cls == .letter || cls == .digit || Leet.isSymbol(c) else { return nil }
      if cls == .letter { hasLetter = true }
      work[count] = c
      count += 1
      last = k
      k += 1
      while k < end && tables.charClass(s[k]) == .mark { k += 1 }
      if k == end { break }
      let sep = s[k]
      guard Tokenizer.isSpellSeparator(sep) else { return nil }
      if let separator, separator != sep { return nil }
      separator = sep
      k += 1
      if k == end { break }  // trailing separator ("s.e.c.r.e.t.")
    }
    guard count >= 3, hasLetter else { return nil }
    return (count, start, last)
  }
}
