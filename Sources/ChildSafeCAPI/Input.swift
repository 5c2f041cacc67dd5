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

  /// The largest `size` a caller-filled struct may declare: a newer header's struct, not any memory.
  static let maxStructBytes = 4096

  /// A caller-filled struct that starts with its `size`: the members that size covers, the rest
  /// from `defaults`. A smaller size than `minimum` (the first published layout) is refused; a
  /// larger size than this version knows is accepted only when the members it does not know are
  /// zero, so a newer caller's setting is never silently ignored.
  static func sized<T>(
    _ pointer: UnsafePointer<T>, defaults: T, minimum: Int, name: String, initialiser: String
  ) throws(CAPIFailure) -> T {
    let raw = UnsafeRawPointer(pointer)
    let declared = raw.load(as: Int.self)
    let known = MemoryLayout<T>.size
    guard declared >= minimum, declared <= maxStructBytes else {
      throw CAPIFailure.invalidArgument("\(name).size is \(declared); initialise it with \(initialiser)")
    }
    if declared > known {
      for offset in known..<declared where raw.load(fromByteOffset: offset, as: UInt8.self) != 0 {
        throw CAPIFailure.invalidArgument(
          "\(name) sets members that this library (\(ChildSafeVersion.string)) does not know; update libchildsafe")
      }
    }
    var value = defaults
    withUnsafeMutableBytes(of: &value) { destination in
      destination.copyMemory(from: UnsafeRawBufferPointer(start: raw, count: min(declared, known)))
    }
    return value
  }

  /// The size of the first published cs_context (up to on_intervention_ctx): callers built
  /// against that header keep working, with `sender_trusted` at 0.
  static let firstContextSize =
    (MemoryLayout<cs_context>.offset(of: \cs_context.on_intervention_ctx) ?? 64) + MemoryLayout<UnsafeMutableRawPointer?>.size

  /// The message context from a cs_context (NULL: nothing known).
  static func context(_ pointer: UnsafePointer<cs_context>?) throws(CAPIFailure) -> MessageContext {
    guard let pointer else { return MessageContext() }
    var defaults = cs_context()
    cs_context_init(&defaults)
    let c = try sized(
      pointer, defaults: defaults, minimum: firstContextSize, name: "cs_context",
      initialiser: "cs_context_init() or CS_CONTEXT_INIT")
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
    context.senderTrusted = c.sender_trusted != 0
    switch c.kind {
    case Int32(truncatingIfNeeded: CS_TEXT_CHAT.rawValue): context.context = .chat
    case Int32(truncatingIfNeeded: CS_TEXT_QUERY.rawValue): context.context = .query
    default: throw CAPIFailure.invalidValue("kind \(c.kind) is not a cs_text_kind")
    }
    return context
  }

  /// A context_json object: the fields of a `childsafe check --jsonl` line, read exactly as the CLI
  /// reads them (CheckStream.context), so that the C API and the CLI agree. NULL: nothing known.
  /// The context, the `"id"` and the whole object (whose `"locale"` or `"lang"` words interventions).
  static func contextObject(json pointer: UnsafePointer<CChar>?) throws(CAPIFailure) -> (MessageContext, JSONValue?, JSONValue?) {
    guard let text = try cString(pointer, limit: maxJSONBytes, what: "context_json") else { return (MessageContext(), nil, nil) }
    let value = try core { () throws(ChildSafeError) in try JSONValue.parse(text, file: "<context_json>") }
    guard value.objectValue != nil else {
      throw CAPIFailure(CS_ERR_SYNTAX, "context_json must be a JSON object")
    }
    let context = try core { () throws(ChildSafeError) in try CheckStream.context(value, defaults: MessageContext()) }
    for id in [context.conversationID, context.senderID, context.language].compactMap({ $0 }) where id.utf8.count > maxIDBytes {
      throw CAPIFailure(CS_ERR_TOO_LARGE, "context_json: an id or language code is longer than \(maxIDBytes) bytes")
    }
    return (context, value["id"], value)
  }
}
