import Testing

@testable import ChildSafe

@Suite("Conversation tracking")
struct ConversationTrackerTests {
  let engine = TestPack.engine
  let day = 24.0 * 3600

  func context(_ from: String, _ t: Double, age: Int? = 35, to: Int? = 12) -> MessageContext {
    MessageContext(senderAge: age, recipientAge: to, senderID: from, timestamp: t)
  }

  @Test func spreadAcrossStagesRaisesRiskMoreThanRepetition() throws {
    var repeated = engine.makeConversation()
    for k in 0..<6 { _ = try repeated.add("dont tell anyone", context: context("A", Double(k) * 60)) }
    var spread = engine.makeConversation()
    let messages = [
      "ur so mature for ur age", "are ur parents home?", "dont tell anyone about us", "add me on snap",
      "send me a pic", "i can pick u up",
    ]
    for (k, m) in messages.enumerated() { _ = try spread.add(m, context: context("A", Double(k) * 60)) }
    #expect(spread.verdict.score > repeated.verdict.score + 0.3)
    #expect(spread.verdict.risk >= .high)
    #expect(!repeated.verdict.flagged)
    #expect(spread.verdict.flagged)
    #expect(spread.verdict.stages == [.riskCheck, .secrecy, .platformSwitch, .imageRequest, .meeting, .flattery])
  }

  @Test func flaggedAtIsTheFirstFlaggedMessageAndNeverLooksAhead() throws {
    var tracker = engine.makeConversation()
    let messages = ["hi how was school", "are ur parents home?", "dont tell anyone about us", "ok"]
    var flaggedAfter: [Bool] = []
    for (k, m) in messages.enumerated() {
      _ = try tracker.add(m, context: context("A", Double(k) * 60))
      flaggedAfter.append(tracker.verdict.flagged)
    }
    #expect(flaggedAfter == [false, false, true, true])
    #expect(tracker.verdict.flaggedAt == 2)
    #expect(tracker.verdict.messageCount == 4)
  }

  @Test func evidenceDecaysWithTime() throws {
    var quick = engine.makeConversation()
    var slow = engine.makeConversation()
    _ = try quick.add("are ur parents home?", context: context("A", 0))
    _ = try quick.add("dont tell anyone about us", context: context("A", 120))
    _ = try slow.add("are ur parents home?", context: context("A", 0))
    _ = try slow.add("dont tell anyone about us", context: context("A", 60 * day))
    #expect(quick.verdict.flagged)
    #expect(!slow.verdict.flagged)
    #expect(slow.verdict.score < quick.verdict.score)
  }

  @Test func riskIsAttributedToTheSender() throws {
    var tracker = engine.makeConversation()
    _ = try tracker.add("hi", context: context("child", 0, age: 12, to: 35))
    _ = try tracker.add("are ur parents home?", context: context("adult", 10))
    _ = try tracker.add("no why, what are u wearing", context: context("child", 20, age: 12, to: 35))
    _ = try tracker.add("dont tell anyone ok. send me a pic", context: context("adult", 30))
    #expect(tracker.verdict.riskySender == "adult")
  }

  @Test func keepsNoMessageTextAndBoundedSenders() throws {
    var tracker = engine.makeConversation()
    let secret = "zebrafish-\(Int.random(in: 100000...999999))"
    for k in 0..<100 {
      _ = try tracker.add("dont tell anyone \(secret) are ur parents home", context: context("s\(k)", Double(k)))
    }
    #expect(tracker.trackedSenders <= ScoringPolicy.default.maximumSenders)
    #expect(!ConversationTrackerTests.containsString(tracker, secret, depth: 0))
  }

  /// Walks every stored property (except the shared engine) looking for the text.
  static func containsString(_ value: Any, _ needle: String, depth: Int) -> Bool {
    if depth > 12 { return false }
    if let s = value as? String { return s.contains(needle) }
    for child in Mirror(reflecting: value).children where child.label != "engine" {
      if containsString(child.value, needle, depth: depth + 1) { return true }
    }
    return false
  }
}
