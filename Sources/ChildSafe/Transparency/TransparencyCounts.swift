/// What a service did in one period, as counts only: never message text, URLs, people's or
/// conversations' ids. Keys are names the configuration defines (classifier categories, risk
/// levels, audiences, intervention kinds, URL categories, age bands), never anything a user typed.
public struct TransparencyCounts: Sendable, Hashable {
  public var period: String
  public var granularity: TransparencyGranularity
  public var messagesChecked = 0
  public var messagesFlagged = 0
  /// Flagged messages per classifier category present in the verdict (a message with two
  /// categories counts in both).
  public var flaggedByCategory: [String: Int] = [:]
  /// Flagged messages per risk level (`low` ... `critical`).
  public var flaggedByRisk: [String: Int] = [:]
  /// Conversations that reached the flag threshold in this period (each once).
  public var conversationsEscalated = 0
  /// Interventions handed to the host, by audience then kind.
  public var interventions: [String: [String: Int]] = [:]
  public var urlsChecked = 0
  public var urlsBlocked = 0
  /// Blocked URLs per category (`invalid` for URLs that could not be read, blocked fail-closed).
  public var urlsBlockedByCategory: [String: Int] = [:]
  /// Messages checked per age band of the child they concern ("unknown" when no age was given).
  public var ageBands: [String: Int] = [:]

  public init(period: String, granularity: TransparencyGranularity) {
    self.period = period
    self.granularity = granularity
  }

  /// Counts one checked message. `context` gives the child's age band: the recipient's age for a
  /// chat message, the searcher's for a query.
  public mutating func record(_ result: CheckResult, context: MessageContext) {
    messagesChecked += 1
    let age = context.context == .query ? context.senderAge : context.recipientAge
    let band = age.flatMap { AgeBand(age: $0)?.rawValue } ?? "unknown"
    ageBands[band, default: 0] += 1
    let verdict = result.verdict
    if verdict.flagged {
      messagesFlagged += 1
      flaggedByRisk[verdict.risk.description, default: 0] += 1
      for category in verdict.categories { flaggedByCategory[category.name, default: 0] += 1 }
    }
    if let conversation = result.conversation, conversation.flagged,
      conversation.flaggedAt == conversation.messageCount - 1
    {
      conversationsEscalated += 1
    }
    for intervention in result.interventions {
      interventions[intervention.audience.rawValue, default: [:]][intervention.kind.rawValue, default: 0] += 1
    }
  }

  /// Counts one checked URL (by its verdict's category, never the URL).
  public mutating func record(_ verdict: URLVerdict) {
    urlsChecked += 1
    if verdict.blocked {
      urlsBlocked += 1
      urlsBlockedByCategory[verdict.category ?? verdict.reason, default: 0] += 1
    }
  }

  /// The counts as JSON, keys sorted: `{"period", "granularity", "messages_checked", ...}`.
  public var json: JSONValue {
    func table(_ counts: [String: Int]) -> JSONValue {
      .object(counts.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })
    }
    return .object([
      ("period", .string(period)), ("granularity", .string(granularity.rawValue)),
      ("messages_checked", .int(messagesChecked)), ("messages_flagged", .int(messagesFlagged)),
      ("flagged_by_category", table(flaggedByCategory)), ("flagged_by_risk", table(flaggedByRisk)),
      ("conversations_escalated", .int(conversationsEscalated)),
      ("interventions", .object(interventions.sorted { $0.key < $1.key }.map { ($0.key, table($0.value)) })),
      ("urls_checked", .int(urlsChecked)), ("urls_blocked", .int(urlsBlocked)),
      ("urls_blocked_by_category", table(urlsBlockedByCategory)), ("age_bands", table(ageBands)),
    ])
  }

  /// Reads counts saved with `json` (e.g. by a service at the end of each period).
  public init(json: JSONValue) throws(ChildSafeError) {
    func fail(_ key: String, _ what: String) -> ChildSafeError {
      ChildSafeError(.invalidValue, "transparency counts: \"\(key)\" must be \(what)")
    }
    func count(_ value: JSONValue?, _ key: String) throws(ChildSafeError) -> Int {
      guard let n = value?.intValue, n >= 0, value?.doubleValue == Double(n) else { throw fail(key, "a whole number of at least 0") }
      return n
    }
    func table(_ key: String) throws(ChildSafeError) -> [String: Int] {
      guard let members = json[key]?.objectValue else { throw fail(key, "an object of counts") }
      var result: [String: Int] = [:]
      for (name, value) in members { result[name] = try count(value, key + "." + name) }
      return result
    }
    guard json.objectValue != nil else { throw ChildSafeError(.invalidValue, "transparency counts: expected a JSON object") }
    guard let period = json["period"]?.stringValue else { throw fail("period", "a string") }
    guard let granularity = json["granularity"]?.stringValue.flatMap(TransparencyGranularity.init(rawValue:)) else {
      throw fail("granularity", "\"day\" or \"month\"")
    }
    self.init(period: period, granularity: granularity)
    messagesChecked = try count(json["messages_checked"], "messages_checked")
    messagesFlagged = try count(json["messages_flagged"], "messages_flagged")
    flaggedByCategory = try table("flagged_by_category")
    flaggedByRisk = try table("flagged_by_risk")
    conversationsEscalated = try count(json["conversations_escalated"], "conversations_escalated")
    guard let audiences = json["interventions"]?.objectValue else { throw fail("interventions", "an object") }
    for (audience, kinds) in audiences {
      guard let kinds = kinds.objectValue else { throw fail("interventions." + audience, "an object of counts") }
      for (kind, value) in kinds { interventions[audience, default: [:]][kind] = try count(value, "interventions.\(audience).\(kind)") }
    }
    urlsChecked = try count(json["urls_checked"], "urls_checked")
    urlsBlocked = try count(json["urls_blocked"], "urls_blocked")
    urlsBlockedByCategory = try table("urls_blocked_by_category")
    ageBands = try table("age_bands")
  }
}
