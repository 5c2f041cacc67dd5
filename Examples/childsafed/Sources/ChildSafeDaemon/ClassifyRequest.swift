import ChildSafe

/// One /v1/classify request: the fields of a `childsafe check --jsonl` line.
struct ClassifyRequest {
  /// Echoed as given (string, number or null).
  var id: JSONValue
  var text: String
  var context: MessageContext
  var conversation: String?

  /// Ids (conversation, sender) longer than this are refused: they are keys held in memory.
  static let maximumIDBytes = 256

  /// Reads the request object; errors say which field is wrong and what was expected.
  static func parse(_ json: JSONValue) throws(ChildSafeError) -> ClassifyRequest {
    guard json.objectValue != nil else { throw ChildSafeError(.invalidArgument, "expected a JSON object") }
    let id = json["id"] ?? .null
    switch id {
    case .null, .string, .number: break
    default: throw ChildSafeError(.invalidValue, "\"id\" must be a string or a number")
    }
    guard let textValue = json["text"], !textValue.isNull else {
      throw ChildSafeError(.invalidArgument, "missing \"text\" (the message to classify)")
    }
    guard let text = textValue.stringValue else { throw ChildSafeError(.invalidValue, "\"text\" must be a string") }
    var context = MessageContext()
    context.senderAge = try age(json, "sender_age")
    context.recipientAge = try age(json, "recipient_age")
    if let lang = try string(json, "lang", maximumBytes: 16) {
      guard !lang.isEmpty, lang.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) })
      else { throw ChildSafeError(.invalidValue, "\"lang\" must be a language code such as \"en\"") }
      context.language = lang.lowercased()
    }
    let conversation = try identifier(json, "conversation")
    context.conversationID = conversation
    context.senderID = try identifier(json, "from")
    if let t = json["t"], !t.isNull {
      guard let seconds = t.doubleValue, seconds.isFinite else {
        throw ChildSafeError(.invalidValue, "\"t\" must be a number of seconds")
      }
      context.timestamp = seconds
    }
    if let name = try string(json, "context", maximumBytes: 16) {
      guard let textContext = TextContext(rawValue: name) else {
        throw ChildSafeError(.invalidValue, "\"context\" must be \"chat\" or \"query\"")
      }
      context.context = textContext
    }
    return ClassifyRequest(id: id, text: text, context: context, conversation: conversation)
  }

  static func age(_ json: JSONValue, _ key: String) throws(ChildSafeError) -> Int? {
    guard let value = json[key], !value.isNull else { return nil }
    guard let age = value.intValue, (0...130).contains(age) else {
      throw ChildSafeError(.invalidValue, "\"\(key)\" must be a whole number of years from 0 to 130")
    }
    return age
  }

  static func string(_ json: JSONValue, _ key: String, maximumBytes: Int) throws(ChildSafeError) -> String? {
    guard let value = json[key], !value.isNull else { return nil }
    guard let text = value.stringValue else { throw ChildSafeError(.invalidValue, "\"\(key)\" must be a string") }
    if text.utf8.count > maximumBytes {
      throw ChildSafeError(.invalidValue, "\"\(key)\" is longer than \(maximumBytes) bytes")
    }
    return text
  }

  /// A string id, or an integer id written as a number.
  static func identifier(_ json: JSONValue, _ key: String) throws(ChildSafeError) -> String? {
    guard let value = json[key], !value.isNull else { return nil }
    if let n = value.intValue { return String(n) }
    guard let text = try string(json, key, maximumBytes: maximumIDBytes) else { return nil }
    if text.isEmpty { throw ChildSafeError(.invalidValue, "\"\(key)\" must not be empty") }
    return text
  }
}
