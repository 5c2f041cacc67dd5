/// How much a verdict calls for action.
public enum RiskLevel: Int, Sendable, Hashable, Comparable, CaseIterable, CustomStringConvertible {
  case none = 0, low, medium, high, critical

  public static func < (a: RiskLevel, b: RiskLevel) -> Bool { a.rawValue < b.rawValue }

  public var description: String {
    switch self {
    case .none: "none"
    case .low: "low"
    case .medium: "medium"
    case .high: "high"
    case .critical: "critical"
    }
  }

  public init?(name: String) {
    guard let level = RiskLevel.allCases.first(where: { $0.description == name }) else { return nil }
    self = level
  }
}

/// Where a text comes from: a chat message between people, or a query typed into a search box.
public enum TextContext: String, Sendable, Hashable {
  case chat
  case query
}

/// What the host knows about a message. Every field is optional; unknown ages are treated
/// cautiously, not ignored.
public struct MessageContext: Sendable, Hashable {
  public var senderAge: Int?
  public var recipientAge: Int?
  /// ISO 639-1 language code; nil lets every pack apply.
  public var language: String?
  public var conversationID: String?
  public var senderID: String?
  /// Seconds (any epoch; only differences matter).
  public var timestamp: Double?
  public var context: TextContext
  /// The sender is a contact a parent approved (family, a known friend), as the host's contact
  /// list says. Each rule's `trusted:` line (``Rule/onTrustedContact``) decides what it does on
  /// their messages: by default meeting plans, compliments, gifts and questions about home do not
  /// fire (so a conversation does not count them either), image requests count without flagging
  /// alone, and explicit sexual content, secrecy and coercion act as from anyone: abuse by known
  /// adults is real.
  public var senderTrusted: Bool

  public init(
    senderAge: Int? = nil, recipientAge: Int? = nil, language: String? = nil, conversationID: String? = nil,
    senderID: String? = nil, timestamp: Double? = nil, context: TextContext = .chat, senderTrusted: Bool = false
  ) {
    self.senderAge = senderAge
    self.recipientAge = recipientAge
    self.language = language
    self.conversationID = conversationID
    self.senderID = senderID
    self.timestamp = timestamp
    self.context = context
    self.senderTrusted = senderTrusted
  }
}

/// One rule that fired, and where: the UTF-8 byte span `[start, end)` in the ORIGINAL text.
public struct RuleMatch: Sendable, Hashable {
  public var rule: String
  public var category: Category
  public var weight: Double
  public var start: Int
  public var end: Int

  public init(rule: String, category: Category, weight: Double, start: Int, end: Int) {
    self.rule = rule
    self.category = category
    self.weight = weight
    self.start = start
    self.end = end
  }
}

/// The verdict on one message.
public struct MessageVerdict: Sendable, Hashable {
  /// The decision to act (risk at or above the flag threshold).
  public var flagged: Bool
  public var risk: RiskLevel
  /// In [0, 1].
  public var score: Double
  /// The grooming signals present, whether or not they are enough to act on, in canonical order.
  public var categories: [Category]
  public var matches: [RuleMatch]
  /// What the engine's message-level model made of the message (nil without one). `flagged` and
  /// `risk` already combine it with the rules; `score` is the rules' own.
  public var model: ModelAssessment?
  /// The conversation-level model's sums over this message (what a conversation keeps of it).
  var conversationTerms: ModelTerms?

  public init(
    flagged: Bool, risk: RiskLevel, score: Double, categories: [Category], matches: [RuleMatch],
    model: ModelAssessment? = nil
  ) {
    self.model = model
    self.flagged = flagged
    self.risk = risk
    self.score = score
    self.categories = categories
    self.matches = matches
  }

  public static let clean = MessageVerdict(flagged: false, risk: .none, score: 0, categories: [], matches: [])
}

/// The running verdict on a conversation.
public struct ConversationVerdict: Sendable, Hashable {
  public var flagged: Bool
  /// Index (0-based) of the message at which the conversation was first flagged.
  public var flaggedAt: Int?
  public var risk: RiskLevel
  public var score: Double
  /// The grooming stages (categories) seen so far, in canonical order.
  public var stages: [Category]
  /// The sender the risk is attributed to, when known.
  public var riskySender: String?
  public var messageCount: Int
  /// The participants seen so far (at most ``ScoringPolicy/maximumSenders``), with what the
  /// conversation shows about their ages and the grooming stages each reached.
  public var participants: [ParticipantSummary]
  /// Who talks to whom, as weighed for the risky sender.
  public var pairing: Pairing
  /// The host's ages and the conversation's disagree for some participant (its own signal: a child
  /// claiming to be 18, an adult claiming to be 15).
  public var ageConflict: Bool
  /// The highest score the engine's conversation-level model gave a sender's window so far (nil
  /// without such a model); at its threshold the conversation is flagged.
  public var modelScore: Double?
  /// The sender of the window that reached the model's threshold (or scored highest so far).
  public var modelSender: String?

  public init(
    flagged: Bool, flaggedAt: Int?, risk: RiskLevel, score: Double, stages: [Category], riskySender: String?,
    messageCount: Int, participants: [ParticipantSummary] = [], pairing: Pairing = .unknown, ageConflict: Bool = false
  ) {
    self.participants = participants
    self.pairing = pairing
    self.ageConflict = ageConflict
    self.flagged = flagged
    self.flaggedAt = flaggedAt
    self.risk = risk
    self.score = score
    self.stages = stages
    self.riskySender = riskySender
    self.messageCount = messageCount
  }
}

// MARK: - JSON schemas (shared by the CLI, the C API and the daemon)

extension RuleMatch {
  public var json: JSONValue {
    .object([
      ("rule", .string(rule)), ("category", .string(category.name)), ("start", .int(start)), ("end", .int(end)),
      ("weight", .number(weight)),
    ])
  }
}

extension MessageVerdict {
  /// `{"flagged", "risk", "score", "categories", "matches"}` (the caller adds `id` and more).
  public var jsonMembers: [(String, JSONValue)] {
    [
      ("flagged", .bool(flagged)), ("risk", .string(risk.description)), ("score", .number(JSONRounding.round(score))),
      ("categories", .array(categories.map { .string($0.name) })), ("matches", .array(matches.map(\.json))),
    ] + (model.map { [("model", $0.json)] } ?? [])
  }
}

extension ModelAssessment {
  /// `{"score", "acts", "features": [{"kind", "start", "end", "weight"}]}`: spans, never text.
  public var json: JSONValue {
    .object([
      ("score", .number(score)), ("acts", .bool(acts)),
      (
        "features",
        .array(
          features.map {
            .object([
              ("kind", .string($0.kind.description)), ("start", .int($0.start)), ("end", .int($0.end)),
              ("weight", .number($0.weight)),
            ])
          })
      ),
    ])
  }
}

extension ConversationVerdict {
  public var jsonMembers: [(String, JSONValue)] {
    [
      ("flagged", .bool(flagged)), ("flagged_at", flaggedAt.map { .int($0) } ?? .null),
      ("risk", .string(risk.description)), ("score", .number(JSONRounding.round(score))),
      ("stages", .array(stages.map { .string($0.name) })), ("messages", .int(messageCount)),
    ] + (modelScore.map { [("model_score", .number($0)), ("model_sender", modelSender.map { .string($0) } ?? .null)] } ?? [])
  }
}

/// Scores are printed with four decimals so that output is stable and readable.
public enum JSONRounding {
  public static func round(_ x: Double) -> Double { (x * 10000).rounded() / 10000 }
}
