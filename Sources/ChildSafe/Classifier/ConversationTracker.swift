#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The running state of one conversation: scores, categories, ages and spans only, never message text.
///
/// Fed messages in order (it never looks ahead). For each sender it keeps, per category, evidence
/// that decays with time; a spread of tactics across grooming stages raises the score far more than
/// repeating one category (see ``ScoringPolicy/spreadMultipliers``). It also reads what the
/// conversation shows about ages (``RoleCue``: "im 13", "14/f", "ur only 14", "my mom wont let
/// me", "at work") and weighs each sender's tactics by who talks to whom, as the host's
/// `senderAge`/`recipientAge` would: ages the host gave always win. Memory is bounded: a fixed
/// number of numbers per category and a few spans for at most ``ScoringPolicy/maximumSenders`` senders.
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
    var roles = RoleState()
    /// The recipient age the host gave with this sender's last message.
    var hostRecipientAge: Int?
    /// The conversation model's sums over this sender's latest messages (a ring, two numbers per
    /// message), and where the next goes.
    var modelWindow: [ModelTerms] = []
    var modelNext = 0
    /// Who this sender talks to, as their last scoring weighed it.
    var pairing = Pairing.unknown
  }

  var senders: [SenderState] = []
  var seen: [Bool]
  var lastTime: Double?
  /// The grooming stage of each of the engine's categories (see ``ScoringPolicy/stage(of:)``).
  let stages: [Int]
  /// The stage of each of the engine's categories, as the verdict reports them.
  let fiveStages: [GroomingStage]
  /// The index of `age_probe` among the engine's categories (-1 when absent).
  let ageProbeIndex: Int
  /// The sender of the latest age question and how many messages ago it was asked.
  var ageQuestion: (sender: Int, age: Int)?
  /// The youngest age told about someone who could not be told apart (several others).
  var toldUnattributed: Int?
  /// An age question was answered with an age: the pairing now says what the probe was after.
  var ageAnswered = false
  /// A sender's window reached the conversation model's threshold.
  var modelActed = false
  /// The sender of the latest message.
  var latestSender = 0

  init(engine: ClassifierEngine) {
    self.engine = engine
    let tables = engine.compiled.categoryStages
    seen = [Bool](repeating: false, count: tables.scoring.count)
    stages = tables.scoring
    ageProbeIndex = tables.ageProbeIndex
    fiveStages = tables.grooming
  }

  /// Adds the next message; returns its own verdict. `verdict` then holds the running verdict.
  public mutating func add(_ text: String, context: MessageContext) throws(ChildSafeError) -> MessageVerdict {
    let (message, cues) = try engine.classifyReadingRoles(text, context: context)
    record(message, cues: cues, context: context)
    return message
  }

  /// Adds a verdict computed elsewhere (the same engine) for the next message; `cues` are what
  /// ``ClassifierEngine/classifyReadingRoles(_:context:)`` read from it (none: ages stay as they were).
  public mutating func record(_ message: MessageVerdict, cues: [RoleCue] = [], context: MessageContext) {
    let index = verdict.messageCount
    verdict.messageCount += 1
    let k = stateIndex(for: context.senderID)
    latestSender = k
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
    var rolesChanged = false
    if let age = context.senderAge, senders[k].roles.hostAge != age {
      senders[k].roles.hostAge = age
      rolesChanged = true
    }
    senders[k].hostRecipientAge = context.recipientAge
    if !cues.isEmpty {
      rolesChanged = read(cues, from: k, message: index) || rolesChanged
    } else if let q = ageQuestion {
      ageQuestion = q.age >= 3 ? nil : (q.sender, q.age + 1)
    }

    // The sender's evidence is updated in place (a copy of the state would copy its array).
    var newCategory = false
    var newStage = false
    let categories = engine.categories
    for c in senders[k].evidence.indices {
      var new = 0.0
      var first: RuleMatch?
      for match in message.matches where match.category == categories[c] {
        new = max(new, match.weight)
        if first == nil { first = match }
      }
      // The first evidence of each of the five stages, per participant.
      if let first {
        let stage = fiveStages[c]
        let bit = UInt8(1) << UInt8(stage.rawValue)
        if senders[k].roles.stageMask & bit == 0 {
          senders[k].roles.stageMask |= bit
          senders[k].roles.stages.append(
            StageEvidence(stage: stage, category: first.category, message: index, start: first.start, end: first.end))
          newStage = true
        } else if let s = senders[k].roles.stages.firstIndex(where: { $0.stage == stage }),
          senders[k].roles.stages[s].message == index, first.start < senders[k].roles.stages[s].start
        {
          // Two categories of one stage in the same message: the earlier match.
          senders[k].roles.stages[s] = StageEvidence(
            stage: stage, category: first.category, message: index, start: first.start, end: first.end)
        }
      }
      let old = senders[k].evidence[c] * decay
      // Repetition adds a little; a new category adds its full weight.
      senders[k].evidence[c] = min(1, max(old, new) + 0.2 * min(old, new) * (1 - max(old, new)))
      if new > 0 && !seen[c] {
        seen[c] = true
        newCategory = true
      }
    }
    if newStage { senders[k].roles.stages.sort { $0.stage < $1.stage } }
    // Every sender's weighing may change when ages or stages become known; else only this one's.
    if rolesChanged || newStage {
      for j in senders.indices { rescore(j, at: index) }
    } else {
      rescore(k, at: index)
    }
    let policy = MessageScoring(engine.policy)
    verdict.risk = policy.risk(for: verdict.score, hasSignals: !verdict.stages.isEmpty || newCategory)
    if newCategory { verdict.stages = seen.indices.filter { seen[$0] }.map { categories[$0] } }
    if rolesChanged || newStage { summarise() }
    // A trusted contact's words are not scored as tactics (the model has no rule to tell acts
    // from evidence); their rules' acting signals are already counted above.
    if !context.senderTrusted, var terms = message.conversationTerms, let model = engine.models.conversation {
      if model.settings.participants {
        visitParticipantFeatures(of: k, mask: UInt32(model.settings.weightCount - 1)) { feature in
          terms.sum += model.contribution(feature)
          terms.count += 1
        }
      }
      addToWindow(terms, of: k, model: model, threshold: model.threshold(forLanguage: context.language))
    }
    if let model = engine.models.conversation {
      if modelActed {
        verdict.risk = max(verdict.risk, policy.flagAt == .none ? .low : policy.flagAt)
      } else if verdict.flaggedAt == nil, verdict.risk >= policy.flagAt, Float(verdict.modelScore ?? 0) < model.confirm {
        // The model finds every window so far clearly ordinary: the rules' escalation waits.
        verdict.risk = ModelVeto.belowActing(policy.flagAt)
      }
    }
    if verdict.risk >= policy.flagAt && verdict.flaggedAt == nil {
      verdict.flaggedAt = index
      verdict.flagged = true
    }
  }

  /// Adds one message's sums to its sender's window and scores the window; the conversation
  /// escalates once a window reaches the model's threshold.
  mutating func addToWindow(_ terms: ModelTerms, of k: Int, model: LinearModel, threshold: Float) {
    if senders[k].modelWindow.count < model.window {
      senders[k].modelWindow.append(terms)
    } else {
      senders[k].modelWindow[senders[k].modelNext] = terms
      senders[k].modelNext = (senders[k].modelNext + 1) % model.window
    }
    var sum: Float = 0
    var count = 0
    for t in senders[k].modelWindow {
      sum += t.sum
      count += Int(t.count)
    }
    let p = Double(model.probability(sum: sum, count: count))
    if p > (verdict.modelScore ?? 0) || verdict.modelScore == nil {
      verdict.modelScore = JSONRounding.round(p)
      if !modelActed { verdict.modelSender = senders[k].sender }
    }
    if Float(p) >= threshold && !modelActed {
      modelActed = true
      verdict.modelSender = senders[k].sender
    }
  }

  /// Scores sender `j` with its current weighing; the running verdict keeps the highest score so far.
  mutating func rescore(_ j: Int, at index: Int) {
    let (factors, pairing) = weighing(of: j)
    let score = self.score(of: senders[j].evidence, factors: factors)
    senders[j].score = score
    senders[j].pairing = pairing
    if score > verdict.score {
      verdict.score = JSONRounding.round(score)
      verdict.riskySender = senders[j].sender
      verdict.pairing = pairing
    }
  }

  /// Applies one message's cues to what is known of its sender (and of the others); true when
  /// something changed.
  mutating func read(_ cues: [RoleCue], from k: Int, message index: Int) -> Bool {
    let adultAge = engine.policy.adultAge
    var asked = false
    // What the weighing and the verdict read of the participants, before the cues: most cues of
    // a long conversation change none of it (and then nothing is rescored or summarised).
    // Cues change only the sender and, between two, the other one.
    let other = senders.count == 2 ? 1 - k : k
    let before = (senders[k].roles.signature(adultAge: adultAge), senders[other].roles.signature(adultAge: adultAge))
    let toldBefore = toldUnattributed
    // Speakers cannot be told apart when every message so far came from one id: an answer to a
    // question then still tells an age in the conversation.
    var question = ageQuestion.map { $0.sender != k || senders.count == 1 } ?? false
    for cue in cues {
      if question && cue.age != nil && cue.kind != .otherAge { ageAnswered = true }
      // In a window run together, "asl? 15 f" is a question and its answer.
      if cue.kind == .ageQuestion && senders.count == 1 { question = true }
      let evidence = RoleEvidence(message: index, cue: cue.kind, age: cue.age, start: cue.start, end: cue.end)
      switch cue.kind {
      case .selfAge, .grade:
        guard let age = cue.age else { continue }
        senders[k].roles.addAge(age, adultAge: adultAge)
        senders[k].roles.addEvidence(evidence)
      case .bareNumber:
        guard question, let age = cue.age else { continue }
        senders[k].roles.addAge(age, adultAge: adultAge)
        senders[k].roles.addEvidence(evidence)
      case .otherAge:
        guard let age = cue.age else { continue }
        // Told to the other side: the one other participant, or (several) someone unknown.
        if senders.count == 2 {
          senders[1 - k].roles.addAge(age, adultAge: adultAge)
          senders[1 - k].roles.addEvidence(evidence)
        } else if senders.count == 1 {
          senders[k].roles.addAge(age, adultAge: adultAge)
          senders[k].roles.addEvidence(evidence)
        } else {
          toldUnattributed = min(toldUnattributed ?? age, age)
        }
      case .minorLife:
        senders[k].roles.minorLife += 1
        senders[k].roles.addEvidence(evidence)
      case .adultLife:
        senders[k].roles.adultLife += 1
        senders[k].roles.addEvidence(evidence)
      case .ageQuestion:
        asked = true
      }
    }
    // A question is answered within the next few messages.
    if asked {
      ageQuestion = (k, 0)
    } else if let q = ageQuestion {
      ageQuestion = q.age >= 3 ? nil : (q.sender, q.age + 1)
    }
    return toldUnattributed != toldBefore || senders[k].roles.signature(adultAge: adultAge) != before.0
      || senders[other].roles.signature(adultAge: adultAge) != before.1
  }

  /// How much sender `j`'s evidence weighs per category given who talks to whom, relative to what
  /// the message verdicts already applied (the host's ages), and the pairing it stands for.
  func weighing(of j: Int) -> (factors: Weighing, pairing: Pairing) {
    let policy = engine.policy
    let scoring = MessageScoring(policy)
    let adultAge = policy.adultAge
    // Fields are read in place: a copy of a sender's state would retain and release its arrays.
    let host = MessageContext(senderAge: senders[j].roles.hostAge, recipientAge: senders[j].hostRecipientAge)
    var sender = senders[j].roles.hostAge
    var recipient = senders[j].hostRecipientAge
    var minorShown = (sender.map { $0 < adultAge } ?? false) || (recipient.map { $0 < adultAge } ?? false)
    if senders.count == 1 {
      // One id for everyone (a window of a chat run together, or speakers not given): the ages
      // told belong to both sides. Assume the adult side talks to the minor side.
      let r = senders[j].roles
      minorShown = minorShown || r.showsMinor
      let adult = r.oldestAdult ?? (r.adultLife > 0 ? RoleState.representativeAdult : nil)
      let minor = r.youngestMinor ?? (r.minorLife > 0 ? RoleState.representativeMinor : nil)
      switch (adult, minor) {
      case let (a?, m?):
        sender = sender ?? a
        recipient = recipient ?? m
      case let (nil, m?):
        // Two minors' ages and nothing else: teenagers among themselves.
        if r.minorAges >= 2 && r.minorLife == 0, let oldest = r.oldestMinor { sender = sender ?? oldest }
        recipient = recipient ?? m
      case let (a?, nil):
        // Only adults' ages: adults among themselves.
        if r.adultAges >= 1 {
          sender = sender ?? a
          recipient = recipient ?? (r.youngestAdult ?? a)
        }
      default: break
      }
    } else {
      var target: Int?
      var targetIsAdult = true
      var others = 0
      for i in senders.indices where i != j {
        others += 1
        let age = senders[i].roles.hostAge ?? senders[i].roles.age(adultAge: adultAge)
        if let age, age < adultAge {
          minorShown = true
          target = min(target ?? age, age)
        }
        if age == nil || age! < adultAge { targetIsAdult = false }
        if senders[i].roles.showsMinor { minorShown = true }
      }
      if let told = toldUnattributed, told < adultAge {
        minorShown = true
        target = min(target ?? told, told)
      }
      if senders[j].roles.showsMinor { minorShown = true }
      if target == nil && targetIsAdult && others > 0 {
        // Every other participant shows adult ages.
        target = senders.indices.filter { $0 != j }.compactMap { senders[$0].roles.hostAge ?? senders[$0].roles.age(adultAge: adultAge) }.min()
      }
      recipient = recipient ?? target
      // The sender's own shown age counts only when the other side's is known: an adult saying
      // "18/m pm me" to a room is no one's pairing yet.
      if sender == nil, recipient != nil { sender = senders[j].roles.age(adultAge: adultAge) }
    }
    // An adult and a minor close in age ("17" and "20") are not weighed as adult to minor.
    if host.senderAge == nil || host.recipientAge == nil, let s = sender, let r = recipient, s >= adultAge, r < adultAge,
      s - r < policy.pairingGap
    {
      if host.senderAge == nil { sender = nil }
      if host.recipientAge == nil { recipient = nil }
    }
    let pairing: Pairing
    switch (sender, recipient) {
    case let (s?, r?) where s >= adultAge && r < adultAge: pairing = .adultToMinor
    case let (s?, r?) where s >= adultAge && r >= adultAge: pairing = .adults
    case let (s?, r?) where s < adultAge && r < adultAge: pairing = .minors
    default: pairing = .unknown
    }
    var overall = pairing == .adults ? policy.adultsFactor : 1.0
    if pairing != .adultToMinor && senders.count == 2 {
      // The share of the sender's stages the other side mirrors.
      let mine = senders[j].roles.stageMask
      let shared = mine & senders[1 - j].roles.stageMask
      if shared != 0 {
        let share = Double(shared.nonzeroBitCount) / Double(mine.nonzeroBitCount)
        overall *= 1 - (1 - policy.mirroredFactor) * share
      }
    }
    if !minorShown && host.senderAge == nil && host.recipientAge == nil { overall *= policy.noMinorShownFactor }
    let inferred = MessageContext(senderAge: sender, recipientAge: recipient)
    let probe = ageAnswered && pairing != .adultToMinor ? policy.answeredProbeFactor : 1
    return (Weighing(scoring: scoring, host: host, inferred: inferred, overall: overall, probe: probe), pairing)
  }

  /// Per category: the age factor of the ages now known over the one the message verdicts applied.
  struct Weighing {
    let scoring: MessageScoring
    let host: MessageContext
    let inferred: MessageContext
    let overall: Double
    /// The factor of age probes (see ``ScoringPolicy/answeredProbeFactor``).
    let probe: Double
    let same: Bool

    init(scoring: MessageScoring, host: MessageContext, inferred: MessageContext, overall: Double, probe: Double) {
      self.scoring = scoring
      self.host = host
      self.inferred = inferred
      self.overall = overall
      self.probe = probe
      same = host.senderAge == inferred.senderAge && host.recipientAge == inferred.recipientAge
    }

    func factor(_ category: Category, isAgeProbe: Bool) -> Double {
      let base = isAgeProbe ? overall * probe : overall
      if same { return base }
      let applied = scoring.ageFactor(for: category, context: host)
      return applied > 0 ? base * scoring.ageFactor(for: category, context: inferred) / applied : base
    }
  }

  func score(of evidence: [Double], factors: Weighing) -> Double {
    var remaining = 1.0
    // Per stage (4): the strongest evidence and how many categories have some.
    var strength: (Double, Double, Double, Double) = (0, 0, 0, 0)
    var counts: (Int, Int, Int, Int) = (0, 0, 0, 0)
    let categories = engine.categories
    for (c, raw) in evidence.enumerated() where raw >= 0.2 {
      let e = min(1, raw * factors.factor(categories[c], isAgeProbe: c == ageProbeIndex))
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

  /// Rebuilds the participants of the running verdict (when ages or stages changed: rarely).
  mutating func summarise() {
    let adultAge = engine.policy.adultAge
    var conflict = false
    verdict.participants = senders.map { state in
      let roles = state.roles
      let shown = roles.age(adultAge: adultAge)
      let told = roles.minorAges > 0 || roles.adultAges > 0
      let conflicts = roles.conflicts(adultAge: adultAge)
      conflict = conflict || conflicts
      var role = roles.role(adultAge: adultAge)
      if let host = roles.hostAge { role = host < adultAge ? .minor : .adult }
      return ParticipantSummary(
        id: state.sender, role: role, statedAge: told ? shown : nil, hostAge: roles.hostAge, ageConflict: conflicts,
        evidence: roles.evidence, stages: roles.stages)
    }
    verdict.ageConflict = conflict
  }

  /// The state of a sender, created on first sight; the least risky sender is forgotten when full.
  mutating func stateIndex(for sender: String?) -> Int {
    if let k = senders.firstIndex(where: { $0.sender == sender }) { return k }
    let fresh = SenderState(sender: sender, evidence: [Double](repeating: 0, count: engine.categories.count))
    if senders.count >= max(1, engine.policy.maximumSenders),
      let weakest = senders.indices.min(by: { senders[$0].score < senders[$1].score })
    {
      senders[weakest] = fresh
      if ageQuestion?.sender == weakest { ageQuestion = nil }
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



