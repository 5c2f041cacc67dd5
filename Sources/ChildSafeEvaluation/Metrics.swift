import ChildSafe

/// Precision, recall and F1 averaged over categories.
public struct AveragedScores: Sendable, Hashable {
  public var precision: Double?
  public var recall: Double?
  public var f1: Double?
}

/// Hit counts of one rule.
public struct RuleStatistics: Sendable, Hashable {
  public var id: String
  /// The rule's category, when it fired at least once (the verdict names it).
  public var category: Category?
  /// Messages it fired on that carry at least one label.
  public var hitsPositive = 0
  /// Benign messages it fired on.
  public var hitsNegative = 0
  /// Messages it fired on that carry the rule's own category.
  public var hitsOnCategory = 0

  public var hits: Int { hitsPositive + hitsNegative }
  /// Share of its hits on positive messages; nil when it never fired.
  public var precision: Double? { hits == 0 ? nil : Double(hitsPositive) / Double(hits) }
  /// Share of its hits on messages labelled with its own category.
  public var categoryPrecision: Double? { hits == 0 ? nil : Double(hitsOnCategory) / Double(hits) }
}

/// A positive, detected message whose categories differ from its labels.
public struct CategoryMismatch: Sendable, Hashable {
  public var id: String
  public var missed: [Category]
  public var extra: [Category]
  public var rules: [String]
}

/// Message-level results.
public struct MessageMetrics: Sendable {
  public var overall = Confusion()
  /// Every category seen in labels or verdicts, built-ins first in canonical order, then others by name.
  public var categories: [(category: Category, confusion: Confusion)] = []
  /// Per-category counts summed over categories.
  public var micro = Confusion()
  /// Unweighted mean over the categories that occur (support or predictions > 0); undefined values count as 0.
  public var macro = AveragedScores()
  /// Benign messages with a category, with the rules that fired.
  public var falsePositives: [MessageOutcome] = []
  /// Labelled messages with no category.
  public var falseNegatives: [MessageOutcome] = []
  public var categoryMismatches: [CategoryMismatch] = []
  public var rules: [RuleStatistics] = []
  /// Known rules that fired on no message; nil when the classifier cannot list its rules.
  public var rulesNeverFired: [String]?
  /// `flagged` against "has a label".
  public var flagged = Confusion()
  /// Flagging when risk >= level, for low...critical.
  public var riskSweep: [(level: RiskLevel, confusion: Confusion)] = []
  /// Flagging when score >= threshold.
  public var scoreSweep: [(threshold: Double, confusion: Confusion)] = []

  public static let scoreThresholds: [Double] = (1...19).map { Double($0) / 20 }

  public init() {}

  public init(outcomes: [MessageOutcome], knownRules: [String]?) {
    var categoryOrder = Category.builtIn
    var extras = Set<Category>()
    for outcome in outcomes {
      for c in outcome.labels + outcome.categories where !Category.builtIn.contains(c) { extras.insert(c) }
    }
    categoryOrder += extras.sorted()

    var perCategory = [Category: Confusion]()
    var ruleStats = [String: RuleStatistics]()
    var ruleOrder: [String] = []
    var riskCounts = Array(repeating: Confusion(), count: RiskLevel.allCases.count)
    var scoreCounts = Array(repeating: Confusion(), count: MessageMetrics.scoreThresholds.count)

    for outcome in outcomes {
      let actual = outcome.isPositive
      overall.add(actual: actual, predicted: outcome.isDetected)
      flagged.add(actual: actual, predicted: outcome.flagged)
      for level in RiskLevel.allCases where level != .none {
        riskCounts[level.rawValue].add(actual: actual, predicted: outcome.risk >= level)
      }
      for (i, threshold) in MessageMetrics.scoreThresholds.enumerated() {
        scoreCounts[i].add(actual: actual, predicted: outcome.score >= threshold)
      }
      for c in categoryOrder {
        perCategory[c, default: Confusion()].add(
          actual: outcome.labels.contains(c), predicted: outcome.categories.contains(c))
      }
      if !actual && outcome.isDetected { falsePositives.append(outcome) }
      if actual && !outcome.isDetected { falseNegatives.append(outcome) }
      if actual && outcome.isDetected {
        let missed = outcome.labels.filter { !outcome.categories.contains($0) }
        let extra = outcome.categories.filter { !outcome.labels.contains($0) }
        if !missed.isEmpty || !extra.isEmpty {
          categoryMismatches.append(
            CategoryMismatch(id: outcome.id, missed: missed, extra: extra, rules: outcome.rules.map(\.rule)))
        }
      }
      for hit in outcome.rules {
        if ruleStats[hit.rule] == nil {
          ruleStats[hit.rule] = RuleStatistics(id: hit.rule, category: hit.category)
          ruleOrder.append(hit.rule)
        }
        if actual { ruleStats[hit.rule]?.hitsPositive += 1 } else { ruleStats[hit.rule]?.hitsNegative += 1 }
        if outcome.labels.contains(hit.category) { ruleStats[hit.rule]?.hitsOnCategory += 1 }
      }
    }

    categories = categoryOrder.map { ($0, perCategory[$0] ?? Confusion()) }
    micro = categories.reduce(Confusion()) { $0 + $1.confusion }
    let active = categories.filter { $0.confusion.support > 0 || $0.confusion.tp + $0.confusion.fp > 0 }
    if !active.isEmpty {
      let n = Double(active.count)
      macro = AveragedScores(
        precision: active.reduce(0) { $0 + ($1.confusion.precision ?? 0) } / n,
        recall: active.reduce(0) { $0 + ($1.confusion.recall ?? 0) } / n,
        f1: active.reduce(0) { $0 + ($1.confusion.f1 ?? 0) } / n)
    }

    // Every known rule is listed (those that never fired with zero hits), sorted by id.
    var allRules = Set(ruleOrder)
    if let knownRules {
      for id in knownRules where ruleStats[id] == nil { ruleStats[id] = RuleStatistics(id: id) }
      allRules.formUnion(knownRules)
      rulesNeverFired = knownRules.filter { (ruleStats[$0]?.hits ?? 0) == 0 }.sorted()
    }
    rules = allRules.sorted().compactMap { ruleStats[$0] }
    riskSweep = RiskLevel.allCases.filter { $0 != .none }.map { ($0, riskCounts[$0.rawValue]) }
    scoreSweep = zip(MessageMetrics.scoreThresholds, scoreCounts).map { ($0, $1) }
  }

  public func confusion(of category: Category) -> Confusion? {
    categories.first(where: { $0.category == category })?.confusion
  }
}

/// Conversation-level results of `flagged`.
public struct ConversationMetrics: Sendable {
  public var confusion = Confusion()
  /// Messages from onset to `flagged_at` for every flagged grooming conversation, in corpus order.
  public var latencies: [Int] = []
  public var falsePositives: [String] = []
  public var falseNegatives: [String] = []

  public init() {}

  public init(outcomes: [ConversationOutcome]) {
    for outcome in outcomes {
      confusion.add(actual: outcome.isGrooming, predicted: outcome.flagged)
      if let latency = outcome.latency { latencies.append(latency) }
      if !outcome.isGrooming && outcome.flagged { falsePositives.append(outcome.id) }
      if outcome.isGrooming && !outcome.flagged { falseNegatives.append(outcome.id) }
    }
  }

  public var latencyMedian: Double? { Quantiles.median(latencies.map(Double.init)) }
  public var latencyP90: Double? { Quantiles.percentile(latencies.map(Double.init), 90) }
  /// Share of the flagged grooming conversations that were flagged before their onset; nil when none.
  public var flaggedBeforeOnset: Double? {
    latencies.isEmpty ? nil : Double(latencies.filter { $0 < 0 }.count) / Double(latencies.count)
  }
}
