/// How rule weights become scores and risk levels, per message and per conversation. The defaults
/// are documented in docs/rules.md; hosts may tune them.
public struct ScoringPolicy: Sendable, Hashable {
  /// Lowest score of each risk level above `none` (low starts at any match).
  public var mediumAt = 0.45
  public var highAt = 0.7
  public var criticalAt = 0.9
  /// A verdict is flagged (the decision to act) at this risk or above.
  public var flagAt: RiskLevel = .medium

  /// Age of majority used to tell adults from minors.
  public var adultAge = 18
  /// Minors whose ages differ by at most this many years are peers.
  public var peerGap = 3

  /// Conversation evidence halves after this many seconds without new evidence in its category.
  public var halfLifeSeconds = 3.0 * 24 * 3600
  /// Without timestamps, evidence fades by this factor per message.
  public var decayPerMessage = 0.99
  /// Conversation score multiplier by stage spread (1, 2, 3, 4 stages; interpolated in between; a
  /// second category in the same stage counts half a stage). One category alone stays below medium.
  public var spreadMultipliers = [0.4, 0.8, 1.0, 1.15]
  /// Most senders a conversation tracks; past it, the least risky sender is forgotten.
  public var maximumSenders = 16

  /// Ages a conversation shows (see ``RoleCue``) stand in for the ages the host did not give. An
  /// adult and a minor this many years apart or more are weighed as adult to minor; closer, as
  /// unknown ages.
  public var pairingGap = 4
  /// A sender's tactics mirrored by the other side (both flirt, both talk about sex) weigh this
  /// much (in proportion to the share of their stages mirrored), unless the sender is an adult
  /// talking to a minor.
  public var mirroredFactor = 0.8
  /// Between adults only (host ages or ages the conversation shows), a conversation's tactics
  /// weigh this much more on top of the per-message age factor: two adults' talk is not grooming.
  public var adultsFactor = 0.6
  /// Once an age question has been answered with an age, the probe weighs this much unless the
  /// answer made the pairing adult to minor: the pairing now says what the question was after,
  /// and strangers swapping "asl" is the most common chat opening there is.
  public var answeredProbeFactor = 0.5
  /// Tactics weigh this much while no participant has shown any sign of being a minor and the
  /// host gave no ages: grooming needs a child, and between strangers who never show one the same
  /// words are mostly adults' talk (see docs/quality.md, "Conversation level").
  public var noMinorShownFactor = 0.7

  public init() {}

  public static let `default` = ScoringPolicy()

  public func risk(for score: Double, hasSignals: Bool) -> RiskLevel {
    MessageScoring(self).risk(for: score, hasSignals: hasSignals)
  }

  /// How much the same words weigh given who sends them to whom (see docs/rules.md):
  /// adult to child weighs most; minors of similar age are damped for flirting, compliments,
  /// meeting up and trading; unknown ages are treated cautiously (between the two).
  public func ageFactor(for category: Category, context: MessageContext) -> Double {
    MessageScoring(self).ageFactor(for: category, context: context)
  }

  /// Whether an `audience: adult_to_minor` rule applies: the sender is not known to be a minor
  /// peer (sender age unknown or adult, or the recipient a minor more than 4 years younger).
  public func adultToMinorApplies(_ context: MessageContext) -> Bool {
    MessageScoring(self).adultToMinorApplies(context)
  }

  /// The grooming stage of a category: 0 rapport, 1 risk assessment, 2 exclusivity, 3 escalation.
  public static func stage(of category: Category) -> Int {
    switch category {
    case .flattery, .ageProbe: return 0
    case .riskCheck, .personalInfo: return 1
    case .secrecy, .isolation: return 2
    default: return 3
    }
  }

  func spreadMultiplier(_ spread: Double) -> Double {
    guard spread > 0, !spreadMultipliers.isEmpty else { return 0 }
    if spread <= 1 { return spreadMultipliers[0] * spread }
    let k = min(Int(spread), spreadMultipliers.count)
    if k >= spreadMultipliers.count { return spreadMultipliers[spreadMultipliers.count - 1] }
    let low = spreadMultipliers[k - 1]
    let high = spreadMultipliers[k]
    return low + (high - low) * (spread - Double(k))
  }
}

/// The part of a ``ScoringPolicy`` that message verdicts use. Scalars only, so the classifier's
/// hot path holds it without reference counting (the policy's multiplier list is an array).
struct MessageScoring: Sendable {
  let mediumAt: Double
  let highAt: Double
  let criticalAt: Double
  let flagAt: RiskLevel
  let adultAge: Int
  let peerGap: Int

  init(_ policy: ScoringPolicy) {
    mediumAt = policy.mediumAt
    highAt = policy.highAt
    criticalAt = policy.criticalAt
    flagAt = policy.flagAt
    adultAge = policy.adultAge
    peerGap = policy.peerGap
  }

  /// The highest score of a message whose signals are all evidence only, when the recipient is
  /// not known to be a minor: just below medium.
  var evidenceCeiling: Double { JSONRounding.round(mediumAt - 0.01) }

  /// Whether the message goes to a known minor from someone who is neither a minor peer nor a
  /// trusted contact: then evidence-only rules (``RuleActs/withMinor``) act as well.
  func towardKnownMinor(_ context: MessageContext) -> Bool {
    !context.senderTrusted && recipientIsKnownMinor(context)
  }

  /// Whether the message goes to a known minor from someone who is not a minor peer, trusted or not.
  func recipientIsKnownMinor(_ context: MessageContext) -> Bool {
    guard let recipient = context.recipientAge, recipient < adultAge else { return false }
    return adultToMinorApplies(context)
  }

  func risk(for score: Double, hasSignals: Bool) -> RiskLevel {
    guard hasSignals else { return .none }
    if score >= criticalAt { return .critical }
    if score >= highAt { return .high }
    if score >= mediumAt { return .medium }
    return .low
  }

  /// See ``ScoringPolicy/ageFactor(for:context:)``.
  func ageFactor(for category: Category, context: MessageContext) -> Double {
    let sender = context.senderAge
    let recipient = context.recipientAge
    func isMinor(_ age: Int) -> Bool { age < adultAge }
    switch (sender, recipient) {
    case let (s?, r?) where isMinor(s) && isMinor(r):
      let gap = s - r
      if abs(gap) <= peerGap { return peerFactor(category) }
      return gap > 0 ? 1.0 : 0.7
    case let (s?, r?) where isMinor(s) && !isMinor(r): return 0.6
    case let (s?, nil) where isMinor(s): return 0.85
    case let (s?, r?) where !isMinor(s) && isMinor(r): return 1.25
    case let (s?, r?) where !isMinor(s) && !isMinor(r): return 0.5
    case (_?, nil): return 1.1
    case let (nil, r?): return isMinor(r) ? 1.0 : 0.6
    default: return 0.9
    }
  }

  /// Damping between minor peers: ordinary teen talk (flirting, compliments, meeting, trading)
  /// is damped most; secrecy and pictures less; threats not at all.
  func peerFactor(_ category: Category) -> Double {
    switch category {
    case .sexual, .flattery, .meeting: return 0.4
    case .gifts, .personalInfo, .platformSwitch, .ageProbe: return 0.6
    case .coercion: return 1.0
    default: return 0.8
    }
  }

  /// See ``ScoringPolicy/adultToMinorApplies(_:)``.
  func adultToMinorApplies(_ context: MessageContext) -> Bool {
    guard let sender = context.senderAge else { return true }
    if sender >= adultAge { return true }
    if let recipient = context.recipientAge, recipient < adultAge, sender - recipient > 4 { return true }
    return false
  }
}
