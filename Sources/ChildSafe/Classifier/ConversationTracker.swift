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
  public private(set) var verdict = ConversationVerdict(
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

  init(engine: ClassifierEngine) {
    self.engine = engine
    seen = [Bool](repeating: false, count: engine.categories.count)
  }

  /// Adds the next message; returns its own verdict. `verdict` then holds the running verdict.
  public mutating func add(_ text: String, context: MessageContext) throws(ChildSafeError) -> MessageVerdict {
    let message = try engine.classify(text, context: context)
    record(message, context: context)
    return message
  }

  /// Adds a verdict computed elsewhere (the same engine) for the next message.
  public mutating func record(_ message: MessageVerdict, context: MessageContext) {
    let policy = engine.policy
    let index = verdict.messageCount
    verdict.messageCount += 1
    let k = stateIndex(for: context.senderID)
    var state = senders[k]
    // Decay: by elapsed time when timestamps are given, else a little per message.
    var decay = policy.decayPerMessage
    if let t = context.timestamp, let last = state.lastTime ?? lastTime {
      let elapsed = max(0, t - last)
      decay = policy.halfLifeSeconds > 0 ? pow2(-elapsed / policy.halfLifeSeconds) : 0
    }
    if let t = context.timestamp {
      state.lastTime = t
      lastTime = t
    }
    var strongest = [Double](repeating: 0, count: state.evidence.count)
    for match in message.matches {
      if let c = engine.categories.firstIndex(of: match.category) { strongest[c] = max(strongest[c], match.weight) }
    }
    for c in state.evidence.indices {
      let old = state.evidence[c] * decay
      let new = strongest[c]
      // Repetition adds a little; a new category adds its full weight.
      state.evidence[c] = min(1, max(old, new) + 0.2 * min(old, new) * (1 - max(old, new)))
      if new > 0 { seen[c] = true }
    }
    state.score = score(of: state.evidence, policy: policy)
    senders[k] = state

    // The running verdict: the highest score so far, attributed to its sender.
    if state.score > verdict.score {
      verdict.score = JSONRounding.round(state.score)
      verdict.riskySender = state.sender
    }
    let hasSignals = seen.contains(true)
    verdict.risk = policy.risk(for: verdict.score, hasSignals: hasSignals)
    verdict.stages = seen.indices.filter { seen[$0] }.map { engine.categories[$0] }
    if verdict.risk >= policy.flagAt && verdict.flaggedAt == nil {
      verdict.flaggedAt = index
      verdict.flagged = true
    }
  }

  func score(of evidence: [Double], policy: ScoringPolicy) -> Double {
    var remaining = 1.0
    var stageStrength = [Double](repeating: 0, count: 4)
    var categoriesPerStage = [Int](repeating: 0, count: 4)
    for (c, e) in evidence.enumerated() where e >= 0.2 {
      remaining *= 1 - e
      let stage = ScoringPolicy.stage(of: engine.categories[c])
      stageStrength[stage] = max(stageStrength[stage], e)
      categoriesPerStage[stage] += 1
    }
    let stages = stageStrength.filter { $0 > 0 }.count
    let extraCategories = categoriesPerStage.reduce(0) { $0 + max(0, $1 - 1) }
    let spread = Double(stages) + 0.5 * Double(extraCategories)
    return min(1, (1 - remaining) * policy.spreadMultiplier(spread))
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
