import ChildSafe

/// A Markdown report for people: headline metrics, per-category table, threshold sweep, conversations,
/// robustness, per-rule statistics and the ids of every mistake. With a baseline, the metric tables show
/// baseline, rules under test and the delta side by side.
public enum MarkdownReport {
  public static func render(_ report: EvaluationReport, baseline: EvaluationReport? = nil, title: String? = nil)
    -> String
  {
    var out = "# \(title ?? "ChildSafe evaluation")\n\n"
    out += "Messages: \(report.messageCount). Conversations: \(report.conversationCount). "
    out += "Input errors: \(report.errors.count).\n"
    if let baseline {
      out += "Baseline messages: \(baseline.messageCount). Baseline conversations: \(baseline.conversationCount).\n"
    }

    out += "\n## Messages\n\n"
    out += "A message is detected when its verdict lists at least one category; positive when it has a label.\n\n"
    out += table(
      ["metric"], report: report, baseline: baseline,
      rows: [
        ("count", { Double($0.messageCount) }), ("positives", { Double($0.messages.overall.support) }),
        ("true positives", { Double($0.messages.overall.tp) }), ("false positives", { Double($0.messages.overall.fp) }),
        ("false negatives", { Double($0.messages.overall.fn) }), ("true negatives", { Double($0.messages.overall.tn) }),
        ("precision", { $0.messages.overall.precision }), ("recall", { $0.messages.overall.recall }),
        ("F1", { $0.messages.overall.f1 }), ("F0.5", { $0.messages.overall.f05 }),
        ("micro precision", { $0.messages.micro.precision }), ("micro recall", { $0.messages.micro.recall }),
        ("micro F1", { $0.messages.micro.f1 }),
        ("macro precision", { $0.messages.macro.precision }), ("macro recall", { $0.messages.macro.recall }),
        ("macro F1", { $0.messages.macro.f1 }),
      ])

    if report.messageCount > 0 && report.messages.overall.support == 0 {
      out += "\nNo message is labelled: recall is undefined, and so is precision until a message is detected; "
      out += "the false positives are the false alarms.\n"
    }

    // Categories with no label and no detection (in either report) have nothing to show but dashes.
    func occurs(_ c: Confusion?) -> Bool { (c?.support ?? 0) > 0 || (c?.tp ?? 0) + (c?.fp ?? 0) > 0 }
    let shown = report.messages.categories.filter {
      occurs($0.confusion) || occurs(baseline?.messages.confusion(of: $0.category))
    }
    let absent = report.messages.categories.map(\.category).filter { c in !shown.contains { $0.category == c } }
    if !shown.isEmpty {
      out += "\n## Categories\n\n"
      if baseline == nil {
        out += "| category | precision | recall | F1 | support | tp | fp | fn |\n|---|---|---|---|---|---|---|---|\n"
        for (category, c) in shown {
          out += "| \(category.name) | \(Format.ratio(c.precision)) | \(Format.ratio(c.recall)) | "
          out += "\(Format.ratio(c.f1)) | \(c.support) | \(c.tp) | \(c.fp) | \(c.fn) |\n"
        }
      } else if let baseline {
        out += "| category | support | precision (baseline) | precision | Δ | recall (baseline) | recall | Δ "
        out += "| F1 (baseline) | F1 | Δ |\n|---|---|---|---|---|---|---|---|---|---|---|\n"
        for (category, c) in shown {
          let b = baseline.messages.confusion(of: category) ?? Confusion()
          out += "| \(category.name) | \(c.support) "
          for (x, y) in [(b.precision, c.precision), (b.recall, c.recall), (b.f1, c.f1)] {
            out += "| \(Format.ratio(x)) | \(Format.ratio(y)) | \(Format.delta(y, x)) "
          }
          out += "|\n"
        }
      }
      if !absent.isEmpty {
        out += "\nNo message labelled or detected: \(absent.map(\.name).joined(separator: ", ")).\n"
      }
    } else {
      out += "\nNo category was labelled or detected in any message.\n"
    }

    out += "\n## Threshold sweep\n\nPrecision and recall of acting on a message (against \"has a label\").\n\n"
    var sweepRows: [(String, (EvaluationReport) -> Confusion?)] = [("flagged", { $0.messages.flagged })]
    for (i, entry) in report.messages.riskSweep.enumerated() {
      sweepRows.append(("risk ≥ \(entry.level)", { $0.messages.riskSweep[safe: i]?.confusion }))
    }
    for (i, entry) in report.messages.scoreSweep.enumerated() {
      let t = Format.fixed(entry.threshold, decimals: 2)
      sweepRows.append(("score ≥ \(t)", { $0.messages.scoreSweep[safe: i]?.confusion }))
    }
    out += precisionRecallTable("threshold", report: report, baseline: baseline, rows: sweepRows)

    if report.conversations != nil || baseline?.conversations != nil {
      out += "\n## Conversations\n\n"
      out += "Latency is counted in messages from the labelled onset to the first flag (negative: before onset).\n\n"
      out += table(
        ["metric"], report: report, baseline: baseline,
        rows: [
          ("count", { $0.conversations.map { Double($0.confusion.total) } }),
          ("grooming", { $0.conversations.map { Double($0.confusion.support) } }),
          ("precision", { $0.conversations?.confusion.precision }),
          ("recall", { $0.conversations?.confusion.recall }),
          ("false-alarm rate", { $0.conversations?.confusion.falseAlarmRate }),
          ("latency median", { $0.conversations?.latencyMedian }),
          ("latency p90", { $0.conversations?.latencyP90 }),
          ("flagged before onset", { $0.conversations?.flaggedBeforeOnset }),
        ])
      if let c = report.conversations {
        out += "\nMissed grooming conversations: \(list(c.falseNegatives)).\n"
        out += "Flagged benign conversations: \(list(c.falsePositives)).\n"
      }
    }

    if let robustness = report.robustness {
      out += "\n## Robustness\n\nThe messages again, rewritten by each obfuscation transform (seed \(report.seed)).\n\n"
      let rows: [(String, (EvaluationReport) -> Confusion?)] = robustness.enumerated().map { i, result in
        (result.transform.name, { $0.robustness?[safe: i]?.confusion })
      }
      out += precisionRecallTable("transform", report: report, baseline: baseline, rows: rows)
      if robustness.contains(where: { $0.conversations != nil }) {
        out += "\nConversations (every message rewritten), `flagged` against grooming:\n\n"
        let conversationRows: [(String, (EvaluationReport) -> Confusion?)] = robustness.enumerated().map { i, result in
          (result.transform.name, { $0.robustness?[safe: i]?.conversations })
        }
        out += precisionRecallTable("transform", report: report, baseline: baseline, rows: conversationRows)
      }
    }

    let m = report.messages
    out += "\n## Rules\n\n"
    let fired = m.rules.filter { $0.hits > 0 }
    if fired.isEmpty {
      out += "No rule fired on any message.\n"
    } else {
      out += "| rule | category | hits on positives | hits on negatives | precision | hits on its category |\n"
      out += "|---|---|---|---|---|---|\n"
      for r in fired {
        out += "| \(r.id) | \(r.category?.name ?? "–") | \(r.hitsPositive) | \(r.hitsNegative) | "
        out += "\(Format.ratio(r.precision)) | \(r.hitsOnCategory) |\n"
      }
    }
    if let never = m.rulesNeverFired {
      out += never.isEmpty ? "\nEvery rule fired at least once.\n" : neverFired(never)
    } else {
      out += "\nThe classifier does not list its rules, so rules that never fired are unknown.\n"
    }

    if !m.falsePositives.isEmpty {
      out += "\n## False positives (\(m.falsePositives.count))\n\n"
      out += "| id | categories | rules |\n|---|---|---|\n"
      for o in m.falsePositives {
        out += "| \(o.id) | \(o.categories.map(\.name).joined(separator: ", ")) | "
        out += "\(o.rules.map(\.rule).joined(separator: ", ")) |\n"
      }
    }
    if !m.falseNegatives.isEmpty {
      out += "\n## False negatives (\(m.falseNegatives.count))\n\n"
      out += "| id | labels |\n|---|---|\n"
      for o in m.falseNegatives { out += "| \(o.id) | \(o.labels.map(\.name).joined(separator: ", ")) |\n" }
    }
    if !m.categoryMismatches.isEmpty {
      out += "\n## Detected with other categories (\(m.categoryMismatches.count))\n\n"
      out += "| id | missed | extra | rules |\n|---|---|---|---|\n"
      for x in m.categoryMismatches {
        out += "| \(x.id) | \(x.missed.map(\.name).joined(separator: ", ")) | "
        out += "\(x.extra.map(\.name).joined(separator: ", ")) | \(x.rules.joined(separator: ", ")) |\n"
      }
    }
    if !report.errors.isEmpty {
      out += "\n## Input errors (\(report.errors.count))\n\n"
      for e in report.errors { out += "- \(e)\n" }
    }
    return out
  }

  static let notRatios: Set<String> = [
    "count", "positives", "grooming", "true positives", "false positives", "false negatives", "true negatives",
    "latency median", "latency p90",
  ]

  static func list(_ ids: [String]) -> String { ids.isEmpty ? "none" : ids.joined(separator: ", ") }

  /// Rules that never fired, one table row per id prefix ("de.sexual": pack and topic), so that a
  /// rule set of hundreds of rules reads as a short table rather than one paragraph of ids.
  static func neverFired(_ ids: [String]) -> String {
    var groups: [(prefix: String, names: [String])] = []
    for id in ids.sorted() {
      let prefix = id.lastIndex(of: ".").map { String(id[..<$0]) } ?? ""
      let name = prefix.isEmpty ? id : String(id.dropFirst(prefix.count + 1))
      if groups.last?.prefix == prefix { groups[groups.count - 1].names.append(name) } else { groups.append((prefix, [name])) }
    }
    var out = "\n### Rules that never fired (\(ids.count))\n\n"
    out += "By id prefix (pack and topic), the rest of each id after it.\n\n| prefix | count | rules |\n|---|---|---|\n"
    for group in groups {
      out += "| \(group.prefix.isEmpty ? "–" : group.prefix) | \(group.names.count) | \(group.names.joined(separator: ", ")) |\n"
    }
    return out
  }

  /// Precision and recall per row: with counts, or baseline, value and Δ of each when comparing.
  static func precisionRecallTable(
    _ header: String, report: EvaluationReport, baseline: EvaluationReport?,
    rows: [(String, (EvaluationReport) -> Confusion?)]
  ) -> String {
    var out: String
    if baseline == nil {
      out = "| \(header) | precision | recall | tp | fp | fn |\n|---|---|---|---|---|---|\n"
    } else {
      out = "| \(header) | precision (baseline) | precision | Δ | recall (baseline) | recall | Δ |\n"
      out += "|---|---|---|---|---|---|---|\n"
    }
    for (name, value) in rows {
      let c = value(report)
      if let baseline {
        let b = value(baseline)
        out += "| \(name) | \(Format.ratio(b?.precision)) | \(Format.ratio(c?.precision)) | "
        out += "\(Format.delta(c?.precision, b?.precision)) | \(Format.ratio(b?.recall)) | \(Format.ratio(c?.recall)) | "
        out += "\(Format.delta(c?.recall, b?.recall)) |\n"
      } else if let c {
        out += "| \(name) | \(Format.ratio(c.precision)) | \(Format.ratio(c.recall)) | \(c.tp) | \(c.fp) | \(c.fn) |\n"
      }
    }
    return out
  }

  /// A metric table: `name | value`, or `name | baseline | value | Δ` when comparing.
  static func table(
    _ header: [String], report: EvaluationReport, baseline: EvaluationReport?,
    rows: [(String, (EvaluationReport) -> Double?)]
  ) -> String {
    var out: String
    if baseline == nil {
      out = "| \(header[0]) | value |\n|---|---|\n"
    } else {
      out = "| \(header[0]) | baseline | rules under test | Δ |\n|---|---|---|---|\n"
    }
    for (name, value) in rows {
      // Counts and latencies (in messages) print as numbers, everything else as a ratio with 4 decimals.
      let isRatio = !notRatios.contains(name)
      func show(_ v: Double?) -> String { isRatio ? Format.ratio(v) : Format.number(v.map(JSONRounding.round)) }
      let x = value(report)
      if let baseline {
        let b = value(baseline)
        out += "| \(name) | \(show(b)) | \(show(x)) | \(Format.delta(x, b)) |\n"
      } else {
        out += "| \(name) | \(show(x)) |\n"
      }
    }
    return out
  }
}

extension Array {
  subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
