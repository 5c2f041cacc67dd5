import ChildSafe

/// One measurement of a report, addressed by section, name and metric: the unit of the CSV output and of
/// side-by-side comparisons.
public struct ReportRow: Sendable, Hashable {
  public enum Value: Sendable, Hashable {
    case number(Double?)
    case text(String)
  }

  public var section: String
  public var name: String
  public var metric: String
  public var value: Value

  public var key: String { section + "\u{0}" + name + "\u{0}" + metric }
}

extension EvaluationReport {
  /// Every measurement as rows, in a fixed order.
  public var rows: [ReportRow] {
    var rows: [ReportRow] = []
    func add(_ section: String, _ name: String, _ metric: String, _ value: Double?) {
      rows.append(ReportRow(section: section, name: name, metric: metric, value: .number(value)))
    }
    func add(_ section: String, _ name: String, _ metric: String, _ value: Int) {
      add(section, name, metric, Double(value))
    }
    func text(_ section: String, _ name: String, _ metric: String, _ value: String) {
      rows.append(ReportRow(section: section, name: name, metric: metric, value: .text(value)))
    }
    func confusion(_ section: String, _ name: String, _ c: Confusion, counts: Bool = true) {
      if counts {
        add(section, name, "tp", c.tp)
        add(section, name, "fp", c.fp)
        add(section, name, "fn", c.fn)
        add(section, name, "tn", c.tn)
      }
      add(section, name, "precision", c.precision)
      add(section, name, "recall", c.recall)
    }
    let m = messages
    add("messages", "all", "count", messageCount)
    add("messages", "all", "positives", m.overall.support)
    confusion("messages", "all", m.overall)
    add("messages", "all", "f1", m.overall.f1)
    add("messages", "all", "f05", m.overall.f05)
    add("messages", "micro", "precision", m.micro.precision)
    add("messages", "micro", "recall", m.micro.recall)
    add("messages", "micro", "f1", m.micro.f1)
    add("messages", "macro", "precision", m.macro.precision)
    add("messages", "macro", "recall", m.macro.recall)
    add("messages", "macro", "f1", m.macro.f1)
    for (category, c) in m.categories {
      add("category", category.name, "precision", c.precision)
      add("category", category.name, "recall", c.recall)
      add("category", category.name, "f1", c.f1)
      add("category", category.name, "support", c.support)
    }
    confusion("threshold", "flagged", m.flagged)
    for (level, c) in m.riskSweep { confusion("threshold", "risk>=\(level)", c) }
    for (threshold, c) in m.scoreSweep { confusion("threshold", "score>=\(threshold)", c) }
    if let c = conversations {
      add("conversations", "all", "count", c.confusion.total)
      add("conversations", "all", "positives", c.confusion.support)
      confusion("conversations", "all", c.confusion)
      add("conversations", "all", "false_alarm_rate", c.confusion.falseAlarmRate)
      add("conversations", "all", "latency_median", c.latencyMedian)
      add("conversations", "all", "latency_p90", c.latencyP90)
      add("conversations", "all", "flagged_before_onset", c.flaggedBeforeOnset)
    }
    if let robustness {
      for result in robustness {
        confusion("robustness", result.transform.name, result.confusion)
        if let c = result.conversations { confusion("robustness_conversations", result.transform.name, c) }
      }
    }
    for rule in m.rules {
      add("rule", rule.id, "hits_pos", rule.hitsPositive)
      add("rule", rule.id, "hits_neg", rule.hitsNegative)
      add("rule", rule.id, "precision", rule.precision)
    }
    for o in m.falsePositives {
      text("false_positive", o.id, "rules", o.rules.map(\.rule).joined(separator: " "))
    }
    for o in m.falseNegatives { text("false_negative", o.id, "labels", o.labels.map(\.name).joined(separator: " ")) }
    if let c = conversations {
      for id in c.falsePositives { text("conversation_false_positive", id, "label", "benign") }
      for id in c.falseNegatives { text("conversation_false_negative", id, "label", "grooming") }
    }
    return rows
  }
}

/// Number formatting shared by the text outputs.
enum Format {
  static func ratio(_ x: Double?) -> String {
    guard let x else { return "–" }
    return fixed(x, decimals: 4)
  }

  static func number(_ x: Double?) -> String {
    guard let x else { return "–" }
    if x.rounded() == x && abs(x) < 1e15 { return String(Int(x)) }
    return fixed(x, decimals: 4)
  }

  static func delta(_ a: Double?, _ b: Double?) -> String {
    guard let a, let b else { return "–" }
    let d = JSONRounding.round(a - b)
    if d == 0 { return "0" }
    let magnitude = d.rounded() == d ? String(Int(abs(d))) : fixed(abs(d), decimals: 4)
    return (d > 0 ? "+" : "-") + magnitude
  }

  /// `x` with exactly `decimals` digits after the point (no Foundation `String(format:)`).
  static func fixed(_ x: Double, decimals: Int) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (abs(x) * scale).rounded()
    guard scaled < 9e15 else { return String(x) }
    let whole = Int(scaled) / Int(scale)
    var fraction = String(Int(scaled) % Int(scale))
    while fraction.count < decimals { fraction = "0" + fraction }
    return (x < 0 && scaled > 0 ? "-" : "") + String(whole) + (decimals > 0 ? "." + fraction : "")
  }
}

/// CSV: one row per measurement (`section,name,metric,value`), plus `baseline,delta` when comparing.
public enum CSVReport {
  public static func render(_ report: EvaluationReport, baseline: EvaluationReport? = nil) -> String {
    let baselineRows = Dictionary(
      (baseline?.rows ?? []).map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
    var out = baseline == nil ? "section,name,metric,value\n" : "section,name,metric,value,baseline,delta\n"
    for row in report.rows {
      var cells = [row.section, row.name, row.metric]
      switch row.value {
      case .number(let x):
        cells.append(Format.number(x.map(JSONRounding.round)).replacingDash)
        if baseline != nil {
          if case .number(let b)? = baselineRows[row.key] {
            cells.append(Format.number(b.map(JSONRounding.round)).replacingDash)
            cells.append(Format.delta(x, b).replacingDash)
          } else {
            cells += ["", ""]
          }
        }
      case .text(let t):
        cells.append(t)
        if baseline != nil { cells += ["", ""] }
      }
      out += cells.map(escape).joined(separator: ",") + "\n"
    }
    return out
  }

  static func escape(_ cell: String) -> String {
    guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return cell }
    var quoted = "\""
    for ch in cell { quoted += ch == "\"" ? "\"\"" : String(ch) }
    return quoted + "\""
  }
}

extension String {
  /// Undefined values are empty cells in CSV.
  fileprivate var replacingDash: String { self == "–" ? "" : self }
}
