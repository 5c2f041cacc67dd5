import CChildSafe
import ChildSafe
import Glibc

/// Validation of what C callers pass in: NULLs, lengths, UTF-8 and limits are checked before
/// anything is read past them.
enum Input {
  static let maxTextBytes = Int(CS_MAX_TEXT_BYTES)
  static let maxURLBytes = Int(CS_MAX_URL_BYTES)
  static let maxJSONBytes = Int(CS_MAX_JSON_BYTES)
  static let maxIDBytes = Int(CS_MAX_ID_BYTES)
  static let maxAge = Int(CS_MAX_AGE)

  /// UTF-8 text given as (pointer, length). NULL is the empty text only with length 0.
  /// `length` arrives as Int: a size_t above Int.max shows up negative and is "too large".
  static func text(_ pointer: UnsafePointer<CChar>?, _ length: Int, limit: Int, what: String)
    throws(CAPIFailure) -> String
  {
    if length < 0 || length > limit {
      throw CAPIFailure(CS_ERR_TOO_LARGE, "\(what) is larger than the limit of \(limit) bytes")
    }
    guard let pointer else {
      if length == 0 { return "" }
      throw CAPIFailure.invalidArgument("\(what) is NULL but its length is \(length)")
    }
    let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: length)
    guard let string = String(validating: bytes, as: UTF8.self) else {
      throw CAPIFailure(CS_ERR_INVALID_UTF8, "\(what) is not valid UTF-8")
    }
    return string
  }

  /// A NUL-terminated UTF-8 string, read no further than `limit` bytes; nil stays nil.
  static func cString(_ pointer: UnsafePointer<CChar>?, limit: Int, what: String) throws(CAPIFailure) -> String? {
    guard let pointer else { return nil }
    let length = strnlen(pointer, limit + 1)
    return try text(pointer, length, limit: limit, what: what)
  }

  /// An age in years: negative is unknown (nil); above CS_MAX_AGE is refused.
  static func age(_ value: Int, what: String) throws(CAPIFailure) -> Int? {
    if value < 0 { return nil }
    if value > maxAge { throw CAPIFailure.invalidValue("\(what) \(value) is above the maximum of \(maxAge)") }
    return value
  }

  /// The message context from a cs_context (NULL: nothing known).
  static func context(_ pointer: UnsafePointer<cs_context>?) throws(CAPIFailure) -> MessageContext {
    guard let pointer else { return MessageContext() }
    // Read nothing unless the caller's struct is at least as large as this version's.
    let declared = UnsafeRawPointer(pointer).load(as: Int.self)
    guard declared >= MemoryLayout<cs_context>.size else {
      throw CAPIFailure.invalidArgument(
        "cs_context.size is \(declared); initialise the context with cs_context_init() or CS_CONTEXT_INIT")
    }
    let c = pointer.pointee
    var context = MessageContext()
    context.senderAge = try age(Int(c.sender_age), what: "sender_age")
    context.recipientAge = try age(Int(c.recipient_age), what: "recipient_age")
    context.language = try cString(c.lang, limit: maxIDBytes, what: "lang")
    context.conversationID = try cString(c.conversation_id, limit: maxIDBytes, what: "conversation_id")
    context.senderID = try cString(c.sender_id, limit: maxIDBytes, what: "sender_id")
    if c.has_timestamp != 0 {
      guard c.timestamp.isFinite else { throw CAPIFailure.invalidValue("timestamp is not a finite number") }
      context.timestamp = c.timestamp
    }
    switch c.kind {
    case Int32(truncatingIfNeeded: CS_TEXT_CHAT.rawValue): context.context = .chat
    case Int32(truncatingIfNeeded: CS_TEXT_QUERY.rawValue): context.context = .query
    default: throw CAPIFailure.invalidValue("kind \(c.kind) is not a cs_text_kind")
    }
    return context
  }

  /// The message context from the JSON of a `childsafe check --jsonl` line (NULL: nothing known).
  static func context(json pointer: UnsafePointer<CChar>?) throws(CAPIFailure) -> MessageContext {
    guard let text = try cString(pointer, limit: maxJSONBytes, what: "context_json") else { return MessageContext() }
    let value = try core { () throws(ChildSafeError) in try JSONValue.parse(text, file: "<context_json>") }
    guard value.objectValue != nil else {
      throw CAPIFailure(CS_ERR_SYNTAX, "context_json must be a JSON object")
    }
    var context = MessageContext()
    context.senderAge = try jsonAge(value, "sender_age")
    context.recipientAge = try jsonAge(value, "recipient_age")
    context.language = try jsonString(value, "lang")
    context.conversationID = try jsonString(value, "conversation")
    context.senderID = try jsonString(value, "from")
    if let t = value["t"], !t.isNull {
      guard let seconds = t.doubleValue, seconds.isFinite else {
        throw CAPIFailure.invalidValue("context_json: \"t\" must be a number of seconds")
      }
      context.timestamp = seconds
    }
    if let kind = try jsonString(value, "context") {
      guard let parsed = TextContext(rawValue: kind) else {
        throw CAPIFailure.invalidValue("context_json: \"context\" must be \"chat\" or \"query\", not \"\(kind)\"")
      }
      context.context = parsed
    }
    return context
  }

  private static func jsonAge(_ object: JSONValue, _ key: String) throws(CAPIFailure) -> Int? {
    guard let member = object[key], !member.isNull else { return nil }
    guard let years = member.intValue else {
      throw CAPIFailure.invalidValue("context_json: \"\(key)\" must be an integer number of years or null")
    }
    return try age(years, what: key)
  }

  private static func jsonString(_ object: JSONValue, _ key: String) throws(CAPIFailure) -> String? {
    guard let member = object[key], !member.isNull else { return nil }
    guard let string = member.stringValue else {
      throw CAPIFailure.invalidValue("context_json: \"\(key)\" must be a string or null")
    }
    if string.utf8.count > maxIDBytes {
      throw CAPIFailure(CS_ERR_TOO_LARGE, "context_json: \"\(key)\" is longer than \(maxIDBytes) bytes")
    }
    return string
  }
}
