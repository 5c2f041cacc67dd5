import ChildSafe

extension TransparencyReport {
  /// The report for people (Markdown).
  public var markdown: String {
    var md = "# \(title)\n\n"
    md += "Period: \(counts.period) (\(counts.granularity.rawValue)). Counts from 1 to \(suppressionThreshold - 1) are shown as \"fewer than \(suppressionThreshold)\" so that no child can be singled out.\n"
    for section in sections {
      md += "\n## \(section.title)\n\n"
      if section.rows.isEmpty {
        md += "None.\n"
        continue
      }
      md += Markdown.table(headers: ["", "Count"], rows: section.rows.map { [$0.label, shown($0.count)] }, numeric: [1])
    }
    md += "\n## Methodology\n\n"
    md += "- ChildSafe \(methodology.childSafeVersion); learned model: \(methodology.model ?? "none (rule-based classifier)")\n"
    if let version = methodology.rulesVersion { md += "- Rules version as loaded: `\(version)`\n" }
    md += "- Rule packs and lists (SHA-256 of each file's path and text, in order):\n"
    for pack in methodology.rulePacks { md += "  - `\(pack.name)` (\(pack.files) file\(pack.files == 1 ? "" : "s")): `\(pack.sha256)`\n" }
    let q = methodology.quality
    md += "- Classifier quality on public reference corpora (\(q.document), commit \(q.commit); \(q.corpus)):\n"
    for stage in q.stages { md += "  - \(stage.stage): recall \(QualityFigures.percent(stage.recall)) (\(stage.turns) turns)\n" }
    for c in q.conversations {
      md += "  - \(c.name): recall \(QualityFigures.percent(c.recall)), false alarms \(QualityFigures.percent(c.falseAlarms))\n"
    }
    md += "  - Benign real chat flagged: " + q.benignFlagged.map { "\($0.name) \(QualityFigures.percent($0.rate))" }.joined(separator: ", ") + "\n"
    md += "\n### Known limits\n\n"
    for limit in methodology.knownLimits { md += "- \(limit)\n" }
    return md
  }

  /// The report for tools. Suppressed counts are `null`; `suppressed_below` says why.
  public var json: JSONValue {
    func value(_ n: Int) -> JSONValue { published(n).map { .int($0) } ?? .null }
    var members: [(String, JSONValue)] = [
      ("service", .string(service)), ("period", .string(counts.period)),
      ("granularity", .string(counts.granularity.rawValue)), ("suppressed_below", .int(suppressionThreshold)),
    ]
    for section in sections {
      members.append((section.key, .object(section.rows.map { ($0.key, value($0.count)) })))
    }
    let q = methodology.quality
    members.append((
      "methodology",
      .object([
        ("childsafe_version", .string(methodology.childSafeVersion)), ("model", methodology.model.map { .string($0) } ?? .null),
        ("rules_version", methodology.rulesVersion.map { .string($0) } ?? .null),
        ("rule_packs", .array(methodology.rulePacks.map { .object([("name", .string($0.name)), ("files", .int($0.files)), ("sha256", .string($0.sha256))]) })),
        ("quality", .object([
          ("commit", .string(q.commit)), ("document", .string(q.document)), ("corpus", .string(q.corpus)),
          ("stages", .array(q.stages.map { .object([("stage", .string($0.stage)), ("turns", .int($0.turns)), ("recall", .number($0.recall))]) })),
          ("conversations", .array(q.conversations.map { .object([("name", .string($0.name)), ("recall", .number($0.recall)), ("false_alarm_rate", .number($0.falseAlarms))]) })),
          ("benign_flagged", .array(q.benignFlagged.map { .object([("corpus", .string($0.name)), ("rate", .number($0.rate))]) })),
        ])),
        ("known_limits", .array(methodology.knownLimits.map { .string($0) })),
      ])))
    return .object(members)
  }

  /// The report as one self-contained page (no scripts, no external requests), for phones and print.
  public var html: String {
    let e = HTMLPage.escape
    var b = "<h1>\(e(title))</h1>\n"
    b += "<p class=\"meta\">Period \(e(counts.period)) (\(counts.granularity.rawValue)). Counts from 1 to \(suppressionThreshold - 1) are shown as “fewer than \(suppressionThreshold)” so that no child can be singled out.</p>\n"
    for section in sections {
      b += "<h2>\(e(section.title))</h2>\n"
      if section.rows.isEmpty {
        b += "<p>None.</p>\n"
        continue
      }
      b += HTMLPage.table(headers: ["", "Count"], rows: section.rows.map { [e($0.label), e(shown($0.count))] }, numeric: [1])
    }
    b += "<h2>Methodology</h2>\n<ul>\n"
    b += "<li>ChildSafe \(e(methodology.childSafeVersion)); learned model: \(e(methodology.model ?? "none (rule-based classifier)"))</li>\n"
    if let version = methodology.rulesVersion { b += "<li>Rules version as loaded: <code>\(e(version))</code></li>\n" }
    b += "</ul>\n"
    b += HTMLPage.table(
      headers: ["Rule pack or list", "Files", "SHA-256"],
      rows: methodology.rulePacks.map { ["<code>\(e($0.name))</code>", "\($0.files)", "<code>\(e($0.sha256))</code>"] }, numeric: [1])
    let q = methodology.quality
    b += "<p>Classifier quality on public reference corpora (\(e(q.document)), commit <code>\(e(q.commit))</code>; \(e(q.corpus))):</p>\n"
    b += HTMLPage.table(
      headers: ["Measure", "Recall", "False alarms"],
      rows: q.stages.map { [e($0.stage) + " (\($0.turns) turns)", QualityFigures.percent($0.recall), ""] }
        + q.conversations.map { [e($0.name), QualityFigures.percent($0.recall), QualityFigures.percent($0.falseAlarms)] }
        + q.benignFlagged.map { ["Benign: " + e($0.name), "", QualityFigures.percent($0.rate)] },
      numeric: [1, 2])
    b += "<h3>Known limits</h3>\n<ul>\n"
    for limit in methodology.knownLimits { b += "<li>\(e(limit))</li>\n" }
    b += "</ul>\n"
    return HTMLPage.document(title: title, body: b)
  }
}
