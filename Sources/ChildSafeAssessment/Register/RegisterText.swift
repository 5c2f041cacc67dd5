import ChildSafe

/// Wording shared by the register's Markdown, HTML and JSON, so the three say the same thing.
enum RegisterText {
  static func title(_ register: RiskRegister) -> String {
    "Child risk and safety assessment: \(register.product.name)"
  }

  static func features(_ risk: AssessedRisk) -> String {
    var parts = risk.features.map(\.rawValue).joined(separator: " + ")
    if !risk.missing.isEmpty {
      parts += (parts.isEmpty ? "" : "; ") + "without " + risk.missing.map(\.rawValue).joined(separator: ", ")
    }
    return parts.isEmpty ? "any product" : parts
  }

  static func score(_ score: RiskScore) -> String {
    "\(score.likelihood) × \(score.severity) = \(score.value) (\(score.rating))"
  }

  static func looser(_ item: LooserSetting) -> String {
    "\(item.feature) on for \(item.band): \(item.setting) \(item.productValue), ChildSafe default \(item.defaultValue)"
      + (item.locked ? " (locked for this band)" : "")
  }

  static func serves(_ product: ProductDescription) -> String {
    product.bands.map(\.rawValue).joined(separator: ", ") + (product.adultsPresent ? ", and adults" : "")
  }

  static func parts(_ product: ProductDescription) -> String {
    let used = ChildSafePart.allCases.filter(product.uses).map(\.rawValue)
    return used.isEmpty ? "none" : used.joined(separator: ", ")
  }

  static let method = [
    "Each catalogue risk applies when the product has every feature it needs (on or off by default) and lacks, for some band, every feature it lists as missing. Its likelihood and severity (1-5) come from the catalogue; likelihood is one lower when every needed feature is off by default for every band served (opt-in), and for contact risks one higher when age assurance is none or self-declaration (an adult can pass as a child).",
    "Prevention: when every setting a risk lists is at ChildSafe's age-band default (the product applies the defaults and no feature loosens them), likelihood falls by 2, or by 1 when age assurance is none or self-declaration (a child can claim to be older); when only some are, by 1.",
    "Detection: likelihood falls by 1 when the product uses the classifier and one of the risk's categories has a measured recall of at least 50 % (docs/quality.md, figures below). Lower recall is listed but not credited. The classifier reads text only: images, voice and video are not analysed, so for risks they carry only the text around them is detected.",
    "Blocking: likelihood falls by 1 when the product uses the URL filter and one of the risk's URL categories is blocked by default for a band served.",
    "Response: severity falls by 1 when the product shows ChildSafe's interventions after the classifier flags, and by 1 when one of the risk's protective features (reporting, blocking, parental tools) is on by default for every band.",
    "Ratings (likelihood × severity): low 1-4, medium 5-9, high 10-16, very high 20-25. Each gap is an action for the owner, due in 1 month when the residual score is 10 or more, otherwise in 3 months. Reassessment: after the product's interval, at most 6 months when any residual score is 10 or more.",
  ]
}
