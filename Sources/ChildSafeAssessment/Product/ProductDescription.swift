import ChildSafe

/// A product as its team describes it for a risk assessment (docs/assessment.md): who it serves,
/// how it knows their ages, its features with their defaults per age band, and the parts of
/// ChildSafe it uses.
public struct ProductDescription: Sendable, Hashable {
  public var name: String
  /// The age bands the product serves, youngest first.
  public var bands: [AgeBand]
  /// Adults use the service too (they can meet children in it).
  public var adultsPresent: Bool
  public var ageAssurance: AgeAssurance
  public var childSafeParts: Set<ChildSafePart>
  /// The date of this assessment (fixed in the file, so a report regenerates identically).
  public var assessedOn: CalendarDate
  /// Months until the next assessment.
  public var reassessMonths: Int
  /// Who owns the actions (a role, not a person's contact details).
  public var owner: String
  /// Feature → on-by-default per band served. A feature absent from the map is not in the product.
  public var features: [ProductFeature: [AgeBand: Bool]]

  public init(
    name: String, bands: [AgeBand], adultsPresent: Bool, ageAssurance: AgeAssurance,
    childSafeParts: Set<ChildSafePart>, assessedOn: CalendarDate, reassessMonths: Int, owner: String,
    features: [ProductFeature: [AgeBand: Bool]]
  ) {
    self.name = name
    self.bands = bands
    self.adultsPresent = adultsPresent
    self.ageAssurance = ageAssurance
    self.childSafeParts = childSafeParts
    self.assessedOn = assessedOn
    self.reassessMonths = reassessMonths
    self.owner = owner
    self.features = features
  }

  public func has(_ feature: ProductFeature) -> Bool { features[feature] != nil }

  /// Whether the feature is on by default for a band (false when the product lacks it).
  public func isOn(_ feature: ProductFeature, for band: AgeBand) -> Bool { features[feature]?[band] ?? false }

  /// On by default for every band served.
  public func isOnForAll(_ feature: ProductFeature) -> Bool { bands.allSatisfy { isOn(feature, for: $0) } }

  public func uses(_ part: ChildSafePart) -> Bool { childSafeParts.contains(part) }

  /// Reads a product file (at most 1 MiB); throws the first error. `ProductParser.lint` lists them all.
  public static func load(path: String) throws(ChildSafeError) -> ProductDescription {
    try ProductParser.parse(try FileSystem.readText(path), file: path)
  }
}
