import ChildSafe

/// A hand-written SVG chart: precision and recall per category (bars), and the threshold sweep as a
/// precision/recall curve over score thresholds with the risk levels and `flagged` marked. With a
/// baseline, its sweep is drawn in grey underneath.
public enum SVGPlot {
  static let precisionColour = "#1f77b4"
  static let recallColour = "#ff7f0e"

  /// Why the threshold sweep has no precision/recall curve (drawn in its place), or nil when it has one.
  public static func missingCurveReason(_ report: EvaluationReport) -> String? {
    if report.messageCount == 0 { return "the corpus has no messages" }
    if report.messages.overall.support == 0 { return "no message is labelled, so recall is undefined" }
    let sweep = report.messages.scoreSweep.map(\.confusion) + report.messages.riskSweep.map(\.confusion)
    if !sweep.contains(where: { $0.precision != nil && $0.recall != nil }) {
      return "no message was detected, so precision is undefined"
    }
    return nil
  }

  public static func render(_ report: EvaluationReport, baseline: EvaluationReport? = nil) -> String {
    let categories = report.messages.categories.filter { $0.confusion.support > 0 || $0.confusion.tp + $0.confusion.fp > 0 }
    let rowHeight = 26.0
    let barsTop = 60.0
    let barsHeight = max(1, Double(categories.count)) * rowHeight
    let chartSize = 340.0
    // Below the sweep: the curve's legend, then one line per risk level and one for `flagged`.
    let height = max(barsTop + barsHeight + 60, barsTop + chartSize + 70 + 16 * 6)
    let width = 1060.0
    var svg = """
      <svg xmlns="http://www.w3.org/2000/svg" width="\(n(width))" height="\(n(height))" \
      viewBox="0 0 \(n(width)) \(n(height))" font-family="sans-serif" font-size="12">
      <rect width="100%" height="100%" fill="white"/>

      """

    // Left panel: bars per category.
    let labelWidth = 120.0
    let barLeft = 20 + labelWidth
    let barWidth = 300.0
    svg += text(20, 24, "Precision and recall per category", size: 15, weight: "bold")
    svg += legend(x: 20, y: 44)
    for step in 0...4 {
      let x = barLeft + barWidth * Double(step) / 4
      svg += line(x, barsTop - 4, x, barsTop + barsHeight, stroke: "#dddddd")
      svg += text(x, barsTop + barsHeight + 16, Format.fixed(Double(step) / 4, decimals: 2), anchor: "middle")
    }
    if categories.isEmpty {
      svg += text(barLeft, barsTop + 16, "no labelled or detected categories")
    }
    for (i, entry) in categories.enumerated() {
      let y = barsTop + Double(i) * rowHeight
      svg += text(barLeft - 6, y + 15, entry.category.name, anchor: "end")
      let p = entry.confusion.precision
      let r = entry.confusion.recall
      svg += bar(barLeft, y + 3, barWidth * (p ?? 0), 9, precisionColour, title: "\(entry.category.name) precision \(Format.ratio(p))")
      svg += bar(barLeft, y + 13, barWidth * (r ?? 0), 9, recallColour, title: "\(entry.category.name) recall \(Format.ratio(r))")
      let values = "P \(p.map { Format.fixed($0, decimals: 2) } ?? "–") R \(r.map { Format.fixed($0, decimals: 2) } ?? "–") n=\(entry.confusion.support)"
      svg += text(barLeft + barWidth + 6, y + 15, values, size: 10)
    }

    // Right panel: precision against recall over thresholds.
    let left = 660.0
    let top = barsTop
    svg += text(left - 40, 24, "Threshold sweep (messages)", size: 15, weight: "bold")
    svg += "<rect x=\"\(n(left))\" y=\"\(n(top))\" width=\"\(n(chartSize))\" height=\"\(n(chartSize))\" fill=\"none\" stroke=\"#999999\"/>\n"
    for step in 0...4 {
      let f = Double(step) / 4
      let label = Format.fixed(f, decimals: 2)
      svg += line(left + chartSize * f, top, left + chartSize * f, top + chartSize, stroke: "#eeeeee")
      svg += line(left, top + chartSize * (1 - f), left + chartSize, top + chartSize * (1 - f), stroke: "#eeeeee")
      svg += text(left + chartSize * f, top + chartSize + 16, label, anchor: "middle")
      svg += text(left - 6, top + chartSize * (1 - f) + 4, label, anchor: "end")
    }
    svg += text(left + chartSize / 2, top + chartSize + 34, "recall", anchor: "middle")
    svg += "<text x=\"\(n(left - 44))\" y=\"\(n(top + chartSize / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 \(n(left - 44)) \(n(top + chartSize / 2)))\">precision</text>\n"

    func point(_ c: Confusion) -> (Double, Double)? {
      guard let p = c.precision, let r = c.recall else { return nil }
      return (left + chartSize * r, top + chartSize * (1 - p))
    }
    func curve(_ r: EvaluationReport, colour: String, dashed: Bool) -> String {
      let points = r.messages.scoreSweep.compactMap { point($0.confusion) }
      guard !points.isEmpty else { return "" }
      let coordinates = points.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ")
      return "<polyline points=\"\(coordinates)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"\(dashed ? " stroke-dasharray=\"5,4\"" : "")/>\n"
    }
    if let baseline { svg += curve(baseline, colour: "#aaaaaa", dashed: true) }
    svg += curve(report, colour: precisionColour, dashed: false)
    for entry in report.messages.scoreSweep {
      guard let (x, y) = point(entry.confusion) else { continue }
      let label = "score ≥ \(Format.fixed(entry.threshold, decimals: 2))"
      svg += "<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"2.5\" fill=\"\(precisionColour)\"><title>\(escape(label)): P \(Format.ratio(entry.confusion.precision)) R \(Format.ratio(entry.confusion.recall))</title></circle>\n"
    }
    // Risk levels are marked with their initial (points that coincide share one label, "L,M"); their
    // values are listed under the chart, where labels cannot overlap.
    var riskPoints: [(x: Double, y: Double, initials: [String])] = []
    for entry in report.messages.riskSweep {
      guard let (x, y) = point(entry.confusion) else { continue }
      let initial = String(entry.level.description.prefix(1)).uppercased()
      if let i = riskPoints.firstIndex(where: { abs($0.x - x) < 0.5 && abs($0.y - y) < 0.5 }) {
        riskPoints[i].initials.append(initial)
      } else {
        riskPoints.append((x, y, [initial]))
      }
    }
    for (x, y, initials) in riskPoints {
      let label = initials.joined(separator: ",")
      svg += "<rect x=\"\(n(x - 4))\" y=\"\(n(y - 4))\" width=\"8\" height=\"8\" fill=\"\(recallColour)\" transform=\"rotate(45 \(n(x)) \(n(y)))\"><title>risk \(escape(label))</title></rect>\n"
      let nearRight = x > left + chartSize - 40
      svg += text(nearRight ? x - 7 : x + 7, y + 16, label, size: 10, anchor: nearRight ? "end" : nil)
    }
    if let reason = missingCurveReason(report) {
      svg += text(left + chartSize / 2, top + chartSize / 2 - 8, "No precision/recall curve:", anchor: "middle")
      svg += text(left + chartSize / 2, top + chartSize / 2 + 10, reason, anchor: "middle")
    }
    if let (x, y) = point(report.messages.flagged) {
      svg += "<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"6\" fill=\"none\" stroke=\"black\" stroke-width=\"2\"><title>flagged</title></circle>\n"
    }
    let legendY = top + chartSize + 52
    svg += line(left, legendY - 4, left + 20, legendY - 4, stroke: precisionColour, width: 2)
    svg += text(left + 24, legendY, "score thresholds 0.05–0.95", size: 10)
    if baseline != nil {
      svg += "<line x1=\"\(n(left + 190))\" y1=\"\(n(legendY - 4))\" x2=\"\(n(left + 210))\" y2=\"\(n(legendY - 4))\" stroke=\"#aaaaaa\" stroke-width=\"2\" stroke-dasharray=\"5,4\"/>\n"
      svg += text(left + 214, legendY, "baseline", size: 10)
    }
    var rowY = legendY + 18
    for entry in report.messages.riskSweep {
      svg += "<rect x=\"\(n(left + 6))\" y=\"\(n(rowY - 8))\" width=\"7\" height=\"7\" fill=\"\(recallColour)\" transform=\"rotate(45 \(n(left + 9.5)) \(n(rowY - 4.5)))\"/>\n"
      svg += text(left + 24, rowY, "risk ≥ \(entry.level) (\(entry.level.description.prefix(1).uppercased())): precision \(Format.ratio(entry.confusion.precision)), recall \(Format.ratio(entry.confusion.recall))", size: 10)
      rowY += 16
    }
    svg += "<circle cx=\"\(n(left + 9.5))\" cy=\"\(n(rowY - 4))\" r=\"4.5\" fill=\"none\" stroke=\"black\" stroke-width=\"1.5\"/>\n"
    svg += text(left + 24, rowY, "flagged: precision \(Format.ratio(report.messages.flagged.precision)), recall \(Format.ratio(report.messages.flagged.recall))", size: 10)
    svg += "</svg>\n"
    return svg
  }

  /// Coordinates with at most one decimal, so that the file is small and stable.
  static func n(_ x: Double) -> String { Format.number((x * 10).rounded() / 10) }

  static func escape(_ s: String) -> String {
    var out = ""
    for ch in s {
      switch ch {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      default: out.append(ch)
      }
    }
    return out
  }

  static func text(
    _ x: Double, _ y: Double, _ content: String, size: Int = 12, weight: String? = nil, anchor: String? = nil
  ) -> String {
    var attributes = "x=\"\(n(x))\" y=\"\(n(y))\""
    if size != 12 { attributes += " font-size=\"\(size)\"" }
    if let weight { attributes += " font-weight=\"\(weight)\"" }
    if let anchor { attributes += " text-anchor=\"\(anchor)\"" }
    return "<text \(attributes)>\(escape(content))</text>\n"
  }

  static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double = 1) -> String {
    "<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(n(width))\"/>\n"
  }

  static func bar(_ x: Double, _ y: Double, _ w: Double, _ h: Double, _ colour: String, title: String) -> String {
    "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(max(0, w)))\" height=\"\(n(h))\" fill=\"\(colour)\"><title>\(escape(title))</title></rect>\n"
  }

  static func legend(x: Double, y: Double) -> String {
    bar(x, y - 9, 12, 9, precisionColour, title: "precision") + text(x + 16, y, "precision", size: 11)
      + bar(x + 90, y - 9, 12, 9, recallColour, title: "recall") + text(x + 106, y, "recall", size: 11)
  }
}
