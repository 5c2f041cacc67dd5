import ChildSafe

/// A product's default that is less protective than ChildSafe's default for an age band.
public struct LooserSetting: Sendable, Hashable {
  public var feature: ProductFeature
  public var band: AgeBand
  public var setting: String
  public var productValue: String
  public var defaultValue: String
  /// The band locks the setting: a family policy would need the `!` override marker to loosen it.
  public var locked: Bool
}

/// A likelihood × severity pair on the 1-5 scales.
public struct RiskScore: Sendable, Hashable {
  public var likelihood: Int
  public var severity: Int
  public var value: Int { likelihood * severity }

  /// low 1-4, medium 5-9, high 10-16, very high 20-25 (the usual 5 × 5 matrix).
  public var rating: String {
    switch value {
    case ..<5: "low"
    case ..<10: "medium"
    case ..<20: "high"
    default: "very high"
    }
  }
}

/// One mitigation of a risk and whether the product has it in place.
public struct Mitigation: Sendable, Hashable {
  public enum Kind: String, Sendable, Hashable {
    case setting, classifier, url = "url_category", intervention, feature
  }

  public var kind: Kind
  public var name: String
  public var inPlace: Bool
  /// Why it is or is not in place, with the figures (defaults per band, measured recall).
  public var detail: String
}

/// An action that closes a gap: who, what, by when.
public struct RiskAction: Sendable, Hashable {
  public var owner: String
  public var action: String
  public var due: CalendarDate
}

/// One assessed risk.
public struct AssessedRisk: Sendable, Hashable {
  public var entry: RiskEntry
  /// The product features that create or combine into it (and the missing ones it depends on).
  public var features: [ProductFeature]
  public var missing: [ProductFeature]
  public var inherent: RiskScore
  public var residual: RiskScore
  public var mitigations: [Mitigation]
  /// The product's settings looser than ChildSafe's defaults that this risk depends on.
  public var looser: [LooserSetting]
  public var actions: [RiskAction]

  public var gaps: [Mitigation] { mitigations.filter { !$0.inPlace } }
}

/// The result of an assessment: the product, what is looser than the defaults, and every risk that
/// applies, the ones made worse by looser defaults first.
public struct RiskRegister: Sendable {
  public var product: ProductDescription
  public var reassessOn: CalendarDate
  public var looser: [LooserSetting]
  public var risks: [AssessedRisk]
  /// Catalogue entries that do not apply to this product (ids), so a reader sees what was considered.
  public var notApplicable: [RiskEntry]
  public var catalogueFiles: [(path: String, sha256: String)]
  public var quality: QualityFigures
}
