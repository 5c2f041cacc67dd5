import ChildSafe

/// A rule that fired on a message, with its category.
public struct RuleHit: Sendable, Hashable {
  public var rule: String
  public var category: Category

  public init(rule: String, category: Category) {
    self.rule = rule
    self.category = category
  }
}

/// What the classifier said about one labelled message: labels and verdict, no text.
public struct MessageOutcome: Sendable, Hashable {
  public var id: String
  public var labels: [Category]
  /// The categories of the verdict; the message counts as detected when there is at least one.
  public var categories: [Category]
  public var flagged: Bool
  public var risk: RiskLevel
  public var score: Double
  /// The rules that fired, each once, in the order they first matched.
  public var rules: [RuleHit]

  public init(
    id: String, labels: [Category], categories: [Category], flagged: Bool = false, risk: RiskLevel = .none,
    score: Double = 0, rules: [RuleHit] = []
  ) {
    self.id = id
    self.labels = labels
    self.categories = categories
    self.flagged = flagged
    self.risk = risk
    self.score = score
    self.rules = rules
  }

  public init(message: LabelledMessage, verdict: MessageVerdict) {
    var rules: [RuleHit] = []
    for match in verdict.matches where !rules.contains(where: { $0.rule == match.rule }) {
      rules.append(RuleHit(rule: match.rule, category: match.category))
    }
    self.init(
      id: message.id, labels: message.labels, categories: verdict.categories, flagged: verdict.flagged,
      risk: verdict.risk, score: verdict.score, rules: rules)
  }

  public var isPositive: Bool { !labels.isEmpty }
  public var isDetected: Bool { !categories.isEmpty }
}

/// What the classifier said about one labelled conversation.
public struct ConversationOutcome: Sendable, Hashable {
  public var id: String
  public var isGrooming: Bool
  public var onset: Int?
  public var flagged: Bool
  public var flaggedAt: Int?

  public init(id: String, isGrooming: Bool, onset: Int?, flagged: Bool, flaggedAt: Int?) {
    self.id = id
    self.isGrooming = isGrooming
    self.onset = onset
    self.flagged = flagged
    self.flaggedAt = flaggedAt
  }

  /// Messages from onset to the flag (negative when flagged before onset); nil unless a grooming
  /// conversation with a known onset was flagged.
  public var latency: Int? {
    guard isGrooming, flagged, let onset, let flaggedAt else { return nil }
    return flaggedAt - onset
  }
}
