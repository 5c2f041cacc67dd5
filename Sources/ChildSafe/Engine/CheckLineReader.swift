/// Reads the fields of a `check --jsonl` line straight from its bytes: the values the stream uses
/// (the first occurrence of each key, as ``JSONValue``'s subscript finds it) and where the text
/// is, without building the line's object, its strings or its other members.
///
/// It accepts exactly the lines ``JSONValue/parse(_:file:limits:)`` accepts, but only answers for
/// the common shape: an object whose `"text"` is a string. For anything else (a syntax error, no
/// text, a text that is not a string, an oversized line) it returns nil and the caller takes the
/// general path, which words the error; so errors cannot differ between the two.
struct CheckLineReader {
  /// The values of the fields the stream reads; nil: absent.
  var id: JSONValue?
  var locale: JSONValue?
  var context = CheckLine.ContextFields()
  /// The text's bytes in the line, when it has no escape; nil when its escapes were undone into
  /// the caller's buffer.
  var textInLine: Range<Int>?

  /// The keys the stream reads.
  enum Key: UInt16 {
    case id, text, senderAge, recipientAge, senderTrusted, lang, locale, conversation, from, t, context, other

    init(_ name: UnsafeBufferPointer<UInt8>) {
      func equal(_ word: StaticString) -> Bool {
        word.utf8CodeUnitCount == name.count && memoryEqual(name.baseAddress!, word.utf8Start, name.count)
      }
      switch name.count {
      case 1: self = equal("t") ? .t : .other
      case 2: self = equal("id") ? .id : .other
      case 4: self = equal("text") ? .text : equal("lang") ? .lang : equal("from") ? .from : .other
      case 6: self = equal("locale") ? .locale : .other
      case 7: self = equal("context") ? .context : .other
      case 10: self = equal("sender_age") ? .senderAge : .other
      case 12: self = equal("conversation") ? .conversation : .other
      case 13: self = equal("recipient_age") ? .recipientAge : .other
      case 14: self = equal("sender_trusted") ? .senderTrusted : .other
      default: self = .other
      }
    }
  }

  /// Reads `line` (valid UTF-8) into these fields (which must be empty); false: not the common
  /// shape, take the general path. A text with escapes is decoded into `text` (emptied first).
  mutating func read(_ line: UnsafeBufferPointer<UInt8>, text: inout [UInt8]) -> Bool {
    // The general parser's limit; past it, it words the error.
    guard line.count <= JSONValue.ParseLimits().maximumBytes else { return false }
    var parser = JSONParser(bytes: line, file: CheckStream.inputName, maximumDepth: JSONValue.ParseLimits().maximumDepth)
    do throws(ChildSafeError) {
      return try read(&parser, text: &text)
    } catch {
      return false
    }
  }

  /// ``JSONParser/parseObject(depth:)`` at the top level, keeping only what the stream reads.
  mutating func read(_ p: inout JSONParser, text: inout [UInt8]) throws(ChildSafeError) -> Bool {
    p.skipWhitespace()
    guard p.position < p.bytes.count, p.bytes[p.position] == UInt8(ascii: "{") else { return false }
    p.position += 1
    var seen: UInt16 = 0
    var textIsString = false
    p.skipWhitespace()
    if p.position < p.bytes.count && p.bytes[p.position] == UInt8(ascii: "}") { return false }
    while true {
      p.skipWhitespace()
      guard p.position < p.bytes.count, p.bytes[p.position] == UInt8(ascii: "\"") else { return false }
      var key = try CheckLineReader.readKey(&p)
      p.skipWhitespace()
      guard p.position < p.bytes.count, p.bytes[p.position] == UInt8(ascii: ":") else { return false }
      p.position += 1
      p.skipWhitespace()
      // Later occurrences of a key are checked and ignored, as the subscript ignores them.
      if key != .other {
        let bit: UInt16 = 1 << key.rawValue
        if seen & bit != 0 { key = .other }
        seen |= bit
      }
      switch key {
      case .other: try p.skipValue(depth: 1)
      case .text:
        guard p.position < p.bytes.count, p.bytes[p.position] == UInt8(ascii: "\"") else { return false }
        textInLine = try CheckLineReader.readText(&p, into: &text)
        textIsString = true
      case .id: id = try p.parseValue(depth: 1)
      case .locale: locale = try p.parseValue(depth: 1)
      case .senderAge: context.senderAge = try p.parseValue(depth: 1)
      case .recipientAge: context.recipientAge = try p.parseValue(depth: 1)
      case .senderTrusted: context.senderTrusted = try p.parseValue(depth: 1)
      case .lang: context.lang = try p.parseValue(depth: 1)
      case .conversation: context.conversation = try p.parseValue(depth: 1)
      case .from: context.from = try p.parseValue(depth: 1)
      case .t: context.t = try p.parseValue(depth: 1)
      case .context: context.context = try p.parseValue(depth: 1)
      }
      p.skipWhitespace()
      guard p.position < p.bytes.count else { return false }
      if p.bytes[p.position] == UInt8(ascii: ",") {
        p.position += 1
        continue
      }
      guard p.bytes[p.position] == UInt8(ascii: "}") else { return false }
      p.position += 1
      break
    }
    p.skipWhitespace()
    return p.position == p.bytes.count && textIsString
  }

  /// The key at the opening quote, compared as bytes (a key with escapes is decoded first).
  static func readKey(_ p: inout JSONParser) throws(ChildSafeError) -> Key {
    let start = p.position + 1
    let end = p.plainRunEnd(from: start)
    if end < p.bytes.count && p.bytes[end] == 0x22 {
      p.position = end + 1
      return Key(UnsafeBufferPointer(rebasing: p.bytes[start..<end]))
    }
    var name = try p.parseString()
    return name.withUTF8 { Key($0) }
  }

  /// The text string at the opening quote: its range in the line when it has no escape, else nil
  /// with its decoded bytes in `out`.
  static func readText(_ p: inout JSONParser, into out: inout [UInt8]) throws(ChildSafeError) -> Range<Int>? {
    let start = p.position + 1
    let end = p.plainRunEnd(from: start)
    if end < p.bytes.count && p.bytes[end] == 0x22 {
      p.position = end + 1
      return start..<end
    }
    out.removeAll(keepingCapacity: true)
    out.append(contentsOf: UnsafeBufferPointer(rebasing: p.bytes[start..<end]))
    p.position = end
    try p.appendStringRest(to: &out)
    return nil
  }
}

@inline(__always)
func memoryEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
  for i in 0..<count where a[i] != b[i] { return false }
  return true
}
