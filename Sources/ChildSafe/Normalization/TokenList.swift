/// A token as the tokenizer records it: its normalised text is bytes of the list's text arena, so
/// that classifying a message makes no String and no array per token (``Token`` is made only for
/// callers of ``Normalizer/normalize(_:)``).
struct RawToken {
  /// The text: `count` bytes of valid UTF-8 from offset `textStart` of the arena.
  var textStart: UInt32
  var textCount: UInt32
  /// The UTF-8 byte span in the original input (as ``Token/start`` and ``Token/end``).
  var start: UInt32
  var end: UInt32
  var kind: Token.Kind
  /// A number joined to another number by `:`, `.`, `/` or `-` ("10:30", "10/12", "2-1",
  /// "10-19-30s"): part of a time, date, score, range or name, not a quantity on its own. Number
  /// ranges below 100 in patterns (`<num 8-17>`: ages, grades, sizes) skip it; `<num>` and longer
  /// ranges (the parts of a phone number) still match. See ``TokenList/markGluedNumbers(in:)``.
  var glued = false
}

/// The tokens of one text and the arena their texts live in: borrowed scratch memory at first,
/// each part moving to the heap only when it fills up (a message of single letters has more tokens
/// than expected; textspeak expansions and repairs can make text longer than the input). The
/// storage is managed by hand, like ``FoldedText``: call `deallocate()`.
struct TokenList {
  private(set) var tokens: UnsafeMutablePointer<RawToken>
  private(set) var count = 0
  private var capacity: Int
  private(set) var text: UnsafeMutablePointer<UInt8>
  private(set) var textCount = 0
  private var textCapacity: Int
  /// Whether each block is this value's own heap allocation (not the caller's scratch).
  private var ownsTokens = false
  private var ownsText = false
  /// Whether runs of a dictionary script (Chinese, Japanese, Thai...) are split into words. When
  /// not, each run is one token and ``hasUnsegmentedRuns`` says whether there was one: see
  /// ``ClassifierEngine/classify(_:context:)`` for when that is enough.
  var segmentsDictionaryRuns = true
  var hasUnsegmentedRuns = false

  /// Room to start with for a text of `byteCount` bytes. Chat averages several bytes per token;
  /// denser text grows the list.
  static func tokenCapacity(for byteCount: Int) -> Int { max(16, byteCount / 3 + 4) }
  /// Normalised text is rarely longer than its input.
  static func textCapacity(for byteCount: Int) -> Int { max(64, byteCount + 32) }

  /// Starts in borrowed `tokens` and `text` (neither empty).
  init(tokens: UnsafeMutableBufferPointer<RawToken>, text: UnsafeMutableBufferPointer<UInt8>) {
    self.tokens = tokens.baseAddress!
    capacity = tokens.count
    self.text = text.baseAddress!
    textCapacity = text.count
  }

  func deallocate() {
    if ownsTokens { tokens.deallocate() }
    if ownsText { text.deallocate() }
  }

  var view: TokenView {
    TokenView(
      tokens: UnsafeBufferPointer(start: tokens, count: count), text: UnsafePointer(text),
      hasUnsegmentedRuns: hasUnsegmentedRuns)
  }

  subscript(_ i: Int) -> RawToken {
    @inline(__always) get { tokens[i] }
    @inline(__always) set { tokens[i] = newValue }
  }

  @inline(__always)
  mutating func append(_ token: RawToken) {
    if count == capacity { growTokens() }
    tokens[count] = token
    count += 1
  }

  @inline(never)
  mutating func growTokens() {
    let newCapacity = 2 * capacity
    let block = UnsafeMutablePointer<RawToken>.allocate(capacity: newCapacity)
    block.initialize(from: tokens, count: count)
    if ownsTokens { tokens.deallocate() }
    ownsTokens = true
    tokens = block
    capacity = newCapacity
  }

  /// Replaces every token (the text arena keeps what it holds: the new tokens may point into it).
  mutating func replaceAll(with new: [RawToken]) {
    count = 0
    for token in new { append(token) }
  }

  // MARK: Text

  /// Makes room for `extra` more text bytes and returns where they go; `commitText` keeps them.
  @inline(__always)
  mutating func reserveText(_ extra: Int) -> UnsafeMutablePointer<UInt8> {
    if textCount + extra > textCapacity { growText(textCount + extra) }
    return text + textCount
  }

  @inline(never)
  mutating func growText(_ minimum: Int) {
    let newCapacity = max(2 * textCapacity, minimum)
    let block = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
    block.initialize(from: text, count: textCount)
    if ownsText { text.deallocate() }
    ownsText = true
    text = block
    textCapacity = newCapacity
  }

  /// A token whose text is the `length` bytes just written at ``reserveText(_:)``.
  @inline(__always)
  mutating func commitText(_ length: Int, start: Int, end: Int, kind: Token.Kind) -> RawToken {
    let token = RawToken(
      textStart: UInt32(truncatingIfNeeded: textCount), textCount: UInt32(truncatingIfNeeded: length),
      start: UInt32(truncatingIfNeeded: start), end: UInt32(truncatingIfNeeded: end), kind: kind)
    textCount += length
    return token
  }

  /// Marks the number tokens glued to another number in the original text (``RawToken/glued``).
  mutating func markGluedNumbers(in original: UnsafeBufferPointer<UInt8>) {
    @inline(__always) func isDigit(_ i: Int) -> Bool { i >= 0 && i < original.count && original[i] &- 0x30 < 10 }
    @inline(__always) func isJoiner(_ i: Int) -> Bool {
      guard i >= 0 && i < original.count else { return false }
      let b = original[i]
      return b == UInt8(ascii: ":") || b == UInt8(ascii: ".") || b == UInt8(ascii: "/") || b == UInt8(ascii: "-")
    }
    for i in 0..<count where tokens[i].kind == .number {
      let start = Int(tokens[i].start)
      let end = Int(tokens[i].end)
      if (isDigit(end - 1) && isJoiner(end) && isDigit(end + 1)) || (isDigit(start) && isJoiner(start - 1) && isDigit(start - 2)) {
        tokens[i].glued = true
      }
    }
  }

  /// A token whose text is a copy of `bytes` (valid UTF-8).
  mutating func token(bytes: UnsafeBufferPointer<UInt8>, start: Int, end: Int, kind: Token.Kind) -> RawToken {
    let out = reserveText(bytes.count)
    if let source = bytes.baseAddress { out.update(from: source, count: bytes.count) }
    return commitText(bytes.count, start: start, end: end, kind: kind)
  }

  /// A token whose text is `string`'s (for the rarer repairs, which build Strings).
  mutating func token(_ string: String, start: Int, end: Int, kind: Token.Kind) -> RawToken {
    var string = string
    return string.withUTF8 { token(bytes: $0, start: start, end: end, kind: kind) }
  }

  /// A token with the text and span of `token`.
  mutating func token(_ token: Token) -> RawToken {
    self.token(token.text, start: token.start, end: token.end, kind: token.kind)
  }

  /// The text of token `i`.
  @inline(__always)
  func bytes(_ i: Int) -> UnsafeBufferPointer<UInt8> { view.bytes(tokens[i]) }

  /// The text of token `i` as a String (for the rare paths that compare Strings).
  func string(_ i: Int) -> String { string(tokens[i]) }

  func string(_ token: RawToken) -> String { String(decoding: view.bytes(token), as: UTF8.self) }
}

/// A text's tokens, borrowed for the duration of a call (see ``Normalizer/withTokens(_:_:)``):
/// nothing in it may escape.
struct TokenView {
  let tokens: UnsafeBufferPointer<RawToken>
  /// The arena the tokens' texts are in.
  let text: UnsafePointer<UInt8>
  /// A run of a dictionary script was left whole (see ``TokenList/segmentsDictionaryRuns``).
  var hasUnsegmentedRuns = false

  var count: Int { tokens.count }

  subscript(_ i: Int) -> RawToken {
    @inline(__always) get { tokens[i] }
  }

  /// A token's normalised text as UTF-8.
  @inline(__always)
  func bytes(_ token: RawToken) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: text + Int(token.textStart), count: Int(token.textCount))
  }

  /// Token `i` with its text as a String.
  func token(_ i: Int) -> Token { token(i, shortWords: ShortWords.table) }

  @inline(__always)
  func token(_ i: Int, shortWords: UnsafePointer<String>) -> Token {
    let raw = tokens[i]
    return Token(text: string(bytes(raw), shortWords: shortWords), start: Int(raw.start), end: Int(raw.end), kind: raw.kind)
  }

  /// Every token, with Strings (for ``NormalizedText`` and explanations).
  var materialized: [Token] {
    var out: [Token] = []
    out.reserveCapacity(count)
    let shortWords = ShortWords.table
    for i in 0..<count { out.append(token(i, shortWords: shortWords)) }
    return out
  }

  /// A token's text as a String: one or two lowercase letters copied from ``ShortWords``, other
  /// short ASCII written straight into a String's inline storage (see ``Tokenizer/string(_:ascii:)``).
  @inline(__always)
  func string(_ bytes: UnsafeBufferPointer<UInt8>, shortWords: UnsafePointer<String>) -> String {
    let count = bytes.count
    if count == 1 || count == 2 {
      let first = UInt32(bytes[0]) &- 0x61
      if count == 1 {
        if first < 26 { return shortWords[Int(first)] }
      } else {
        let second = UInt32(bytes[1]) &- 0x61
        if first < 26 && second < 26 { return shortWords[ShortWords.index(first, second)] }
      }
    }
    var high: UInt8 = 0
    for b in bytes { high |= b }
    return Tokenizer.string(bytes, ascii: high < 0x80)
  }
}

/// Every word of one or two lowercase ASCII letters as a String, made once: chat is full of them
/// ("i", "u", "rn", "ur", "to", "me"), and copying a short String is much cheaper than making one.
enum ShortWords {
  /// "a"..."z" at 0..<26, then "aa"..."zz" (see ``index(_:_:)``). At a fixed address, fetched once
  /// per run (see ``ScalarTable``).
  nonisolated(unsafe) static let table: UnsafePointer<String> = ScalarTable.immortal({
    let letters = (UInt8(ascii: "a")...UInt8(ascii: "z")).map { String(decoding: [$0], as: UTF8.self) }
    return letters + letters.flatMap { first in letters.map { first + $0 } }
  }())

  /// The index of a two-letter word, from its letters' offsets from "a" (each < 26).
  @inline(__always)
  static func index(_ first: UInt32, _ second: UInt32) -> Int { 26 + Int(first) * 26 + Int(second) }
}
