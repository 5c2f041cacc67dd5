import ChildSafe

/// One /v1/classify request: the fields of a `childsafe check --jsonl` line, read by the library's
/// own parser (`CheckStream.context`) so that both accept the same lines, plus the daemon's bounds on
/// what it holds in memory.
struct ClassifyRequest {
  /// Echoed as given (string, number or null).
  var id: JSONValue
  var text: String
  var context: MessageContext
  /// The locale that words this request's interventions when not the daemon's own (its "locale",
  /// else its "lang" when the catalogs have messages in it), as for a `check --jsonl` line.
  var locale: String?
  var conversation: String? { context.conversationID }

  /// Ids (request, conversation, sender) longer than this are refused: they are echoed, logged and,
  /// for conversations and senders, held in memory as keys.
  static let maximumIDBytes = 256
  static let maximumLanguageBytes = 16

  /// Reads the request object; errors say which field is wrong and what was expected.
  static func parse(_ json: JSONValue, engine: SafetyEngine) throws(ChildSafeError) -> ClassifyRequest {
    guard json.objectValue != nil else { throw ChildSafeError(.invalidArgument, "expected a JSON object") }
    let id = try requestID(json)
    guard let textValue = json["text"], !textValue.isNull else {
      throw ChildSafeError(.invalidArgument, "missing \"text\" (the message to classify)")
    }
    guard let text = textValue.stringValue else { throw ChildSafeError(.invalidValue, "\"text\" must be a string") }
    let context = try CheckStream.context(json, defaults: MessageContext())
    for (key, value) in [("conversation", context.conversationID), ("from", context.senderID)] {
      guard let value else { continue }
      if value.isEmpty { throw ChildSafeError(.invalidValue, "\"\(key)\" must not be empty") }
      if value.utf8.count > maximumIDBytes {
        throw ChildSafeError(.invalidValue, "\"\(key)\" is longer than \(maximumIDBytes) bytes")
      }
    }
    if let lang = context.language, lang.isEmpty || lang.utf8.count > maximumLanguageBytes {
      throw ChildSafeError(.invalidValue, "\"lang\" must be a language code such as \"en\"")
    }
    return ClassifyRequest(id: id, text: text, context: context, locale: try engine.lineLocale(json))
  }

  /// The request's `id` (null when absent): a string of at most `maximumIDBytes` or a number.
  static func requestID(_ json: JSONValue) throws(ChildSafeError) -> JSONValue {
    let id = json["id"] ?? .null
    switch id {
    case .null, .number: return id
    case .string(let text) where text.utf8.count <= maximumIDBytes: return id
    case .string: throw ChildSafeError(.invalidValue, "\"id\" is longer than \(maximumIDBytes) bytes")
    default: throw ChildSafeError(.invalidValue, "\"id\" must be a string or a number")
    }
  }

  /// The `id` an error answer echoes: the request's, unless it is itself what is wrong.
  static func echoedID(_ json: JSONValue) -> JSONValue? {
    guard json.objectValue != nil, json["id"] != nil else { return nil }
    return try? requestID(json)
  }
}
