import ChildSafe

/// The JSON report (schema `childsafe-eval/1`, documented in docs/evaluation.md). Keys come in a fixed
/// order and ratios are rounded to four decimals, so that two runs can be diffed. Undefined ratios
/// (zero denominator) are `null`.
extension EvaluationReport {
  public static let schema = "childsafe-eval/1"

  public func json(settings: [(String, JSONValue)] = []) -> JSONValue {
    ReportDelta.rounded(exactJSON(settings: settings))
  }

  /// The same report without rounding, for computing deltas exactly.
  public func exactJSON(settings: [(String, JSONValue)] = []) -> JSONValue {
    var members: [(String, JSONValue)] = [
      ("schema", .string(EvaluationReport.schema)),
      ("settings", .object(settings + [("seed", .int(Int(truncatingIfNeeded: seed)))])),
      ("corpus", .object([
        ("messages", .int(messageCount)), ("conversations", .int(conversationCount)), ("errors", .int(errors.count)),
      ])),
      ("messages", messagesJSON),
      ("rules", .array(messages.rules.map(Self.ruleJSON))),
      ("rules_never_fired", messages.rulesNeverFired.map { .array($0.map { .string($0) }) } ?? .null),
      ("thresholds", thresholdsJSON),
    ]
    if let conversations { members.append(("conversations", Self.conversationsJSON(conversations))) }
    if let robustness { members.append(("robustness", robustnessJSON(robustness))) }
    members.append(("errors", .array(errors.map(Self.errorJSON))))
    return .object(members)
  }

  static func ratio(_ x: Double?) -> JSONValue { x.map { .number($0) } ?? .null }

  static func names(_ categories: [Category]) -> JSONValue { .array(categories.map { .string($0.name) }) }

  static func countsJSON(_ c: Confusion) -> [(String, JSONValue)] {
    [("tp", .int(c.tp)), ("fp", .int(c.fp)), ("fn", .int(c.fn)), ("tn", .int(c.tn))]
  }

  static func scoresJSON(_ c: Confusion) -> [(String, JSONValue)] {
    [("precision", ratio(c.precision)), ("recall", ratio(c.recall)), ("f1", ratio(c.f1))]
  }

  var messagesJSON: JSONValue {
    let m = messages
    let categories: [(String, JSONValue)] = m.categories.map { entry in
      (entry.category.name, .object(Self.scoresJSON(entry.confusion) + [
        ("support", .int(entry.confusion.support)), ("tp", .int(entry.confusion.tp)),
        ("fp", .int(entry.confusion.fp)), ("fn", .int(entry.confusion.fn)),
      ]))
    }
    return .object(
      [("count", .int(messageCount)), ("positives", .int(m.overall.support))] + Self.countsJSON(m.overall)
        + Self.scoresJSON(m.overall) + [
          ("f05", Self.ratio(m.overall.f05)),
          ("categories", .object(categories)),
          ("micro", .object(Self.scoresJSON(m.micro))),
          ("macro", .object([
            ("precision", Self.ratio(m.macro.precision)), ("recall", Self.ratio(m.macro.recall)),
            ("f1", Self.ratio(m.macro.f1)),
          ])),
          ("false_positives", .array(m.falsePositives.map { o in
            .object([("id", .string(o.id)), ("categories", Self.names(o.categories)),
                     ("rules", .array(o.rules.map { .string($0.rule) }))])
          })),
          ("false_negatives", .array(m.falseNegatives.map { o in
            .object([("id", .string(o.id)), ("labels", Self.names(o.labels))])
          })),
          ("category_mismatches", .array(m.categoryMismatches.map { x in
            .object([("id", .string(x.id)), ("missed", Self.names(x.missed)), ("extra", Self.names(x.extra)),
                     ("rules", .array(x.rules.map { .string($0) }))])
          })),
        ])
  }

  static func ruleJSON(_ r: RuleStatistics) -> JSONValue {
    .object([
      ("id", .string(r.id)), ("category", r.category.map { .string($0.name) } ?? .null),
      ("hits_pos", .int(r.hitsPositive)), ("hits_neg", .int(r.hitsNegative)), ("precision", ratio(r.precision)),
      ("hits_category", .int(r.hitsOnCategory)), ("category_precision", ratio(r.categoryPrecision)),
    ])
  }

  var thresholdsJSON: JSONValue {
    func point(_ c: Confusion) -> [(String, JSONValue)] {
      [("precision", Self.ratio(c.precision)), ("recall", Self.ratio(c.recall))] + Self.countsJSON(c)
    }
    return .object([
      ("flagged", .object(point(messages.flagged))),
      ("risk", .array(messages.riskSweep.map { .object([("level", .string($0.level.description))] + point($0.confusion)) })),
      ("score", .array(messages.scoreSweep.map { .object([("threshold", .number($0.threshold))] + point($0.confusion)) })),
    ])
  }

  static func conversationsJSON(_ c: ConversationMetrics) -> JSONValue {
    let latency: (Double?) -> JSONValue = { $0.map { .number($0) } ?? .null }
    return .object(
      [("count", .int(c.confusion.total)), ("positives", .int(c.confusion.support))] + countsJSON(c.confusion) + [
        ("precision", ratio(c.confusion.precision)), ("recall", ratio(c.confusion.recall)),
        ("f1", ratio(c.confusion.f1)), ("false_alarm_rate", ratio(c.confusion.falseAlarmRate)),
        ("latency_median", latency(c.latencyMedian)), ("latency_p90", latency(c.latencyP90)),
        ("flagged_before_onset", ratio(c.flaggedBeforeOnset)),
        ("false_positives", .array(c.falsePositives.map { .string($0) })),
        ("false_negatives", .array(c.falseNegatives.map { .string($0) })),
      ])
  }

  func robustnessJSON(_ results: [RobustnessResult]) -> JSONValue {
    let cleanRecall = messages.overall.recall
    return .object(results.map { result in
      let recall = result.confusion.recall
      var ratio: Double? = nil
      if let recall, let cleanRecall, cleanRecall > 0 { ratio = recall / cleanRecall }
      var members: [(String, JSONValue)] = [
        ("precision", Self.ratio(result.confusion.precision)), ("recall", Self.ratio(recall)),
        ("recall_vs_clean", Self.ratio(ratio)),
      ] + Self.countsJSON(result.confusion)
      if let c = result.conversations {
        members.append(("conversations", .object(
          [("precision", Self.ratio(c.precision)), ("recall", Self.ratio(c.recall))] + Self.countsJSON(c))))
      }
      return (result.transform.name, .object(members))
    })
  }

  static func errorJSON(_ e: ChildSafeError) -> JSONValue {
    .object([
      ("file", e.location.map { .string($0.file) } ?? .null), ("line", e.location.map { .int($0.line) } ?? .null),
      ("code", .string(e.code.rawValue)), ("message", .string(e.message)),
    ])
  }
}

/// Deltas between two JSON reports: every number present in both at the same path, candidate minus
/// baseline (rounded); `null` where either side is null. Labels that are equal on both sides (a risk
/// level, a threshold) are kept so that sweep points stay readable; id lists are not diffed.
public enum ReportDelta {
  static let listsOfIDs: Set<String> = ["false_positives", "false_negatives", "category_mismatches"]

  public static func delta(candidate: JSONValue, baseline: JSONValue) -> JSONValue? {
    switch (candidate, baseline) {
    case let (.number(a), .number(b)): return .number(JSONRounding.round(a - b))
    case (.null, .number), (.number, .null), (.null, .null): return .null
    case let (.string(a), .string(b)) where a == b: return .string(a)
    case let (.array(a), .array(b)) where a.count == b.count:
      let items = zip(a, b).compactMap { delta(candidate: $0, baseline: $1) }
      return items.count == a.count ? .array(items) : nil
    case let (.object(a), .object(_)):
      var members: [(String, JSONValue)] = []
      for (key, value) in a where !listsOfIDs.contains(key) {
        guard let other = baseline[key] else { continue }
        if key == "threshold" {  // the sweep point's label, not a measurement
          if value == other { members.append((key, value)) }
          continue
        }
        guard let d = delta(candidate: value, baseline: other) else { continue }
        members.append((key, d))
      }
      return members.isEmpty ? nil : .object(members)
    default: return nil
    }
  }

  /// Every number rounded to four decimals (integers and thresholds such as 0.05 are unchanged).
  public static func rounded(_ value: JSONValue) -> JSONValue {
    switch value {
    case .number(let x): return .number(JSONRounding.round(x))
    case .array(let items): return .array(items.map(rounded))
    case .object(let members): return .object(members.map { ($0.0, rounded($0.1)) })
    default: return value
    }
  }

  /// The candidate's report with the baseline's report and the deltas of its sections added. Deltas
  /// are computed from exact values (rounding first would turn 2/3 - 1/3 into 0.3334).
  public static func comparison(
    candidate: EvaluationReport, baseline: EvaluationReport, candidateSettings: [(String, JSONValue)] = [],
    baselineSettings: [(String, JSONValue)] = []
  ) -> JSONValue {
    comparison(
      candidate: candidate.exactJSON(settings: candidateSettings),
      baseline: baseline.exactJSON(settings: baselineSettings))
  }

  /// The same from exact JSON reports; the result is rounded.
  public static func comparison(candidate: JSONValue, baseline: JSONValue) -> JSONValue {
    var members = candidate.objectValue ?? []
    var deltas: [(String, JSONValue)] = []
    for section in ["messages", "thresholds", "conversations", "robustness"] {
      guard let a = candidate[section], let b = baseline[section], let d = delta(candidate: a, baseline: b) else {
        continue
      }
      deltas.append((section, d))
    }
    members.append(("baseline", baseline))
    members.append(("delta", .object(deltas)))
    return rounded(.object(members))
  }
}
