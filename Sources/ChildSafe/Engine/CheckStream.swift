/// `childsafe check --jsonl` (and any host that speaks its line format): one JSON object per input
/// line (`{"id", "text", and optionally "sender_age", "recipient_age", "sender_trusted", "lang", "locale",
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
  /// Engines worded in the locales lines asked for (see ``wording(_:)``), and the index in
  /// `wordedEngines` of each tag's (``ownWording``: the stream's engine words it). Lines use
  /// indices so that no engine is copied per line.
  var wordedEngines: [SafetyEngine] = []
  var wordingOfTag: [WordingTag: Int] = [:]
  /// The last line's tag and wording: lines of a stream mostly name the same one.
  var lastWording: (tag: WordingTag, index: Int)?
  /// A line's text with its escapes undone (see ``process(utf8:lineNumber:into:)``), reused.
  var decodedText: [UInt8] = []
  /// Where answers are written before they are copied out, reused.
  var answerStorage: [UInt8] = []

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
    try check(text, context: context, wording: CheckStream.ownWording)
  }

  /// The engine whose interventions word a line (nil: the stream's own), see
  /// ``SafetyEngine/lineLocale(_:)``; made once per tag.
  mutating func wording(_ object: JSONValue) throws(ChildSafeError) -> Int {
    try wording(locale: object["locale"], lang: object["lang"])
  }

  /// The wording of a line that does not name its own: the stream's engine.
  static let ownWording = -1

  /// The same from a line's `"locale"` and `"lang"` (nil: absent).
  mutating func wording(locale: JSONValue?, lang: JSONValue?) throws(ChildSafeError) -> Int {
    let key: WordingTag
    if let value = locale, !value.isNull {
      key = .locale(value.stringValue ?? "")
    } else if let tag = lang?.stringValue {
      key = .lang(tag)
    } else {
      return CheckStream.ownWording
    }
    if let last = lastWording, last.tag == key { return last.index }
    if let known = wordingOfTag[key] {
      lastWording = (key, known)
      return known
    }
    // `lineLocale` reads only these two fields.
    var fields: [(String, JSONValue)] = []
    if let locale { fields.append(("locale", locale)) }
    if let lang { fields.append(("lang", lang)) }
    var worded: SafetyEngine? = nil
    if let tag = try engine.lineLocale(.object(fields)) { worded = try engine.worded(in: tag) }
    // Bounded: a hostile stream naming a new tag on every line must not grow memory without end.
    if wordingOfTag.count >= CheckStream.maximumLocales {
      wordingOfTag.removeAll()
      wordedEngines.removeAll()
    }
    var index = CheckStream.ownWording
    if let worded {
      index = wordedEngines.count
      wordedEngines.append(worded)
    }
    wordingOfTag[key] = index
    lastWording = (key, index)
    return index
  }

  /// What words a line's interventions: its `"locale"`, else its `"lang"`.
  enum WordingTag: Hashable, Sendable {
    case locale(String)
    case lang(String)
  }

  /// Most per-line locale tags whose engines are kept.
  static let maximumLocales = 64

  mutating func check(_ text: String, context: MessageContext, wording: Int) throws(ChildSafeError) -> CheckResult {
    var text = text
    let result = text.withUTF8 { bytes in
      Result { () throws(ChildSafeError) in try check(validUTF8: bytes, context: context, wording: wording) }
    }
    return try result.get()
  }

  mutating func check(validUTF8 text: UnsafeBufferPointer<UInt8>, context: MessageContext, wording: Int)
    throws(ChildSafeError) -> CheckResult
  {
    guard let key = context.conversationID else {
      if wording == CheckStream.ownWording { return try engine.check(validUTF8: text, context: context) }
      return try wordedEngines[wording].check(validUTF8: text, context: context)
    }
    let interventions = wording == CheckStream.ownWording ? engine.interventions : wordedEngines[wording].interventions
    if let slot = slotOfConversation[key] {
      // In place: a copy of the session would copy its state. (`add` throws before changing anything.)
      let result = try slots[slot].session.add(validUTF8: text, context: context, wording: interventions)
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
    let result = try session.add(validUTF8: text, context: context, wording: interventions)
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
    try context(CheckLine.ContextFields(object), defaults: defaults)
  }

  static func context(_ fields: CheckLine.ContextFields, defaults: MessageContext) throws(ChildSafeError) -> MessageContext {
    var context = try CheckLine.context(fields)
    if fields.senderAge == nil { context.senderAge = defaults.senderAge }
    if fields.recipientAge == nil { context.recipientAge = defaults.recipientAge }
    if fields.senderTrusted == nil { context.senderTrusted = defaults.senderTrusted }
    if fields.lang == nil { context.language = defaults.language }
    if fields.context == nil { context.context = defaults.context }
    return context
  }
}
