import CChildSafeICU

@testable import ChildSafe

// A frozen copy of the normaliser as it was before the fast paths (main at 2b7dd1a, with leetspeak
// in context): folding into an array of scalars, then the general tokenizer over it. DifferentialNormalizerTests checks that
// the optimised normaliser gives exactly the same tokens. Do not "fix" this copy: it is the oracle.
// Shared, unchanged pieces (FoldTable, ScalarTable, CharClass, Leet, Confusables, Lexicon) are used
// from the library.

enum ReferenceNormalizer {
  static func normalize(_ text: String, lexicon: Lexicon = .everyday) -> [Token] {
    var copy = text
    return copy.withUTF8 { bytes in
      var folded = ReferenceFoldedText(capacity: bytes.count)
      ReferenceFolding.fold(bytes, into: &folded)
      var tokenizer = ReferenceTokenizer(folded: folded, lexicon: lexicon)
      return tokenizer.run()
    }
  }
}

struct ReferenceTable {
  let map: [String: Int32]
  init(_ entries: [(key: String, value: Int32)]) {
    var map: [String: Int32] = [:]
    for (key, value) in entries { map[key] = value }
    self.map = map
  }
  func value(for text: String) -> Int32? { map[text] }
}

/// Folded code points, each with the byte span of the original segment that produced it.
///
/// While the text is plain ASCII, scalar i comes from byte i, so spans are not stored; the arrays
/// are filled in only once a segment changes length.
struct ReferenceFoldedText {
  var scalars: [UInt32] = []
  var starts: [Int32] = []
  var ends: [Int32] = []
  /// True while scalar i is byte i of the input (no span arrays needed).
  var identity = true

  init(capacity: Int) {
    scalars.reserveCapacity(capacity)
  }

  /// Appends bytes[from..<to] (ASCII), lowercased, each its own segment.
  mutating func appendASCII(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int) {
    let count = to - from
    guard count > 0 else { return }
    // Identity holds only while no earlier segment folded to a different length (e.g. a leading
    // combining mark that folded to nothing), i.e. while scalar i is byte i.
    if identity && from != scalars.count { materialize() }
    let base = scalars.count
    scalars.append(contentsOf: repeatElement(0, count: count))
    scalars.withUnsafeMutableBufferPointer { buffer in
      for k in 0..<count {
        let b = bytes[from + k]
        buffer[base + k] = UInt32((b >= 0x41 && b <= 0x5A) ? b | 0x20 : b)
      }
    }
    if !identity {
      starts.append(contentsOf: Int32(truncatingIfNeeded: from)..<Int32(truncatingIfNeeded: to))
      ends.append(contentsOf: Int32(truncatingIfNeeded: from + 1)..<Int32(truncatingIfNeeded: to + 1))
    }
  }

  @inline(__always)
  mutating func append(_ scalar: UInt32, _ start: Int, _ end: Int) {
    if identity {
      if end == start + 1 && start == scalars.count {
        scalars.append(scalar)
        return
      }
      materialize()
    }
    scalars.append(scalar)
    starts.append(Int32(truncatingIfNeeded: start))
    ends.append(Int32(truncatingIfNeeded: end))
  }

  /// Leaves identity mode: stores the spans of the scalars so far.
  mutating func materialize() {
    identity = false
    starts.reserveCapacity(scalars.capacity)
    ends.reserveCapacity(scalars.capacity)
    for i in 0..<scalars.count {
      starts.append(Int32(truncatingIfNeeded: i))
      ends.append(Int32(truncatingIfNeeded: i + 1))
    }
  }

  @inline(__always)
  func start(_ i: Int) -> Int { identity ? i : Int(starts[i]) }

  @inline(__always)
  func end(_ i: Int) -> Int { identity ? i + 1 : Int(ends[i]) }

  var count: Int { scalars.count }
}

enum ReferenceFolding {
  /// A segment longer than this (a letter drowned in combining marks) keeps only its first
  /// scalars; the rest are junk and are dropped, which keeps folding linear.
  static let maximumSegmentScalars = 12

  static func fold(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout ReferenceFoldedText) {
    let n = bytes.count
    var i = 0
    var segment: [UInt16] = []
    segment.reserveCapacity(32)
    var result = [UInt16](repeating: 0, count: 128)
    while i < n {
      let b = bytes[i]
      // ASCII fast path: an ASCII character followed by ASCII (or the end) is a segment of its own.
      // A whole run of them is copied at once (one capacity and uniqueness check per run, not per byte);
      // the run's last byte stays for the general path when a non-ASCII scalar (maybe a mark) follows.
      if b < 0x80 && (i + 1 == n || bytes[i + 1] < 0x80) {
        var j = i + 1
        while j < n && bytes[j] < 0x80 { j += 1 }
        let runEnd = j < n ? j - 1 : j  // > i: bytes[i + 1] is ASCII when j < n
        out.appendASCII(bytes, from: i, to: runEnd)
        i = runEnd
        continue
      }
      // General path: gather one segment (a starter and what cannot be separated from it).
      // Most segments are a single scalar with a cached fold: the UTF-16 copy for ICU is made
      // only once a second scalar joins, or when the fold is not cached.
      let start = i
      var (scalar, length) = decode(bytes, at: i)
      var scalarsInSegment = 1
      var segmentCopied = false
      let first = scalar
      i += length
      while i < n {
        (scalar, length) = decode(bytes, at: i)
        if scalar < 0x80 || ScalarTable.hasFoldBoundaryBefore(scalar) { break }
        if !segmentCopied {
          segment.removeAll(keepingCapacity: true)
          appendUTF16(first, to: &segment)
          segmentCopied = true
        }
        if scalarsInSegment < maximumSegmentScalars {
          appendUTF16(scalar, to: &segment)
          scalarsInSegment += 1
        }
        i += length
      }
      if scalarsInSegment == 1, let cached = FoldTable.lookup(first) {
        let count = Int(cached & 3)
        for k in 0..<count {
          out.append(UInt32(truncatingIfNeeded: (cached >> (2 + 21 * UInt64(k))) & 0x1F_FFFF), start, i)
        }
        continue
      }
      if !segmentCopied {
        segment.removeAll(keepingCapacity: true)
        appendUTF16(first, to: &segment)
      }
      let script = csicu_script_class(first)
      let strip: Int32 =
        (script == Int32(CSICU_SCRIPT_LATIN) || script == Int32(CSICU_SCRIPT_GREEK)
          || script == Int32(CSICU_SCRIPT_CYRILLIC) || script == Int32(CSICU_SCRIPT_COMMON)) ? 1 : 0
      let produced = segment.withUnsafeBufferPointer { src in
        result.withUnsafeMutableBufferPointer { dst in
          csicu_fold(src.baseAddress, Int32(src.count), strip, dst.baseAddress, Int32(dst.count))
        }
      }
      if produced < 0 || produced > result.count {
        // ICU could not fold it: keep the starter as it is rather than lose text.
        out.append(first, start, i)
        continue
      }
      var k = 0
      while k < Int(produced) {
        let unit = result[k]
        if unit >= 0xD800 && unit < 0xDC00 && k + 1 < Int(produced) {
          let low = result[k + 1]
          out.append(0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00), start, i)
          k += 2
        } else {
          out.append(UInt32(unit), start, i)
          k += 1
        }
      }
    }
  }

  @inline(__always)
  static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int) {
    let b0 = UInt32(bytes[i])
    if b0 < 0x80 { return (b0, 1) }
    if b0 < 0xE0 { return ((b0 & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F), 2) }
    if b0 < 0xF0 {
      return ((b0 & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F), 3)
    }
    return (
      (b0 & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12 | UInt32(bytes[i + 2] & 0x3F) << 6
        | UInt32(bytes[i + 3] & 0x3F), 4
    )
  }

  @inline(__always)
  static func appendUTF16(_ scalar: UInt32, to out: inout [UInt16]) {
    if scalar < 0x10000 {
      out.append(UInt16(scalar))
    } else {
      let v = scalar - 0x10000
      out.append(UInt16(0xD800 + (v >> 10)))
      out.append(UInt16(0xDC00 + (v & 0x3FF)))
    }
  }
}
/// Splits folded text into tokens and repairs evasions (see ``Normalizer``).
struct ReferenceTokenizer {
  let folded: ReferenceFoldedText
  let lexicon: Lexicon
  var tokens: [Token] = []
  /// For each token, whether it was a whole whitespace-separated chunk of a single character
  /// (a candidate for rejoining "s e c r e t").
  var singles: [Bool] = []
  /// Whether the text is mostly Latin; computed only when a look-alike letter is seen.
  var latinDominance: Bool? = nil
  /// The folded scalars while `run()` executes (a borrowed view, so hot loops do no reference counting).
  var s = UnsafeBufferPointer<UInt32>(start: nil, count: 0)
  /// Work done, in scalar visits: lets tests check that cost grows linearly with input.
  var cost = 0
  /// Scratch buffer reused across words to avoid allocating per word.
  var work: [UInt32] = []
  /// Leetspeak context (see ``readLeetChunks()``): indices of tokens that are words written with leet
  /// digits or symbols ("c4n", "m0m"), in increasing order.
  var leetWords: [Int] = []
  /// Whether the last ``repaired(_:start:end:)`` word mixed letters with leet digits or symbols.
  var leetRead = false
  /// Standalone digit or symbol chunks that may be a word with every letter replaced ("70", "!"):
  /// the index of their number token (or, when `inserted`, where the dropped symbols stood) and the
  /// word they read as.
  var leetChunks: [(index: Int, inserted: Bool, token: Token)] = []

  init(folded: ReferenceFoldedText, lexicon: Lexicon) {
    self.folded = folded
    self.lexicon = lexicon
  }

  mutating func run() -> [Token] {
    let scalars = folded.scalars
    return scalars.withUnsafeBufferPointer { buffer in
      s = buffer
      defer { s = UnsafeBufferPointer(start: nil, count: 0) }
      tokenize()
      return tokens
    }
  }

  mutating func tokenize() {
    cost += s.count
    tokens.reserveCapacity(s.count / 4 + 4)
    singles.reserveCapacity(s.count / 4 + 4)
    let n = s.count
    var i = 0
    while i < n {
      if CharClass.of(s[i]) == .space {
        i += 1
        continue
      }
      var j = i + 1
      while j < n && CharClass.of(s[j]) != .space { j += 1 }
      if !plainWord(i, j) { chunk(i, j) }
      i = j
    }
    readLeetChunks()
    joinSpacedLetters()
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
    let text = String(unsafeUninitializedCapacity: b - a) { buffer in
      for k in a..<b { buffer[k - a] = UInt8(truncatingIfNeeded: s[k]) }
      return b - a
    }
    tokens.append(Token(text: text, start: folded.start(a), end: folded.end(b - 1), kind: .word))
    singles.append(b - a == 1 && a == start && b == end)
    return true
  }

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
    while a < b, ReferenceTokenizer.isOpening(s[a]) { a += 1 }
    while b > a, ReferenceTokenizer.isClosing(s[b - 1]) { b -= 1 }
    if a < b, let kind = classifyWhole(a, b) {
      emit(text: asciiString(a, b), from: a, to: b, kind: kind, single: false)
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

  /// A chunk that is a URL, e-mail address or handle as a whole.
  func classifyWhole(_ a: Int, _ b: Int) -> Token.Kind? {
    guard b - a >= 2 else { return nil }
    // Quick reject: links, addresses and handles all contain one of . @ : /
    var marked = false
    for k in a..<b where s[k] == 0x2E || s[k] == 0x40 || s[k] == 0x3A || s[k] == 0x2F {
      marked = true
      break
    }
    if !marked { return nil }
    for k in a..<b where s[k] >= 0x80 && CharClass.of(s[k]) != .letter && CharClass.of(s[k]) != .digit
      && CharClass.of(s[k]) != .mark
    {
      return nil
    }
    let text = asciiString(a, b)
    if s[a] == 0x40 {
      // @handle
      var ok = b - a >= 2
      for k in (a + 1)..<b {
        let c = s[k]
        if !(CharClass.of(c) == .letter || CharClass.of(c) == .digit || c == 0x5F || c == 0x2E) { ok = false }
      }
      // "@r3" and "@ny0n3" are leetspeak for "are" and "anyone", not handles.
      if ok && b - a <= ReferenceTokenizer.maximumGuidedLength && lexicon.contains(deLeet(Array(s[a..<b]))) { return nil }
      return ok ? .handle : nil
    }
    if text.contains("://") || text.hasPrefix("www.") { return .url }
    if let at = text.firstIndex(of: "@") {
      let local = text[..<at]
      let domain = text[text.index(after: at)...]
      if !local.isEmpty, ReferenceTokenizer.isDomain(Substring(domain), requireKnownTLD: false) { return .email }
      return nil
    }
    let host = text.prefix(while: { $0 != "/" && $0 != ":" && $0 != "?" })
    if ReferenceTokenizer.isDomain(host, requireKnownTLD: true) { return .url }
    return nil
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
      cls == .letter || cls == .digit || cls == .mark || Leet.isSymbol(c) || ReferenceTokenizer.isApostrophe(c)
        || ReferenceTokenizer.isSpellSeparator(c)
    }
    while i < end {
      let c = s[i]
      let cls = CharClass.of(c)
      if cls == .letter && c >= 0x2E80 && ScalarTable.isDictionaryLetter(c) {
        if runStart >= 0 { wordRun(runStart, i) }
        runStart = -1
        var j = i + 1
        while j < end {
          let cj = s[j]
          let clj = CharClass.of(cj)
          if clj == .mark || (clj == .letter && cj >= 0x2E80 && ScalarTable.isDictionaryLetter(cj)) {
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
      if cls == .letter && c >= 0x0E00 && c < 0x1100 && ScalarTable.isDictionaryLetter(c) {
        // Thai, Lao, Myanmar, Khmer live below U+2E80.
        if runStart >= 0 { wordRun(runStart, i) }
        runStart = -1
        var j = i + 1
        while j < end {
          let clj = CharClass.of(s[j])
          if clj == .mark || (clj == .letter && s[j] >= 0x80 && ScalarTable.isDictionaryLetter(s[j])) {
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
        while j < end && CharClass.of(s[j]) == .emojiModifier { j += 1 }
        if c >= 0x1F1E6 && c <= 0x1F1FF && j < end && s[j] >= 0x1F1E6 && s[j] <= 0x1F1FF { j += 1 }  // flags
        emit(text: string(i, j), from: i, to: j, kind: .emoji, single: false)
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
    var work: [UInt32] = []
    swap(&work, &self.work)
    defer { swap(&work, &self.work) }
    work.removeAll(keepingCapacity: true)
    // Closing punctuation after a spelt-out word ("p.h.o.t.o!!", "q.u.e.s.t.i.o.n,") is not part of it.
    var spelledEnd = end
    while spelledEnd > start + 1, s[spelledEnd - 1] == 0x21 || s[spelledEnd - 1] == 0x2C { spelledEnd -= 1 }
    // Spelt out with one kind of separator: x.x.x (three or more single characters).
    if spelledEnd - start >= 5 && ReferenceTokenizer.isSpellSeparator(s[start + 1]), let joined = spelledOut(start, spelledEnd) {
      for k in joined { work.append(s[k]) }
      tokens.append(repaired(work, start: folded.start(joined[0]), end: folded.end(joined[joined.count - 1])))
      singles.append(false)
      return
    }
    let wholeChunk = (start == 0 || CharClass.of(s[start - 1]) == .space)
      && (end == s.count || CharClass.of(s[end]) == .space)
    // One letter alone in its chunk, perhaps with closing punctuation ("c l a s s."), may be part of
    // a word spelt out with spaces.
    let singleChunk = wholeChunk && (end - start == 1 || (end - start == 2 && (s[end - 1] == 0x2E || s[end - 1] == 0x2C)))
    // Otherwise split at separators. Apostrophes inside words are dropped ("don't" -> "dont"), except
    // after a French or Italian elided article or pronoun ("t'habites" -> "t habites", "l'amico").
    var first = -1
    var last = -1
    var k = start
    while k <= end {
      if k == end || ReferenceTokenizer.isSpellSeparator(s[k]) {
        if first >= 0 { emitPiece(work, first: first, last: last, single: singleChunk) }
        first = -1
        work.removeAll(keepingCapacity: true)
      } else if ReferenceTokenizer.isApostrophe(s[k]) {
        if first >= 0 && k + 1 < end && CharClass.of(s[k + 1]) == .letter && ReferenceTokenizer.isElision(work) {
          emitPiece(work, first: first, last: last, single: false)
          first = -1
          work.removeAll(keepingCapacity: true)
        }
      } else {
        if first < 0 { first = k }
        work.append(s[k])
        last = k
      }
      k += 1
    }
  }

  /// French and Italian words that elide before a vowel ("l'", "qu'", "dell'"); English contractions
  /// ("don't", "I'm") keep their letters together.
  static func isElision(_ piece: [UInt32]) -> Bool {
    if piece.count == 1 {
      switch piece[0] {
      case 0x6C, 0x74, 0x6A, 0x64, 0x6E, 0x73, 0x6D, 0x63: return true  // l t j d n s m c
      default: return false
      }
    }
    guard piece.count <= 6, piece.allSatisfy({ $0 < 0x80 }) else { return false }
    return ReferenceTokenizer.elisions.contains(ReferenceTokenizer.asciiString(piece))
  }

  static let elisions: Set<String> = [
    "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "all", "dall", "dell", "nell", "sull", "coll", "un", "quell",
    "quest", "anch", "tutt", "po",
  ]

  /// Trims leet symbols that are punctuation at a piece's edges ("hi!!!"), keeping a leading "$" or
  /// "|" before a letter ("$ecret") and a trailing "@" or "$" after two letters ("inst@"), then
  /// repairs and emits it. `first`/`last` are the folded indices of its first and last characters.
  mutating func emitPiece(_ piece: [UInt32], first: Int, last: Int, single: Bool) {
    var a = 0
    var b = piece.count
    // Edge symbols that read as letters of a known word stay ("!t" is "it", "$3nd" is "send", "boy$" is "boys").
    if (Leet.isSymbol(piece[0]) || Leet.isSymbol(piece[b - 1])) && b <= ReferenceTokenizer.maximumGuidedLength && b >= 2
      && piece.contains(where: { CharClass.of($0) == .letter || ($0 >= 0x30 && $0 <= 0x39) })
      && lexicon.contains(deLeet(piece))
    {
      emitTrimmed(piece, a: 0, b: b, first: first, last: last, single: single)
      return
    }
    while b > a, Leet.isSymbol(piece[b - 1]) {
      let c = piece[b - 1]
      if (c == 0x40 || c == 0x24) && b - a >= 3 && CharClass.of(piece[b - 2]) == .letter
        && CharClass.of(piece[b - 3]) == .letter
      {
        break
      }
      b -= 1
    }
    while a < b, Leet.isSymbol(piece[a]) {
      let c = piece[a]
      if (c == 0x24 || c == 0x7C) && a + 1 < b && CharClass.of(piece[a + 1]) == .letter { break }
      a += 1
    }
    guard a < b else {
      noteLeetChunk(piece, first: first, last: last, token: nil)
      return
    }
    emitTrimmed(piece, a: a, b: b, first: first, last: last, single: single)
  }

  mutating func emitTrimmed(_ piece: [UInt32], a: Int, b: Int, first: Int, last: Int, single: Bool) {
    var onlyMarks = true
    for i in a..<b where CharClass.of(piece[i]) != .mark {
      onlyMarks = false
      break
    }
    if onlyMarks { return }
    let startByte = folded.start(locate(from: first, skip: a))
    let endByte = folded.end(locateBack(from: last, skip: piece.count - b))
    let kept = (a == 0 && b == piece.count) ? piece : Array(piece[a..<b])
    let token = repaired(kept, start: startByte, end: endByte)
    tokens.append(token)
    singles.append(single && b - a == 1)
    if token.kind == .number {
      // "$50", "10!" and "50€" are amounts and exclamations, not words.
      if a == 0 && b == piece.count { noteLeetChunk(piece, first: first, last: last, token: token) }
      if let ordinal = ReferenceTokenizer.leetOrdinal(kept) {
        leetChunks.append((tokens.count - 1, false, Token(text: ordinal, start: token.start, end: token.end, kind: .number)))
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
      if !ReferenceTokenizer.isApostrophe(s[k]) { left -= 1 }
    }
    return k
  }

  mutating func locateBack(from: Int, skip: Int) -> Int {
    cost += skip
    var k = from
    var left = skip
    while left > 0 {
      k -= 1
      if !ReferenceTokenizer.isApostrophe(s[k]) { left -= 1 }
    }
    return k
  }

  /// "s.e.c.r.e.t" -> the indices of s, e, c, r, e, t.
  func spelledOut(_ start: Int, _ end: Int) -> [Int]? {
    guard end - start >= 5 else { return nil }
    var indices: [Int] = []
    var separator: UInt32? = nil
    var k = start
    while k < end {
      let c = s[k]
      let cls = CharClass.of(c)
      guard cls == .letter || cls == .digit || Leet.isSymbol(c) else { return nil }
      indices.append(k)
      k += 1
      while k < end && CharClass.of(s[k]) == .mark { k += 1 }
      if k == end { break }
      let sep = s[k]
      guard ReferenceTokenizer.isSpellSeparator(sep) else { return nil }
      if let separator, separator != sep { return nil }
      separator = sep
      k += 1
      if k == end { break }  // trailing separator ("s.e.c.r.e.t.")
    }
    guard indices.count >= 3, indices.contains(where: { CharClass.of(s[$0]) == .letter }) else { return nil }
    return indices
  }

  // MARK: Repairs

  /// Units that make "5pm", "13yo", "2nd" numbers in ordinary use rather than leetspeak.
  static let numberSuffixes: Set<String> = [
    "am", "pm", "yo", "y", "yr", "yrs", "yro", "st", "nd", "rd", "th", "k", "m", "min", "mins", "h", "hr",
    "hrs", "s", "x", "d", "g", "gb", "mb", "kb", "kg", "km", "cm", "mm", "ft", "lbs", "lb", "mph", "kph",
    "p", "fps", "v", "w", "ml", "l", "e", "er", "eme", "o", "a", "ans", "jahre", "anni", "anos", "j",
    "ieme", "ème", "de", "hs",
  ]

  /// Repairs a word (its folded scalars) into a token with the given original byte span.
  mutating func repaired(_ input: [UInt32], start: Int, end: Int) -> Token {
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
        let cls = CharClass.of(c)
        if cls == .letter {
          letters += 1
          if c >= 0x0370 && c <= 0x052F {
            if Confusables.latin(for: c) != nil { lookAlikes += 1 } else { unmappable += 1 }
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
      return Token(text: ReferenceTokenizer.asciiString(input), start: start, end: end, kind: .word)
    }
    var scalars = input
    // Look-alike letters from Cyrillic or Greek inside Latin text.
    if lookAlikes > 0 && (latin > 0 || (unmappable == 0 && computeLatinDominance())) {
      for k in scalars.indices {
        if let l = Confusables.latin(for: scalars[k]) { scalars[k] = UInt32(l) }
      }
    }
    if letters == 0 && symbols == 0 {
      return Token(text: ReferenceTokenizer.utf8String(scalars), start: start, end: end, kind: .number)
    }
    if digits > 0 && symbols == 0, isNumberWithUnit(scalars) {
      // "1s" and "70p" may be leetspeak for "is" and "top": a known word wins over a unit.
      if scalars.count > ReferenceTokenizer.maximumGuidedLength || !lexicon.contains(deLeet(scalars)) {
        return Token(text: ReferenceTokenizer.utf8String(scalars), start: start, end: end, kind: .number)
      }
    }
    // Lexicon-guided readings try up to 16 variants of up to 16 stretch choices each; no real word is
    // longer than this, and skipping them keeps cost linear with a small constant.
    let guided = scalars.count <= ReferenceTokenizer.maximumGuidedLength
    cost += guided ? 256 * scalars.count : 2 * scalars.count
    let plain = ReferenceTokenizer.utf8String(scalars)
    if let expansion = ReferenceTokenizer.textspeakTable.value(for: plain) {
      return Token(text: ReferenceTokenizer.textspeakExpansions[Int(expansion)], start: start, end: end, kind: .word)
    }
    var text = plain
    if (digits > 0 || symbols > 0) && !lexicon.contains(plain) {
      text = deLeet(scalars, guided: guided)
      leetRead = letters > 0
    }
    if !lexicon.contains(text) { text = unstretch(text, guided: guided) }
    return Token(text: text, start: start, end: end, kind: .word)
  }

  // MARK: Leetspeak in context

  /// Records the word just emitted when it was written in leetspeak ("c4n", "n33d5", "t0"): evidence
  /// that digit chunks beside it are leetspeak too. Product names ("ps5", "gta5") are not evidence:
  /// their reading is no known word and no digit stands between letters.
  mutating func noteLeetWord(_ piece: [UInt32], _ token: Token) {
    guard leetRead else { return }
    if lexicon.contains(token.text) {
      leetWords.append(tokens.count - 1)
      return
    }
    var letterSeen = false
    var leetAfterLetter = false
    for c in piece {
      if CharClass.of(c) == .letter {
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
  mutating func noteLeetChunk(_ piece: [UInt32], first: Int, last: Int, token: Token?) {
    guard piece.count <= 4, !lexicon.isEmpty else { return }
    for c in piece where !(c >= 0x30 && c <= 0x39) && !Leet.isSymbol(c) { return }
    // Alone between spaces, perhaps with closing punctuation: "70", "4?", but not "5:30", "4.5", "50%".
    guard first == 0 || CharClass.of(s[first - 1]) == .space else { return }
    var k = last + 1
    while k < s.count && ReferenceTokenizer.isClosing(s[k]) { k += 1 }
    guard k == s.count || CharClass.of(s[k]) == .space else { return }
    // Numbers from 10 to 19 are ages and stay numbers ("1m 15" is "im 15", not "im is").
    if token != nil && piece.count == 2 && piece[0] == 0x31 { return }
    let reading = deLeet(piece, guided: false)
    // A consonant alone is no word ("at 5" is not "at s"); a vowel may be ("i", "a", "o", "e").
    if piece.count == 1 && !(reading == "i" || reading == "a" || reading == "o" || reading == "e") { return }
    guard lexicon.contains(reading) else { return }
    if let token {
      leetChunks.append((tokens.count - 1, false, Token(text: reading, start: token.start, end: token.end, kind: .word)))
    } else {
      leetChunks.append((tokens.count, true, Token(text: reading, start: folded.start(first), end: folded.end(last), kind: .word)))
    }
  }

  /// "67h" read as the ordinal "6th" with its t written 7 (the grade of "ur in 67h grade"), when the
  /// digits before the 7 take "th" ("17h", five o'clock in French, is no "1th").
  static func leetOrdinal(_ piece: [UInt32]) -> String? {
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
    return ReferenceTokenizer.asciiString(Array(piece[..<(n - 2)])) + "th"
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
      if next < tokens.count && ReferenceTokenizer.countNouns.contains(tokens[next].text) { continue }
      if isLeetWord(previous) || isLeetWord(next) || leetWords.count >= 2 { accepted.append(chunk) }
    }
    guard !accepted.isEmpty else { return }
    if !accepted.contains(where: { $0.inserted }) {
      for chunk in accepted { tokens[chunk.index] = chunk.token }
      return
    }
    var outTokens: [Token] = []
    var outSingles: [Bool] = []
    outTokens.reserveCapacity(tokens.count + accepted.count)
    outSingles.reserveCapacity(tokens.count + accepted.count)
    var position = 0
    for chunk in accepted {
      while position < chunk.index {
        outTokens.append(tokens[position])
        outSingles.append(singles[position])
        position += 1
      }
      outTokens.append(chunk.token)
      outSingles.append(false)
      if !chunk.inserted { position += 1 }
    }
    while position < tokens.count {
      outTokens.append(tokens[position])
      outSingles.append(singles[position])
      position += 1
    }
    tokens = outTokens
    singles = outSingles
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
  func isLeetWord(_ index: Int) -> Bool {
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
  static let textspeakTable = ReferenceTable(textspeak.keys.sorted().enumerated().map { (key: $0.element, value: Int32($0.offset)) })
  static let textspeakExpansions: [String] = textspeak.keys.sorted().map { textspeak[$0] ?? $0 }

  func isNumberWithUnit(_ scalars: [UInt32]) -> Bool {
    var k = 0
    while k < scalars.count && scalars[k] >= 0x30 && scalars[k] <= 0x39 { k += 1 }
    guard k > 0 else { return false }
    let rest = scalars[k...]
    guard rest.allSatisfy({ CharClass.of($0) == .letter }) else { return false }
    return ReferenceTokenizer.numberSuffixes.contains(ReferenceTokenizer.utf8String(Array(rest)))
  }

  /// Undoes leetspeak; with ambiguous symbols, prefers a reading the lexicon knows.
  static let maximumGuidedLength = 48

  func deLeet(_ scalars: [UInt32], guided: Bool = true) -> String {
    var base: [UInt8] = []
    var ambiguous: [(Int, UInt8)] = []
    var nonASCII = false
    for c in scalars {
      if let (first, second) = Leet.readings(c) {
        if let second, ambiguous.count < 4 { ambiguous.append((base.count, second)) }
        base.append(first)
      } else if c < 0x80 {
        base.append(UInt8(c))
      } else {
        nonASCII = true
        break
      }
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
    let first = String(decoding: base, as: UTF8.self)
    if !guided || ambiguous.isEmpty || lexicon.contains(unstretch(first)) { return first }
    for mask in 1..<(1 << ambiguous.count) {
      var candidate = base
      for (bit, (position, letter)) in ambiguous.enumerated() where mask & (1 << bit) != 0 {
        candidate[position] = letter
      }
      let word = String(decoding: candidate, as: UTF8.self)
      if lexicon.contains(word) || lexicon.contains(unstretch(word)) { return word }
    }
    return first
  }

  /// Collapses letters repeated three or more times ("pleeease" -> "please"), choosing between one
  /// and two letters with the lexicon ("cooool" -> "cool") and one when the lexicon does not know.
  func unstretch(_ word: String, guided: Bool = true) -> String {
    // Most words have no letter three times in a row: say so without copying anything.
    var previous: Unicode.Scalar? = nil
    var repeats = 0
    var stretched = false
    for u in word.unicodeScalars {
      if u == previous {
        repeats += 1
        if repeats >= 3 {
          stretched = true
          break
        }
      } else {
        previous = u
        repeats = 1
      }
    }
    if !stretched { return word }
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

  /// Thai, Chinese, Japanese... segmented into words by ICU's dictionary-based word break iterator.
  mutating func dictionaryRun(_ start: Int, _ end: Int) {
    cost += 4 * (end - start)
    var utf16: [UInt16] = []
    var scalarAt: [Int] = []  // UTF-16 offset -> folded index
    utf16.reserveCapacity(end - start)
    for k in start..<end {
      let before = utf16.count
      ReferenceFolding.appendUTF16(s[k], to: &utf16)
      for _ in before..<utf16.count { scalarAt.append(k) }
    }
    scalarAt.append(end)
    var spans = [Int32](repeating: 0, count: 2 * max(1, utf16.count))
    let count = utf16.withUnsafeBufferPointer { src in
      spans.withUnsafeMutableBufferPointer { dst in
        csicu_words(src.baseAddress, Int32(src.count), dst.baseAddress, Int32(dst.count / 2))
      }
    }
    if count <= 0 || Int(count) * 2 > spans.count {
      emit(text: string(start, end), from: start, to: end, kind: .word, single: false)
      return
    }
    for w in 0..<Int(count) {
      let a = scalarAt[Int(spans[2 * w])]
      let b = scalarAt[Int(spans[2 * w + 1])]
      if a < b { emit(text: string(a, b), from: a, to: b, kind: .word, single: false) }
    }
  }

  /// Rejoins words spelt out with spaces ("s e c r e t") when the result is a known word or the run
  /// is too long to be ordinary single-letter chat ("u r a").
  static let standaloneLetters: Set<String> = ["a", "i", "u", "r", "y", "k", "n", "b", "c", "o", "e", "x", "2", "4"]

  /// Rejoins words spelt out with spaces ("s e c r e t") when the result is a known word or the run
  /// is too long to be ordinary single-letter chat ("u r a").
  mutating func joinSpacedLetters() {
    guard tokens.count >= 3 else { return }
    // Only rebuild the token list when three single-letter chunks stand in a row.
    var inRow = 0
    var found = false
    for single in singles {
      inRow = single ? inRow + 1 : 0
      if inRow >= 3 {
        found = true
        break
      }
    }
    guard found else { return }
    cost += 4 * tokens.count
    // Segmenting a run tries up to 16 word lengths at each of at most 64 letters.
    cost += 16 * singles.count
    var out: [Token] = []
    out.reserveCapacity(tokens.count)
    var i = 0
    while i < tokens.count {
      var j = i
      while j < tokens.count && singles[j] && (tokens[j].kind == .word || tokens[j].kind == .number)
        && tokens[j].text.unicodeScalars.count == 1
      {
        j += 1
      }
      // "r u" opening a run is chat's "are you", not a spelt-out word.
      if j - i >= 3 && tokens[i].text == "r" && tokens[i + 1].text == "u" {
        out.append(tokens[i])
        out.append(tokens[i + 1])
        i += 2
        continue
      }
      if j - i >= 3 {
        let run = tokens[i..<j]
        let letterCount = run.filter { $0.kind == .word }.count
        var scalars: [UInt32] = []
        for t in run { scalars.append(contentsOf: t.text.unicodeScalars.map(\.value)) }
        let raw = ReferenceTokenizer.utf8String(scalars)
        let repaired = unstretch(run.contains { $0.kind == .number } ? deLeet(scalars) : raw)
        let common = run.filter { ReferenceTokenizer.standaloneLetters.contains($0.text) }.count
        if letterCount * 2 > run.count && lexicon.contains(repaired) {
          out.append(Token(text: repaired, start: run[i].start, end: run[j - 1].end, kind: .word))
          i = j
          continue
        }
        // Several words spelt out in a row ("d o n t t e l l"): split where the vocabulary says.
        if letterCount * 2 > run.count, !lexicon.isEmpty, let pieces = segmented(Array(repaired.unicodeScalars)),
          pieces.count > 1, pieces.count < run.count, repaired.unicodeScalars.count == run.count
        {
          for piece in pieces {
            let text = String(String.UnicodeScalarView(Array(repaired.unicodeScalars)[piece]))
            out.append(Token(text: text, start: run[i + piece.lowerBound].start, end: run[i + piece.upperBound - 1].end, kind: .word))
          }
          i = j
          continue
        }
        if letterCount * 2 > run.count && run.count >= 5 && common * 2 < run.count {
          out.append(Token(text: repaired, start: run[i].start, end: run[j - 1].end, kind: .word))
          i = j
          continue
        }
      }
      if j == i { j = i + 1 }
      out.append(contentsOf: tokens[i..<j])
      i = j
    }
    tokens = out
  }

  /// Splits letters into known words (fewest words wins), or nil when they cannot all be covered.
  /// Dynamic programming over at most 64 letters and words of at most 16: linear with a small constant.
  func segmented(_ letters: [Unicode.Scalar]) -> [Range<Int>]? {
    let n = letters.count
    guard n >= 2 && n <= 64 else { return nil }
    var best = [Int](repeating: Int.max, count: n + 1)
    var from = [Int](repeating: -1, count: n + 1)
    best[0] = 0
    for end in 1...n {
      for start in max(0, end - 16)..<end where best[start] != Int.max {
        let word = String(String.UnicodeScalarView(letters[start..<end]))
        // Single letters count only when they are chat words on their own ("u", "r", "a", "i").
        if end - start == 1 && !ReferenceTokenizer.standaloneLetters.contains(word) { continue }
        guard lexicon.contains(word) || (end - start == 1) else { continue }
        if best[start] + 1 < best[end] {
          best[end] = best[start] + 1
          from[end] = start
        }
      }
    }
    guard best[n] != Int.max else { return nil }
    var pieces: [Range<Int>] = []
    var end = n
    while end > 0 {
      pieces.append(from[end]..<end)
      end = from[end]
    }
    return pieces.reversed()
  }

  // MARK: Output

  mutating func emit(text: String, from a: Int, to b: Int, kind: Token.Kind, single: Bool) {
    tokens.append(
      Token(text: text, start: folded.start(a), end: folded.end(b - 1), kind: kind))
    singles.append(single)
  }

  func string(_ a: Int, _ b: Int) -> String {
    ReferenceTokenizer.utf8String(Array(s[a..<b]))
  }

  func asciiString(_ a: Int, _ b: Int) -> String { string(a, b) }

  /// A String from scalars known to be ASCII.
  static func asciiString(_ scalars: [UInt32]) -> String {
    String(unsafeUninitializedCapacity: scalars.count) { buffer in
      for (i, c) in scalars.enumerated() { buffer[i] = UInt8(truncatingIfNeeded: c) }
      return scalars.count
    }
  }

  static func utf8String(_ scalars: [UInt32]) -> String {
    var allASCII = true
    for c in scalars where c >= 0x80 {
      allASCII = false
      break
    }
    if allASCII { return asciiString(scalars) }
    // Encode straight into the string's storage (appending scalar by scalar costs a call and a
    // capacity check each). Values that are not scalars (never produced by folding) are skipped.
    var byteCount = 0
    for c in scalars where Unicode.Scalar(c) != nil { byteCount += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4 }
    return String(unsafeUninitializedCapacity: byteCount) { buffer in
      var k = 0
      for c in scalars where Unicode.Scalar(c) != nil {
        if c < 0x80 {
          buffer[k] = UInt8(c)
          k += 1
        } else if c < 0x800 {
          buffer[k] = UInt8(0xC0 | c >> 6)
          buffer[k + 1] = UInt8(0x80 | c & 0x3F)
          k += 2
        } else if c < 0x10000 {
          buffer[k] = UInt8(0xE0 | c >> 12)
          buffer[k + 1] = UInt8(0x80 | (c >> 6) & 0x3F)
          buffer[k + 2] = UInt8(0x80 | c & 0x3F)
          k += 3
        } else {
          buffer[k] = UInt8(0xF0 | c >> 18)
          buffer[k + 1] = UInt8(0x80 | (c >> 12) & 0x3F)
          buffer[k + 2] = UInt8(0x80 | (c >> 6) & 0x3F)
          buffer[k + 3] = UInt8(0x80 | c & 0x3F)
          k += 4
        }
      }
      return k
    }
  }
}
