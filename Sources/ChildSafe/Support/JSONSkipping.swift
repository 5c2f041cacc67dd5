extension JSONParser {
  /// Steps over one JSON value without building it, accepting exactly what ``parseValue(depth:)``
  /// accepts (nesting depth, escapes, UTF-8, numbers in range): a reader that wants a few fields
  /// of an object checks the rest as cheaply as it can.
  mutating func skipValue(depth: Int) throws(ChildSafeError) {
    guard position < bytes.count else { throw error("expected a JSON value, found end of input") }
    switch bytes[position] {
    case UInt8(ascii: "{"):
      if depth >= maximumDepth { throw error("JSON nested deeper than \(maximumDepth) levels") }
      try skipObject(depth: depth + 1)
    case UInt8(ascii: "["):
      if depth >= maximumDepth { throw error("JSON nested deeper than \(maximumDepth) levels") }
      try skipArray(depth: depth + 1)
    case UInt8(ascii: "\""): try skipString()
    case UInt8(ascii: "t"): _ = try literal("true", .null)
    case UInt8(ascii: "f"): _ = try literal("false", .null)
    case UInt8(ascii: "n"): _ = try literal("null", .null)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try skipNumber()
    default: throw error("expected a JSON value, found \(found())")
    }
  }

  mutating func skipObject(depth: Int) throws(ChildSafeError) {
    try walkObject { parser, _ throws(ChildSafeError) in try parser.skipValue(depth: depth) }
  }

  /// Steps through the object at `position` in the grammar of ``parseObject(depth:)``, with its
  /// errors. At each member's value, `value` is called with where the member's key is (quotes
  /// included) and must move past the value. Skipping and reading one member share it.
  @inline(__always)
  mutating func walkObject(
    _ value: (inout JSONParser, _ key: Range<Int>) throws(ChildSafeError) -> Void
  ) throws(ChildSafeError) {
    position += 1
    skipWhitespace()
    if position < bytes.count && bytes[position] == UInt8(ascii: "}") {
      position += 1
      return
    }
    while true {
      skipWhitespace()
      guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
        throw error("expected a string key, found \(found())")
      }
      let keyStart = position
      try skipString()
      let key = keyStart..<position
      skipWhitespace()
      guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
        throw error("expected ':' after key, found \(found())")
      }
      position += 1
      skipWhitespace()
      try value(&self, key)
      skipWhitespace()
      guard position < bytes.count else { throw error("expected ',' or '}', found end of input") }
      if bytes[position] == UInt8(ascii: ",") {
        position += 1
        continue
      }
      if bytes[position] == UInt8(ascii: "}") {
        position += 1
        return
      }
      throw error("expected ',' or '}', found \(found())")
    }
  }

  mutating func skipArray(depth: Int) throws(ChildSafeError) {
    position += 1
    skipWhitespace()
    if position < bytes.count && bytes[position] == UInt8(ascii: "]") {
      position += 1
      return
    }
    while true {
      skipWhitespace()
      try skipValue(depth: depth)
      skipWhitespace()
      guard position < bytes.count else { throw error("expected ',' or ']', found end of input") }
      if bytes[position] == UInt8(ascii: ",") {
        position += 1
        continue
      }
      if bytes[position] == UInt8(ascii: "]") {
        position += 1
        return
      }
      throw error("expected ',' or ']', found \(found())")
    }
  }

  /// A string from its opening quote: escapes and surrogate pairs checked as ``parseString()``
  /// checks them, and its bytes as UTF-8 (escapes are ASCII and stand for whole scalars, so the
  /// raw bytes are valid exactly when the decoded ones are).
  mutating func skipString() throws(ChildSafeError) {
    position += 1
    let start = position
    while true {
      position = plainRunEnd(from: position)
      guard position < bytes.count else { throw error("unterminated string") }
      let b = bytes[position]
      if b == UInt8(ascii: "\"") { break }
      if b < 0x20 { throw error("control character in string (escape it)") }
      position += 1
      guard position < bytes.count else { throw error("unterminated escape") }
      let e = bytes[position]
      position += 1
      switch e {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
        UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
        continue
      case UInt8(ascii: "u"): _ = try parseEscapedScalar()
      default:
        position -= 1
        throw error("invalid escape '\\\(Character(Unicode.Scalar(e)))'")
      }
    }
    let raw = UnsafeBufferPointer(rebasing: bytes[start..<position])
    position += 1
    if !UTF8Validation.isValid(raw) { throw error("string is not valid UTF-8") }
  }

  /// A number, in the grammar of ``parseNumber()`` and, like it, finite.
  mutating func skipNumber() throws(ChildSafeError) {
    let start = position
    let exponent = try scanNumber()
    // Without an exponent, fewer than 300 characters are less than 1e300: finite.
    guard exponent || position - start >= 300 else { return }
    position = start
    _ = try parseNumber()
  }
}

extension JSONValue {
  /// The first member named `name` of the JSON document in `bytes`, when the document is an object
  /// and that member a string; nil when it is not. The document is checked exactly as
  /// ``parse(bytes:file:limits:)`` checks it (same errors), but only that one string is built:
  /// a stream that reads one field per line (`childsafe url --jsonl`) makes no tree per line.
  public static func stringMember(
    _ name: String, of bytes: UnsafeBufferPointer<UInt8>, file: String = "<json>", limits: ParseLimits = ParseLimits()
  ) throws(ChildSafeError) -> String? {
    if bytes.count > limits.maximumBytes {
      throw ChildSafeError(.inputTooLarge, "JSON text is larger than \(limits.maximumBytes) bytes")
    }
    var parser = JSONParser(bytes: bytes, file: file, maximumDepth: limits.maximumDepth)
    parser.skipWhitespace()
    var found: String?? = nil  // nil: not seen yet; .some(nil): seen, not a string
    if parser.position < bytes.count && bytes[parser.position] == UInt8(ascii: "{") && limits.maximumDepth > 0 {
      found = try parser.stringMember(name, depth: 1)
    } else {
      try parser.skipValue(depth: 0)
    }
    parser.skipWhitespace()
    if parser.position < bytes.count { throw parser.error("expected end of input after the JSON value") }
    return found ?? nil
  }
}

extension JSONParser {
  /// Reads the object at `position` as ``skipObject(depth:)`` does, building only the value of the
  /// first member named `name`: `.some(string)`, `.some(nil)` when that value is not a string, nil
  /// when there is no such member.
  mutating func stringMember(_ name: String, depth: Int) throws(ChildSafeError) -> String?? {
    var value: String?? = nil
    try walkObject { parser, key throws(ChildSafeError) in
      guard value == nil, parser.key(key, is: name) else { return try parser.skipValue(depth: depth) }
      if parser.position < parser.bytes.count && parser.bytes[parser.position] == UInt8(ascii: "\"") {
        value = .some(try parser.parseString())
      } else {
        try parser.skipValue(depth: depth)
        value = .some(nil)
      }
    }
    return value
  }

  /// Whether the key at `key` (quotes included, already stepped over, so valid) is `name`. Plain
  /// ASCII keys are compared as bytes; others are read as a String and compared as Strings are.
  func key(_ key: Range<Int>, is name: String) -> Bool {
    let text = UnsafeBufferPointer(rebasing: bytes[(key.lowerBound + 1)..<(key.upperBound - 1)])
    // Equal bytes with no escape, or plain ASCII bytes that differ, settle it without a String.
    let equal = name.utf8.withContiguousStorageIfAvailable { name -> Bool? in
      var ascii = true
      for b in text where b >= 0x80 || b == UInt8(ascii: "\\") { ascii = false }
      for b in name where b >= 0x80 { ascii = false }
      return ascii ? name.elementsEqual(text) : nil
    }
    if let equal, let equal { return equal }
    var reader = self
    reader.position = key.lowerBound
    return (try? reader.parseString()) == name
  }
}
