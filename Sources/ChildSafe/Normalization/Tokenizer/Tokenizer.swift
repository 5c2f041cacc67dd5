import CChildSafeICU

/// Character classes of folded text, with an ASCII fast path.
enum CharClass: UInt8 {
  case letter, digit, mark, space, emoji, emojiModifier, ignorable, other

  @inline(__always)
  static func of(_ c: UInt32) -> CharClass {
    if c < 0x80 { return ascii(c) }
    return ScalarTable.charClass(c)
  }

  /// The class of an ASCII character.
  @inline(__always)
  static func ascii(_ c: UInt32) -> CharClass {
    switch c {
    case 0x61...0x7A, 0x41...0x5A: return .letter
    case 0x30...0x39: return .digit
    case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D: return .space
    default: return .other
    }
  }

  /// The class in a ``ScalarTable`` entry (bits 0-2). Every 3-bit value is a case (eight cases,
  /// `other` = 7, checked by a test), so no conversion can fail.
  @inline(__always)
  static func fromTable(_ entry: UInt8) -> CharClass {
    unsafeBitCast(entry & ScalarTable.classMask, to: CharClass.self)
  }

  /// The class of a non-ASCII scalar as ICU says (see ``ScalarTable``, which caches it).
  static func fromICU(_ c: UInt32) -> CharClass {
    switch csicu_char_class(c) {
    case Int32(CSICU_CHAR_LETTER): return .letter
    case Int32(CSICU_CHAR_DIGIT): return .digit
    case Int32(CSICU_CHAR_MARK): return .mark
    case Int32(CSICU_CHAR_SPACE): return .space
    case Int32(CSICU_CHAR_EMOJI): return .emoji
    case Int32(CSICU_CHAR_EMOJI_MODIFIER): return .emojiModifier
    case Int32(CSICU_CHAR_IGNORABLE): return .ignorable
    default: return .other
    }
  }
}

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

/// Look-alike letters of Cyrillic and Greek mapped to Latin through ICU's UTS #39 skeletons,
/// computed once for the whole block.
enum Confusables {
  /// Indexed by scalar - 0x0370: the Latin letter, or 0 when the scalar is no look-alike.
  nonisolated(unsafe) static let table: UnsafePointer<UInt8> = ScalarTable.immortal({
    var map = [UInt8](repeating: 0, count: 0x0530 - 0x0370)
    var out = [UInt16](repeating: 0, count: 16)
    for cp in UInt32(0x0370)...UInt32(0x052F) {
      var src: [UInt16] = [UInt16(cp)]
      let n = src.withUnsafeMutableBufferPointer { s in
        out.withUnsafeMutableBufferPointer { d in
          csicu_skeleton(s.baseAddress, 1, d.baseAddress, Int32(d.count))
        }
      }
      src.removeAll()
      if n == 1, out[0] < 0x80 {
        var c = UInt8(out[0])
        if c >= 0x41 && c <= 0x5A { c |= 0x20 }
        if c >= 0x61 && c <= 0x7A { map[Int(cp - 0x0370)] = c }
      }
    }
    return map
  }())

  @inline(__always)
  static func latin(for cp: UInt32) -> UInt8? {
    if cp < 0x0370 || cp > 0x052F { return nil }
    let c = table[Int(cp - 0x0370)]
    return c == 0 ? nil : c
  }
}

/// Splits folded text into tokens and repairs evasions (see ``Normalizer``).
///
/// It works on borrowed buffers (the folded scalars, their spans, scratch space, the token list)
/// that the caller keeps alive for the whole run, so the hot loops do no reference counting, and
/// tokens are written to the caller's ``TokenList`` with their texts in its arena: only the rarer
/// repairs (leetspeak, stretching, textspeak) build Strings. Helpers that only read are
/// `mutating` too: calling a non-mutating method from a mutating one copies the whole struct on
/// every call.
struct Tokenizer {
  /// Borrowed for the run without retaining it: the caller's ``Lexicon`` keeps it alive.
  let lexicon: BorrowedLexicon
  /// The folded scalars.
  let s: UnsafeBufferPointer<UInt32>
  /// True while scalar i comes from byte i of the input (then `starts`/`ends` are empty).
  let identity: Bool
  let starts: UnsafeBufferPointer<UInt32>
  let ends: UnsafeBufferPointer<UInt32>
  /// The output: the caller's, moved in for the run and handed back.
  var tokens: TokenList
  /// For each token, whether it was a whole whitespace-separated chunk of a single character
  /// (a candidate for rejoining "s e c r e t"). Holds at least `s.count + 1` entries: every token
  /// covers at least one scalar of its own.
  let singles: UnsafeMutableBufferPointer<Bool>
  /// Tokens in a row so far that were single-character chunks, and whether three ever stood in a
  /// row: without that, ``joinSpacedLetters()`` has nothing to do (``readLeetChunks()`` only
  /// replaces tokens or inserts ones that are not single, so it never makes such a row).
  var singlesInRow = 0
  var threeSinglesInRow = false
  /// Scratch for the characters of one word piece (at least `s.count` entries).
  let work: UnsafeMutableBufferPointer<UInt32>
  /// Scratch for the UTF-8 of one token's text (at least `4 * s.count` bytes).
  let utf8: UnsafeMutableBufferPointer<UInt8>
  /// Whether the text is mostly Latin; computed only when a look-alike letter is seen.
  var latinDominance: Bool? = nil
  /// Leetspeak context (see ``readLeetChunks()``): indices of tokens that are words written with leet
  /// digits or symbols ("c4n", "m0m"), in increasing order.
  var leetWords: [Int] = []
  /// Whether the last ``repaired(_:start:end:)`` word mixed letters with leet digits or symbols.
  var leetRead = false
  /// Standalone digit or symbol chunks that may be a word with every letter replaced ("70", "!"):
  /// the index of their number token (or, when `inserted`, where the dropped symbols stood) and the
  /// word they read as.
  var leetChunks: [(index: Int, inserted: Bool, token: Token)] = []
  /// Work done, in scalar visits: lets tests check that cost grows linearly with input.
  var cost = 0
  let tables = ScalarLookup.shared

  init(
    scalars: UnsafeBufferPointer<UInt32>, identity: Bool, starts: UnsafeBufferPointer<UInt32>,
    ends: UnsafeBufferPointer<UInt32>, singles: UnsafeMutableBufferPointer<Bool>,
    work: UnsafeMutableBufferPointer<UInt32>, utf8: UnsafeMutableBufferPointer<UInt8>, lexicon: Lexicon,
    tokens: TokenList
  ) {
    self.tokens = tokens
    self.utf8 = utf8
    self.s = scalars
    self.identity = identity
    self.starts = starts
    self.ends = ends
    self.singles = singles
    self.work = work
    self.lexicon = BorrowedLexicon(lexicon.storage)
  }

  /// Tokenises `scalars` into `tokens` with scratch space of its own (on the stack for ordinary
  /// messages); returns the work done.
  static func run(
    scalars: UnsafeBufferPointer<UInt32>, identity: Bool, starts: UnsafeBufferPointer<UInt32>,
    ends: UnsafeBufferPointer<UInt32>, lexicon: Lexicon, into tokens: inout TokenList
  ) -> Int {
    // The tokenizer borrows the lexicon's storage unretained: keep it alive for the whole run.
    return withExtendedLifetime(lexicon) {
      tokenize(scalars: scalars, identity: identity, starts: starts, ends: ends, lexicon: lexicon, into: &tokens)
    }
  }

  private static func tokenize(
    scalars: UnsafeBufferPointer<UInt32>, identity: Bool, starts: UnsafeBufferPointer<UInt32>,
    ends: UnsafeBufferPointer<UInt32>, lexicon: Lexicon, into tokens: inout TokenList
  ) -> Int {
    let n = scalars.count
    return withScratch(of: Bool.self, capacity: n + 1) { singles in
      withScratch(of: UInt32.self, capacity: n + 1) { work in
        withScratch(of: UInt8.self, capacity: 4 * n + 4) { utf8 in
          var tokenizer = Tokenizer(
            scalars: scalars, identity: identity, starts: starts, ends: ends, singles: singles, work: work,
            utf8: utf8, lexicon: lexicon, tokens: tokens)
          tokenizer.tokenize()
          tokens = tokenizer.tokens
          return tokenizer.cost
        }
      }
    }
  }

  @inline(__always)
  func start(_ i: Int) -> Int { identity ? i : Int(starts[i]) }

  @inline(__always)
  func end(_ i: Int) -> Int { identity ? i + 1 : Int(ends[i]) }

  mutating func tokenize() {
    cost += s.count
    let n = s.count
    var i = 0
    while i < n {
      if isSpace(s[i]) {
        i += 1
        continue
      }
      // Find the chunk's end, noting on the way whether it is only lowercase ASCII letters with
      // none three times in a row: then it is its own token, as ``plainWord(_:_:)`` would say.
      var j = i
      var plain = true
      while j < n {
        let c = s[j]
        if c &- 0x61 < 26 {
          // A letter three times in a row (only letters so far, so these are letters too).
          if j - i >= 2 && c == s[j - 1] && c == s[j - 2] { plain = false }
        } else if isSpace(c) {
          break
        } else {
          // Not plain: only the chunk's end is left to find.
          plain = false
          j += 1
          while j < n && !isSpace(s[j]) { j += 1 }
          break
        }
        j += 1
      }
      if plain {
        cost += j - i
        append(asciiToken(i, j), single: j - i == 1)
      } else if !plainWord(i, j) && !letterWord(i, j) {
        chunk(i, j)
      }
      // s[j] is the whitespace that ended the chunk (or j is the end): no need to test it again.
      i = j + 1
    }
    readLeetChunks()
    joinSpacedLetters()
  }

  @inline(__always)
  func isSpace(_ c: UInt32) -> Bool {
    c < 0x80 ? (c == 0x20 || (c >= 0x09 && c <= 0x0D)) : tables.charClass(c) == .space
  }

  /// Whether token `index` was a whole chunk of one character (see `singles`).
  @inline(__always)
  func isSingle(_ index: Int) -> Bool { index < singles.count && singles[index] }

  @inline(__always)
  mutating func append(_ token: RawToken, single: Bool) {
    // Never out of range (a token covers at least one scalar of its own); checked, not trapped.
    if tokens.count < singles.count {
      singles[tokens.count] = single
      singlesInRow = single ? singlesInRow + 1 : 0
      if singlesInRow >= 3 { threeSinglesInRow = true }
    } else {
      singlesInRow = 0
    }
    tokens.append(token)
  }

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
    cost += b - a
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
    cost += 2 * (end - start)
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

  @inline(__always)
  func slice(_ a: Int, _ b: Int) -> UnsafeBufferPointer<UInt32> { UnsafeBufferPointer(rebasing: s[a..<b]) }

  /// Whether the text is mostly Latin (so a Cyrillic or Greek look-alike word is an evasion, not a
  /// sentence in that script).
  mutating func computeLatinDominance() -> Bool {
    if let latinDominance { return latinDominance }
    cost += s.count
    var latin = 0
    var other = 0
    for c in s {
      if c < 0x80 {
        if c >= 0x61 && c <= 0x7A { latin += 1 }
      } else if c >= 0x0370 && c <= 0x052F {
        other += 1
      } else if c >= 0xC0 && c < 0x0250 {
        latin += 1
      }
    }
    latinDominance = latin > other
    return latin > other
  }

  // MARK: Chunks

  mutating func chunk(_ start: Int, _ end: Int) {
    cost += 2 * (end - start)
    var a = start
    var b = end
    // Wrapping punctuation never belongs to a link or address.
    while a < b, Tokenizer.isOpening(s[a]) { a += 1 }
    while b > a, Tokenizer.isClosing(s[b - 1]) { b -= 1 }
    if a < b, let kind = classifyWhole(a, b) {
      emit(from: a, to: b, kind: kind, single: false)
      return
    }
    words(start, end)
  }

  static func isOpening(_ c: UInt32) -> Bool {
    c == 0x28 || c == 0x5B || c == 0x7B || c == 0x22 || c == 0x27 || c == 0x3C || c == 0x2018 || c == 0x201C
  }

  static func isClosing(_ c: UInt32) -> Bool {
    switch c {
    case 0x2E, 0x2C, 0x21, 0x3F, 0x29, 0x5D, 0x7D, 0x22, 0x27, 0x3E, 0x3A, 0x3B, 0x2019, 0x201D: return true
    default: return false
    }
  }

  /// Common top-level domains, so that "example.com" is a link while "s.e.c.r.e.t" is a word.
  static let topLevelDomains: Set<String> = [
    "com", "net", "org", "io", "me", "co", "uk", "de", "fr", "es", "it", "pt", "br", "ru", "info", "biz",
    "app", "gg", "tv", "ly", "xyz", "edu", "gov", "us", "ca", "au", "nz", "in", "jp", "cn", "nl", "be",
    "ch", "at", "pl", "se", "no", "dk", "fi", "online", "site", "live", "club", "link", "chat", "ie", "mx",
    "ar", "cl", "eu", "top", "dev", "ai", "to", "cc", "ws", "fm", "im", "social", "fun", "net", "su",
  ]
  static let topLevelDomainKeys = PackedWords(topLevelDomains)

  /// A chunk that is a URL, e-mail address or handle as a whole.
  mutating func classifyWhole(_ a: Int, _ b: Int) -> Token.Kind? {
    guard b - a >= 2 else { return nil }
    // Quick reject: links, addresses and handles all contain one of . @ : /
    var marked = false
    var ascii = true
    for k in a..<b {
      let c = s[k]
      if c == 0x2E || c == 0x40 || c == 0x3A || c == 0x2F { marked = true }
      if c >= 0x80 { ascii = false }
    }
    if !marked { return nil }
    for k in a..<b where s[k] >= 0x80 && tables.charClass(s[k]) != .letter && tables.charClass(s[k]) != .digit
      && tables.charClass(s[k]) != .mark
    {
      return nil
    }
    if s[a] == 0x40 {
      // @handle
      var ok = b - a >= 2
      for k in (a + 1)..<b {
        let c = s[k]
        if !(tables.charClass(c) == .letter || tables.charClass(c) == .digit || c == 0x5F || c == 0x2E) { ok = false }
      }
      // "@r3" and "@ny0n3" are leetspeak for "are" and "anyone", not handles.
      if ok && b - a <= Tokenizer.maximumGuidedLength && lexicon.contains(deLeet(slice(a, b))) { return nil }
      return ok ? .handle : nil
    }
    // Plain ASCII (no line breaks in a chunk): characters are scalars, so bytes can be compared.
    if ascii { return classifyASCII(a, b) }
    let text = string(a, b)
    if text.contains("://") || text.hasPrefix("www.") { return .url }
    if let at = text.firstIndex(of: "@") {
      let local = text[..<at]
      let domain = text[text.index(after: at)...]
      if !local.isEmpty, Tokenizer.isDomain(Substring(domain), requireKnownTLD: false) { return .email }
      return nil
    }
    let host = text.prefix(while: { $0 != "/" && $0 != ":" && $0 != "?" })
    if Tokenizer.isDomain(host, requireKnownTLD: true) { return .url }
    return nil
  }

  /// ``classifyWhole`` after the handle test, for an ASCII chunk, without building strings.
  mutating func classifyASCII(_ a: Int, _ b: Int) -> Token.Kind? {
    var at = -1
    for k in a..<b {
      let c = s[k]
      if c == 0x3A && k + 2 < b && s[k + 1] == 0x2F && s[k + 2] == 0x2F { return .url }  // "://"
      if c == 0x40 && at < 0 { at = k }
    }
    if b - a >= 4 && s[a] == 0x77 && s[a + 1] == 0x77 && s[a + 2] == 0x77 && s[a + 3] == 0x2E { return .url }  // "www."
    if at >= 0 {
      if at > a, isDomainASCII(at + 1, b, requireKnownTLD: false) { return .email }
      return nil
    }
    var hostEnd = a
    while hostEnd < b && s[hostEnd] != 0x2F && s[hostEnd] != 0x3A && s[hostEnd] != 0x3F { hostEnd += 1 }
    return isDomainASCII(a, hostEnd, requireKnownTLD: true) ? .url : nil
  }

  /// ``isDomain`` for ASCII scalars s[a..<b].
  mutating func isDomainASCII(_ a: Int, _ b: Int, requireKnownTLD: Bool) -> Bool {
    var labels = 1
    var labelStart = a
    var allSingle = true
    var lastLabelStart = a
    for k in a...b {
      if k == b || s[k] == 0x2E {
        let length = k - labelStart
        if length == 0 { return false }
        if length != 1 { allSingle = false }
        lastLabelStart = labelStart
        labelStart = k + 1
        if k < b { labels += 1 }
        continue
      }
      let c = s[k]
      let letter = (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A)
      if !(letter || (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x5F) { return false }
    }
    guard labels >= 2, !allSingle, b - lastLabelStart >= 2 else { return false }
    for k in lastLabelStart..<b {
      let c = s[k]
      if !((c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A)) { return false }
    }
    if requireKnownTLD { return Tokenizer.topLevelDomainKeys.contains(slice(lastLabelStart, b)) }
    return true
  }

  static func isDomain(_ host: Substring, requireKnownTLD: Bool) -> Bool {
    let labels = host.split(separator: ".", omittingEmptySubsequences: false)
    guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty }) else { return false }
    // "s.e.c.r.e.t" and "u.s.a" are words spelt out, not hosts.
    if labels.allSatisfy({ $0.count == 1 }) { return false }
    guard let tld = labels.last, tld.count >= 2, tld.allSatisfy({ $0.isLetter }) else { return false }
    for label in labels where !label.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) {
      return false
    }
    if requireKnownTLD { return topLevelDomains.contains(String(tld)) || tld.unicodeScalars.contains { $0.value >= 0x80 } }
    return true
  }

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
    cost += end - start
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
    cost += 2 * (end - start)
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

  static let elisions: Set<String> = [
    "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "all", "dall", "dell", "nell", "sull", "coll", "un", "quell",
    "quest", "anch", "tutt", "po",
  ]
  static let elisionKeys = PackedWords(elisions)

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
    cost += skip
    var k = from
    var left = skip
    while left > 0 {
      k += 1
      if !Tokenizer.isApostrophe(s[k]) { left -= 1 }
    }
    return k
  }

  mutating func locateBack(from: Int, skip: Int) -> Int {
    cost += skip
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

  // MARK: Repairs

  /// Units that make "5pm", "13yo", "2nd" numbers in ordinary use rather than leetspeak.
  static let numberSuffixes: Set<String> = [
    "am", "pm", "yo", "y", "yr", "yrs", "yro", "st", "nd", "rd", "th", "k", "m", "min", "mins", "h", "hr",
    "hrs", "s", "x", "d", "g", "gb", "mb", "kb", "kg", "km", "cm", "mm", "ft", "lbs", "lb", "mph", "kph",
    "p", "fps", "v", "w", "ml", "l", "e", "er", "eme", "o", "a", "ans", "jahre", "anni", "anos", "j",
    "ieme", "ème", "de", "hs",
  ]
  static let numberSuffixKeys = PackedWords(numberSuffixes)

  /// Repairs a word (its folded scalars) into a token with the given original byte span.
  /// Its text is written to the arena of ``tokens``; the caller appends the token.
  mutating func repaired(_ input: UnsafeBufferPointer<UInt32>, start: Int, end: Int) -> RawToken {
    cost += input.count
    leetRead = false
    var letters = 0
    var digits = 0
    var symbols = 0
    var lookAlikes = 0
    var latin = 0
    var unmappable = 0
    var allASCII = true
    var stretched = false
    var previous: UInt32 = 0
    var repeatCount = 0
    for c in input {
      if c < 0x80 {
        if c >= 0x61 && c <= 0x7A {
          letters += 1
          latin += 1
        } else if c >= 0x30 && c <= 0x39 {
          digits += 1
        } else if Leet.isSymbol(c) {
          symbols += 1
        }
      } else {
        allASCII = false
        let cls = tables.charClass(c)
        if cls == .letter {
          letters += 1
          if c >= 0x0370 && c <= 0x052F {
            if tables.latin(for: c) != nil { lookAlikes += 1 } else { unmappable += 1 }
          } else if c < 0x0250 {
            latin += 1
          }
        } else if cls == .digit {
          digits += 1
        } else if Leet.isSymbol(c) {
          symbols += 1
        }
      }
      if c == previous {
        repeatCount += 1
        if repeatCount >= 3 { stretched = true }
      } else {
        previous = c
        repeatCount = 1
      }
    }
    // Fast path: plain lowercase ASCII letters, nothing to repair.
    if allASCII && digits == 0 && symbols == 0 && !stretched {
      return asciiToken(input, start: start, end: end)
    }
    // Look-alike letters from Cyrillic or Greek inside Latin text.
    if lookAlikes > 0 && (latin > 0 || (unmappable == 0 && computeLatinDominance())) {
      return withScratch(of: UInt32.self, capacity: input.count) { mapped in
        for k in 0..<input.count {
          let c = input[k]
          if let l = tables.latin(for: c) { mapped[k] = UInt32(l) } else { mapped[k] = c }
        }
        return repairedWord(UnsafeBufferPointer(mapped), start: start, end: end, letters: letters, digits: digits, symbols: symbols)
      }
    }
    return repairedWord(input, start: start, end: end, letters: letters, digits: digits, symbols: symbols)
  }

  /// The rest of ``repaired(_:start:end:)``, after look-alike letters are mapped.
  mutating func repairedWord(
    _ scalars: UnsafeBufferPointer<UInt32>, start: Int, end: Int, letters: Int, digits: Int, symbols: Int
  ) -> RawToken {
    if letters == 0 && symbols == 0 {
      return utf8Token(scalars, start: start, end: end, kind: .number)
    }
    if digits > 0 && symbols == 0, isNumberWithUnit(scalars) {
      // "1s" and "70p" may be leetspeak for "is" and "top": a known word wins over a unit.
      if scalars.count > Tokenizer.maximumGuidedLength || !lexicon.contains(deLeet(scalars)) {
        return utf8Token(scalars, start: start, end: end, kind: .number)
      }
    }
    // Lexicon-guided readings try up to 16 variants of up to 16 stretch choices each; no real word is
    // longer than this, and skipping them keeps cost linear with a small constant.
    let guided = scalars.count <= Tokenizer.maximumGuidedLength
    cost += guided ? 256 * scalars.count : 2 * scalars.count
    // The plain spelling is looked up by its UTF-8 bytes, which are copied as the token's text when
    // they are it; a String is made only to unstretch it.
    if let plain = utf8Bytes(scalars) {
      return wordFromSpelling(
        scalars, plain: plain.bytes, ascii: plain.ascii, start: start, end: end, letters: letters, digits: digits,
        symbols: symbols, guided: guided)
    }
    // (The byte scratch has room for any word; this is only a fallback.)
    let bytes = Array(Tokenizer.utf8String(scalars).utf8)
    return bytes.withUnsafeBufferPointer { plain in
      wordFromSpelling(
        scalars, plain: plain, ascii: !plain.contains { $0 >= 0x80 }, start: start, end: end, letters: letters,
        digits: digits, symbols: symbols, guided: guided)
    }
  }

  /// The end of ``repairedWord(_:start:end:letters:digits:symbols:)``, given the plain spelling as
  /// UTF-8 (`ascii` when every byte is).
  mutating func wordFromSpelling(
    _ scalars: UnsafeBufferPointer<UInt32>, plain: UnsafeBufferPointer<UInt8>, ascii: Bool, start: Int, end: Int,
    letters: Int, digits: Int, symbols: Int, guided: Bool
  ) -> RawToken {
    // Every textspeak spelling has a digit (checked once), so words without one skip the lookup.
    if digits > 0 || !Tokenizer.textspeakAlwaysHasDigits, let expansion = Tokenizer.textspeakTable.value(for: plain) {
      return tokens.token(Tokenizer.textspeakExpansions[Int(expansion)], start: start, end: end, kind: .word)
    }
    if digits > 0 || symbols > 0 {
      // `lexicon.contains(plain)`: ASCII spellings by their bytes, others as Strings.
      let known = lexiconContains(plain, ascii: ascii)
      if !known { return leetWord(scalars, start: start, end: end, letters: letters, guided: guided) }
    }
    // Unstretching leaves a word without a letter three times in a row as it is: the lexicon is
    // asked only about stretched words. `plain` spells `scalars`, whose repeats are cheaper to count.
    guard Tokenizer.isStretched(scalars) else { return tokens.token(bytes: plain, start: start, end: end, kind: .word) }
    var text = Tokenizer.string(plain, ascii: ascii)
    if !lexicon.contains(text) { text = unstretch(text, guided: guided) }
    return tokens.token(text, start: start, end: end, kind: .word)
  }

  /// A word with leet digits or symbols that the lexicon does not know as written: read as letters,
  /// then unstretched when a letter comes three times in a row.
  mutating func leetWord(_ scalars: UnsafeBufferPointer<UInt32>, start: Int, end: Int, letters: Int, guided: Bool) -> RawToken {
    var text = deLeet(scalars, guided: guided)
    leetRead = letters > 0
    if Tokenizer.isStretched(text) && !lexicon.contains(text) { text = unstretch(text, guided: guided) }
    return tokens.token(text, start: start, end: end, kind: .word)
  }

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
    cost += 16 * leetChunks.count
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

  /// Units and plural nouns that follow a count or an amount ("50 bucks", "4 pm", "1 sec"): the number
  /// before them stays one. Singular nouns are left out: "4 day" is rather "a day".
  static let countNouns: Set<String> = [
    "am", "pm", "yo", "yr", "yrs", "years", "min", "mins", "minutes", "sec", "secs", "seconds", "hr", "hrs",
    "hours", "days", "weeks", "months", "km", "kg", "mb", "gb", "bucks", "dollars", "euros", "euro", "pounds",
    "robux", "vbucks", "coins", "gems", "times", "percent", "ans", "anos", "anni", "jahre", "horas", "minutos",
    "heures", "ore", "minuti", "stunden", "minuten",
  ]

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

  /// Texting spellings whose digits are sounds, not leetspeak ("gr8" is "great", not "grb").
  static let textspeak: [String: String] = [
    "2day": "today", "2nite": "tonight", "2night": "tonight", "2moro": "tomorrow", "2morrow": "tomorrow",
    "2mrw": "tomorrow", "2mro": "tomorrow", "gr8": "great", "l8r": "later", "l8": "late", "b4": "before",
    "h8": "hate", "m8": "mate", "m8s": "mates", "w8": "wait", "str8": "straight", "any1": "anyone",
    "some1": "someone", "no1": "noone", "ne1": "anyone", "every1": "everyone", "4ever": "forever",
    "2gether": "together", "d8": "date", "sk8": "skate", "4get": "forget", "gr8t": "great",
  ]

  /// ``textspeak`` by the UTF-8 bytes of the spelling (cheaper than String hashing): the index
  /// of its expansion in ``textspeakExpansions``.
  static let textspeakTable = ByteTable(textspeak.keys.sorted().enumerated().map { (key: $0.element, value: Int32($0.offset)) })
  static let textspeakExpansions: [String] = textspeak.keys.sorted().map { textspeak[$0] ?? $0 }
  static let textspeakAlwaysHasDigits = textspeak.keys.allSatisfy { $0.utf8.contains { $0 >= 0x30 && $0 <= 0x39 } }

  mutating func isNumberWithUnit(_ scalars: UnsafeBufferPointer<UInt32>) -> Bool {
    var k = 0
    while k < scalars.count && scalars[k] >= 0x30 && scalars[k] <= 0x39 { k += 1 }
    guard k > 0 else { return false }
    let rest = UnsafeBufferPointer(rebasing: scalars[k...])
    guard rest.allSatisfy({ tables.charClass($0) == .letter }) else { return false }
    return Tokenizer.numberSuffixKeys.contains(rest)
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

  static func isStretched(_ scalars: UnsafeBufferPointer<UInt32>) -> Bool {
    var previous: UInt32 = 0
    var repeats = 0
    for c in scalars {
      if c == previous && repeats > 0 {
        repeats += 1
        if repeats >= 3 { return true }
      } else {
        previous = c
        repeats = 1
      }
    }
    return false
  }

  static func isStretched(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var previous: UInt8 = 0
    var repeats = 0
    for b in bytes {
      if b == previous && repeats > 0 {
        repeats += 1
        if repeats >= 3 { return true }
      } else {
        previous = b
        repeats = 1
      }
    }
    return false
  }

  /// Whether some character of `word` comes three or more times in a row.
  static func isStretched(_ word: String) -> Bool {
    // ASCII (nearly every word): its bytes are its scalars.
    let ascii = word.utf8.withContiguousStorageIfAvailable { bytes -> Bool? in
      for b in bytes where b >= 0x80 { return nil }
      return isStretched(bytes)
    }
    if let ascii, let stretched = ascii { return stretched }
    var previous: Unicode.Scalar? = nil
    var repeats = 0
    for u in word.unicodeScalars {
      if u == previous {
        repeats += 1
        if repeats >= 3 { return true }
      } else {
        previous = u
        repeats = 1
      }
    }
    return false
  }

  /// Collapses letters repeated three or more times ("pleeease" -> "please"), choosing between one
  /// and two letters with the lexicon ("cooool" -> "cool") and one when the lexicon does not know.
  mutating func unstretch(_ word: String, guided: Bool = true) -> String {
    // Most words have no letter three times in a row: say so without copying anything.
    if !Tokenizer.isStretched(word) { return word }
    let ascii = word.utf8.withContiguousStorageIfAvailable { bytes -> String? in
      for b in bytes where b >= 0x80 { return nil }
      return unstretchASCII(bytes, word: word, guided: guided)
    }
    if let ascii, let ascii { return ascii }
    let scalars = Array(word.unicodeScalars)
    var runs: [(start: Int, length: Int)] = []
    var k = 0
    while k < scalars.count {
      var j = k + 1
      while j < scalars.count && scalars[j] == scalars[k] { j += 1 }
      if j - k >= 3 && scalars[k].properties.isAlphabetic { runs.append((k, j - k)) }
      k = j
    }
    if runs.isEmpty { return word }
    func build(_ mask: Int) -> String {
      var out = String.UnicodeScalarView()
      var position = 0
      for (bit, run) in runs.enumerated() {
        out.append(contentsOf: scalars[position..<run.start])
        let keep = (bit < 8 && mask & (1 << bit) != 0) ? 2 : 1
        for _ in 0..<keep { out.append(scalars[run.start]) }
        position = run.start + run.length
      }
      out.append(contentsOf: scalars[position...])
      return String(out)
    }
    let options = guided && runs.count <= 4 ? (1 << runs.count) : 1
    for mask in 0..<options {
      let candidate = build(mask)
      if lexicon.contains(candidate) { return candidate }
    }
    return build(0)
  }

  /// ``unstretch(_:guided:)`` for an ASCII word, built and looked up as bytes on the stack.
  mutating func unstretchASCII(_ bytes: UnsafeBufferPointer<UInt8>, word: String, guided: Bool) -> String {
    @inline(__always) func isLetter(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) }
    // Runs of a letter three or more times (only the first four give choices).
    var runCount = 0
    var k = 0
    while k < bytes.count {
      var j = k + 1
      while j < bytes.count && bytes[j] == bytes[k] { j += 1 }
      if j - k >= 3 && isLetter(bytes[k]) { runCount += 1 }
      k = j
    }
    if runCount == 0 { return word }
    return withScratch(of: UInt8.self, capacity: bytes.count) { out in
      func build(_ mask: Int) -> UnsafeBufferPointer<UInt8> {
        var count = 0
        var bit = 0
        var k = 0
        while k < bytes.count {
          var j = k + 1
          while j < bytes.count && bytes[j] == bytes[k] { j += 1 }
          if j - k >= 3 && isLetter(bytes[k]) {
            let keep = (bit < 8 && mask & (1 << bit) != 0) ? 2 : 1
            for _ in 0..<keep {
              out[count] = bytes[k]
              count += 1
            }
            bit += 1
          } else {
            for m in k..<j {
              out[count] = bytes[m]
              count += 1
            }
          }
          k = j
        }
        return UnsafeBufferPointer(rebasing: out[0..<count])
      }
      let options = guided && runCount <= 4 ? (1 << runCount) : 1
      for mask in 0..<options {
        let candidate = build(mask)
        if lexicon.contains(ascii: candidate) { return Tokenizer.string(candidate, ascii: true) }
      }
      return Tokenizer.string(build(0), ascii: true)
    }
  }

  /// Thai, Chinese, Japanese... segmented into words by ICU's dictionary-based word break iterator.
  mutating func dictionaryRun(_ start: Int, _ end: Int) {
    cost += 4 * (end - start)
    guard tokens.segmentsDictionaryRuns else {
      tokens.hasUnsegmentedRuns = true
      emit(from: start, to: end, kind: .word, single: false)
      return
    }
    let capacity = 2 * (end - start)
    // UTF-16 for ICU, the folded index of each UTF-16 offset, and ICU's word spans: on the stack.
    let words: [(Int, Int)]? = withScratch(of: UInt16.self, capacity: capacity) { utf16 in
      withScratch(of: Int.self, capacity: capacity + 1) { scalarAt in
        withScratch(of: Int32.self, capacity: 2 * max(1, capacity)) { spans in
          var units = 0
          for k in start..<end {
            let after = Folding.appendUTF16(s[k], to: utf16, at: units)
            for u in units..<after { scalarAt[u] = k }
            units = after
          }
          scalarAt[units] = end
          let spanCapacity = 2 * max(1, units)
          let count = Int(csicu_words(utf16.baseAddress, Int32(units), spans.baseAddress, Int32(spanCapacity / 2)))
          if count <= 0 || count * 2 > spanCapacity { return nil }
          var out: [(Int, Int)] = []
          out.reserveCapacity(count)
          for w in 0..<count { out.append((scalarAt[Int(spans[2 * w])], scalarAt[Int(spans[2 * w + 1])])) }
          return out
        }
      }
    }
    guard let words else {
      emit(from: start, to: end, kind: .word, single: false)
      return
    }
    for (a, b) in words where a < b { emit(from: a, to: b, kind: .word, single: false) }
  }

  /// Single characters that are chat words on their own ("u r a", "i", "2 u").
  static let standaloneLetters: Set<String> = ["a", "i", "u", "r", "y", "k", "n", "b", "c", "o", "e", "x", "2", "4"]

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
    cost += 4 * tokens.count
    // Segmenting a run tries up to 16 word lengths at each of at most 64 letters.
    cost += 16 * tokens.count
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

  // MARK: Output

  /// Appends the token of folded scalars s[a..<b] as they are.
  mutating func emit(from a: Int, to b: Int, kind: Token.Kind, single: Bool) {
    append(utf8Token(slice(a, b), start: start(a), end: end(b - 1), kind: kind), single: single)
  }

  mutating func string(_ a: Int, _ b: Int) -> String { utf8String(slice(a, b)) }

  /// The word token of s[a..<b], scalars known to be ASCII.
  @inline(__always)
  mutating func asciiToken(_ a: Int, _ b: Int) -> RawToken {
    asciiToken(slice(a, b), start: start(a), end: end(b - 1))
  }

  /// A word token whose text is `scalars`, known to be ASCII: their bytes go straight to the arena.
  @inline(__always)
  mutating func asciiToken(_ scalars: UnsafeBufferPointer<UInt32>, start: Int, end: Int) -> RawToken {
    let count = scalars.count
    let out = tokens.reserveText(count)
    for k in 0..<count { out[k] = UInt8(truncatingIfNeeded: scalars[k]) }
    return tokens.commitText(count, start: start, end: end, kind: .word)
  }

  /// A token whose text is the UTF-8 of folded scalars.
  mutating func utf8Token(_ scalars: UnsafeBufferPointer<UInt32>, start: Int, end: Int, kind: Token.Kind) -> RawToken {
    let out = tokens.reserveText(4 * scalars.count)
    var k = 0
    for c in scalars { k = Tokenizer.encodeUTF8(c, into: out, at: k) }
    return tokens.commitText(k, start: start, end: end, kind: kind)
  }

  /// A String from folded scalars.
  mutating func utf8String(_ scalars: UnsafeBufferPointer<UInt32>) -> String {
    guard let encoded = utf8Bytes(scalars) else { return Tokenizer.utf8String(scalars) }
    return Tokenizer.string(encoded.bytes, ascii: encoded.ascii)
  }

  /// The UTF-8 of folded scalars, written to the byte scratch (valid until the scratch is next
  /// used), and whether it is all ASCII; nil when the scratch is too small.
  @inline(__always)
  mutating func utf8Bytes(_ scalars: UnsafeBufferPointer<UInt32>) -> (bytes: UnsafeBufferPointer<UInt8>, ascii: Bool)? {
    guard 4 * scalars.count <= utf8.count, let out = utf8.baseAddress else { return nil }
    var k = 0
    var high: UInt32 = 0
    for c in scalars {
      high |= c
      k = Tokenizer.encodeUTF8(c, into: out, at: k)
    }
    return (UnsafeBufferPointer(start: out, count: k), high < 0x80)
  }

  /// The longest UTF-8 that a String stores inline (on 64-bit platforms), without allocating.
  static let smallStringCapacity = 15

  /// A String of valid UTF-8 bytes; `ascii` says they are all ASCII. A short ASCII one is written
  /// straight into the String's inline storage, which skips the separate validation pass and copy
  /// of `String(decoding:as:)`; other text is decoded (and validated) as usual.
  @inline(__always)
  static func string(_ bytes: UnsafeBufferPointer<UInt8>, ascii: Bool) -> String {
    let count = bytes.count
    guard ascii, count <= smallStringCapacity, let source = bytes.baseAddress else {
      return String(decoding: bytes, as: UTF8.self)
    }
    return String(unsafeUninitializedCapacity: count) { buffer in
      buffer.baseAddress?.initialize(from: source, count: count)
      return count
    }
  }

  /// A String from scalars, without scratch space.
  static func utf8String(_ scalars: UnsafeBufferPointer<UInt32>) -> String {
    var byteCount = 0
    for c in scalars where Unicode.Scalar(c) != nil { byteCount += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4 }
    return String(unsafeUninitializedCapacity: byteCount) { buffer in
      guard let out = buffer.baseAddress else { return 0 }
      var k = 0
      for c in scalars { k = encodeUTF8(c, into: out, at: k) }
      return k
    }
  }

  /// Writes scalar `c` as UTF-8 at out[k...] and returns the index past it. Values that are not
  /// scalars (never produced by folding) are skipped.
  @inline(__always)
  static func encodeUTF8(_ c: UInt32, into out: UnsafeMutablePointer<UInt8>, at k: Int) -> Int {
    if c < 0x80 {
      out[k] = UInt8(c)
      return k + 1
    }
    // Not a scalar: a surrogate or above U+10FFFF (as `Unicode.Scalar(c) == nil`).
    guard c &- 0xD800 >= 0x800 && c <= 0x10_FFFF else { return k }
    if c < 0x800 {
      out[k] = UInt8(0xC0 | c >> 6)
      out[k + 1] = UInt8(0x80 | c & 0x3F)
      return k + 2
    }
    if c < 0x10000 {
      out[k] = UInt8(0xE0 | c >> 12)
      out[k + 1] = UInt8(0x80 | (c >> 6) & 0x3F)
      out[k + 2] = UInt8(0x80 | c & 0x3F)
      return k + 3
    }
    out[k] = UInt8(0xF0 | c >> 18)
    out[k + 1] = UInt8(0x80 | (c >> 12) & 0x3F)
    out[k + 2] = UInt8(0x80 | (c >> 6) & 0x3F)
    out[k + 3] = UInt8(0x80 | c & 0x3F)
    return k + 4
  }

}

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
