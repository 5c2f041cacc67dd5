/// `childsafe check --jsonl` (and any host that speaks its line format): one JSON object per input
/// line (`{"id", "text", and optionally "sender_age", "recipient_age", "lang", "conversation",
/// "from", "t", "context"}`), one verdict or error object per output line.
///
/// Messages that name a `conversation` share a `SafetySession` (running verdict, rate-limited
/// interventions). At most `maximumConversations` sessions are kept; the least recently used is
/// dropped. No message text is kept.
public struct CheckStream: Sendable {
  public let engine: SafetyEngine
  public let maximumConversations: Int
  /// Context fields the caller fixes for every line that does not set them (e.g. `--context query`).
  public var defaults: MessageContext

  var sessions: [String: (session: SafetySession, lastUse: Int)] = [:]
  var clock = 0

  public init(engine: SafetyEngine, maximumConversations: Int = 10_000, defaults: MessageContext = MessageContext()) {
    self.engine = engine
    self.maximumConversations = max(1, maximumConversations)
    self.defaults = defaults
  }

  public var trackedConversations: Int { sessions.count }

  /// Processes one input line; nil for a blank line (nothing to answer).
  public mutating func process(line: String) -> JSONValue? {
    if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { return nil }
    var id = JSONValue.null
    do throws(ChildSafeError) {
      let object = try JSONValue.parse(line, file: "<input>")
      guard case .object = object else {
        throw ChildSafeError(.invalidArgument, "expected a JSON object with \"id\" and \"text\"")
      }
      id = object["id"] ?? .null
      let text = try CheckLine.field(object, "text")
      let context = try CheckStream.context(object, defaults: defaults)
      return try check(text, context: context).json(id: id)
    } catch {
      return VerdictJSON.error(id: id, error)
    }
  }

  /// Classifies one message, in its conversation's session when it names one.
  public mutating func check(_ text: String, context: MessageContext) throws(ChildSafeError) -> CheckResult {
    guard let key = context.conversationID else { return try engine.check(text, context: context) }
    clock += 1
    var session: SafetySession
    if let existing = sessions[key] {
      session = existing.session
    } else {
      if sessions.count >= maximumConversations,
        let oldest = sessions.min(by: { $0.value.lastUse < $1.value.lastUse })?.key
      {
        sessions[oldest] = nil
      }
      session = engine.makeSession()
    }
    let result = try session.add(text, context: context)
    sessions[key] = (session, clock)
    return result
  }

  /// The line's context, with `defaults` filling the fields the line leaves out.
  public static func context(_ object: JSONValue, defaults: MessageContext) throws(ChildSafeError) -> MessageContext {
    var context = try CheckLine.context(object)
    if object["sender_age"] == nil { context.senderAge = defaults.senderAge }
    if object["recipient_age"] == nil { context.recipientAge = defaults.recipientAge }
    if object["lang"] == nil { context.language = defaults.language }
    if object["context"] == nil { context.context = defaults.context }
    return context
  }
}
