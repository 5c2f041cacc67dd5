#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The running state of one conversation: scores and categories only, never message text.
///
/// Fed messages in order (it never looks ahead). For each sender it keeps, per category, evidence
/// that decays with time; a spread of tactics across grooming stages raises the score far more than
/// repeating one category (see ``ScoringPolicy/spreadMultipliers``). Memory is bounded: a fixed
/// number of numbers per category for at most ``ScoringPolicy/maximumSenders`` senders.
public struct ConversationTracker: Sendable {
  let engine: ClassifierEngine
  public internal(set) var verdict = ConversationVerdict(
    flagged: false, flaggedAt: nil, risk: .none, score: 0, stages: [], riskySender: nil, messageCount: 0)

  /// Evidence from one sender (an id the host gave, never text).
  struct SenderState: Sendable {
    var sender: String?
    var evidence: [Double]
    var lastTime: Double?
    var score = 0.0
  }

  var senders: [SenderState] = []
  var seen: [Bool]
  var lastTime: Double?
  /// The grooming stage of each of the engine's categories (see ``ScoringPolicy/stage(of:)``).
  let stages: [Int]

  init(engine: ClassifierEngine) {
    self.engine = engine
    seen = [Bool](repeating: false, count: engine.categories.count)
    stages = engine.categories.map(ScoringPolicy.stage(of:))
  }

  /// Adds the next message; returns its own verdict. `verdict` then holds the running verdict.
  public mutating func add(_ text: String, context: MessageContext) throws(ChildSafeError) -> MessageVerdict {
    let message = try engine.classify(text, context: context)
    record(message, context: context)
    return message
  }

  /// Adds a verdict computed elsewhere (the same engine) for the next message.
  public mutating func record(_ message: MessageVerdict, context: MessageContext) {
    let index = verdict.messageCount
    verdict.messageCount += 1
    let k = stateIndex(for: context.senderID)
    // Decay: by elapsed time when timestamps are given, else a little per message.
    var decay = engine.policy.decayPerMessage
    if let t = context.timestamp, let last = senders[k].lastTime ?? lastTime {
      let elapsed = max(0, t - last)
      let halfLife = engine.policy.halfLifeSeconds
      decay = halfLife > 0 ? pow2(-elapsed / halfLife) : 0
    }
    if let t = context.timestamp {
      senders[k].lastTime = t
      lastTime = t
    }
    // The sender's evidence is updated in place (a copy of the state would copy its array).
    var newCategory = false
    let categories = engine.categories
    for c in senders[k].evidence.indices {
      var new = 0.0
      for match in message.matches where match.category == categories[c] { new = max(new, match.weight) }
      let old = senders[k].evidence[c] * decay
      // Repetition adds a little; a new category adds its full weight.
      senders[k].evidence[c] = min(1, max(old, new) + 0.2 * min(old, new) * (1 - max(old, new)))
      if new > 0 && !seen[c] {
        seen[c] = true
        newCategory = true
      }
    }
    let score = self.score(of: senders[k].evidence)
    senders[k].score = score

    // The running verdict: the highest score so far, attributed to its sender.
    if score > verdict.score {
      verdict.score = JSONRounding.round(score)
      verdict.riskySender = senders[k].sender
    }
    let policy = MessageScoring(engine.policy)
    verdict.risk = policy.risk(for: verdict.score, hasSignals: !verdict.stages.isEmpty || newCategory)
    if newCategory { verdict.stages = seen.indices.filter { seen[$0] }.map { categories[$0] } }
    if verdict.risk >= policy.flagAt && verdict.flaggedAt == nil {
      verdict.flaggedAt = index
      verdict.flagged = true
    }
  }

  func score(of evidence: [Double]) -> Double {
    var remaining = 1.0
    // Per stage (4): the strongest evidence and how many categories have some.
    var strength: (Double, Double, Double, Double) = (0, 0, 0, 0)
    var counts: (Int, Int, Int, Int) = (0, 0, 0, 0)
    for (c, e) in evidence.enumerated() where e >= 0.2 {
      remaining *= 1 - e
      switch stages[c] {
      case 0: strength.0 = max(strength.0, e); counts.0 += 1
      case 1: strength.1 = max(strength.1, e); counts.1 += 1
      case 2: strength.2 = max(strength.2, e); counts.2 += 1
      default: strength.3 = max(strength.3, e); counts.3 += 1
      }
    }
    let stageCount =
      (strength.0 > 0 ? 1 : 0) + (strength.1 > 0 ? 1 : 0) + (strength.2 > 0 ? 1 : 0) + (strength.3 > 0 ? 1 : 0)
    let extraCategories = max(0, counts.0 - 1) + max(0, counts.1 - 1) + max(0, counts.2 - 1) + max(0, counts.3 - 1)
    let spread = Double(stageCount) + 0.5 * Double(extraCategories)
    return min(1, (1 - remaining) * engine.policy.spreadMultiplier(spread))
  }

  /// The state of a sender, created on first sight; the least risky sender is forgotten when full.
  mutating func stateIndex(for sender: String?) -> Int {
    if let k = senders.firstIndex(where: { $0.sender == sender }) { return k }
    let fresh = SenderState(sender: sender, evidence: [Double](repeating: 0, count: engine.categories.count))
    if senders.count >= max(1, engine.policy.maximumSenders),
      let weakest = senders.indices.min(by: { senders[$0].score < senders[$1].score })
    {
      senders[weakest] = fresh
      return weakest
    }
    senders.append(fresh)
    return senders.count - 1
  }

  /// How many senders are tracked (bounded by the policy).
  public var trackedSenders: Int { senders.count }
}

/// 2^x (libm's exp2, through Glibc or Darwin).
@inline(__always)
func pow2(_ x: Double) -> Double {
  if x < -1074 { return 0 }
  return exp2(x)
}
