import ChildSafe

/// A transparency report for one period: the counts, with every count from 1 to
/// `suppressionThreshold - 1` suppressed so that no child can be singled out, and the methodology
/// behind them. Rendered as Markdown, JSON and a self-contained HTML page (docs/assessment.md).
public struct TransparencyReport: Sendable {
  /// Counts from 1 up to this minus one are shown as "fewer than" it; 0 is shown (nothing happened
  /// is not about anyone). 10 follows common statistical disclosure practice for small cells.
  public static let defaultSuppressionThreshold = 10

  public var service: String
  public var counts: TransparencyCounts
  public var suppressionThreshold: Int
  public var methodology: TransparencyMethodology

  public init(
    service: String, counts: TransparencyCounts, methodology: TransparencyMethodology,
    suppressionThreshold: Int = defaultSuppressionThreshold
  ) {
    self.service = service
    self.counts = counts
    self.methodology = methodology
    self.suppressionThreshold = max(Self.defaultSuppressionThreshold, suppressionThreshold)
  }

  /// A count as published: nil when suppressed.
  public func published(_ count: Int) -> Int? {
    count > 0 && count < suppressionThreshold ? nil : count
  }

  /// One line of a table: a label and its count.
  struct Row {
    var key: String
    var label: String
    var count: Int
  }

  /// The report's sections in order: (title, JSON key, rows). Every renderer walks these.
  var sections: [(title: String, key: String, rows: [Row])] {
    func rows(_ table: [String: Int], order: [String] = []) -> [Row] {
      let known = order.filter { table[$0] != nil }
      let rest = table.keys.filter { !order.contains($0) }.sorted()
      return (known + rest).map { Row(key: $0, label: $0, count: table[$0]!) }
    }
    var interventionRows: [Row] = []
    for audience in counts.interventions.keys.sorted() {
      for (kind, n) in counts.interventions[audience]!.sorted(by: { $0.key < $1.key }) {
        interventionRows.append(Row(key: "\(audience)/\(kind)", label: "\(audience): \(kind)", count: n))
      }
    }
    let c = counts
    return [
      ("Totals", "totals", [
        Row(key: "messages_checked", label: "Messages checked", count: c.messagesChecked),
        Row(key: "messages_flagged", label: "Messages flagged", count: c.messagesFlagged),
        Row(key: "conversations_escalated", label: "Conversations escalated", count: c.conversationsEscalated),
        Row(key: "urls_checked", label: "URLs checked", count: c.urlsChecked),
        Row(key: "urls_blocked", label: "URLs blocked", count: c.urlsBlocked),
      ]),
      ("Flagged messages by category", "flagged_by_category", rows(c.flaggedByCategory, order: Category.builtIn.map(\.name))),
      ("Flagged messages by risk", "flagged_by_risk", rows(c.flaggedByRisk, order: RiskLevel.allCases.map(\.description))),
      ("Interventions shown, by audience and kind", "interventions", interventionRows),
      ("URLs blocked by category", "urls_blocked_by_category", rows(c.urlsBlockedByCategory)),
      ("Messages checked by age band served", "age_bands", rows(c.ageBands, order: AgeBand.allCases.map(\.rawValue) + ["unknown"])),
    ]
  }

  var title: String { "Transparency report: \(service), \(counts.period)" }

  func shown(_ count: Int) -> String {
    published(count).map(String.init) ?? "fewer than \(suppressionThreshold)"
  }
}

/// How the counts were produced: what a reader needs to judge them.
public struct TransparencyMethodology: Sendable {
  public var childSafeVersion: String
  /// Rule and list files by group ("grooming/en.rules", "lexicons", ...), each with a SHA-256.
  public var rulePacks: [(name: String, files: Int, sha256: String)]
  /// The learned model used, if any.
  public var model: String?
  /// The service's own identifier of the rules in force, when it has one (the daemon's /healthz
  /// `rules.version`, taken when the configuration was loaded).
  public var rulesVersion: String?
  public var quality: QualityFigures
  public var knownLimits: [String]

  public init(
    childSafeVersion: String = ChildSafeVersion.string, rulePacks: [(name: String, files: Int, sha256: String)],
    model: String? = nil, quality: QualityFigures = .current, knownLimits: [String] = TransparencyMethodology.standardLimits
  ) {
    self.childSafeVersion = childSafeVersion
    self.rulePacks = rulePacks
    self.model = model
    self.rulesVersion = nil
    self.quality = quality
    self.knownLimits = knownLimits
  }

  /// The methodology of an engine built from `files` (the embedded rules, or a rules directory).
  /// Each grooming pack is listed on its own; the other directories as one digest each.
  public static func of(_ files: RuleFiles) -> TransparencyMethodology {
    var groups: [(name: String, files: [(path: String, text: String)])] = []
    for file in files.files {
      let name = file.path.hasPrefix("grooming/") ? file.path : String(file.path.split(separator: "/").first ?? "")
      if let i = groups.firstIndex(where: { $0.name == name }) {
        groups[i].files.append(file)
      } else {
        groups.append((name, [file]))
      }
    }
    let packs = groups.filter { $0.name != "assessment" && $0.name != "family.policy" }.map { group in
      var hasher = SHA256()
      for file in group.files {
        hasher.update(Array(file.path.utf8) + [0])
        hasher.update(Array(file.text.utf8) + [0])
      }
      return (group.name, group.files.count, hasher.finalize().map { hex($0) }.joined())
    }
    return TransparencyMethodology(rulePacks: packs)
  }

  static func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
  }

  public static let standardLimits = [
    "Counts are what the classifier and URL filter reported, not confirmed abuse: a flagged message may be a false alarm, and abuse the rules do not recognise is not counted (see the measured recall and false-alarm rates).",
    "The classifier reads text only: voice, video and images are not analysed.",
    "Counts cover messages and URLs the service chose to check; a service that checks only some traffic reports only that traffic.",
    "Age bands come from the ages the service passed with each message; \"unknown\" means none was given.",
    "Counts from 1 to the threshold minus one are suppressed; a suppressed count can sometimes be inferred from a total and the other counts of its table.",
    "Counters are kept in memory by the service: a restart within a period starts the period's counts again from zero.",
  ]
}
