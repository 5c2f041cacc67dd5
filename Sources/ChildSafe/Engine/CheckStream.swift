/// `childsafe check --jsonl` (and any host that speaks its line format): one JSON object per input
/// line (`{"id", "text", and optionally "sender_age", "recipient_age", "lang", "locale",
/// "conversation", "from", "t", "context"}`), one verdict or error object per output line.
///
/// A line's `"locale"` words its interventions; without one, its `"lang"` does when the catalogs
/// have messages in that language; otherwise the engine's locale applies.
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
  /// Engines worded in the locales lines asked for (see ``wording(_:)``).
  var wordingOfTag: [String: SafetyEngine?] = [:]

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

  /// Processes one input line; nil for a blank line (nothing to answer). `lineNumber` (counted
  /// from 1) places a syntax error at its line in the stream rather than at line 1 of the line.
  public mutating func process(line: String, lineNumber: Int = 1) -> JSONValue? {
    if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { return nil }
    var id = JSONValue.null
    do throws(ChildSafeError) {
      let object: JSONValue
      do {
        object = try JSONValue.parse(line, file: CheckStream.inputName)
      } catch {
        throw CheckStream.located(error, lineNumber: lineNumber)
      }
      guard case .object = object else {
        throw ChildSafeError(.invalidArgument, "expected a JSON object with \"id\" and \"text\"")
      }
      id = object["id"] ?? .null
      let text = try CheckLine.field(object, "text")
      let context = try CheckStream.context(object, defaults: defaults)
      let wording = try self.wording(object)
      return try check(text, context: context, wording: wording).json(id: id)
    } catch {
      return VerdictJSON.error(id: id, error)
    }
  }

  /// How errors in a line name the input.
  public static let inputName = "<input>"

  /// A JSON syntax error of one line, moved to that line of the stream.
  static func located(_ error: ChildSafeError, lineNumber: Int) -> ChildSafeError {
    guard var location = error.location, location.file == inputName else { return error }
    location.line += lineNumber - 1
    var moved = error
    moved.location = location
    return moved
  }

  /// Classifies one message, in its conversation's session when it names one.
  public mutating func check(_ text: String, context: MessageContext) throws(ChildSafeError) -> CheckResult {
    try check(text, context: context, wording: nil)
  }

  /// The engine whose interventions word a line (nil: the stream's own), see
  /// ``SafetyEngine/lineLocale(_:)``; made once per tag.
  mutating func wording(_ object: JSONValue) throws(ChildSafeError) -> SafetyEngine? {
    let key: String
    if let value = object["locale"], !value.isNull {
      key = value.stringValue ?? ""
    } else if let tag = object["lang"]?.stringValue {
      key = "lang:" + tag
    } else {
      return nil
    }
    if let known = wordingOfTag[key] { return known }
    var worded: SafetyEngine? = nil
    if let locale = try engine.lineLocale(object) { worded = try engine.worded(in: locale) }
    // Bounded: a hostile stream naming a new tag on every line must not grow memory without end.
    if wordingOfTag.count >= CheckStream.maximumLocales { wordingOfTag.removeAll() }
    wordingOfTag[key] = .some(worded)
    return worded
  }

  /// Most per-line locale tags whose engines are kept.
  static let maximumLocales = 64

  mutating func check(_ text: String, context: MessageContext, wording: SafetyEngine?) throws(ChildSafeError) -> CheckResult {
    guard let key = context.conversationID else { return try (wording ?? engine).check(text, context: context) }
    let interventions = (wording ?? engine).interventions
    if let slot = slotOfConversation[key] {
      // In place: a copy of the session would copy its state. (`add` throws before changing anything.)
      let result = try slots[slot].session.add(text, context: context, wording: interventions)
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
    let result = try session.add(text, context: context, wording: interventions)
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
