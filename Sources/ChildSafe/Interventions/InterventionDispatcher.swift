/// What the host did with an intervention it was handed.
public enum InterventionResponse: Sendable, Hashable {
  /// Shown to its audience (counts for rate limiting).
  case shown
  /// Shown, and the person acknowledged it (tapped "OK", opened the help link...).
  case acknowledged
  /// Not shown (the host decided otherwise): it does not count for rate limiting.
  case suppressed
}

/// Receives interventions to deliver. Called on the thread that calls `dispatch`, outside any lock,
/// so it may call back into the dispatcher (e.g. `mute`).
public protocol InterventionHandler: Sendable {
  func handle(_ intervention: Intervention) -> InterventionResponse
}

/// An `InterventionHandler` made from a closure.
public struct ClosureInterventionHandler: InterventionHandler {
  let body: @Sendable (Intervention) -> InterventionResponse
  public init(_ body: @escaping @Sendable (Intervention) -> InterventionResponse) { self.body = body }
  public func handle(_ intervention: Intervention) -> InterventionResponse { body(intervention) }
}

/// At most one intervention per (conversation, audience) per `minimumSeconds` and per
/// `minimumMessages` messages, so that a child is not flooded with prompts. A more serious risk than
/// the last one delivered gets through at once (`escalationBypasses`).
public struct RateLimit: Sendable, Hashable {
  public var minimumSeconds: Double
  public var minimumMessages: Int
  public var escalationBypasses: Bool
  /// Conversations remembered; the least recently active are forgotten beyond this (bounded memory).
  public var maximumConversations: Int

  public init(minimumSeconds: Double = 300, minimumMessages: Int = 10, escalationBypasses: Bool = true, maximumConversations: Int = 10_000) {
    self.minimumSeconds = max(0, minimumSeconds)
    self.minimumMessages = max(0, minimumMessages)
    self.escalationBypasses = escalationBypasses
    self.maximumConversations = max(1, maximumConversations)
  }

  /// No rate limiting.
  public static let none = RateLimit(minimumSeconds: 0, minimumMessages: 0)
}

/// What happened to one intervention in `dispatch`.
public enum DispatchOutcome: Sendable, Hashable {
  /// Handed to the handler, which answered this.
  case delivered(InterventionResponse)
  /// Held back: one was delivered to this audience in this conversation too recently.
  case rateLimited
  /// Held back: the host muted this audience in this conversation.
  case muted
}

/// Counters for measuring interventions (shown, acknowledged, held back), as the reThink evaluation did.
public struct DispatchStatistics: Sendable, Hashable {
  public var shown = 0
  public var acknowledged = 0
  public var suppressedByHost = 0
  public var rateLimited = 0
  public var muted = 0
}

/// Delivers interventions to a handler with rate limiting per (conversation, audience). Thread-safe.
/// Its state holds conversation ids, counters, times and risk levels only.
public final class InterventionDispatcher: Sendable {
  struct AudienceState: Sendable {
    var lastTime: Double?
    var lastMessage: Int?
    var lastRisk: RiskLevel = .none
    var mutedUntilTime: Double?
    var mutedUntilMessage: Int?
  }

  struct ConversationState: Sendable {
    var messages = 0
    var lastActive: UInt64 = 0
    var audiences: [Audience: AudienceState] = [:]
  }

  struct State: Sendable {
    var conversations: [String: ConversationState] = [:]
    var clock: UInt64 = 0
    var statistics = DispatchStatistics()
  }

  public let rateLimit: RateLimit
  let handler: any InterventionHandler
  let state = Locked(State())

  public init(handler: any InterventionHandler, rateLimit: RateLimit = RateLimit()) {
    self.handler = handler
    self.rateLimit = rateLimit
  }

  public convenience init(
    rateLimit: RateLimit = RateLimit(), _ handle: @escaping @Sendable (Intervention) -> InterventionResponse
  ) {
    self.init(handler: ClosureInterventionHandler(handle), rateLimit: rateLimit)
  }

  public var statistics: DispatchStatistics { state.withLock { $0.statistics } }

  /// The number of conversations currently remembered.
  public var trackedConversations: Int { state.withLock { $0.conversations.count } }

  /// Call once per message (or search) with the interventions the engine returned for it, even when
  /// there are none, so that message counts stay right. `time` is the message's time in seconds (any
  /// epoch), or nil. Returns what happened to each intervention, in order.
  @discardableResult
  public func dispatch(_ interventions: [Intervention], conversation: String?, time: Double?) -> [DispatchOutcome] {
    let key = conversation ?? ""
    // Decide and record under the lock; call the handler outside it.
    let decisions: [(DispatchOutcome?, AudienceState?)] = state.withLock { state in
      state.clock &+= 1
      var conv = state.conversations[key] ?? ConversationState()
      conv.messages += 1
      conv.lastActive = state.clock
      var result: [(DispatchOutcome?, AudienceState?)] = []
      for intervention in interventions {
        let previous = conv.audiences[intervention.audience] ?? AudienceState()
        if isMuted(previous, time: time, message: conv.messages) {
          state.statistics.muted += 1
          result.append((.muted, nil))
        } else if !allows(previous, risk: intervention.risk, time: time, message: conv.messages) {
          state.statistics.rateLimited += 1
          result.append((.rateLimited, nil))
        } else {
          var next = previous
          next.lastTime = time ?? previous.lastTime
          next.lastMessage = conv.messages
          next.lastRisk = intervention.risk
          conv.audiences[intervention.audience] = next
          result.append((nil, previous))
        }
      }
      state.conversations[key] = conv
      if state.conversations.count > rateLimit.maximumConversations { evict(&state) }
      return result
    }
    var outcomes: [DispatchOutcome] = []
    for (intervention, (decided, previous)) in zip(interventions, decisions) {
      if let decided {
        outcomes.append(decided)
        continue
      }
      let response = handler.handle(intervention)
      outcomes.append(.delivered(response))
      state.withLock { state in
        switch response {
        case .shown: state.statistics.shown += 1
        case .acknowledged:
          state.statistics.shown += 1
          state.statistics.acknowledged += 1
        case .suppressed:
          // Not shown: it must not stop the next one. Restore what was there before.
          state.statistics.suppressedByHost += 1
          if let previous { state.conversations[key]?.audiences[intervention.audience] = previous }
        }
      }
    }
    return outcomes
  }

  /// Records that an intervention already delivered was acknowledged later (e.g. the child tapped the
  /// help link after the prompt was shown).
  public func acknowledge(_ intervention: Intervention) {
    state.withLock { $0.statistics.acknowledged += 1 }
  }

  /// Holds back every intervention for `audience` in `conversation` for `seconds` from `time` and for
  /// `messages` messages (whichever lasts longer), e.g. when the child chose "don't show this again
  /// here". Both 0: unmute.
  public func mute(conversation: String?, audience: Audience, from time: Double?, seconds: Double = 0, messages: Int = 0) {
    state.withLock { state in
      state.clock &+= 1
      let key = conversation ?? ""
      var conv = state.conversations[key] ?? ConversationState()
      conv.lastActive = state.clock
      var audienceState = conv.audiences[audience] ?? AudienceState()
      audienceState.mutedUntilTime = (seconds > 0 ? time.map { $0 + seconds } : nil)
      audienceState.mutedUntilMessage = messages > 0 ? conv.messages + messages : nil
      conv.audiences[audience] = audienceState
      state.conversations[key] = conv
      if state.conversations.count > rateLimit.maximumConversations { evict(&state) }
    }
  }

  /// Forgets a conversation (e.g. when it is deleted).
  public func forget(conversation: String?) {
    _ = state.withLock { $0.conversations.removeValue(forKey: conversation ?? "") }
  }

  func isMuted(_ s: AudienceState, time: Double?, message: Int) -> Bool {
    if let until = s.mutedUntilMessage, message <= until { return true }
    if let until = s.mutedUntilTime, let time, time < until { return true }
    return false
  }

  func allows(_ s: AudienceState, risk: RiskLevel, time: Double?, message: Int) -> Bool {
    guard let lastMessage = s.lastMessage else { return true }
    if rateLimit.escalationBypasses && risk > s.lastRisk { return true }
    if message - lastMessage < rateLimit.minimumMessages { return false }
    if let lastTime = s.lastTime, let time, time - lastTime < rateLimit.minimumSeconds, time >= lastTime { return false }
    return true
  }

  /// Forgets the least recently active half of the conversations: amortised O(log n) per message.
  func evict(_ state: inout State) {
    let keep = rateLimit.maximumConversations / 2
    let ordered = state.conversations.sorted { $0.value.lastActive > $1.value.lastActive }
    state.conversations = Dictionary(uniqueKeysWithValues: ordered.prefix(max(keep, 1)).map { ($0.key, $0.value) })
  }
}
