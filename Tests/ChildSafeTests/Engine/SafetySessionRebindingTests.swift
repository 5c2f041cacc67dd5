import Testing

@testable import ChildSafe

/// A host that reloads its rules rebinds the conversations it holds: the next message is judged by
/// the new rules, and nothing the conversation gathered so far is lost.
@Suite("Rebinding a session to a new engine")
struct SafetySessionRebindingTests {
  static let secrecy = "rule t.secret secrecy 0.7\n  match: dont tell anyone\n"
  static let meeting = "rule t.meet meeting 0.8\n  match: meet me at the park\n"

  static func engine(_ text: String, rateLimit: RateLimit = RateLimit()) throws -> SafetyEngine {
    SafetyEngine(classifier: try TestPack.engine(text), rateLimit: rateLimit)
  }

  static func context(_ t: Double) -> MessageContext {
    MessageContext(senderAge: 34, recipientAge: 12, conversationID: "c1", senderID: "A", timestamp: t)
  }

  @Test func theNextMessageIsJudgedByTheNewRulesWithTheEvidenceKept() throws {
    let old = try Self.engine(Self.secrecy)
    let new = try Self.engine(Self.secrecy + Self.meeting)
    var session = old.makeSession()
    _ = try session.add("dont tell anyone", context: Self.context(0))
    #expect(try session.add("meet me at the park", context: Self.context(60)).verdict.matches.isEmpty)

    var rebound = session.rebinding(to: new)
    let next = try rebound.add("meet me at the park", context: Self.context(120))
    #expect(next.verdict.matches.map(\.rule) == ["t.meet"])
    #expect(rebound.verdict.messageCount == 3)
    #expect(rebound.verdict.stages == [.secrecy, .meeting])

    // The same as a conversation judged by the new rules from the start (the first two messages
    // score the same under both rule sets: the new rule matched neither).
    var reference = new.makeSession()
    for (t, text) in [(0.0, "dont tell anyone"), (60, "hi"), (120, "meet me at the park")] {
      _ = try reference.add(text, context: Self.context(t))
    }
    #expect(rebound.verdict == reference.verdict)
  }

  @Test func evidenceFollowsItsCategoryWhenTheCategoriesAreReordered() throws {
    let declared = "rule t.alpha alpha 0.6\n  match: alpha signal\nrule t.beta beta 0.6\n  match: beta signal\n"
    let old = try Self.engine("@category alpha\n@category beta\n" + declared)
    let new = try Self.engine("@category beta\n@category alpha\n" + declared)
    #expect(old.classifier.categories.firstIndex(of: Category("alpha")) != new.classifier.categories.firstIndex(of: Category("alpha")))
    var session = old.makeSession()
    _ = try session.add("alpha signal", context: Self.context(0))
    var rebound = session.rebinding(to: new)
    _ = try rebound.add("beta signal", context: Self.context(60))

    var reference = new.makeSession()
    _ = try reference.add("alpha signal", context: Self.context(0))
    _ = try reference.add("beta signal", context: Self.context(60))
    #expect(rebound.verdict == reference.verdict)
    #expect(Set(rebound.verdict.stages) == [Category("alpha"), Category("beta")])
  }

  @Test func aCategoryTheNewRulesDropLosesItsEvidenceOnly() throws {
    let old = try Self.engine("@category alpha\nrule t.alpha alpha 0.6\n  match: alpha signal\n" + Self.secrecy)
    let new = try Self.engine(Self.secrecy)
    var session = old.makeSession()
    _ = try session.add("alpha signal", context: Self.context(0))
    _ = try session.add("dont tell anyone", context: Self.context(60))
    let before = session.verdict
    var rebound = session.rebinding(to: new)
    #expect(rebound.verdict == before)
    _ = try rebound.add("dont tell anyone", context: Self.context(120))
    #expect(rebound.verdict.messageCount == 3)
    #expect(rebound.verdict.score >= before.score)
  }

  @Test func rateLimitingCarriesOver() throws {
    let old = try Self.engine(Self.secrecy)
    let new = try Self.engine(Self.secrecy + Self.meeting)
    var session = old.makeSession()
    let first = try session.add("dont tell anyone", context: Self.context(0))
    #expect(!first.interventions.isEmpty)
    var rebound = session.rebinding(to: new)
    // Same risk, a minute later: held back as it would have been without the reload.
    let second = try rebound.add("dont tell anyone", context: Self.context(60))
    #expect(second.verdict.flagged)
    #expect(second.interventions.isEmpty)
    #expect(rebound.statistics.rateLimited > 0)
    #expect(rebound.statistics.shown == first.interventions.count)

    // New limits apply from the rebinding on; the state so far is kept.
    var unlimited = session.rebinding(to: try Self.engine(Self.secrecy, rateLimit: .none))
    #expect(unlimited.statistics == rebound.statistics)
    #expect(!(try unlimited.add("dont tell anyone", context: Self.context(120))).interventions.isEmpty)
  }
}
