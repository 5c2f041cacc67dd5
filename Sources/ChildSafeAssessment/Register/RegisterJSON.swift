import ChildSafe

extension RiskRegister {
  /// The register for tools. Keys: product, assessed_on, reassess_on, looser_than_defaults, risks,
  /// not_applicable, methodology (docs/assessment.md lists them).
  public var json: JSONValue {
    let p = product
    let productJSON: JSONValue = .object([
      ("name", .string(p.name)), ("bands", .array(p.bands.map { .string($0.rawValue) })),
      ("adults", .bool(p.adultsPresent)), ("age_assurance", .string(p.ageAssurance.rawValue)),
      ("childsafe", .array(ChildSafePart.allCases.filter(p.uses).map { .string($0.rawValue) })),
      ("owner", .string(p.owner)),
      ("features", .object(ProductFeature.allCases.filter(p.has).map { f in
        (f.rawValue, .object(p.bands.map { ($0.rawValue, .bool(p.isOn(f, for: $0))) }))
      })),
    ])
    return .object([
      ("product", productJSON), ("assessed_on", .string(p.assessedOn.description)),
      ("reassess_on", .string(reassessOn.description)),
      ("looser_than_defaults", .array(looser.map(Self.json))),
      ("risks", .array(risks.map(Self.json))),
      ("not_applicable", .array(notApplicable.map { .string($0.id) })),
      ("methodology", .object([
        ("method", .array(RegisterText.method.map { .string($0) })),
        ("quality", .object([
          ("commit", .string(quality.commit)), ("document", .string(quality.document)), ("corpus", .string(quality.corpus)),
          ("stages", .array(quality.stages.map { .object([("stage", .string($0.stage)), ("turns", .int($0.turns)), ("recall", .number($0.recall))]) })),
        ])),
        ("catalogue", .array(catalogueFiles.map { .object([("path", .string($0.path)), ("sha256", .string($0.sha256))]) })),
        ("childsafe_version", .string(ChildSafeVersion.string)),
      ])),
    ])
  }

  static func json(_ item: LooserSetting) -> JSONValue {
    .object([
      ("feature", .string(item.feature.rawValue)), ("band", .string(item.band.rawValue)), ("setting", .string(item.setting)),
      ("product_default", .string(item.productValue)), ("childsafe_default", .string(item.defaultValue)),
      ("locked", .bool(item.locked)),
    ])
  }

  static func json(_ score: RiskScore) -> JSONValue {
    .object([
      ("likelihood", .int(score.likelihood)), ("severity", .int(score.severity)), ("score", .int(score.value)),
      ("rating", .string(score.rating)),
    ])
  }

  static func json(_ r: AssessedRisk) -> JSONValue {
    .object([
      ("id", .string(r.entry.id)), ("title", .string(r.entry.title)), ("area", .string(r.entry.area.rawValue)),
      ("interaction", .bool(r.entry.isInteraction)), ("harm", .string(r.entry.harm)),
      ("features", .array(r.features.map { .string($0.rawValue) })),
      ("missing", .array(r.missing.map { .string($0.rawValue) })),
      ("inherent", json(r.inherent)), ("residual", json(r.residual)),
      ("looser_than_defaults", .array(r.looser.map(json))),
      ("mitigations", .array(r.mitigations.map { m in
        .object([("kind", .string(m.kind.rawValue)), ("name", .string(m.name)), ("in_place", .bool(m.inPlace)), ("detail", .string(m.detail))])
      })),
      ("actions", .array(r.actions.map { a in
        .object([("owner", .string(a.owner)), ("action", .string(a.action)), ("due", .string(a.due.description))])
      })),
      ("sources", .array(r.entry.sources.map { .string($0) })),
    ])
  }
}
