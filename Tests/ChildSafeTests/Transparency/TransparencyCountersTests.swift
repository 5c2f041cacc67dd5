import Testing

@testable import ChildSafe

@Suite("Transparency counters")
struct TransparencyCountersTests {
  static let grooming = "ur so mature for ur age. dont tell ur parents about us ok?"
  static let december = try! CalendarDate(year: 2026, month: 12, day: 6)
  static let january = try! CalendarDate(year: 2027, month: 1, day: 2)

  @Test func countsFlagsCategoriesInterventionsAndBands() throws {
    let engine = SafetyEngine.defaults
    let counters = TransparencyCounters(granularity: .month, today: Self.december)
    var session = engine.makeSession()
    let context = MessageContext(senderAge: 34, recipientAge: 12, conversationID: "conversation-77")
    let result = try session.add(Self.grooming, context: context)
    counters.record(result, context: context, on: Self.december)
    let benign = MessageContext(senderAge: 14, recipientAge: 15)
    counters.record(try engine.check("see you at practice", context: benign), context: benign, on: Self.december)
    counters.record(engine.checkURL("http://adult-example.test/"), on: Self.december)
    counters.record(engine.checkURL("https://www.bbc.co.uk/"), on: Self.december)

    let counts = counters.current(on: Self.december)
    #expect(counts.period == "2026-12")
    #expect(counts.messagesChecked == 2)
    #expect(counts.messagesFlagged == 1)
    #expect(counts.flaggedByCategory.keys.sorted() == result.verdict.categories.map(\.name).sorted())
    #expect(counts.flaggedByRisk == [result.verdict.risk.description: 1])
    #expect(counts.conversationsEscalated == (result.conversation?.flagged == true ? 1 : 0))
    #expect(counts.interventions.values.reduce(0) { $0 + $1.values.reduce(0, +) } == result.interventions.count)
    #expect(counts.ageBands == ["10-12": 1, "13-15": 1])
    #expect(counts.urlsChecked == 2 && counts.urlsBlocked == 1 && counts.urlsBlockedByCategory == ["adult": 1])
  }

  @Test func aConversationEscalatesOnce() throws {
    let engine = SafetyEngine.defaults
    let counters = TransparencyCounters(today: Self.december)
    var session = engine.makeSession()
    let context = MessageContext(senderAge: 34, recipientAge: 12, conversationID: "c")
    for _ in 0..<3 {
      counters.record(try session.add(Self.grooming, context: context), context: context, on: Self.december)
    }
    #expect(session.verdict.flagged)
    #expect(counters.current(on: Self.december).conversationsEscalated == 1)
  }

  @Test func countsHoldNoTextIdsOrURLs() throws {
    let engine = SafetyEngine.defaults
    let counters = TransparencyCounters(today: Self.december)
    var session = engine.makeSession()
    let context = MessageContext(
      senderAge: 34, recipientAge: 12, conversationID: "conv-secret-id", senderID: "user-secret-id")
    counters.record(try session.add(Self.grooming, context: context), context: context, on: Self.december)
    counters.record(engine.checkURL("http://adult-example.test/private/path?child=Sam"), on: Self.december)
    let serialized = counters.current(on: Self.december).json.serialized()
    for secret in ["mature", "parents", "conv-secret-id", "user-secret-id", "adult-example", "private", "Sam"] {
      #expect(!serialized.contains(secret), "\(secret) leaked into \(serialized)")
    }
  }

  @Test func aNewPeriodStartsFromZeroAndKeepsTheFinishedOne() throws {
    let engine = SafetyEngine.defaults
    let counters = TransparencyCounters(granularity: .month, retainedPeriods: 1, today: Self.december)
    let context = MessageContext()
    counters.record(try engine.check("hello", context: context), context: context, on: Self.december)
    counters.record(try engine.check("hello", context: context), context: context, on: Self.december)
    counters.record(try engine.check("hello", context: context), context: context, on: Self.january)
    #expect(counters.current(on: Self.january).messagesChecked == 1)
    #expect(counters.current(on: Self.january).period == "2027-01")
    #expect(counters.finished.map(\.period) == ["2026-12"])
    #expect(counters.counts(for: "2026-12", on: Self.january)?.messagesChecked == 2)
    // A clock set back does not reopen December: its record goes to the period in progress.
    counters.record(try engine.check("hello", context: context), context: context, on: Self.december)
    #expect(counters.current(on: Self.january).messagesChecked == 2)
    // Only `retainedPeriods` finished periods are kept.
    let february = try CalendarDate(year: 2027, month: 2, day: 1)
    _ = counters.current(on: february)
    #expect(counters.finished.map(\.period) == ["2027-01"])
  }

  @Test func dailyPeriods() {
    #expect(TransparencyGranularity.day.period(of: Self.december) == "2026-12-06")
    #expect(TransparencyGranularity.month.period(of: Self.january) == "2027-01")
  }

  @Test func countsRoundTripThroughJSON() throws {
    var counts = TransparencyCounts(period: "2026-12", granularity: .month)
    counts.messagesChecked = 120
    counts.flaggedByCategory = ["secrecy": 12]
    counts.interventions = ["sender": ["deterrence": 3]]
    counts.ageBands = ["13-15": 100, "unknown": 20]
    #expect(try TransparencyCounts(json: counts.json) == counts)
    #expect(throws: ChildSafeError.self) { try TransparencyCounts(json: try JSONValue.parse(#"{"period": "x"}"#)) }
  }

  @Test func concurrentRecordsAreAllCounted() async throws {
    let engine = SafetyEngine.defaults
    let counters = TransparencyCounters(today: Self.december)
    let result = try engine.check("hello", context: MessageContext())
    await withTaskGroup(of: Void.self) { group in
      for _ in 0..<8 {
        group.addTask {
          for _ in 0..<250 { counters.record(result, context: MessageContext(), on: Self.december) }
        }
      }
    }
    #expect(counters.current(on: Self.december).messagesChecked == 2000)
  }
}
