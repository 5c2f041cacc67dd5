import ChildSafe

/// Trains a ``LinearModel`` from labelled units with k-fold cross-validation: the figures it
/// reports are out-of-fold (each unit scored by a model that never saw it), and the model's
/// threshold is chosen from them so that at most `maxFalseAlarms` of benign units reach it.
public struct ModelTrainer: Sendable {
  public struct Options: Sendable {
    public var level: LinearModel.Level
    public var settings: FeatureSettings
    public var window: Int
    public var folds: Int
    public var regression: LogisticRegression.Options
    /// The share of benign units allowed to reach the threshold (out of fold).
    public var maxFalseAlarms: Double
    /// The share of the positives the rules catch that the model may withhold (see ``LinearModel/confirm``).
    public var vetoLoss: Double
    /// What `maxFalseAlarms` limits.
    public var limit: Limit
    /// Conversation level: a lower threshold for each declared language where that flags no more
    /// of its benign conversations (see ``languageThresholds(units:scores:threshold:confirm:)``).
    public var languageThresholds: Bool
    /// Message level: the share of each corpus file's benign units the model alone may flag when
    /// they go to a known minor (``LinearModel/minorThreshold``); nil for no such threshold.
    public var minorFalseAlarms: Double?

    /// What the false-alarm limit applies to when the threshold is chosen.
    public enum Limit: String, Sendable, CaseIterable {
      /// The model alone: the rules' decisions stay as they are unless the model finds a unit
      /// clearly ordinary (the default for messages, where a rule's decision to act alone is
      /// deliberate: docs/rules.md, "What acts alone").
      case model
      /// Rules and model combined, as they ship (the default for conversations, where the rules'
      /// escalations are most of the false alarms): where the rules' escalations the model lets
      /// through would take more than half a source's allowance, it withholds more of them.
      case combination
      /// Rules and model combined flag no more benign units of any corpus file than the rules
      /// alone (the default for messages): the model may flag only as many ordinary units as it
      /// withholds of the rules' false alarms. `maxFalseAlarms` is not used; the confirm level
      /// and threshold are those that then catch the most positives.
      case rules
    }

    public init(
      level: LinearModel.Level, settings: FeatureSettings = .default, window: Int = 32, folds: Int = 5,
      regression: LogisticRegression.Options = .init(), maxFalseAlarms: Double? = nil, vetoLoss: Double? = nil,
      limit: Limit? = nil, languageThresholds: Bool? = nil,
      minorFalseAlarms: Double? = ModelTrainer.defaultMinorFalseAlarms
    ) {
      // Only messages have a threshold toward a known minor (a conversation's ages are its own).
      self.minorFalseAlarms = level == .message ? minorFalseAlarms : nil
      self.languageThresholds = languageThresholds ?? (level == .conversation)
      self.level = level
      self.settings = settings
      self.window = level == .message ? 1 : window
      self.folds = folds
      self.regression = regression
      self.maxFalseAlarms = maxFalseAlarms ?? (level == .message ? 0.002 : 0.03)
      self.vetoLoss = vetoLoss ?? (level == .message ? 0.01 : 0.02)
      self.limit = limit ?? (level == .message ? .rules : .combination)
    }
  }

  /// Recall and false alarms of one detector over units.
  public struct Figures: Sendable, Hashable {
    public var positives = 0
    public var negatives = 0
    public var truePositives = 0
    public var falsePositives = 0

    public var recall: Double { positives == 0 ? 0 : Double(truePositives) / Double(positives) }
    public var falseAlarms: Double { negatives == 0 ? 0 : Double(falsePositives) / Double(negatives) }

    mutating func count(positive: Bool, flagged: Bool) {
      if positive {
        positives += 1
        if flagged { truePositives += 1 }
      } else {
        negatives += 1
        if flagged { falsePositives += 1 }
      }
    }
  }

  /// Rules alone, the model alone and both combined, on one source (or all).
  public struct Comparison: Sendable, Hashable {
    public var source: String
    public var rules = Figures()
    public var model = Figures()
    public var hybrid = Figures()
  }

  public struct Report: Sendable {
    public var model: LinearModel
    /// Area under the ROC curve of the out-of-fold scores.
    public var auc: Double
    /// Out-of-fold recall at a few false-alarm rates: (false alarms, threshold, recall).
    public var curve: [(falseAlarms: Double, threshold: Float, recall: Double)]
    /// Out-of-fold figures at the chosen threshold, overall first, then per source.
    public var comparisons: [Comparison]
    /// Each unit's out-of-fold score, in the order of the units trained on.
    public var scores: [Float]
    /// Toward a known minor, when the model has a threshold for it.
    public var minor: MinorFigures?
  }

  public var options: Options

  /// The share of each file's ordinary messages the model alone may flag toward a known minor:
  /// where its curve on PAN-12's predator turns bends (dev split, out of fold: 15 % of them at 1 %,
  /// 33 % at 2 %, 35 % at 3 %), and below what the rules' evidence flags there (2.3 % of NPS chat
  /// and 6.6 % of SMS, each sent to a 13-year-old). See docs/model.md.
  public static let defaultMinorFalseAlarms = 0.02

  /// Out-of-fold figures toward a known minor (message level with a minor threshold).
  public struct MinorFigures: Sendable, Hashable {
    public var threshold: Float
    /// The model alone at ``threshold``, over every unit.
    public var model: Figures
  }

  /// Sources with fewer benign units do not set the threshold on their own (a rate on them means little).
  public static let minimumBenignPerSource = 50

  public init(options: Options) { self.options = options }

  /// Cross-validates, chooses the threshold, then trains the model on every unit.
  ///
  /// `extra` units are learnt from in every fold and by the final model, but never scored: the
  /// figures, the threshold and the confirm level come from `units` alone (for weakly labelled
  /// units, whose labels are too loose to measure by).
  public func train(
    _ units: [TrainingUnit], learningAlsoFrom extra: [TrainingUnit] = [], trainedOn: String,
    progress: (String) -> Void = { _ in }
  ) throws(ChildSafeError) -> Report {
    let positives = units.indices.filter { units[$0].isPositive }
    let negatives = units.indices.filter { !units[$0].isPositive }
    guard !positives.isEmpty, !negatives.isEmpty else {
      throw ChildSafeError(
        .invalidArgument,
        "training needs both positive and benign \(options.level)s (found \(positives.count) positive, \(negatives.count) benign)")
    }
    guard (2...20).contains(options.folds) else {
      throw ChildSafeError(.invalidArgument, "folds must be in 2...20, not \(options.folds)")
    }
    if let problem = options.settings.problem { throw ChildSafeError(.invalidArgument, problem) }
    let weightCount = 1 << options.settings.hashBits
    // Stratified folds: each class shuffled with the seed and dealt round-robin.
    // Extra units have no fold of their own: every fold trains on them.
    var fold = [Int](repeating: 0, count: units.count) + [Int](repeating: -1, count: extra.count)
    var random = SplitMix64(seed: options.regression.seed ^ 0x5eed)
    for var group in [positives, negatives] {
      random.shuffle(&group)
      for (k, u) in group.enumerated() { fold[u] = k % options.folds }
    }
    var examples: [TrainingExample] = []
    for (u, unit) in (units + extra).enumerated() { examples += unit.examples(window: options.window, group: u) }
    var scores = [Float](repeating: 0, count: units.count)
    for f in 0..<options.folds {
      progress("fold \(f + 1) of \(options.folds): training on \(examples.count { fold[$0.group] != f }) examples")
      let rows = examples.indices.filter { fold[examples[$0].group] != f }
      let regression = LogisticRegression(
        examples: examples, rows: rows, weightCount: weightCount, options: options.regression)
      for u in units.indices where fold[u] == f {
        scores[u] = units[u].score(weights: regression.weights, bias: regression.bias, window: options.window)
      }
    }
    let negativeScores = negatives.map { scores[$0] }.sorted(by: >)
    // The benign scores of each source with enough benign units to measure a rate on: the
    // threshold must hold the false-alarm rate on every kind of ordinary chat, not on their pool
    // (where plentiful easy negatives would hide the hard ones).
    var benignBySource: [String: [Float]] = [:]
    for u in negatives { benignBySource[units[u].source, default: []].append(scores[u]) }
    let measured = benignBySource.values.filter { $0.count >= ModelTrainer.minimumBenignPerSource }
      .map { $0.sorted(by: >) }
    func threshold(allowing rate: Double) -> Float {
      var t: Float = 0.5
      for benign in measured.isEmpty ? [negativeScores] : measured {
        let allowed = Int((rate * Double(benign.count)).rounded(.down))
        if allowed < benign.count { t = max(t, benign[allowed].nextUp) }
      }
      return min(t, 0.999)
    }
    // The rules act only where the model does not find the unit clearly ordinary: below `confirm`
    // lie at most `vetoLoss` of the model's scores of the positives the rules caught.
    let caught = positives.filter { units[$0].rulesFlagged }.map { scores[$0] }.sorted()
    var vetoLevel: Float = caught.isEmpty ? 0 : caught[min(caught.count - 1, Int(Double(caught.count) * options.vetoLoss))]
    let chosen: Float
    switch options.limit {
    case .model:
      chosen = threshold(allowing: options.maxFalseAlarms)
    case .combination:
      (vetoLevel, chosen) = combinedLimit(units: units, negatives: negatives, scores: scores, vetoLevel: vetoLevel)
    case .rules:
      (vetoLevel, chosen) = rulesLimit(units: units, scores: scores)
    }
    let confirm = min(vetoLevel, chosen)
    let languageThresholds =
      options.languageThresholds && options.level == .conversation
      ? ModelTrainer.languageThresholds(units: units, scores: scores, threshold: chosen, confirm: confirm) : []
    func threshold(of unit: TrainingUnit) -> Float {
      guard let code = unit.language else { return chosen }
      return languageThresholds.first { $0.language == code }?.threshold ?? chosen
    }
    // Toward a known minor the model may act from where it flags `minorFalseAlarms` of each
    // file's benign units, but never below the confirm level nor above the threshold.
    var minor: MinorFigures?
    var minorDescription = ""
    if options.level == .message, let rate = options.minorFalseAlarms {
      let t = max(confirm, min(chosen, threshold(allowing: rate)))
      var figures = Figures()
      for u in units.indices { figures.count(positive: units[u].isPositive, flagged: scores[u] >= t) }
      minor = MinorFigures(threshold: t, model: figures)
      minorDescription = ", toward a known minor \(formatted(Double(t))) (\(rate) false alarms of the model)"
    }
    var curve: [(Double, Float, Double)] = []
    for rate in [0.001, 0.002, 0.005, 0.01, 0.03, 0.05, 0.1] {
      let t = threshold(allowing: rate)
      let found = positives.count { scores[$0] >= t }
      curve.append((rate, t, Double(found) / Double(positives.count)))
    }
    var bySource: [String: Comparison] = [:]
    var overall = Comparison(source: "all")
    for (u, unit) in units.enumerated() {
      let model = scores[u] >= threshold(of: unit)
      let rules = unit.rulesFlagged && scores[u] >= confirm
      for key in [nil, unit.source] as [String?] {
        var c = key.map { bySource[$0] ?? Comparison(source: $0) } ?? overall
        c.rules.count(positive: unit.isPositive, flagged: unit.rulesFlagged)
        c.model.count(positive: unit.isPositive, flagged: model)
        c.hybrid.count(positive: unit.isPositive, flagged: model || rules)
        if let key { bySource[key] = c } else { overall = c }
      }
    }
    progress("final model: training on all \(examples.count) examples")
    let final = LogisticRegression(
      examples: examples, rows: Array(examples.indices), weightCount: weightCount, options: options.regression)
    let auc = ModelTrainer.auc(positives: positives.map { scores[$0] }, negatives: negativeScores)
    let limitDescription =
      options.limit == .rules
      ? "threshold and confirm level for no more false alarms than the rules"
      : "threshold for \(options.maxFalseAlarms) false alarms of the \(options.limit.rawValue)"
    let description = """
      childsafe train \(ChildSafeVersion.string); level \(options.level); trained on \(trainedOn); \
      \(positives.count) positive and \(negatives.count) benign \(options.level)s\
      \(extra.isEmpty ? "" : ", learnt from also \(extra.count { $0.isPositive }) positive and \(extra.count { !$0.isPositive }) benign weakly labelled units"); \
      hash bits \(options.settings.hashBits), character n-grams \(options.settings.characterGrams), \
      word pairs \(options.settings.wordPairs), rule categories \(options.settings.ruleCategories), \
      participants \(options.settings.participants), \
      window \(options.window); epochs \(options.regression.epochs), learning rate \(options.regression.learningRate), \
      l2 \(options.regression.l2), seed \(options.regression.seed), folds \(options.folds), \
      balanced sources \(options.regression.balanceSources), veto loss \(options.vetoLoss); \
      \(limitDescription)\(minorDescription)\(languageThresholds.isEmpty ? "" : ", lower for " + languageThresholds.map(\.language).joined(separator: ", ")); out-of-fold AUC \(formatted(auc)), \
      recall \(formatted(overall.model.recall)) at false alarms \(formatted(overall.model.falseAlarms))
      """
    let model = try LinearModel(
      level: options.level, settings: options.settings, bias: final.bias, threshold: chosen, confirm: confirm,
      window: options.window, languageThresholds: languageThresholds, minorThreshold: minor?.threshold,
      description: description, weights: final.weights)
    return Report(
      model: model, auc: auc, curve: curve,
      comparisons: [overall] + bySource.values.sorted { $0.source < $1.source }, scores: scores, minor: minor)
  }

  /// The veto level and threshold at which rules and model combined flag at most `maxFalseAlarms`
  /// of each measured source's benign units: the rules' escalations at or above the veto level,
  /// plus the units the model adds. Where the rules' escalations would take more than half of a
  /// source's allowance, the veto level rises until they take half (else the model could add nothing).
  func combinedLimit(units: [TrainingUnit], negatives: [Int], scores: [Float], vetoLevel start: Float)
    -> (vetoLevel: Float, threshold: Float)
  {
    var bySource: [String: [Int]] = [:]
    for u in negatives { bySource[units[u].source, default: []].append(u) }
    var measured = bySource.values.filter { $0.count >= ModelTrainer.minimumBenignPerSource }
    if measured.isEmpty { measured = [negatives] }
    var vetoLevel = start
    for source in measured {
      let half = Int((options.maxFalseAlarms * Double(source.count) / 2).rounded(.down))
      let flagged = source.filter { units[$0].rulesFlagged }.map { scores[$0] }.sorted(by: >)
      if half < flagged.count { vetoLevel = max(vetoLevel, flagged[half].nextUp) }
    }
    var threshold: Float = 0.5
    for source in measured {
      var floor = 0
      var others: [Float] = []
      for u in source {
        if units[u].rulesFlagged && scores[u] >= vetoLevel { floor += 1 } else { others.append(scores[u]) }
      }
      others.sort(by: >)
      let allowed = max(0, Int((options.maxFalseAlarms * Double(source.count)).rounded(.down)) - floor)
      if allowed < others.count { threshold = max(threshold, others[allowed].nextUp) }
    }
    return (vetoLevel, min(threshold, 0.999))
  }

  /// For each declared language with enough benign units to measure, the lowest threshold (not
  /// below 0.5 nor the confirm level) at which no benign unit of that language is flagged that the
  /// shared threshold leaves alone, kept where it catches more of the language's positives: one
  /// threshold for all is set by the language whose ordinary chat the model finds hardest, and
  /// would hold back recall in every other.
  static func languageThresholds(units: [TrainingUnit], scores: [Float], threshold: Float, confirm: Float)
    -> [LanguageThreshold]
  {
    var benignByLanguage: [String: [Int]] = [:]
    for u in units.indices where !units[u].isPositive {
      if let code = units[u].language { benignByLanguage[code, default: []].append(u) }
    }
    var out: [LanguageThreshold] = []
    for (code, benign) in benignByLanguage.sorted(by: { $0.key < $1.key })
    where benign.count >= minimumBenignPerSource {
      var lowest = max(0.5, confirm)
      for u in benign where scores[u] < threshold && !(units[u].rulesFlagged && scores[u] >= confirm) {
        lowest = max(lowest, scores[u].nextUp)
      }
      // Only where the lower threshold catches more of the language's positives, out of fold.
      let gained = units.indices.contains {
        units[$0].isPositive && units[$0].language == code && scores[$0] >= lowest && scores[$0] < threshold
          && !(units[$0].rulesFlagged && scores[$0] >= confirm)
      }
      if lowest < threshold && gained { out.append(LanguageThreshold(language: code, threshold: lowest)) }
    }
    return Array(out.prefix(LinearModel.maximumLanguageThresholds))
  }

  /// The confirm level and threshold at which rules and model combined flag, on each measured
  /// source, no more benign units than the rules alone, catching the most positives (then flagging
  /// the fewest benign units, then withholding the fewest rule decisions). Every confirm level a
  /// rule-flagged unit's score gives is tried; for each, the lowest threshold within the limits.
  func rulesLimit(units: [TrainingUnit], scores: [Float]) -> (confirm: Float, threshold: Float) {
    var bySource: [String: [Int]] = [:]
    for u in units.indices where !units[u].isPositive { bySource[units[u].source, default: []].append(u) }
    var measured = bySource.values.filter { $0.count >= ModelTrainer.minimumBenignPerSource }
    if measured.isEmpty { measured = [Array(bySource.values.joined())] }
    let candidates = [0] + Set(units.indices.filter { units[$0].rulesFlagged }.map { scores[$0] }).sorted()
    var best: (caught: Int, benign: Int, confirm: Float, threshold: Float)?
    for confirm in candidates {
      var threshold: Float = 0.5
      for source in measured {
        var allowed = 0
        var others: [Float] = []
        for u in source {
          guard units[u].rulesFlagged else {
            others.append(scores[u])
            continue
          }
          // A rule's false alarm counts against the allowance only when the model lets it through.
          allowed += 1
          if scores[u] >= confirm { allowed -= 1 } else { others.append(scores[u]) }
        }
        others.sort(by: >)
        if allowed < others.count { threshold = max(threshold, others[allowed].nextUp) }
      }
      threshold = min(threshold, 0.999)
      guard confirm <= threshold else { break }
      var caught = 0
      var benign = 0
      for u in units.indices where scores[u] >= threshold || (units[u].rulesFlagged && scores[u] >= confirm) {
        if units[u].isPositive { caught += 1 } else { benign += 1 }
      }
      if best == nil || caught > best!.caught || (caught == best!.caught && benign < best!.benign) {
        best = (caught, benign, confirm, threshold)
      }
    }
    return best.map { ($0.confirm, $0.threshold) } ?? (0, 0.999)
  }

  /// The probability that a random positive outscores a random benign unit (ties count half).
  static func auc(positives: [Float], negatives: [Float]) -> Double {
    let sorted = negatives.sorted()
    var total = 0.0
    for p in positives {
      // Benign scores below p, and equal to p.
      var lo = 0
      var hi = sorted.count
      while lo < hi {
        let mid = (lo + hi) / 2
        if sorted[mid] < p { lo = mid + 1 } else { hi = mid }
      }
      var equal = lo
      while equal < sorted.count && sorted[equal] == p { equal += 1 }
      total += Double(lo) + 0.5 * Double(equal - lo)
    }
    return positives.isEmpty || sorted.isEmpty ? 0 : total / Double(positives.count * sorted.count)
  }
}

func formatted(_ x: Double) -> String {
  let r = (x * 1000).rounded() / 1000
  return "\(r)"
}
