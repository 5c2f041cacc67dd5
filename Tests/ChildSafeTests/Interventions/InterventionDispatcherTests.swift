import Testing

@testable import ChildSafe

/// Records what the handler was given, and answers with a fixed response.
final class RecordingHandler: InterventionHandler {
  let received = Locked<[Intervention]>([])
  let response: InterventionResponse
  init(_ response: InterventionResponse = .shown) { self.response = response }
  func handle(_ intervention: Intervention) -> InterventionResponse {
    received.withLock { $0.append(intervention) }
    return response
  }
  var count: Int { received.withLock { $0.count } }
}

func prompt(_ risk: RiskLevel = .medium, conversation: String = "c1", audience: Audience = .recipient) -> Intervention {
  Intervention(
    audience: audience, kind: audience == .sender ? .deterrence : .safetyPrompt, category: .secrecy, risk: risk,
    message: "m", locale: "en", signpost: nil, conversationID: conversation, time: nil)
}

@Suite("Intervention dispatcher")
struct InterventionDispatcherTests {
  @Test func aChildIsNotFloodedWithinTheMessageWindow() {
    let handler = RecordingHandler()
    let dispatcher = InterventionDispatcher(handler: handler, rateLimit: RateLimit(minimumSeconds: 0, minimumMessages: 5))
    var outcomes: [DispatchOutcome] = []
    for _ in 0..<11 { outcomes += dispatcher.dispatch([prompt()], conversation: "c1", time: nil) }
    // Messages 1, 6 and 11 get through.
    #expect(handler.count == 3)
    #expect(outcomes.filter { $0 == .rateLimited }.count == 8)
    #expect(outcomes[0] == .delivered(.shown))
    #expect(outcomes[5] == .delivered(.shown))
    #expect(dispatcher.statistics.shown == 3)
    #expect(dispatcher.statistics.rateLimited == 8)
  }

  @Test func theTimeWindowHoldsPromptsBackUntilItHasPassed() {
    let handler = RecordingHandler()
    let dispatcher = InterventionDispatcher(handler: handler, rateLimit: RateLimit(minimumSeconds: 60, minimumMessages: 0))
    dispatcher.dispatch([prompt()], conversation: "c1", time: 0)
    dispatcher.dispatch([prompt()], conversation: "c1", time: 30)
    dispatcher.dispatch([prompt()], conversation: "c1", time: 59.9)
    #expect(handler.count == 1)
    dispatcher.dispatch([prompt()], conversation: "c1", time: 60)
    #expect(handler.count == 2)
  }

  @Test func messagesWithoutInterventionsStillCountTowardsTheWindow() {
    let handler = RecordingHandler()
    let dispatcher = InterventionDispatcher(handler: handler, rateLimit: RateLimit(minimumSeconds: 0, minimumMessages: 3))
    dispatcher.dispatch([prompt()], conversation: "c1", time: nil)
    dispatcher.dispatch([], conversation: "c1", time: nil)
    dispatcher.dispatch([], conversation: "c1", time: nil)
    dispatcher.dispatch([prompt()], conversation: "c1", time: nil)
    #expect(handler.count == 2)
  }

  @Test func limitsArePerConversationAndPerAudience() {
    let handler = RecordingHandler()
    let dispatcher = InterventionDispatcher(handler: handler)
    dispatcher.dispatch([prompt(audience: .sender), prompt(audience: .recipient)], conversation: "c1", time: 0)
    dispatcher.dispatch([prompt(conversation: "c2")], conversation: "c2", time: 1)
    dispatcher.dispatch([prompt(audience: .sender), prompt(audience: .recipient)], conversation: "c1", time: 2)
    #expect(handler.count == 3)
    #expect(dispatcher.trackedConversations == 2)
  }

  @Test func aMoreSeriousRiskGetsThroughAtOnce() {
    let handler = RecordingHandler()
    let dispatcher = InterventionDispatcher(handler: handler)
    dispatcher.dispatch([prompt(.medium)], conversation: "c1", time: 0)
    dispatcher.dispatch([prompt(.medium)], conversation: "c1", time: 1)
    dispatcher.dispatch([prompt(.high)], conversation: "c1", time: 2)
    dispatcher.dispatch([prompt(.high)], conversation: "c1", time: 3)
    #expect(handler.received.withLock { $0.map(\.risk) } == [.medium, .high])
    let strict = InterventionDispatcher(handler: RecordingHandler(), rateLimit: RateLimit(escalationBypasses: false))
    strict.dispatch([prompt(.medium)], conversation: "c1", time: 0)
    #expect(strict.dispatch([prompt(.high)], conversation: "c1", time: 1) == [.rateLimited])
  }

  @Test func aSuppressedInterventionDoesNotCountAgainstTheNextOne() {
    let dispatcher = InterventionDispatcher(handler: RecordingHandler(.suppressed))
    #expect(dispatcher.dispatch([prompt()], conversation: "c1", time: 0) == [.delivered(.suppressed)])
    #expect(dispatcher.dispatch([prompt()], conversation: "c1", time: 1) == [.delivered(.suppressed)])
    #expect(dispatcher.statistics.suppressedByHost == 2)
    #expect(dispatcher.statistics.shown == 0)
  }

  @Test func acknowledgementsAreCounted() {
    let dispatcher = InterventionDispatcher(rateLimit: .none) { _ in .acknowledged }
    dispatcher.dispatch([prompt(), prompt(audience: .sender)], conversation: "c1", time: 0)
    let later = InterventionDispatcher(handler: RecordingHandler())
    later.dispatch([prompt()], conversation: "c1", time: 0)
    later.acknowledge(prompt())
    #expect(dispatcher.statistics.acknowledged == 2)
    #expect(dispatcher.statistics.shown == 2)
    #expect(later.statistics.acknowledged == 1)
  }

  @Test func theHostCanMuteAnAudienceInAConversation() {
    let handler = RecordingHandler()
    let dispatcher = InterventionDispatcher(handler: handler, rateLimit: .none)
    dispatcher.mute(conversation: "c1", audience: .recipient, from: 100, seconds: 3600)
    #expect(dispatcher.dispatch([prompt()], conversation: "c1", time: 200) == [.muted])
    #expect(dispatcher.dispatch([prompt(audience: .sender)], conversation: "c1", time: 200) == [.delivered(.shown)])
    #expect(dispatcher.dispatch([prompt()], conversation: "c1", time: 3700) == [.delivered(.shown)])
    dispatcher.mute(conversation: "c2", audience: .recipient, from: nil, messages: 2)
    #expect(dispatcher.dispatch([prompt()], conversation: "c2", time: nil) == [.muted])
    #expect(dispatcher.dispatch([prompt()], conversation: "c2", time: nil) == [.muted])
    #expect(dispatcher.dispatch([prompt()], conversation: "c2", time: nil) == [.delivered(.shown)])
    #expect(dispatcher.statistics.muted == 3)
  }

  @Test func memoryStaysBoundedWithManyConversations() {
    let dispatcher = InterventionDispatcher(handler: RecordingHandler(), rateLimit: RateLimit(maximumConversations: 100))
    for i in 0..<10_000 { dispatcher.dispatch([prompt(conversation: "c\(i)")], conversation: "c\(i)", time: Double(i)) }
    #expect(dispatcher.trackedConversations <= 100)
    #expect(dispatcher.statistics.shown == 10_000)
  }

  @Test func theHandlerMayCallBackIntoTheDispatcher() {
    // The handler runs outside the lock: muting from inside it must not deadlock.
    final class Box: Sendable { let dispatcher = Locked<InterventionDispatcher?>(nil) }
    let box = Box()
    let dispatcher = InterventionDispatcher(rateLimit: .none) { intervention in
      box.dispatcher.withLock { $0 }?.mute(conversation: intervention.conversationID, audience: intervention.audience, from: nil, messages: 1)
      return .shown
    }
    box.dispatcher.withLock { $0 = dispatcher }
    #expect(dispatcher.dispatch([prompt()], conversation: "c1", time: nil) == [.delivered(.shown)])
    #expect(dispatcher.dispatch([prompt()], conversation: "c1", time: nil) == [.muted])
    box.dispatcher.withLock { $0 = nil }  // break the test's own cycle (dispatcher -> handler -> box)
  }

  @Test func oneDispatcherIsSafeToShareAcrossThreads() async {
    let handler = RecordingHandler()
    let dispatcher = InterventionDispatcher(handler: handler, rateLimit: RateLimit(minimumSeconds: 0, minimumMessages: 4))
    let engine = InterventionEngine.defaults
    await withTaskGroup(of: Void.self) { group in
      for worker in 0..<8 {
        group.addTask {
          for i in 0..<400 {
            let context = MessageContext(senderAge: 40, recipientAge: 11, conversationID: "c\(worker)", timestamp: Double(i))
            let verdict = MessageVerdict(flagged: true, risk: .high, score: 0.8, categories: [.meeting], matches: [])
            dispatcher.dispatch(engine.interventions(for: verdict, context: context), conversation: "c\(worker)", time: Double(i))
          }
        }
      }
    }
    // Each of the 8 conversations has 400 messages: one delivery per audience every 4 messages.
    #expect(handler.count == 8 * 3 * 100)
    #expect(dispatcher.statistics.shown == 8 * 3 * 100)
  }

  @Test func engineOutputFlowsThroughTheDispatcher() throws {
    let engine = InterventionEngine.defaults
    let handler = RecordingHandler()
    let dispatcher = InterventionDispatcher(handler: handler, rateLimit: RateLimit(minimumSeconds: 300, minimumMessages: 10))
    let verdict = MessageVerdict(flagged: true, risk: .high, score: 0.8, categories: [.secrecy], matches: [])
    for t in 0..<20 {
      let context = MessageContext(senderAge: 40, recipientAge: 11, conversationID: "room", timestamp: Double(t * 10))
      dispatcher.dispatch(engine.interventions(for: verdict, context: context), conversation: "room", time: context.timestamp)
    }
    // One per audience: 200 seconds is inside the 300-second window.
    #expect(handler.received.withLock { $0.map(\.audience) } == [.sender, .recipient, .guardian])
  }
}
