import CChildSafeICU

/// Turns UTF-8 text into the token stream that rules match against, undoing the usual tricks
/// used to slip past filters, and maps every token back to its byte span in the original text.
///
/// Stages, each linear in the input:
/// 1. **Fold** each normalisation segment with ICU's NFKC_Casefold (fullwidth, mathematical
///    letters, ligatures, case, default-ignorable code points) and strip nonspacing marks from
///    Latin, Greek and Cyrillic letters (é → e, zalgo junk).
/// 2. **Tokenise**: whitespace-separated chunks; URLs, e-mail addresses and handles kept whole;
///    words split at punctuation; Thai, Chinese, Japanese... segmented by ICU's word break
///    iterator; emoji kept as tokens.
/// 3. **Repair** words: look-alike letters from other scripts mapped onto Latin inside otherwise
///    Latin text (UTS #39 skeletons), leetspeak undone except in numbers in ordinary use,
///    stretched letters collapsed, words spelt out with separators rejoined.
///
/// A `Normalizer` is an immutable value: share it across threads.
public struct Normalizer: Sendable {
  /// The default largest input, in UTF-8 bytes. Larger inputs are rejected with `inputTooLarge`.
  public static let defaultMaximumInputBytes = 1 << 20

  public var maximumInputBytes: Int
  /// Vocabulary that guides ambiguous repairs (see ``Lexicon``).
  public var lexicon: Lexicon

  public init(lexicon: Lexicon = .everyday, maximumInputBytes: Int = Normalizer.defaultMaximumInputBytes) {
    self.lexicon = lexicon
    self.maximumInputBytes = maximumInputBytes
  }

  /// Normalises a Swift string (always valid Unicode).
  public func normalize(_ text: String) throws(ChildSafeError) -> NormalizedText {
    try withTokens(text) { NormalizedText(tokens: $0.materialized) }
  }

  /// Normalises UTF-8 bytes. Invalid UTF-8 is rejected with `invalidUTF8` and the offset of the
  /// first bad byte.
  public func normalize(utf8 bytes: UnsafeBufferPointer<UInt8>) throws(ChildSafeError) -> NormalizedText {
    try withTokens(utf8: bytes) { NormalizedText(tokens: $0.materialized) }
  }

  /// Calls `body` with the tokens of `text`, borrowed: no String or array is made per token.
  /// Inlined, so that `body` is too: a closure that is not copies what it captures (the caller's
  /// message context, say) at every call.
  @inline(__always)
  func withTokens<R>(_ text: String, _ body: (TokenView) -> R) throws(ChildSafeError) -> R {
    try withTokens(text, segmentingDictionaryRuns: true, body)
  }

  @inline(__always)
  func withTokens<R>(_ text: String, segmentingDictionaryRuns: Bool, _ body: (TokenView) -> R) throws(ChildSafeError) -> R {
    var copy = text
    let result = copy.withUTF8 { buffer in
      Result { () throws(ChildSafeError) in
        try withTokens(utf8: buffer, segmentingDictionaryRuns: segmentingDictionaryRuns, body)
      }
    }
    return try result.get()
  }

  /// ``withTokens(_:_:)`` for UTF-8 bytes (invalid UTF-8 is an `invalidUTF8` error).
  @inline(__always)
  func withTokens<R>(utf8 bytes: UnsafeBufferPointer<UInt8>, _ body: (TokenView) -> R) throws(ChildSafeError) -> R {
    try withTokens(utf8: bytes, segmentingDictionaryRuns: true, body)
  }

  /// ``withTokens(utf8:_:)``, leaving each run of a dictionary script whole when
  /// `segmentingDictionaryRuns` is false and the text has no ASCII letter (see
  /// ``TokenList/segmentsDictionaryRuns``). A text with Latin words next to Chinese or Japanese
  /// is likely to wake a pattern, and then it would have to be tokenised twice.
  @inline(__always)
  func withTokens<R>(
    utf8 bytes: UnsafeBufferPointer<UInt8>, segmentingDictionaryRuns: Bool, _ body: (TokenView) -> R
  ) throws(ChildSafeError) -> R {
    if bytes.count > maximumInputBytes {
      throw ChildSafeError(
        .inputTooLarge, "text is \(bytes.count) bytes; the limit is \(maximumInputBytes) bytes")
    }
    // One pass finds the first non-ASCII byte; only text from there on needs full validation.
    let firstNonASCII = UTF8Validation.firstNonASCIIOffset(bytes)
    if firstNonASCII < bytes.count, let bad = UTF8Validation.firstInvalidOffset(bytes, from: firstNonASCII) {
      throw ChildSafeError(.invalidUTF8, "text is not valid UTF-8 (bad byte at offset \(bad))")
    }
    return withTokens(validated: bytes, ascii: firstNonASCII == bytes.count, segmentingDictionaryRuns: segmentingDictionaryRuns) {
      tokens, _ in body(tokens)
    }
  }

  /// Whether the text has an ASCII letter (stops at the first).
  @inline(__always)
  static func hasASCIILetter(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    for b in bytes where (b | 0x20) &- 0x61 < 26 { return true }
    return false
  }

  /// Normalises valid UTF-8 and reports the work done (scalar visits), for tests of linear cost.
  func normalizeCounting(_ bytes: UnsafeBufferPointer<UInt8>) -> (text: NormalizedText, cost: Int) {
    withTokens(validated: bytes, ascii: UTF8Validation.firstNonASCIIOffset(bytes) == bytes.count) { tokens, cost in
      (NormalizedText(tokens: tokens.materialized), cost)
    }
  }

  /// Calls `body` with the tokens of valid UTF-8 and the work done. The token list is taken from
  /// scratch memory before the folded text and the tokenizer's working memory, which are given
  /// back before `body` runs (scratch memory is a stack).
  @inline(__always)
  func withTokens<R>(
    validated bytes: UnsafeBufferPointer<UInt8>, ascii: Bool, segmentingDictionaryRuns: Bool = true,
    _ body: (TokenView, Int) -> R
  ) -> R {
    let n = bytes.count
    // One request for the tokens and their text arena: `withScratch` is inlined with `body` in
    // each of its three branches, so every nested request would multiply the copies of `body`.
    let tokenCapacity = TokenList.tokenCapacity(for: n)
    let textCapacity = TokenList.textCapacity(for: n)
    #if CHILDSAFE_SCRATCH_HEAP
    // Address-sanitizer and fuzz builds: two allocations, so that an overrun from the token list
    // into the text (or back) is caught.
    return withScratch(of: RawToken.self, capacity: tokenCapacity) { list in
      withScratch(of: UInt8.self, capacity: textCapacity) { text in
        var tokens = TokenList(tokens: list, text: text)
        defer { tokens.deallocate() }
        tokens.segmentsDictionaryRuns = segmentingDictionaryRuns || (!ascii && Normalizer.hasASCIILetter(bytes))
        let cost = tokenize(bytes, ascii: ascii, into: &tokens)
        return body(tokens.view, cost)
      }
    }
    #else
    let textRecords = (textCapacity + MemoryLayout<RawToken>.stride - 1) / MemoryLayout<RawToken>.stride
    return withScratch(of: RawToken.self, capacity: tokenCapacity + textRecords) { memory in
      let text = UnsafeMutableRawPointer(memory.baseAddress! + tokenCapacity).bindMemory(to: UInt8.self, capacity: textCapacity)
      var tokens = TokenList(
        tokens: UnsafeMutableBufferPointer(rebasing: memory[0..<tokenCapacity]),
        text: UnsafeMutableBufferPointer(start: text, count: textCapacity))
      defer { tokens.deallocate() }
      tokens.segmentsDictionaryRuns = segmentingDictionaryRuns || (!ascii && Normalizer.hasASCIILetter(bytes))
      let cost = tokenize(bytes, ascii: ascii, into: &tokens)
      return body(tokens.view, cost)
    }
    #endif
  }

  /// Folds and tokenises valid UTF-8 into `tokens`; returns the work done. Never inlined: the
  /// entry points above are, and each would otherwise carry a copy of the whole tokenizer.
  @inline(never)
  func tokenize(_ bytes: UnsafeBufferPointer<UInt8>, ascii: Bool, into tokens: inout TokenList) -> Int {
    let n = bytes.count
    if ascii {
      // Plain ASCII folds to itself lowercased, scalar i from byte i: no span arrays, and the
      // scalars live on the stack for ordinary messages.
      return withScratch(of: UInt32.self, capacity: n) { scalars in
        for i in 0..<n {
          let b = bytes[i]
          scalars[i] = UInt32((b >= 0x41 && b <= 0x5A) ? b | 0x20 : b)
        }
        let cost = Tokenizer.run(
          scalars: UnsafeBufferPointer(scalars), identity: true, starts: UnsafeBufferPointer(start: nil, count: 0),
          ends: UnsafeBufferPointer(start: nil, count: 0), lexicon: lexicon, into: &tokens)
        return n + n + cost
      }
    }
    // Folding rarely lengthens text: start in scratch memory, move to the heap only if it does.
    return withScratch(of: UInt32.self, capacity: 3 * FoldedText.capacity(for: n)) { initial in
      var folded = FoldedText(initial: initial)
      defer { folded.deallocate() }
      Folding.fold(bytes, into: &folded)
      let count = folded.count
      let cost = Tokenizer.run(
        scalars: UnsafeBufferPointer(start: folded.scalars, count: count), identity: folded.identity,
        starts: UnsafeBufferPointer(start: folded.starts, count: count),
        ends: UnsafeBufferPointer(start: folded.ends, count: count), lexicon: lexicon, into: &tokens)
      return n + count + cost
    }
  }
}

/// Checks UTF-8 well-formedness without allocating (overlongs, surrogates and > U+10FFFF rejected).
public enum UTF8Validation {
  /// The byte offset of the first invalid sequence, or nil when the buffer is valid UTF-8.
  public static func firstInvalidOffset(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    firstInvalidOffset(bytes, from: 0)
  }

  /// The offset of the first byte >= 0x80, or the count when all bytes are ASCII (which is valid
  /// UTF-8). Eight bytes at a time.
  static func firstNonASCIIOffset(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    let n = bytes.count
    guard let base = bytes.baseAddress else { return 0 }
    var i = 0
    let raw = UnsafeRawPointer(base)
    while i + 8 <= n {
      if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { break }
      i += 8
    }
    while i < n && bytes[i] < 0x80 { i += 1 }
    return i
  }

  /// ``firstInvalidOffset(_:)`` for bytes[start...] (start on a sequence boundary). One branch per
  /// sequence length, the commonest (two-byte Latin, Greek, Cyrillic; three-byte CJK) first.
  static func firstInvalidOffset(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
    guard let p = bytes.baseAddress else { return nil }
    let n = bytes.count
    var i = start
    while i < n {
      let b0 = p[i]
      if b0 < 0x80 {
        i += 1
        continue
      }
      if b0 < 0xE0 {
        // C2...DF, then one continuation byte (80 and C0, C1 start no sequence or an overlong one).
        guard b0 >= 0xC2, i + 1 < n, p[i + 1] & 0xC0 == 0x80 else { return i }
        i += 2
        continue
      }
      if b0 < 0xF0 {
        // E0 A0...BF (no overlongs), ED 80...9F (no surrogates), others 80...BF; then a continuation.
        guard i + 2 < n else { return i }
        let b1 = p[i + 1]
        let low: UInt8 = b0 == 0xE0 ? 0xA0 : 0x80
        let high: UInt8 = b0 == 0xED ? 0x9F : 0xBF
        guard b1 >= low, b1 <= high, p[i + 2] & 0xC0 == 0x80 else { return i }
        i += 3
        continue
      }
      // F0 90...BF (no overlongs), F4 80...8F (nothing above U+10FFFF), F1...F3 80...BF; F5... none.
      guard b0 <= 0xF4, i + 3 < n else { return i }
      let b1 = p[i + 1]
      let low: UInt8 = b0 == 0xF0 ? 0x90 : 0x80
      let high: UInt8 = b0 == 0xF4 ? 0x8F : 0xBF
      guard b1 >= low, b1 <= high, p[i + 2] & 0xC0 == 0x80, p[i + 3] & 0xC0 == 0x80 else { return i }
      i += 4
    }
    return nil
  }

  public static func isValid(_ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBufferPointer { firstInvalidOffset($0) == nil }
  }
}

/// Folded code points, each with the byte span of the original segment that produced it.
///
/// While the text is plain ASCII, scalar i comes from byte i, so spans are not stored; they are
/// filled in only once a segment changes length. The storage is one manually managed block (the
/// folding loop writes each scalar with no uniqueness or capacity check), borrowed scratch memory at
/// first and a heap block once it grows: call `deallocate()`.
struct FoldedText {
  private(set) var scalars: UnsafeMutablePointer<UInt32>
  private(set) var starts: UnsafeMutablePointer<UInt32>
  private(set) var ends: UnsafeMutablePointer<UInt32>
  private(set) var count = 0
  private(set) var capacity: Int
  /// True while scalar i is byte i of the input (no span arrays needed).
  private(set) var identity = true

  /// Whether the block is this value's own heap allocation (not the caller's scratch).
  private var ownsStorage = false

  /// The capacity to start with for `byteCount` input bytes.
  static func capacity(for byteCount: Int) -> Int { max(16, byteCount) }

  /// Starts in `initial` (borrowed; three lists of `initial.count / 3` scalars).
  init(initial: UnsafeMutableBufferPointer<UInt32>) {
    capacity = initial.count / 3
    let block = initial.baseAddress!
    scalars = block
    starts = block + capacity
    ends = block + 2 * capacity
  }

  func deallocate() { if ownsStorage { scalars.deallocate() } }

  /// Makes room for `extra` more scalars.
  @inline(__always)
  mutating func reserve(_ extra: Int) {
    if count + extra > capacity { grow(count + extra) }
  }

  mutating func grow(_ minimum: Int) {
    let newCapacity = max(2 * capacity, minimum)
    let block = UnsafeMutablePointer<UInt32>.allocate(capacity: 3 * newCapacity)
    block.update(from: scalars, count: count)
    (block + newCapacity).update(from: starts, count: count)
    (block + 2 * newCapacity).update(from: ends, count: count)
    if ownsStorage { scalars.deallocate() }
    ownsStorage = true
    scalars = block
    starts = block + newCapacity
    ends = block + 2 * newCapacity
    capacity = newCapacity
  }

  /// Appends bytes[from..<to] (ASCII), lowercased, each its own segment.
  mutating func appendASCII(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int) {
    let n = to - from
    guard n > 0 else { return }
    // Identity holds only while no earlier segment folded to a different length (e.g. a leading
    // combining mark that folded to nothing), i.e. while scalar i is byte i.
    if identity && from != count { materialize() }
    reserve(n)
    // Simple loops over local pointers, which the compiler can vectorise.
    guard let source = bytes.baseAddress.map({ $0 + from }) else { return }
    let destination = scalars + count
    for k in 0..<n {
      let b = source[k]
      destination[k] = UInt32(b &- 0x41 < 26 ? b | 0x20 : b)
    }
    if !identity {
      let first = UInt32(truncatingIfNeeded: from)
      let spanStarts = starts + count
      let spanEnds = ends + count
      for k in 0..<n { spanStarts[k] = first &+ UInt32(truncatingIfNeeded: k) }
      for k in 0..<n { spanEnds[k] = first &+ UInt32(truncatingIfNeeded: k) &+ 1 }
    }
    count += n
  }

  /// Appends one scalar; room for it must be reserved.
  @inline(__always)
  mutating func append(_ scalar: UInt32, _ start: Int, _ end: Int) {
    if identity {
      if end == start + 1 && start == count {
        scalars[count] = scalar
        count += 1
        return
      }
      materialize()
    }
    scalars[count] = scalar
    starts[count] = UInt32(truncatingIfNeeded: start)
    ends[count] = UInt32(truncatingIfNeeded: end)
    count += 1
  }

  /// Leaves identity mode: stores the spans of the scalars so far.
  mutating func materialize() {
    identity = false
    for i in 0..<count {
      starts[i] = UInt32(truncatingIfNeeded: i)
      ends[i] = UInt32(truncatingIfNeeded: i + 1)
    }
  }
}

/// Folds of single scalars that appear most in chat, computed once through ICU so that the hot
/// path does not cross into ICU for every accented or Cyrillic letter, fullwidth form, zero-width
/// character or emoji: U+0080..U+052F (Latin-1, Latin Extended, Greek, Cyrillic), general
/// punctuation, halfwidth and fullwidth forms, the emoji blocks, and the identity for CJK
/// ideographs, kana and Hangul.
enum FoldTable {
  // At fixed addresses, fetched once per run into a ``FoldLookup`` (see ``ScalarTable``).
  nonisolated(unsafe) static let latin = ScalarTable.immortal(build(0x80, 0x530))
  nonisolated(unsafe) static let punctuation = ScalarTable.immortal(build(0x2000, 0x2070))
  nonisolated(unsafe) static let fullwidth = ScalarTable.immortal(build(0xFF00, 0xFFF0))
  nonisolated(unsafe) static let emoji = ScalarTable.immortal(build(0x1_F300, 0x1_FB00))
  /// ASCII characters as segments of their own (one that a non-ASCII scalar follows), so that
  /// they do not cross into ICU either.
  nonisolated(unsafe) static let ascii = ScalarTable.immortal(build(0, 0x80))

  /// Packed: bits 0-1 the count (0...3), then up to three 21-bit scalars; UInt64.max when the fold
  /// is longer than three scalars (left to ICU).
  static func build(_ first: UInt32, _ end: UInt32) -> [UInt64] {
    var table = [UInt64](repeating: UInt64.max, count: Int(end - first))
    var out = [UInt16](repeating: 0, count: 32)
    var src: [UInt16] = []
    for cp in first..<end {
      let script = csicu_script_class(cp)
      let strip: Int32 =
        (script == Int32(CSICU_SCRIPT_LATIN) || script == Int32(CSICU_SCRIPT_GREEK)
          || script == Int32(CSICU_SCRIPT_CYRILLIC) || script == Int32(CSICU_SCRIPT_COMMON)) ? 1 : 0
      src.removeAll(keepingCapacity: true)
      Folding.appendUTF16(cp, to: &src)
      let n = src.withUnsafeMutableBufferPointer { s in
        out.withUnsafeMutableBufferPointer { d in csicu_fold(s.baseAddress, Int32(s.count), strip, d.baseAddress, Int32(d.count)) }
      }
      guard n >= 0 && n <= out.count else { continue }
      // Decode the UTF-16 result; keep it when it is at most three well-formed scalars.
      var packed: UInt64 = 0
      var scalars: UInt64 = 0
      var k = 0
      var ok = true
      while k < Int(n) && ok {
        let unit = UInt32(out[k])
        var scalar = unit
        if unit >= 0xD800 && unit < 0xDC00 && k + 1 < Int(n) && out[k + 1] >= 0xDC00 && out[k + 1] < 0xE000 {
          scalar = 0x10000 + ((unit - 0xD800) << 10) + (UInt32(out[k + 1]) - 0xDC00)
          k += 2
        } else {
          if unit >= 0xD800 && unit < 0xE000 { ok = false }
          k += 1
        }
        if scalars == 3 { ok = false }
        packed |= UInt64(scalar) << (2 + 21 * scalars)
        scalars += 1
      }
      if ok { table[Int(cp - first)] = packed | scalars }
    }
    return table
  }

  @inline(__always)
  static func lookup(_ cp: UInt32) -> UInt64? {
    if cp < 0x80 { return nil }
    return FoldLookup.shared.lookup(cp)
  }
}

/// The fold tables fetched once (see ``FoldTable``).
struct FoldLookup {
  let latin: UnsafePointer<UInt64>
  let punctuation: UnsafePointer<UInt64>
  let fullwidth: UnsafePointer<UInt64>
  let emoji: UnsafePointer<UInt64>
  let ascii: UnsafePointer<UInt64>

  /// All of them behind one lazily initialised global.
  nonisolated(unsafe) static let shared = FoldLookup(
    latin: FoldTable.latin, punctuation: FoldTable.punctuation, fullwidth: FoldTable.fullwidth, emoji: FoldTable.emoji,
    ascii: FoldTable.ascii)

  /// The cached fold of `cp` (ASCII included), or nil when it must be asked of ICU.
  @inline(__always)
  func lookup(_ cp: UInt32) -> UInt64? {
    let v: UInt64
    if cp < 0x530 {
      v = cp < 0x80 ? ascii[Int(cp)] : latin[Int(cp - 0x80)]
    } else if cp >= 0x2000 && cp < 0x2070 {
      v = punctuation[Int(cp - 0x2000)]
    } else if cp >= 0xFF00 && cp < 0xFFF0 {
      v = fullwidth[Int(cp - 0xFF00)]
    } else if cp >= 0x1_F300 && cp < 0x1_FB00 {
      v = emoji[Int(cp - 0x1_F300)]
    } else if (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3041 && cp <= 0x3096) || (cp >= 0x30A1 && cp <= 0x30FA)
      || (cp >= 0xAC00 && cp <= 0xD7A3)
    {
      // Unified ideographs, hiragana, katakana and Hangul syllables fold to themselves.
      return UInt64(1) | UInt64(cp) << 2
    } else {
      return nil
    }
    return v == UInt64.max ? nil : v
  }
}

enum Folding {
  /// A segment longer than this (a letter drowned in combining marks) keeps only its first
  /// scalars; the rest are junk and are dropped, which keeps folding linear.
  static let maximumSegmentScalars = 12

  static func fold(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout FoldedText) {
    // Scratch for ICU (a segment's UTF-16 and its fold), on the stack.
    withScratch(of: UInt16.self, capacity: segmentCapacity + resultCapacity) { scratch in
      fold(bytes, into: &out, scratch: scratch)
    }
  }

  /// UTF-16 units of a segment: at most `maximumSegmentScalars` scalars of two units each.
  static let segmentCapacity = 2 * maximumSegmentScalars
  static let resultCapacity = 128

  static func fold(
    _ bytes: UnsafeBufferPointer<UInt8>, into out: inout FoldedText, scratch: UnsafeMutableBufferPointer<UInt16>
  ) {
    let n = bytes.count
    var i = 0
    let segment = UnsafeMutableBufferPointer(rebasing: scratch[0..<segmentCapacity])
    let result = UnsafeMutableBufferPointer(rebasing: scratch[segmentCapacity..<(segmentCapacity + resultCapacity)])
    var segmentCount = 0
    let folds = FoldLookup.shared
    let tables = ScalarLookup.shared
    // The non-ASCII scalar at `i` when the last segment ended before it (decoded already), else length 0.
    var pendingScalar: UInt32 = 0
    var pendingLength = 0
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
      var (scalar, length) = pendingLength != 0 ? (pendingScalar, pendingLength) : decode(bytes, at: i)
      pendingLength = 0
      var scalarsInSegment = 1
      var segmentCopied = false
      // Whether every later scalar of the segment is removed by folding (zero-width characters and
      // other default ignorables): then the segment folds as its first scalar alone, whose fold
      // is usually cached ("h\u{200B}" is "h" without a call into ICU).
      var restFoldsToNothing = true
      let first = scalar
      i += length
      while i < n {
        (scalar, length) = decode(bytes, at: i)
        if scalar < 0x80 { break }
        if tables.hasFoldBoundaryBefore(scalar) {
          (pendingScalar, pendingLength) = (scalar, length)
          break
        }
        if !segmentCopied {
          segmentCount = appendUTF16(first, to: segment, at: 0)
          segmentCopied = true
        }
        if scalarsInSegment < maximumSegmentScalars {
          segmentCount = appendUTF16(scalar, to: segment, at: segmentCount)
          scalarsInSegment += 1
          if restFoldsToNothing && !isRemovedByFolding(scalar, tables: tables, folds: folds) { restFoldsToNothing = false }
        }
        i += length
      }
      if scalarsInSegment == 1 || restFoldsToNothing, let cached = folds.lookup(first) {
        let count = Int(cached & 3)
        out.reserve(count)
        for k in 0..<count {
          out.append(UInt32(truncatingIfNeeded: (cached >> (2 + 21 * UInt64(k))) & 0x1F_FFFF), start, i)
        }
        continue
      }
      if !segmentCopied { segmentCount = appendUTF16(first, to: segment, at: 0) }
      let script = csicu_script_class(first)
      let strip: Int32 =
        (script == Int32(CSICU_SCRIPT_LATIN) || script == Int32(CSICU_SCRIPT_GREEK)
          || script == Int32(CSICU_SCRIPT_CYRILLIC) || script == Int32(CSICU_SCRIPT_COMMON)) ? 1 : 0
      let produced = Int(csicu_fold(segment.baseAddress, Int32(segmentCount), strip, result.baseAddress, Int32(result.count)))
      if produced < 0 || produced > result.count {
        // ICU could not fold it: keep the starter as it is rather than lose text.
        out.reserve(1)
        out.append(first, start, i)
        continue
      }
      out.reserve(produced)
      var k = 0
      while k < produced {
        let unit = result[k]
        if unit >= 0xD800 && unit < 0xDC00 && k + 1 < produced {
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

  /// Whether NFKC_Casefold maps `scalar` to nothing whatever surrounds it: a default-ignorable code
  /// point (which the mapping removes) whose fold is empty. A scalar whose fold is empty only
  /// because its marks are stripped (a halfwidth sound mark) may still compose with its starter.
  @inline(__always)
  static func isRemovedByFolding(_ scalar: UInt32, tables: ScalarLookup, folds: FoldLookup) -> Bool {
    guard scalar == 0x200D || tables.charClass(scalar) == .ignorable else { return false }
    guard let cached = folds.lookup(scalar) else { return false }
    return cached & 3 == 0
  }

  /// Writes `scalar` as UTF-16 at `buffer[at...]` (room for two units is the caller's) and returns
  /// the index after it.
  @inline(__always)
  static func appendUTF16(_ scalar: UInt32, to buffer: UnsafeMutableBufferPointer<UInt16>, at: Int) -> Int {
    if scalar < 0x10000 {
      buffer[at] = UInt16(scalar)
      return at + 1
    }
    let v = scalar - 0x10000
    buffer[at] = UInt16(0xD800 + (v >> 10))
    buffer[at + 1] = UInt16(0xDC00 + (v & 0x3FF))
    return at + 2
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
