import ChildSafe

extension RiskRegister {
  /// The register as one self-contained page (no scripts, no external requests) that reads on a
  /// phone and prints: the same content as `markdown`.
  public var html: String {
    let e = HTMLPage.escape
    let p = product
    var b = "<h1>\(e(RegisterText.title(self)))</h1>\n"
    b += "<p class=\"meta\">Assessed on \(p.assessedOn) · reassess by <strong>\(reassessOn)</strong> · owner: \(e(p.owner))<br>"
    b += "Serves \(e(RegisterText.serves(p))) · age assurance: \(e(p.ageAssurance.rawValue)) · ChildSafe parts used: \(e(RegisterText.parts(p)))</p>\n"

    b += "<h2>Defaults looser than ChildSafe's age-band defaults</h2>\n"
    if looser.isEmpty {
      b += "<p>None: every feature's default is as protective as ChildSafe's default for each band served.</p>\n"
    } else {
      b += "<p class=\"notice\">These product defaults are less protective than ChildSafe's for the band; each is an action below.</p>\n"
      b += HTMLPage.table(
        headers: ["Feature", "Band", "Setting", "Product default", "ChildSafe default", "Locked"],
        rows: looser.map { [e($0.feature.label), e($0.band.rawValue), "<code>\(e($0.setting))</code>", e($0.productValue), e($0.defaultValue), $0.locked ? "yes" : "no"] })
    }

    b += "<h2>Summary</h2>\n"
    b += HTMLPage.table(
      headers: ["#", "Risk", "Area", "Before", "After", "Gaps"],
      rows: risks.enumerated().map { i, r in
        ["\(i + 1)", "<a href=\"#\(e(r.entry.id))\">\(e(r.entry.title))</a>", e(r.entry.area.label),
         Self.badge(r.inherent), Self.badge(r.residual), "\(r.gaps.count)"]
      }, numeric: [0, 5])

    b += "<h2>Risks</h2>\n"
    for (i, r) in risks.enumerated() {
      b += "<section class=\"card\" id=\"\(e(r.entry.id))\">\n<h3>\(i + 1). \(e(r.entry.title))</h3>\n"
      b += "<p class=\"meta\"><code>\(e(r.entry.id))</code> · \(e(r.entry.area.label))"
        + (r.entry.isInteraction ? " · feature interaction" : "") + " · features: \(e(RegisterText.features(r)))</p>\n"
      b += "<p>\(e(r.entry.harm))</p>\n<ul>\n"
      b += "<li>Before mitigation: \(Self.badge(r.inherent)) likelihood \(r.inherent.likelihood) × severity \(r.inherent.severity)</li>\n"
      b += "<li>After mitigation: \(Self.badge(r.residual)) likelihood \(r.residual.likelihood) × severity \(r.residual.severity)</li>\n"
      for item in r.looser { b += "<li class=\"gap\"><strong>Looser than default</strong>: \(e(RegisterText.looser(item)))</li>\n" }
      b += "</ul>\n"
      let inPlace = r.mitigations.filter(\.inPlace)
      if !inPlace.isEmpty {
        b += "<p><strong>In place</strong></p>\n<ul>\n"
        for m in inPlace { b += "<li>\(e(m.kind.rawValue)) <code>\(e(m.name))</code>: \(e(m.detail))</li>\n" }
        b += "</ul>\n"
      }
      if !r.gaps.isEmpty {
        b += "<p><strong>Gaps</strong></p>\n<ul>\n"
        for m in r.gaps { b += "<li class=\"gap\">\(e(m.kind.rawValue)) <code>\(e(m.name))</code>: \(e(m.detail))</li>\n" }
        b += "</ul>\n"
      }
      if !r.actions.isEmpty {
        b += "<p><strong>Actions</strong></p>\n<ul>\n"
        for a in r.actions { b += "<li>\(e(a.owner)): \(e(a.action)), by \(a.due)</li>\n" }
        b += "</ul>\n"
      }
      b += "<p class=\"meta\">Sources: \(e(r.entry.sources.joined(separator: "; ")))</p>\n</section>\n"
    }

    b += "<h2>Considered, not applicable</h2>\n<ul>\n"
    for entry in notApplicable { b += "<li><code>\(e(entry.id))</code> \(e(entry.title))</li>\n" }
    b += "</ul>\n<h2>Methodology</h2>\n<ul>\n"
    for line in RegisterText.method { b += "<li>\(e(line))</li>\n" }
    b += "</ul>\n<p>Classifier recall, \(e(quality.corpus)), measured at commit <code>\(e(quality.commit))</code> (\(e(quality.document))):</p>\n"
    b += HTMLPage.table(
      headers: ["Stage", "Turns", "Recall", "ChildSafe categories"],
      rows: quality.stages.map { s in
        [e(s.stage), "\(s.turns)", QualityFigures.percent(s.recall),
         e(quality.categoryStages.filter { $0.value == s.stage }.keys.sorted().joined(separator: ", "))]
      }, numeric: [1, 2])
    b += "<p>Risk catalogue:</p>\n<ul>\n"
    for file in catalogueFiles { b += "<li><code>\(e(file.path))</code> sha256 <code>\(e(file.sha256))</code></li>\n" }
    b += "</ul>\n<p class=\"meta\">ChildSafe \(ChildSafeVersion.string).</p>\n"
    return HTMLPage.document(title: RegisterText.title(self), body: b)
  }

  static func badge(_ score: RiskScore) -> String {
    "<span class=\"rating \(score.rating.replacingSpaces)\">\(score.value) \(score.rating)</span>"
  }
}

extension String {
  var replacingSpaces: String { String(self.map { $0 == " " ? "-" : $0 }) }
}
