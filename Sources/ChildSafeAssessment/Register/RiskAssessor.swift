import ChildSafe

/// Applies the catalogue to a product: which risks apply, the product's defaults against
/// ChildSafe's age-band defaults, the mitigations in place and the gaps, scores before and after.
/// The method is documented in docs/assessment.md ("Methodology"); keep the two in step.
public struct RiskAssessor: Sendable {
  public var catalogue: RiskCatalogue
  public var quality: QualityFigures
  /// A detection category counts as a mitigation when its measured recall reaches this.
  public static let detectionRecallFloor = 0.5

  public init(catalogue: RiskCatalogue, quality: QualityFigures = .current) {
    self.catalogue = catalogue
    self.quality = quality
  }

  public func assess(_ product: ProductDescription) -> RiskRegister {
    let looser = Self.looserSettings(product)
    var risks: [AssessedRisk] = []
    var skipped: [RiskEntry] = []
    for entry in catalogue.entries {
      if applies(entry, to: product) {
        risks.append(assess(entry, product: product, looser: looser))
      } else {
        skipped.append(entry)
      }
    }
    // Risks whose protective defaults the product loosened come first, then by residual score.
    risks.sort { a, b in
      if a.looser.isEmpty != b.looser.isEmpty { return !a.looser.isEmpty }
      if a.residual.value != b.residual.value { return a.residual.value > b.residual.value }
      if a.inherent.value != b.inherent.value { return a.inherent.value > b.inherent.value }
      return a.entry.id < b.entry.id
    }
    let months = risks.contains { $0.residual.value >= 10 } ? min(product.reassessMonths, 6) : product.reassessMonths
    return RiskRegister(
      product: product, reassessOn: Self.adding(months: months, to: product.assessedOn), looser: looser,
      risks: risks, notApplicable: skipped, catalogueFiles: catalogue.files, quality: quality)
  }

  func applies(_ entry: RiskEntry, to product: ProductDescription) -> Bool {
    entry.needs.allSatisfy(product.has) && entry.missing.allSatisfy { !product.isOnForAll($0) }
  }

  /// Every (feature, band) where the product's default is less protective than ChildSafe's.
  public static func looserSettings(_ product: ProductDescription) -> [LooserSetting] {
    var result: [LooserSetting] = []
    for feature in ProductFeature.allCases {
      for (key, whenOn) in feature.settings(adultsPresent: product.adultsPresent) {
      for band in product.bands where product.isOn(feature, for: band) {
        let defaults = AgeDefaults.settings(for: band)
        guard let standard = defaults.value(of: key), SafetySettings.isLooser(key, whenOn, than: standard) else { continue }
        result.append(
          LooserSetting(
            feature: feature, band: band, setting: key, productValue: whenOn.description,
            defaultValue: standard.description, locked: defaults.isLocked(key)))
      }
      }
    }
    return result
  }

  func assess(_ entry: RiskEntry, product: ProductDescription, looser allLooser: [LooserSetting]) -> AssessedRisk {
    var likelihood = entry.likelihood
    // A feature every served band has off by default is opt-in: fewer children meet it.
    if !entry.needs.isEmpty && entry.needs.allSatisfy({ f in !product.bands.contains { product.isOn(f, for: $0) } }) {
      likelihood = max(1, likelihood - 1)
    }
    // Without reliable age assurance an adult can pass as a child, and a child as an adult.
    if entry.area == .contact && !product.ageAssurance.isReliable { likelihood = min(5, likelihood + 1) }
    let inherent = RiskScore(likelihood: likelihood, severity: entry.severity)
    let looser = allLooser.filter { entry.settings.contains($0.setting) }
    var mitigations: [Mitigation] = []
    var likelihoodCredit = 0
    var severityCredit = 0

    // Prevention: the age-band defaults, when the product applies them and does not loosen them.
    if !entry.settings.isEmpty {
      var inPlace = 0
      for key in entry.settings {
        let values = product.bands.map { band in
          let s = AgeDefaults.settings(for: band)
          return "\(band): \(s.value(of: key)?.description ?? "?")\(s.isLocked(key) ? " (locked)" : "")"
        }.joined(separator: "; ")
        let loosenedHere = Self.byBand(looser.filter { $0.setting == key })
        let ok = product.uses(.ageDefaults) && loosenedHere.isEmpty
        if ok { inPlace += 1 }
        let why: String
        if !loosenedHere.isEmpty {
          why = "product default looser for " + loosenedHere.map { "\($0.band) (\($0.productValue))" }.joined(separator: ", ")
        } else if !product.uses(.ageDefaults) {
          why = "ChildSafe's age defaults are not applied (childsafe = age_defaults)"
        } else {
          why = "age-band default applied"
        }
        mitigations.append(Mitigation(kind: .setting, name: key, inPlace: ok, detail: "\(why); default \(values)"))
      }
      if inPlace == entry.settings.count {
        likelihoodCredit += product.ageAssurance.isReliable ? 2 : 1
      } else if inPlace > 0 {
        likelihoodCredit += 1
      }
    }

    // Detection: the classifier's categories, credited only where measured recall is high enough.
    if !entry.classifier.isEmpty {
      var best = 0.0
      for category in entry.classifier {
        let measured = quality.recall(for: category)
        let figure = measured.map {
          "measured recall \(QualityFigures.percent($0.recall)) (\($0.stage), \($0.turns) turns, \(quality.commit))"
            + ($0.recall < Self.detectionRecallFloor ? ", below 50 %: not credited" : "")
        }
          ?? "no measured recall"
        let used = product.uses(.classifier)
        if used, let measured { best = max(best, measured.recall) }
        mitigations.append(
          Mitigation(
            kind: .classifier, name: category, inPlace: used,
            detail: used ? figure : "the classifier is not used (childsafe = classifier); \(figure)"))
      }
      if best >= Self.detectionRecallFloor { likelihoodCredit += 1 }
    }

    if !entry.urlCategories.isEmpty {
      for category in entry.urlCategories {
        let used = product.uses(.urlFilter)
        let blockedFor = product.bands.filter { category == "abuse" || AgeDefaults.blockedCategories(for: $0).contains(category) }
        let detail: String
        if !used {
          detail = "the URL filter is not used (childsafe = url_filter)"
        } else if category == "abuse" {
          detail = "always blocked (hashed lists)"
        } else if blockedFor.isEmpty {
          detail = "not blocked by default for \(product.bands.map(\.rawValue).joined(separator: ", "))"
        } else {
          detail = "blocked by default for \(blockedFor.map(\.rawValue).joined(separator: ", "))"
        }
        mitigations.append(Mitigation(kind: .url, name: category, inPlace: used && !blockedFor.isEmpty, detail: detail))
      }
      if mitigations.contains(where: { $0.kind == .url && $0.inPlace }) { likelihoodCredit += 1 }
    }

    // Response: interventions and the product's own protective features lower the harm done.
    if !entry.interventions.isEmpty {
      let used = product.uses(.interventions)
      for kind in entry.interventions {
        mitigations.append(
          Mitigation(
            kind: .intervention, name: kind, inPlace: used,
            detail: used ? "shown when the classifier flags" : "interventions are not used (childsafe = interventions)"))
      }
      if used && product.uses(.classifier) { severityCredit += 1 }
    }
    if !entry.protections.isEmpty {
      var any = false
      for feature in entry.protections {
        let on = product.isOnForAll(feature)
        any = any || on
        let detail = on ? "on by default" : (product.has(feature) ? "off by default for some bands" : "the product has none")
        mitigations.append(Mitigation(kind: .feature, name: feature.rawValue, inPlace: on, detail: detail))
      }
      if any { severityCredit += 1 }
    }

    let residual = RiskScore(
      likelihood: max(1, inherent.likelihood - likelihoodCredit), severity: max(1, inherent.severity - severityCredit))
    let dueMonths = residual.value >= 10 ? 1 : 3
    let due = Self.adding(months: dueMonths, to: product.assessedOn)
    var actions: [RiskAction] = []
    for setting in Set(looser.map(\.setting)).sorted() {
      let bands = Self.byBand(looser.filter { $0.setting == setting }).map(\.band.rawValue).joined(separator: ", ")
      actions.append(RiskAction(owner: product.owner, action: "Restore ChildSafe's default for \(setting) (\(bands)), or record why not", due: due))
    }
    for gap in mitigations where !gap.inPlace && gap.kind != .setting {
      actions.append(RiskAction(owner: product.owner, action: Self.action(for: gap), due: due))
    }
    return AssessedRisk(
      entry: entry, features: entry.needs, missing: entry.missing, inherent: inherent, residual: residual,
      mitigations: mitigations, looser: looser, actions: Self.unique(actions))
  }

  /// One entry per band (two features may loosen the same setting for a band), youngest first.
  static func byBand(_ items: [LooserSetting]) -> [LooserSetting] {
    var seen: Set<AgeBand> = []
    return items.sorted { $0.band < $1.band }.filter { seen.insert($0.band).inserted }
  }

  static func action(for gap: Mitigation) -> String {
    switch gap.kind {
    case .setting: "Apply ChildSafe's default for \(gap.name)"
    case .classifier: "Use ChildSafe's classifier (category \(gap.name))"
    case .url: "Block the URL category \(gap.name)"
    case .intervention: "Show ChildSafe's \(gap.name) interventions"
    case .feature: "Provide \(ProductFeature(rawValue: gap.name)?.label.lowercased() ?? gap.name), on by default"
    }
  }

  static func unique(_ actions: [RiskAction]) -> [RiskAction] {
    var seen: Set<String> = []
    return actions.filter { seen.insert($0.action).inserted }
  }

  /// The same day `months` later (the last day of the month when it has fewer days).
  public static func adding(months: Int, to date: CalendarDate) -> CalendarDate {
    let index = date.year * 12 + (date.month - 1) + months
    let year = index / 12
    let month = index % 12 + 1
    let day = min(date.day, CalendarDate.daysIn(month: month, year: year))
    return (try? CalendarDate(year: year, month: month, day: day)) ?? date
  }
}
