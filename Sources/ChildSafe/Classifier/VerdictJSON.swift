/// The JSON shapes of `childsafe check` and `childsafe conversation`, in one place so that other
/// parts (interventions, the daemon) extend them rather than re-implement them.
public enum VerdictJSON {
  /// `{"id", "flagged", "risk", "score", "categories", "matches", ("conversation"), extra...}`.
  public static func message(
    id: JSONValue, verdict: MessageVerdict, conversation: ConversationVerdict? = nil,
    extra: [(String, JSONValue)] = []
  ) -> JSONValue {
    var members: [(String, JSONValue)] = [("id", id)]
    members.append(contentsOf: verdict.jsonMembers)
    if let conversation { members.append(("conversation", .object(self.conversation(conversation)))) }
    members.append(contentsOf: extra)
    return .object(members)
  }

  /// A conversation verdict's members, with the sender the risk is attributed to.
  public static func conversation(_ verdict: ConversationVerdict) -> [(String, JSONValue)] {
    var members = verdict.jsonMembers
    members.append(("risky_sender", verdict.riskySender.map { .string($0) } ?? .null))
    members.append(("pairing", .string(verdict.pairing.rawValue)))
    members.append(("age_conflict", .bool(verdict.ageConflict)))
    members.append(("participants", .array(verdict.participants.map { .object(participant($0)) })))
    return members
  }

  /// `{"id", "role", "stated_age", "host_age", "age_conflict", "evidence", "stages"}`: spans, never text.
  public static func participant(_ p: ParticipantSummary) -> [(String, JSONValue)] {
    [
      ("id", p.id.map { .string($0) } ?? .null), ("role", .string(p.role.rawValue)),
      ("stated_age", p.statedAge.map { .int($0) } ?? .null), ("host_age", p.hostAge.map { .int($0) } ?? .null),
      ("age_conflict", .bool(p.ageConflict)),
      (
        "evidence",
        .array(
          p.evidence.map {
            .object([
              ("message", .int($0.message)), ("cue", .string($0.cue.rawValue)), ("age", $0.age.map { .int($0) } ?? .null),
              ("start", .int($0.start)), ("end", .int($0.end)),
            ])
          })
      ),
      (
        "stages",
        .array(
          p.stages.map {
            .object([
              ("stage", .string($0.stage.description)), ("category", .string($0.category.name)),
              ("message", .int($0.message)), ("start", .int($0.start)), ("end", .int($0.end)),
            ])
          })
      ),
    ]
  }

  /// `{"id", "error": {"code", "message"}}` for a line that could not be classified.
  public static func error(id: JSONValue, _ error: ChildSafeError) -> JSONValue {
    .object([
      ("id", id),
      ("error", .object([("code", .string(error.code.rawValue)), ("message", .string(error.description))])),
    ])
  }
}

/// The fields of a `childsafe check --jsonl` input line (`{"id", "text", and optionally
/// "sender_age", "recipient_age", "sender_trusted", "lang", "conversation", "from", "t", "context"}`), read the same way
/// by the CLI, the C API's `context_json`, the example daemon and whole-conversation lines.
public enum CheckLine {
  public static func field(_ object: JSONValue, _ name: String) throws(ChildSafeError) -> String {
    guard let value = object[name] else { throw ChildSafeError(.invalidArgument, "missing \"\(name)\"") }
    guard let text = value.stringValue else { throw ChildSafeError(.invalidArgument, "\"\(name)\" must be a string") }
    return text
  }

  /// The message context from the optional fields `sender_age`, `recipient_age`,
  /// `sender_trusted`, `lang`, `conversation`, `from`, `t` and `context`.
  public static func context(_ object: JSONValue) throws(ChildSafeError) -> MessageContext {
    try context(ContextFields(object))
  }

  /// The context fields of a line (nil: absent), found in a parsed object or read straight from a
  /// line's bytes (see ``CheckLineReader``); both are judged by ``context(_:)-(ContextFields)``.
  struct ContextFields {
    var senderAge: JSONValue?
    var recipientAge: JSONValue?
    var senderTrusted: JSONValue?
    var lang: JSONValue?
    var conversation: JSONValue?
    var from: JSONValue?
    var t: JSONValue?
    var context: JSONValue?

    init() {}

    /// The first occurrence of each field in `object`.
    init(_ object: JSONValue) {
      senderAge = object["sender_age"]
      recipientAge = object["recipient_age"]
      senderTrusted = object["sender_trusted"]
      lang = object["lang"]
      conversation = object["conversation"]
      from = object["from"]
      t = object["t"]
      context = object["context"]
    }
  }

  static func context(_ fields: ContextFields) throws(ChildSafeError) -> MessageContext {
    var context = MessageContext()
    context.senderAge = try age(fields.senderAge, "sender_age")
    context.recipientAge = try age(fields.recipientAge, "recipient_age")
    context.senderTrusted = try flag(fields.senderTrusted, "sender_trusted") ?? false
    context.language = try optionalString(fields.lang, "lang")
    context.conversationID = try identifier(fields.conversation, "conversation")
    context.senderID = try identifier(fields.from, "from")
    if let t = fields.t, !t.isNull {
      guard let seconds = t.doubleValue, seconds.isFinite else {
        throw ChildSafeError(.invalidValue, "\"t\" must be a number of seconds")
      }
      context.timestamp = seconds
    }
    if let name = try optionalString(fields.context, "context") {
      guard let kind = TextContext(rawValue: name) else {
        throw ChildSafeError(.invalidValue, "\"context\" must be \"chat\" or \"query\"")
      }
      context.context = kind
    }
    return context
  }

  /// true, false, or absent/null (nil).
  static func flag(_ value: JSONValue?, _ name: String) throws(ChildSafeError) -> Bool? {
    guard let value, !value.isNull else { return nil }
    guard let flag = value.boolValue else { throw ChildSafeError(.invalidValue, "\"\(name)\" must be true, false or null") }
    return flag
  }

  static func age(_ object: JSONValue, _ name: String) throws(ChildSafeError) -> Int? {
    try age(object[name], name)
  }

  static func age(_ value: JSONValue?, _ name: String) throws(ChildSafeError) -> Int? {
    guard let value, !value.isNull else { return nil }
    guard let age = value.intValue, age >= 0, age <= 150 else {
      throw ChildSafeError(.invalidValue, "\"\(name)\" must be a whole number of years between 0 and 150, or null")
    }
    return age
  }

  static func optionalString(_ object: JSONValue, _ name: String) throws(ChildSafeError) -> String? {
    try optionalString(object[name], name)
  }

  static func optionalString(_ value: JSONValue?, _ name: String) throws(ChildSafeError) -> String? {
    guard let value, !value.isNull else { return nil }
    guard let text = value.stringValue else { throw ChildSafeError(.invalidValue, "\"\(name)\" must be a string") }
    return text
  }

  /// An id given as a string or a whole number.
  static func identifier(_ value: JSONValue?, _ name: String) throws(ChildSafeError) -> String? {
    guard let value, !value.isNull else { return nil }
    if let text = value.stringValue { return text }
    if let n = value.intValue { return String(n) }
    throw ChildSafeError(.invalidValue, "\"\(name)\" must be a string or a whole number")
  }
}

/// `childsafe conversation --jsonl`: whole conversations, one per line, in the corpus format
/// (`{"id", "lang", "participants": {"A": {"age"}}, "messages": [{"from", "t", "text"}]}`).
public enum ConversationEvaluation {
  /// Most messages one conversation line may hold.
  public static let maximumMessages = 100_000

  /// `{"id", "flagged", "flagged_at", "risk", "score", "stages", "messages", "risky_sender"}` or an error object.
  public static func evaluate(line: String, engine: ClassifierEngine) -> JSONValue? {
    if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { return nil }
    var id = JSONValue.null
    do throws(ChildSafeError) {
      let object = try JSONValue.parse(line, file: "<input>", limits: .init(maximumBytes: 64 << 20))
      guard case .object = object else { throw ChildSafeError(.invalidArgument, "expected a JSON object with \"messages\"") }
      id = object["id"] ?? .null
      let verdict = try evaluate(object, engine: engine)
      var members: [(String, JSONValue)] = [("id", id)]
      members.append(contentsOf: VerdictJSON.conversation(verdict))
      return .object(members)
    } catch {
      return VerdictJSON.error(id: id, error)
    }
  }

  /// A line that could not be evaluated: its id (if read) and the error.
  public struct LineError: Error, Sendable {
    public var id: JSONValue
    public var error: ChildSafeError
  }

  /// The id and verdict of one line (nil for a blank line), for callers that print it their own way.
  public static func verdict(line: String, engine: ClassifierEngine) -> Result<(JSONValue, ConversationVerdict), LineError>? {
    if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { return nil }
    var id = JSONValue.null
    do throws(ChildSafeError) {
      let object = try JSONValue.parse(line, file: "<input>", limits: .init(maximumBytes: 64 << 20))
      guard case .object = object else { throw ChildSafeError(.invalidArgument, "expected a JSON object with \"messages\"") }
      id = object["id"] ?? .null
      return .success((id, try evaluate(object, engine: engine)))
    } catch {
      return .failure(LineError(id: id, error: error))
    }
  }

  /// Feeds a parsed conversation to a tracker, message by message, and returns the final verdict.
  public static func evaluate(_ object: JSONValue, engine: ClassifierEngine) throws(ChildSafeError) -> ConversationVerdict {
    guard let messages = object["messages"]?.arrayValue else {
      throw ChildSafeError(.invalidArgument, "missing \"messages\" (an array)")
    }
    if messages.count > maximumMessages {
      throw ChildSafeError(.inputTooLarge, "a conversation has \(messages.count) messages; the limit is \(maximumMessages)")
    }
    let language = try CheckLine.optionalString(object, "lang")
    var ages: [String: Int] = [:]
    var trusted: Set<String> = []
    var names: [String] = []
    if let participants = object["participants"]?.objectValue {
      for (name, info) in participants {
        names.append(name)
        if let age = try CheckLine.age(info, "age") { ages[name] = age }
        if try CheckLine.flag(info["trusted"], "trusted") == true { trusted.insert(name) }
      }
    }
    var tracker = engine.makeConversation()
    for (k, message) in messages.enumerated() {
      guard case .object = message else {
        throw ChildSafeError(.invalidArgument, "message \(k) is not an object")
      }
      var context = try CheckLine.context(message)
      if context.language == nil { context.language = language }
      if let from = context.senderID {
        context.senderAge = context.senderAge ?? ages[from]
        // As for ages, a message that leaves the field out (or null) takes its participant's.
        if message["sender_trusted"]?.boolValue == nil { context.senderTrusted = trusted.contains(from) }
        let others = names.filter { $0 != from }
        if others.count == 1 { context.recipientAge = context.recipientAge ?? ages[others[0]] }
      }
      let text: String
      do throws(ChildSafeError) { text = try CheckLine.field(message, "text") } catch {
        throw ChildSafeError(error.code, "message \(k): \(error.message)")
      }
      _ = try tracker.add(text, context: context)
    }
    return tracker.verdict
  }
}
