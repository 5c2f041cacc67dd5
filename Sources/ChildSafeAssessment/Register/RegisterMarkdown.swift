import ChildSafe

extension RiskRegister {
  /// The register for people: looser-than-default settings first, a summary, each risk in full,
  /// what was considered and not applicable, and the method with its figures.
  public var markdown: String {
    let p = product
    var md = "# \(RegisterText.title(self))\n\n"
    md += "- Assessed on \(p.assessedOn); reassess by **\(reassessOn)**; owner: \(p.owner)\n"
    md += "- Serves: \(RegisterText.serves(p)); age assurance: \(p.ageAssurance.rawValue)\n"
    md += "- ChildSafe parts used: \(RegisterText.parts(p))\n"
    md += "- Features: " + ProductFeature.allCases.filter(p.has).map { f in
      let on = p.bands.filter { p.isOn(f, for: $0) }.map(\.rawValue)
      return "\(f.rawValue) (\(on.isEmpty ? "off by default" : "on for " + on.joined(separator: ", ")))"
    }.joined(separator: ", ") + "\n\n"

    md += "## Defaults looser than ChildSafe's age-band defaults\n\n"
    if looser.isEmpty {
      md += "None: every feature's default is as protective as ChildSafe's default for each band served.\n\n"
    } else {
      md += "These product defaults are less protective than ChildSafe's for the band; each is an action below.\n\n"
      md += Markdown.table(
        headers: ["Feature", "Band", "Setting", "Product default", "ChildSafe default", "Locked"],
        rows: looser.map { [$0.feature.rawValue, $0.band.rawValue, $0.setting, $0.productValue, $0.defaultValue, $0.locked ? "yes" : "no"] })
      md += "\n"
    }

    md += "## Summary\n\n"
    md += Markdown.table(
      headers: ["#", "Risk", "Area", "Features", "Before", "After", "Gaps"],
      rows: risks.enumerated().map { i, r in
        ["\(i + 1)", r.entry.title, r.entry.area.label, RegisterText.features(r),
         "\(r.inherent.value) \(r.inherent.rating)", "\(r.residual.value) \(r.residual.rating)", "\(r.gaps.count)"]
      }, numeric: [0, 6])
    md += "\n## Risks\n"
    for (i, r) in risks.enumerated() {
      md += "\n### \(i + 1). \(r.entry.title)\n\n"
      md += "- Id: `\(r.entry.id)`; area: \(r.entry.area.label)"
        + (r.entry.isInteraction ? "; feature interaction" : "") + "\n"
      md += "- Features: \(RegisterText.features(r))\n"
      md += "- Harm: \(r.entry.harm)\n"
      md += "- Before mitigation: \(RegisterText.score(r.inherent))\n"
      md += "- After mitigation: \(RegisterText.score(r.residual))\n"
      for item in r.looser { md += "- **Looser than default**: \(RegisterText.looser(item))\n" }
      let inPlace = r.mitigations.filter(\.inPlace)
      md += "- In place:" + (inPlace.isEmpty ? " none\n" : "\n")
      for m in inPlace { md += "  - \(m.kind.rawValue) `\(m.name)`: \(m.detail)\n" }
      md += "- Gaps:" + (r.gaps.isEmpty ? " none\n" : "\n")
      for m in r.gaps { md += "  - \(m.kind.rawValue) `\(m.name)`: \(m.detail)\n" }
      if !r.actions.isEmpty {
        md += "- Actions:\n"
        for a in r.actions { md += "  - \(a.owner): \(a.action), by \(a.due)\n" }
      }
      md += "- Sources: \(r.entry.sources.joined(separator: "; "))\n"
    }

    md += "\n## Considered, not applicable\n\n"
    if notApplicable.isEmpty { md += "None.\n" }
    for e in notApplicable {
      var why: [String] = []
      let absent = e.needs.filter { !product.has($0) }
      if !absent.isEmpty { why.append("the product has no " + absent.map(\.rawValue).joined(separator: ", ")) }
      let present = e.missing.filter { product.isOnForAll($0) }
      if !present.isEmpty { why.append("the product has " + present.map(\.rawValue).joined(separator: ", ") + " on by default") }
      md += "- `\(e.id)` \(e.title): \(why.joined(separator: "; "))\n"
    }

    md += "\n## Methodology\n\n"
    for line in RegisterText.method { md += "- \(line)\n" }
    md += "\nClassifier recall, \(quality.corpus), measured at commit \(quality.commit) (\(quality.document)):\n\n"
    md += Markdown.table(
      headers: ["Stage", "Turns", "Recall", "ChildSafe categories"],
      rows: quality.stages.map { s in
        [s.stage, "\(s.turns)", QualityFigures.percent(s.recall),
         quality.categoryStages.filter { $0.value == s.stage }.keys.sorted().joined(separator: ", ")]
      }, numeric: [1, 2])
    md += "\nWhole conversations: " + quality.conversations.map {
      "\($0.name) recall \(QualityFigures.percent($0.recall)), false alarms \(QualityFigures.percent($0.falseAlarms))"
    }.joined(separator: "; ") + ". Benign real chat flagged: "
      + quality.benignFlagged.map { "\($0.name) \(QualityFigures.percent($0.rate))" }.joined(separator: ", ") + ".\n\n"
    md += "Risk catalogue:\n\n"
    for file in catalogueFiles { md += "- `\(file.path)` sha256 `\(file.sha256)`\n" }
    md += "\nChildSafe \(ChildSafeVersion.string). The catalogue's sources: WeProtect Global Alliance, Global Strategic Response, capability 14; ICO Age Appropriate Design Code (Children's code) standards; eSafety Commissioner, Safety by Design principles.\n"
    return md
  }
}
