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
        tokens.markGluedNumbers(in: bytes)
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
      tokens.markGluedNumbers(in: bytes)
      return n + count + cost
    }
  }
}
