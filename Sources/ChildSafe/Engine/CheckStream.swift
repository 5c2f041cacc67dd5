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

  /// Sessions, threaded on a recency list (most recently used first) so that finding and dropping
  /// the least recently used one costs O(1) whatever the number of conversations.
  var slots: [SessionSlot] = []
  var slotOfConversation: [String: Int] = [:]
  var newest = -1
  var oldest = -1
  /// Slots of dropped conversations, reused first.
  var freeSlots: [Int] = []

  struct SessionSlot: Sendable {
    var conversation: String
    var session: SafetySession
    var newer = -1
    var older = -1
  }

  public init(engine: SafetyEngine, maximumConversations: Int = 10_000, defaults: MessageContext = MessageContext()) {
    self.engine = engine
    self.maximumConversations = max(1, maximumConversations)
    self.defaults = defaults
  }

  public var trackedConversations: Int { slotOfConversation.count }

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
    if let slot = slotOfConversation[key] {
      // In place: a copy of the session would copy its state. (`add` throws before changing anything.)
      let result = try slots[slot].session.add(text, context: context)
      unlink(slot)
      makeNewest(slot)
      return result
    }
    if slotOfConversation.count >= maximumConversations {
      let dropped = oldest
      unlink(dropped)
      slotOfConversation[slots[dropped].conversation] = nil
      freeSlots.append(dropped)
    }
    var session = engine.makeSession()
    let result = try session.add(text, context: context)
    let slot: Int
    if let reused = freeSlots.popLast() {
      slot = reused
      slots[slot] = SessionSlot(conversation: key, session: session)
    } else {
      slot = slots.count
      slots.append(SessionSlot(conversation: key, session: session))
    }
    slotOfConversation[key] = slot
    makeNewest(slot)
    return result
  }

  mutating func unlink(_ slot: Int) {
    let newer = slots[slot].newer
    let older = slots[slot].older
    if newer >= 0 { slots[newer].older = older } else { newest = older }
    if older >= 0 { slots[older].newer = newer } else { oldest = newer }
    slots[slot].newer = -1
    slots[slot].older = -1
  }

  mutating func makeNewest(_ slot: Int) {
    slots[slot].older = newest
    if newest >= 0 { slots[newest].newer = slot }
    newest = slot
    if oldest < 0 { oldest = slot }
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
