import ChildSafe
import Testing

@testable import ChildSafeEvaluation

/// Compares optional doubles to four decimals (the precision of the reports).
func close(_ a: Double?, _ b: Double?) -> Bool {
  switch (a, b) {
  case (nil, nil): return true
  case let (x?, y?): return abs(x - y) < 0.00005
  default: return false
  }
}

@Suite("Confusion and quantiles")
struct ConfusionTests {
  @Test("precision, recall, F1, F0.5 and false-alarm rate from counts")
  func ratios() {
    let c = Confusion(tp: 3, fp: 1, fn: 2, tn: 4)
    #expect(close(c.precision, 0.75))
    #expect(close(c.recall, 0.6))
    #expect(close(c.f1, 2 * 0.75 * 0.6 / 1.35))  // 0.6667
    #expect(close(c.f05, 1.25 * 0.75 * 0.6 / (0.25 * 0.75 + 0.6)))  // 0.7143
    #expect(close(c.falseAlarmRate, 0.2))
    #expect(c.support == 5 && c.total == 10)
  }

  @Test("a zero denominator gives an undefined metric, not a crash or a fake zero")
  func divisionByZero() {
    let empty = Confusion()
    #expect(empty.precision == nil && empty.recall == nil && empty.f1 == nil && empty.f05 == nil)
    #expect(empty.falseAlarmRate == nil)
    let neverPredicted = Confusion(tp: 0, fp: 0, fn: 3, tn: 2)
    #expect(neverPredicted.precision == nil)
    #expect(neverPredicted.recall == 0)
    #expect(neverPredicted.f1 == nil)
    let allWrong = Confusion(tp: 0, fp: 2, fn: 3, tn: 0)
    #expect(allWrong.precision == 0 && allWrong.recall == 0)
    #expect(allWrong.f1 == 0 && allWrong.f05 == 0)
    #expect(allWrong.falseAlarmRate == 1)
  }

  @Test("counting items")
  func counting() {
    var c = Confusion()
    c.add(actual: true, predicted: true)
    c.add(actual: true, predicted: false)
    c.add(actual: false, predicted: true)
    c.add(actual: false, predicted: false)
    c.add(actual: false, predicted: false)
    #expect(c == Confusion(tp: 1, fp: 1, fn: 1, tn: 2))
    #expect(c + c == Confusion(tp: 2, fp: 2, fn: 2, tn: 4))
  }

  @Test("median: middle value or mean of the two middle values; nil when empty")
  func median() {
    #expect(Quantiles.median([]) == nil)
    #expect(Quantiles.median([7]) == 7)
    #expect(Quantiles.median([3, 1, 2]) == 2)
    #expect(Quantiles.median([4, 1, 3, 2]) == 2.5)
    #expect(Quantiles.median([-2, 0, 2]) == 0)
  }

  @Test("p90 by nearest rank")
  func p90() {
    #expect(Quantiles.percentile([], 90) == nil)
    #expect(Quantiles.percentile([5], 90) == 5)
    #expect(Quantiles.percentile((1...10).map(Double.init), 90) == 9)  // not 10: 0.9 * 10 is exactly rank 9
    #expect(Quantiles.percentile((1...20).map(Double.init).reversed(), 90) == 18)
    #expect(Quantiles.percentile([2, -2, 0], 90) == 2)
    #expect(Quantiles.percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90) == 10)  // rank ceil(9.9) = 10
  }
}

@Suite("Message metrics")
struct MessageMetricsTests {
  static let custom = Category("custom_signal")

  /// Six messages, hand-labelled; the expected figures below are worked out by hand.
  static let outcomes: [MessageOutcome] = [
    MessageOutcome(  // TP
      id: "m1", labels: [.secrecy], categories: [.secrecy], flagged: true, risk: .high, score: 0.8,
      rules: [RuleHit(rule: "r.sec", category: .secrecy)]),
    MessageOutcome(  // TP overall; secrecy missed, meeting found
      id: "m2", labels: [.secrecy, .meeting], categories: [.meeting], flagged: false, risk: .medium, score: 0.5,
      rules: [RuleHit(rule: "r.meet", category: .meeting)]),
    MessageOutcome(  // FP
      id: "m3", labels: [], categories: [.flattery], flagged: false, risk: .low, score: 0.3,
      rules: [RuleHit(rule: "r.flat", category: .flattery)]),
    MessageOutcome(id: "m4", labels: [.gifts], categories: []),  // FN
    MessageOutcome(id: "m5", labels: [], categories: []),  // TN
    MessageOutcome(  // TP in a category that is not built in
      id: "m6", labels: [custom], categories: [custom], flagged: true, risk: .critical, score: 0.95,
      rules: [RuleHit(rule: "r.custom", category: custom)]),
  ]

  let metrics = MessageMetrics(outcomes: outcomes, knownRules: ["r.sec", "r.meet", "r.flat", "r.custom", "r.never"])

  @Test("overall confusion counts and ratios")
  func overall() {
    #expect(metrics.overall == Confusion(tp: 3, fp: 1, fn: 1, tn: 1))
    #expect(close(metrics.overall.precision, 0.75))
    #expect(close(metrics.overall.recall, 0.75))
    #expect(close(metrics.overall.f1, 0.75))
    #expect(close(metrics.overall.f05, 0.75))
  }

  @Test("per category, including categories with no support and no predictions")
  func perCategory() throws {
    let secrecy = try #require(metrics.confusion(of: .secrecy))
    #expect(secrecy.tp == 1 && secrecy.fn == 1 && secrecy.fp == 0 && secrecy.support == 2)
    #expect(close(secrecy.precision, 1) && close(secrecy.recall, 0.5) && close(secrecy.f1, 2.0 / 3))
    let flattery = try #require(metrics.confusion(of: .flattery))
    #expect(flattery.support == 0 && flattery.precision == 0 && flattery.recall == nil && flattery.f1 == nil)
    let gifts = try #require(metrics.confusion(of: .gifts))
    #expect(gifts.support == 1 && gifts.precision == nil && gifts.recall == 0)
    let ageProbe = try #require(metrics.confusion(of: .ageProbe))
    #expect(ageProbe.support == 0 && ageProbe.tp + ageProbe.fp == 0)
    #expect(ageProbe.precision == nil && ageProbe.recall == nil && ageProbe.f1 == nil)
    // Built-ins in canonical order, then other categories.
    #expect(metrics.categories.map(\.category) == Category.builtIn + [Self.custom])
  }

  @Test("micro sums per-category counts; macro averages the categories that occur")
  func averages() {
    #expect(metrics.micro.tp == 3 && metrics.micro.fp == 1 && metrics.micro.fn == 2)
    #expect(close(metrics.micro.precision, 0.75) && close(metrics.micro.recall, 0.6))
    // Occurring: secrecy, meeting, flattery, gifts, custom_signal (5); undefined counts as 0.
    #expect(close(metrics.macro.precision, (1 + 1 + 0 + 0 + 1) / 5))
    #expect(close(metrics.macro.recall, (0.5 + 1 + 0 + 0 + 1) / 5))
    #expect(close(metrics.macro.f1, (2.0 / 3 + 1 + 0 + 0 + 1) / 5))
  }

  @Test("false positives with their rules, false negatives, and category mismatches by id")
  func mistakes() {
    #expect(metrics.falsePositives.map(\.id) == ["m3"])
    #expect(metrics.falsePositives.first?.rules.map(\.rule) == ["r.flat"])
    #expect(metrics.falseNegatives.map(\.id) == ["m4"])
    #expect(metrics.categoryMismatches == [CategoryMismatch(id: "m2", missed: [.secrecy], extra: [], rules: ["r.meet"])])
  }

  @Test("per-rule hits on positives and negatives, precision, and rules that never fired")
  func rules() throws {
    #expect(metrics.rules.map(\.id) == ["r.custom", "r.flat", "r.meet", "r.never", "r.sec"])
    let flat = try #require(metrics.rules.first { $0.id == "r.flat" })
    #expect(flat.hitsPositive == 0 && flat.hitsNegative == 1 && flat.precision == 0)
    let meet = try #require(metrics.rules.first { $0.id == "r.meet" })
    #expect(meet.hitsPositive == 1 && meet.hitsNegative == 0 && meet.precision == 1 && meet.hitsOnCategory == 1)
    let never = try #require(metrics.rules.first { $0.id == "r.never" })
    #expect(never.hits == 0 && never.precision == nil && never.category == nil)
    #expect(metrics.rulesNeverFired == ["r.never"])
    #expect(MessageMetrics(outcomes: Self.outcomes, knownRules: nil).rulesNeverFired == nil)
  }

  @Test("threshold sweep over flagged, risk levels and scores")
  func sweep() throws {
    #expect(metrics.flagged == Confusion(tp: 2, fp: 0, fn: 2, tn: 2))
    #expect(metrics.riskSweep.map(\.level) == [.low, .medium, .high, .critical])
    #expect(metrics.riskSweep[0].confusion == Confusion(tp: 3, fp: 1, fn: 1, tn: 1))  // >= low
    #expect(metrics.riskSweep[1].confusion == Confusion(tp: 3, fp: 0, fn: 1, tn: 2))  // >= medium
    #expect(metrics.riskSweep[2].confusion == Confusion(tp: 2, fp: 0, fn: 2, tn: 2))  // >= high
    #expect(metrics.riskSweep[3].confusion == Confusion(tp: 1, fp: 0, fn: 3, tn: 2))  // critical
    let half = try #require(metrics.scoreSweep.first { $0.threshold == 0.5 })
    #expect(half.confusion == Confusion(tp: 3, fp: 0, fn: 1, tn: 2))
    let low = try #require(metrics.scoreSweep.first { $0.threshold == 0.05 })
    #expect(low.confusion == Confusion(tp: 3, fp: 1, fn: 1, tn: 1))
    #expect(metrics.scoreSweep.count == 19)
  }

  @Test("no messages: every ratio undefined, no crash")
  func empty() {
    let m = MessageMetrics(outcomes: [], knownRules: ["a"])
    #expect(m.overall == Confusion())
    #expect(m.overall.precision == nil && m.overall.f05 == nil)
    #expect(m.macro.precision == nil && m.macro.f1 == nil)
    #expect(m.categories.count == 12 && m.categories.allSatisfy { $0.confusion == Confusion() })
    #expect(m.rulesNeverFired == ["a"])
  }
}

@Suite("Conversation metrics")
struct ConversationMetricsTests {
  @Test("precision, recall, false-alarm rate, latency median and p90, share flagged before onset")
  func conversations() {
    let outcomes = [
      ConversationOutcome(id: "c1", isGrooming: true, onset: 3, flagged: true, flaggedAt: 5),  // +2
      ConversationOutcome(id: "c2", isGrooming: true, onset: 4, flagged: true, flaggedAt: 2),  // -2 (early)
      ConversationOutcome(id: "c3", isGrooming: true, onset: 1, flagged: true, flaggedAt: 1),  // 0
      ConversationOutcome(id: "c4", isGrooming: true, onset: 2, flagged: false, flaggedAt: nil),  // missed
      ConversationOutcome(id: "c5", isGrooming: false, onset: nil, flagged: true, flaggedAt: 0),  // false alarm
      ConversationOutcome(id: "c6", isGrooming: false, onset: nil, flagged: false, flaggedAt: nil),
      ConversationOutcome(id: "c7", isGrooming: false, onset: nil, flagged: false, flaggedAt: nil),
    ]
    let m = ConversationMetrics(outcomes: outcomes)
    #expect(m.confusion == Confusion(tp: 3, fp: 1, fn: 1, tn: 2))
    #expect(close(m.confusion.precision, 0.75) && close(m.confusion.recall, 0.75))
    #expect(close(m.confusion.falseAlarmRate, 1.0 / 3))
    #expect(m.latencies == [2, -2, 0])
    #expect(m.latencyMedian == 0)
    #expect(m.latencyP90 == 2)
    #expect(close(m.flaggedBeforeOnset, 1.0 / 3))
    #expect(m.falsePositives == ["c5"] && m.falseNegatives == ["c4"])
  }

  @Test("even number of latencies: the median is the mean of the two middle ones")
  func evenMedian() {
    let outcomes = [1, 4, 2, 7].enumerated().map { i, latency in
      ConversationOutcome(id: "c\(i)", isGrooming: true, onset: 0, flagged: true, flaggedAt: latency)
    }
    let m = ConversationMetrics(outcomes: outcomes)
    #expect(m.latencyMedian == 3)
    #expect(m.latencyP90 == 7)
    #expect(m.flaggedBeforeOnset == 0)
  }

  @Test("nothing flagged and no grooming: undefined ratios and latencies")
  func empty() {
    let m = ConversationMetrics(outcomes: [
      ConversationOutcome(id: "b", isGrooming: false, onset: nil, flagged: false, flaggedAt: nil)
    ])
    #expect(m.confusion.precision == nil && m.confusion.recall == nil)
    #expect(m.confusion.falseAlarmRate == 0)
    #expect(m.latencyMedian == nil && m.latencyP90 == nil && m.flaggedBeforeOnset == nil)
    let none = ConversationMetrics(outcomes: [])
    #expect(none.confusion.falseAlarmRate == nil)
  }
}
