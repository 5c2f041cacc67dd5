// Fast paths for the commonest chunks (plain ASCII words, one word of a spaced alphabet): each
// gives the token the general path (``Tokenizer/chunk(_:_:)``) would, in one pass.

extension Tokenizer {
  /// Fast path for the commonest chunk: lowercase ASCII letters with at most wrapping punctuation
  /// ("hey", "ok.", "(wow)") and no stretched letters. Returns false when the chunk needs the
  /// general path; the result is then the same as the general path's.
  mutating func plainWord(_ start: Int, _ end: Int) -> Bool {
    var a = start
    var b = end
    while a < b, s[a] == 0x28 || s[a] == 0x22 { a += 1 }
    while b > a {
      let c = s[b - 1]
      if c == 0x2E || c == 0x2C || c == 0x21 || c == 0x3F || c == 0x29 || c == 0x22 || c == 0x3A || c == 0x3B {
        b -= 1
      } else {
        break
      }
    }
    guard a < b else { return false }
    cost.add(b - a)
    var previous: UInt32 = 0
    var repeats = 0
    for k in a..<b {
      let c = s[k]
      guard c >= 0x61 && c <= 0x7A else { return false }
      if c == previous {
        repeats += 1
        if repeats >= 3 { return false }
      } else {
        previous = c
        repeats = 1
      }
    }
    // A trailing "." after a single letter may be "s.e.c.r.e.t."-style spelling; leave it to the general path.
    if b - a == 1 && b < end { return false }
    append(asciiToken(a, b), single: b - a == 1 && a == start && b == end)
    return true
  }

  /// Fast path for a chunk that is one word of two or more letters of an alphabet written with
  /// spaces (Cyrillic, Greek, accented Latin...) or ASCII digits, at most wrapped in ( " before and
  /// . , ? ) " : ; after ("привет,", "t3ll", "5pm."). The general path would split it into the same single piece and repair it
  /// just the same, after several more passes. Returns false when the chunk is anything else.
  mutating func letterWord(_ start: Int, _ end: Int) -> Bool {
    var a = start
    var b = end
    while a < b, s[a] == 0x28 || s[a] == 0x22 { a += 1 }
    while b > a {
      let c = s[b - 1]
      if c == 0x2E || c == 0x2C || c == 0x3F || c == 0x29 || c == 0x22 || c == 0x3A || c == 0x3B {
        b -= 1
      } else {
        break
      }
    }
    guard b - a >= 2 else { return false }
    var apostrophes = false
    for k in a..<b {
      let c = s[k]
      if c < 0x80 {
        // Letters and digits ("m3", "5pm", "13"): digits are no leet symbols, so the general path
        // trims nothing at the edges either.
        if c &- 0x61 < 26 || c &- 0x30 < 10 { continue }
        guard c == 0x27 || c == 0x60, isInnerApostrophe(k, a, b) else { return false }
        apostrophes = true
      } else if c == 0x2019 || c == 0xB4 {
        guard isInnerApostrophe(k, a, b) else { return false }
        apostrophes = true
      } else {
        // Below U+0E00: no script segmented by dictionary (Thai onwards) and no emoji.
        guard c < 0x0E00, tables.charClass(c) == .letter else { return false }
      }
    }
    cost.add(2 * (end - start))
    guard apostrophes else {
      let piece = slice(a, b)
      let token = repaired(piece, start: self.start(a), end: self.end(b - 1))
      append(token, single: false)
      noteLeet(token, piece: piece, kept: piece, whole: true, first: a, last: b - 1)
      return true
    }
    // Apostrophes between letters are dropped ("don't" -> "dont"), unless one follows an elided
    // article or pronoun ("l'amico"): that case is left to the general path.
    var count = 0
    for k in a..<b {
      let c = s[k]
      if Tokenizer.isApostrophe(c) {
        if tables.charClass(s[k + 1]) == .letter && Tokenizer.isElision(UnsafeBufferPointer(rebasing: work[0..<count])) {
          return false
        }
        continue
      }
      work[count] = c
      count += 1
    }
    let piece = UnsafeBufferPointer(rebasing: work[0..<count])
    let token = repaired(piece, start: self.start(a), end: self.end(b - 1))
    append(token, single: false)
    noteLeet(token, piece: piece, kept: piece, whole: true, first: a, last: b - 1)
    return true
  }

  /// Whether the apostrophe at `k` stands between two letters or digits of s[a..<b].
  @inline(__always)
  func isInnerApostrophe(_ k: Int, _ a: Int, _ b: Int) -> Bool {
    k > a && k + 1 < b && !Tokenizer.isApostrophe(s[k - 1]) && !Tokenizer.isApostrophe(s[k + 1])
  }
}
