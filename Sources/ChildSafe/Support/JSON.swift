/// A JSON value. Objects keep their keys in order so that output is stable and readable.
///
/// The core has its own small JSON reader and writer because it imports no Foundation; they are
/// used for the CLI's and C API's JSON schemas and for JSON inputs (contexts, corpora).
public enum JSONValue: Sendable, Hashable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([(String, JSONValue)])

  public static func == (a: JSONValue, b: JSONValue) -> Bool {
    switch (a, b) {
    case (.null, .null): return true
    case let (.bool(x), .bool(y)): return x == y
    case let (.number(x), .number(y)): return x == y
    case let (.string(x), .string(y)): return x == y
    case let (.array(x), .array(y)): return x == y
    case let (.object(x), .object(y)):
      return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    default: return false
    }
  }

  public func hash(into hasher: inout Hasher) {
    switch self {
    case .null: hasher.combine(0)
    case .bool(let b): hasher.combine(b)
    case .number(let n): hasher.combine(n)
    case .string(let s): hasher.combine(s)
    case .array(let a): hasher.combine(a)
    case .object(let o):
      for (k, v) in o {
        hasher.combine(k)
        hasher.combine(v)
      }
    }
  }

  public static func int(_ value: Int) -> JSONValue { .number(Double(value)) }

  /// The value of `key` in an object (first occurrence), or nil.
  public subscript(key: String) -> JSONValue? {
    guard case .object(let members) = self else { return nil }
    return members.first(where: { $0.0 == key })?.1
  }

  public var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  public var doubleValue: Double? {
    if case .number(let n) = self { return n }
    return nil
  }

  /// The number as an Int when it is integral and in range.
  public var intValue: Int? {
    guard case .number(let n) = self, n.rounded() == n, abs(n) < 9.0e15 else { return nil }
    return Int(n)
  }

  public var boolValue: Bool? {
    if case .bool(let b) = self { return b }
    return nil
  }

  public var arrayValue: [JSONValue]? {
    if case .array(let a) = self { return a }
    return nil
  }

  public var objectValue: [(String, JSONValue)]? {
    if case .object(let o) = self { return o }
    return nil
  }

  public var isNull: Bool {
    if case .null = self { return true }
    return false
  }
}

// MARK: - Writing

extension JSONValue {
  /// Compact JSON text (no spaces), keys in insertion order.
  public func serialized() -> String {
    var out: [UInt8] = []
    out.reserveCapacity(128)
    write(to: &out, indent: nil, level: 0)
    return String(decoding: out, as: UTF8.self)
  }

  /// Appends the compact JSON text (as ``serialized()`` gives it) to `out`: a stream writes every
  /// answer into one reused buffer rather than making a String per line.
  public func serialize(into out: inout [UInt8]) {
    write(to: &out, indent: nil, level: 0)
  }

  /// Indented JSON text for people.
  public func prettyPrinted(indent: Int = 2) -> String {
    var out: [UInt8] = []
    write(to: &out, indent: indent, level: 0)
    return String(decoding: out, as: UTF8.self)
  }

  func write<Sink: ByteSink>(to out: inout Sink, indent: Int?, level: Int) {
    switch self {
    case .null: out.appendASCII("null")
    case .bool(let b): b ? out.appendASCII("true") : out.appendASCII("false")
    case .number(let n): JSONValue.writeNumber(n, to: &out)
    case .string(let s): JSONValue.writeString(s, to: &out)
    case .array(let items):
      if items.isEmpty {
        out.appendASCII("[]")
        return
      }
      out.appendByte(UInt8(ascii: "["))
      for (i, item) in items.enumerated() {
        if i > 0 { out.appendByte(UInt8(ascii: ",")) }
        JSONValue.newline(&out, indent, level + 1)
        item.write(to: &out, indent: indent, level: level + 1)
      }
      JSONValue.newline(&out, indent, level)
      out.appendByte(UInt8(ascii: "]"))
    case .object(let members):
      if members.isEmpty {
        out.appendASCII("{}")
        return
      }
      out.appendByte(UInt8(ascii: "{"))
      for (i, (key, value)) in members.enumerated() {
        if i > 0 { out.appendByte(UInt8(ascii: ",")) }
        JSONValue.newline(&out, indent, level + 1)
        JSONValue.writeString(key, to: &out)
        out.appendByte(UInt8(ascii: ":"))
        if indent != nil { out.appendByte(UInt8(ascii: " ")) }
        value.write(to: &out, indent: indent, level: level + 1)
      }
      JSONValue.newline(&out, indent, level)
      out.appendByte(UInt8(ascii: "}"))
    }
  }

  static func newline<Sink: ByteSink>(_ out: inout Sink, _ indent: Int?, _ level: Int) {
    guard let indent else { return }
    out.appendByte(UInt8(ascii: "\n"))
    for _ in 0..<(indent * level) { out.appendByte(UInt8(ascii: " ")) }
  }

  static func writeNumber<Sink: ByteSink>(_ n: Double, to out: inout Sink) {
    if !n.isFinite {
      out.appendASCII("null")
    } else if n.rounded() == n && abs(n) < 9.0e15 {
      JSONOutput.int(Int(n), &out)
    } else if !JSONOutput.fourDecimals(n, &out) {
      var text = String(n)
      text.withUTF8 { out.appendBytes($0) }
    }
  }

  static func writeString<Sink: ByteSink>(_ s: String, to out: inout Sink) {
    out.appendByte(UInt8(ascii: "\""))
    // A native string's bytes are read where they are (`withUTF8` needs a copy of the String,
    // which costs a retain and a release).
    if s.utf8.withContiguousStorageIfAvailable({ writeEscaped($0, to: &out) }) == nil {
      var s = s
      s.withUTF8 { writeEscaped($0, to: &out) }
    }
    out.appendByte(UInt8(ascii: "\""))
  }

  /// The bytes of a JSON string's text, escaped.
  @inline(__always)
  static func writeEscaped<Sink: ByteSink>(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout Sink) {
    // Runs of bytes that need no escape are copied whole.
    var run = 0
    var i = 0
    let count = bytes.count
    let raw = UnsafeRawPointer(bytes.baseAddress)
    while i < count {
      // Eight bytes at a time while none needs an escape (intervention messages are long).
      if i + 8 <= count, !needsEscape(raw!.loadUnaligned(fromByteOffset: i, as: UInt64.self)) {
        i += 8
        continue
      }
      // Fewer than eight left: the last eight bytes as one word (those before `i` were already
      // looked at), or in a string shorter than eight its bytes padded with a letter (names, keys).
      if i + 8 > count {
        let word =
          count >= 8 ? raw!.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) : paddedWord(raw! + i, count: count - i)
        if !needsEscape(word) { break }
      }
      let byte = bytes[i]
      if byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F {
        out.appendBytes(UnsafeBufferPointer(rebasing: bytes[run..<i]))
        writeEscape(byte, to: &out)
        run = i + 1
      }
      i += 1
    }
    out.appendBytes(UnsafeBufferPointer(rebasing: bytes[run...]))
  }

  /// Up to eight bytes as a word, the rest filled with "A" (which needs no escape).
  @inline(__always)
  static func paddedWord(_ bytes: UnsafeRawPointer, count: Int) -> UInt64 {
    // Byte by byte: a copy of a few bytes through memcpy costs more.
    var word: UInt64 = 0x4141_4141_4141_4141
    for k in 0..<count {
      let shift = UInt64(8 * k)
      word = word & ~(0xFF << shift) | UInt64(bytes.load(fromByteOffset: k, as: UInt8.self)) << shift
    }
    return word
  }

  /// Whether any of eight bytes is a control character, `"`, `\\` or DEL (bit tricks on the word:
  /// a byte's high bit is set in the result when it is below 0x20 or equal to one of the three).
  @inline(__always)
  static func needsEscape(_ word: UInt64) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let high: UInt64 = 0x8080_8080_8080_8080
    func zeroByte(_ x: UInt64) -> UInt64 { (x &- ones) & ~x & high }
    let control = (word &- ones &* 0x20) & ~word & high
    return (control | zeroByte(word ^ (ones &* 0x22)) | zeroByte(word ^ (ones &* 0x5C)) | zeroByte(word ^ (ones &* 0x7F))) != 0
  }

  static func writeEscape<Sink: ByteSink>(_ byte: UInt8, to out: inout Sink) {
    out.appendByte(92)
    switch byte {
    case UInt8(ascii: "\""): out.appendByte(34)
    case UInt8(ascii: "\\"): out.appendByte(92)
    case 0x0A: out.appendByte(UInt8(ascii: "n"))
    case 0x0D: out.appendByte(UInt8(ascii: "r"))
    case 0x09: out.appendByte(UInt8(ascii: "t"))
    default:
      let hex = byte >> 4
      let low = byte & 15
      out.appendByte(UInt8(ascii: "u"))
      out.appendByte(48)
      out.appendByte(48)
      out.appendByte(hex < 10 ? 48 + hex : 87 + hex)
      out.appendByte(low < 10 ? 48 + low : 87 + low)
    }
  }
}

// MARK: - Reading

extension JSONValue {
  /// Limits that keep parsing bounded on hostile input.
  public struct ParseLimits: Sendable {
    public var maximumBytes: Int
    public var maximumDepth: Int
    public init(maximumBytes: Int = 16 * 1024 * 1024, maximumDepth: Int = 64) {
      self.maximumBytes = maximumBytes
      self.maximumDepth = maximumDepth
    }
  }

  /// Parses one JSON document. Errors carry line and column (file name `<json>` unless given).
  public static func parse(
    _ text: String, file: String = "<json>", limits: ParseLimits = ParseLimits()
  ) throws(ChildSafeError) -> JSONValue {
    var copy = text
    let result = copy.withUTF8 { buffer in
      Result { () throws(ChildSafeError) in try parse(bytes: buffer, file: file, limits: limits) }
    }
    return try result.get()
  }

  /// Parses one JSON document from UTF-8 bytes (validated).
  public static func parse(
    bytes: UnsafeBufferPointer<UInt8>, file: String = "<json>", limits: ParseLimits = ParseLimits()
  ) throws(ChildSafeError) -> JSONValue {
    if bytes.count > limits.maximumBytes {
      throw ChildSafeError(.inputTooLarge, "JSON text is larger than \(limits.maximumBytes) bytes")
    }
    var parser = JSONParser(bytes: bytes, file: file, maximumDepth: limits.maximumDepth)
    parser.skipWhitespace()
    let value = try parser.parseValue(depth: 0)
    parser.skipWhitespace()
    if parser.position < bytes.count { throw parser.error("expected end of input after the JSON value") }
    return value
  }
}

struct JSONParser {
  let bytes: UnsafeBufferPointer<UInt8>
  let file: String
  let maximumDepth: Int
  var position = 0

  init(bytes: UnsafeBufferPointer<UInt8>, file: String, maximumDepth: Int) {
    self.bytes = bytes
    self.file = file
    self.maximumDepth = maximumDepth
  }

  func error(_ message: String) -> ChildSafeError {
    var line = 1
    var column = 1
    var i = 0
    while i < position && i < bytes.count {
      if bytes[i] == 0x0A {
        line += 1
        column = 1
      } else if bytes[i] & 0xC0 != 0x80 {
        column += 1
      }
      i += 1
    }
    return ChildSafeError(.syntax, message, at: SourceLocation(file: file, line: line, column: column))
  }

  func found() -> String {
    guard position < bytes.count else { return "end of input" }
    let b = bytes[position]
    if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
    return "byte 0x\(String(b, radix: 16))"
  }

  mutating func skipWhitespace() {
    while position < bytes.count {
      switch bytes[position] {
      case 0x20, 0x09, 0x0A, 0x0D: position += 1
      default: return
      }
    }
  }

  mutating func parseValue(depth: Int) throws(ChildSafeError) -> JSONValue {
    guard position < bytes.count else { throw error("expected a JSON value, found end of input") }
    switch bytes[position] {
    case UInt8(ascii: "{"):
      if depth >= maximumDepth { throw error("JSON nested deeper than \(maximumDepth) levels") }
      return try parseObject(depth: depth + 1)
    case UInt8(ascii: "["):
      if depth >= maximumDepth { throw error("JSON nested deeper than \(maximumDepth) levels") }
      return try parseArray(depth: depth + 1)
    case UInt8(ascii: "\""): return .string(try parseString())
    case UInt8(ascii: "t"): return try literal("true", .bool(true))
    case UInt8(ascii: "f"): return try literal("false", .bool(false))
    case UInt8(ascii: "n"): return try literal("null", .null)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
    default: throw error("expected a JSON value, found \(found())")
    }
  }

  mutating func literal(_ word: StaticString, _ value: JSONValue) throws(ChildSafeError) -> JSONValue {
    let count = word.utf8CodeUnitCount
    let start = word.utf8Start
    guard position + count <= bytes.count else { throw error("expected '\(word)'") }
    for i in 0..<count where bytes[position + i] != start[i] {
      throw error("expected '\(word)', found \(found())")
    }
    position += count
    return value
  }

  mutating func parseObject(depth: Int) throws(ChildSafeError) -> JSONValue {
    position += 1
    var members: [(String, JSONValue)] = []
    skipWhitespace()
    if position < bytes.count && bytes[position] == UInt8(ascii: "}") {
      position += 1
      return .object(members)
    }
    while true {
      skipWhitespace()
      guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
        throw error("expected a string key, found \(found())")
      }
      let key = try parseString()
      skipWhitespace()
      guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
        throw error("expected ':' after key, found \(found())")
      }
      position += 1
      skipWhitespace()
      let value = try parseValue(depth: depth)
      members.append((key, value))
      skipWhitespace()
      guard position < bytes.count else { throw error("expected ',' or '}', found end of input") }
      if bytes[position] == UInt8(ascii: ",") {
        position += 1
        continue
      }
      if bytes[position] == UInt8(ascii: "}") {
        position += 1
        return .object(members)
      }
      throw error("expected ',' or '}', found \(found())")
    }
  }

  mutating func parseArray(depth: Int) throws(ChildSafeError) -> JSONValue {
    position += 1
    var items: [JSONValue] = []
    skipWhitespace()
    if position < bytes.count && bytes[position] == UInt8(ascii: "]") {
      position += 1
      return .array(items)
    }
    while true {
      skipWhitespace()
      items.append(try parseValue(depth: depth))
      skipWhitespace()
      guard position < bytes.count else { throw error("expected ',' or ']', found end of input") }
      if bytes[position] == UInt8(ascii: ",") {
        position += 1
        continue
      }
      if bytes[position] == UInt8(ascii: "]") {
        position += 1
        return .array(items)
      }
      throw error("expected ',' or ']', found \(found())")
    }
  }

  mutating func parseNumber() throws(ChildSafeError) -> JSONValue {
    let start = position
    _ = try scanNumber()
    // Whole numbers of up to 15 digits (ages, ids, offsets) are exact as Int: no text to convert.
    if let whole = wholeNumber(start..<position) { return .number(whole) }
    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    guard let value = Double(text) else { throw error("invalid number \(text.prefix(40))") }
    // 1e999 would read as infinity, which JSON cannot write back (found by fuzz-json).
    guard value.isFinite else {
      throw error("number \(text.prefix(40))\(text.count > 40 ? "..." : "") is out of range; expected at most 1.8e308 in magnitude")
    }
    return .number(value)
  }

  /// Moves past a number in JSON's grammar; true when it has an exponent. Shared by
  /// ``parseNumber()`` and ``skipNumber()`` so that both accept exactly the same text.
  mutating func scanNumber() throws(ChildSafeError) -> Bool {
    if bytes[position] == UInt8(ascii: "-") { position += 1 }
    func digits(_ p: inout Int) -> Int {
      let s = p
      while p < bytes.count && bytes[p] >= 0x30 && bytes[p] <= 0x39 { p += 1 }
      return p - s
    }
    if digits(&position) == 0 { throw error("expected a digit, found \(found())") }
    if position < bytes.count && bytes[position] == UInt8(ascii: ".") {
      position += 1
      if digits(&position) == 0 { throw error("expected a digit after '.', found \(found())") }
    }
    guard position < bytes.count && (bytes[position] | 0x20) == UInt8(ascii: "e") else { return false }
    position += 1
    if position < bytes.count && (bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-")) {
      position += 1
    }
    if digits(&position) == 0 { throw error("expected a digit in the exponent, found \(found())") }
    return true
  }

  /// The value of a number token with no fraction or exponent and at most 15 digits (exact in a
  /// Double, as `Double(text)` reads it: "-0" is -0.0), else nil.
  func wholeNumber(_ range: Range<Int>) -> Double? {
    var i = range.lowerBound
    let negative = bytes[i] == UInt8(ascii: "-")
    if negative { i += 1 }
    guard range.upperBound - i <= 15 else { return nil }
    var value = 0
    while i < range.upperBound {
      let digit = bytes[i] &- 0x30
      guard digit < 10 else { return nil }
      value = value * 10 + Int(digit)
      i += 1
    }
    return negative ? -Double(value) : Double(value)
  }

  mutating func parseHex4() throws(ChildSafeError) -> UInt32 {
    guard position + 4 <= bytes.count else { throw error("expected 4 hex digits after \\u") }
    var v: UInt32 = 0
    for _ in 0..<4 {
      let b = bytes[position]
      let d: UInt32
      switch b {
      case 0x30...0x39: d = UInt32(b - 0x30)
      case 0x41...0x46: d = UInt32(b - 0x41 + 10)
      case 0x61...0x66: d = UInt32(b - 0x61 + 10)
      default: throw error("expected a hex digit, found \(found())")
      }
      v = v << 4 | d
      position += 1
    }
    return v
  }

  mutating func parseString() throws(ChildSafeError) -> String {
    position += 1
    // Most strings have no escape: made from their bytes at once.
    let end = plainRunEnd(from: position)
    if end < bytes.count && bytes[end] == 0x22 {
      guard let s = JSONParser.string(validating: UnsafeBufferPointer(rebasing: bytes[position..<end])) else {
        // Reported where the general loop reports it: at the closing quote.
        position = end + 1
        throw error("string is not valid UTF-8")
      }
      position = end + 1
      return s
    }
    var out = Array(UnsafeBufferPointer(rebasing: bytes[position..<end]))
    position = end
    try appendStringRest(to: &out)
    guard let s = out.withUnsafeBufferPointer({ JSONParser.string(validating: $0) }) else {
      throw error("string is not valid UTF-8")
    }
    return s
  }

  /// The index of the first byte from `start` that ends a run of string contents without escapes:
  /// a quote, a backslash or a control character (or the end). Eight bytes at a time.
  @inline(__always)
  func plainRunEnd(from start: Int) -> Int {
    var i = start
    let n = bytes.count
    if let base = bytes.baseAddress {
      let raw = UnsafeRawPointer(base)
      while i + 8 <= n, !JSONValue.needsEscape(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { i += 8 }
    }
    // DEL needs an escape when written, not when read: the word test stops at it, this does not.
    while i < n, bytes[i] != 0x22, bytes[i] != 0x5C, bytes[i] >= 0x20 { i += 1 }
    return i
  }

  /// A String of UTF-8 bytes, or nil when they are not valid UTF-8 (as `String(validating:as:)`,
  /// whose generic form costs more than the check and the copy together).
  @inline(__always)
  static func string(validating bytes: UnsafeBufferPointer<UInt8>) -> String? {
    UTF8Validation.isValid(bytes) ? String(decoding: bytes, as: UTF8.self) : nil
  }

  /// Decodes the rest of a string from `position` (inside the quotes) up to and past its closing
  /// quote, appending its bytes to `out` with escapes undone. Validates escapes and surrogate
  /// pairs, not UTF-8.
  mutating func appendStringRest(to out: inout [UInt8]) throws(ChildSafeError) {
    while true {
      // Runs without an escape are copied whole.
      let end = plainRunEnd(from: position)
      if end > position {
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[position..<end]))
        position = end
      }
      guard position < bytes.count else { throw error("unterminated string") }
      let b = bytes[position]
      if b == UInt8(ascii: "\"") {
        position += 1
        return
      }
      if b < 0x20 { throw error("control character in string (escape it)") }
      // A backslash.
      position += 1
      guard position < bytes.count else { throw error("unterminated escape") }
      let e = bytes[position]
      position += 1
      switch e {
      case UInt8(ascii: "\""): out.append(0x22)
      case UInt8(ascii: "\\"): out.append(0x5C)
      case UInt8(ascii: "/"): out.append(0x2F)
      case UInt8(ascii: "b"): out.append(0x08)
      case UInt8(ascii: "f"): out.append(0x0C)
      case UInt8(ascii: "n"): out.append(0x0A)
      case UInt8(ascii: "r"): out.append(0x0D)
      case UInt8(ascii: "t"): out.append(0x09)
      case UInt8(ascii: "u"): JSONParser.appendUTF8(try parseEscapedScalar(), to: &out)
      default:
        position -= 1
        throw error("invalid escape '\\\(Character(Unicode.Scalar(e)))'")
      }
    }
  }

  /// The scalar of a `\u` escape (its four hex digits at `position`), joining a surrogate pair.
  mutating func parseEscapedScalar() throws(ChildSafeError) -> Unicode.Scalar {
    var scalar = try parseHex4()
    if scalar >= 0xD800 && scalar < 0xDC00 {
      guard position + 1 < bytes.count, bytes[position] == 0x5C, bytes[position + 1] == UInt8(ascii: "u") else {
        throw error("unpaired surrogate escape")
      }
      position += 2
      let low = try parseHex4()
      guard low >= 0xDC00 && low < 0xE000 else { throw error("unpaired surrogate escape") }
      scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
    } else if scalar >= 0xDC00 && scalar < 0xE000 {
      throw error("unpaired surrogate escape")
    }
    guard let s = Unicode.Scalar(scalar) else { throw error("invalid \\u escape") }
    return s
  }

  static func appendUTF8(_ scalar: Unicode.Scalar, to out: inout [UInt8]) {
    let v = scalar.value
    switch v {
    case 0..<0x80: out.append(UInt8(v))
    case 0x80..<0x800:
      out.append(0xC0 | UInt8(v >> 6))
      out.append(0x80 | UInt8(v & 0x3F))
    case 0x800..<0x10000:
      out.append(0xE0 | UInt8(v >> 12))
      out.append(0x80 | UInt8((v >> 6) & 0x3F))
      out.append(0x80 | UInt8(v & 0x3F))
    default:
      out.append(0xF0 | UInt8(v >> 18))
      out.append(0x80 | UInt8((v >> 12) & 0x3F))
      out.append(0x80 | UInt8((v >> 6) & 0x3F))
      out.append(0x80 | UInt8(v & 0x3F))
    }
  }
}
