import ChildSafe

/// The areas of risk a safety-by-design assessment covers: the 4 Cs (content, contact, conduct,
/// contract) plus excessive use and societal risks. Feature interactions are risks of any area
/// that need two or more features together.
public enum RiskArea: String, Sendable, Hashable, CaseIterable, Comparable {
  case content, contact, conduct, contract
  case excessiveUse = "excessive_use"
  case societal

  public var label: String {
    switch self {
    case .content: "Content"
    case .contact: "Contact"
    case .conduct: "Conduct"
    case .contract: "Contract"
    case .excessiveUse: "Excessive use"
    case .societal: "Societal"
    }
  }

  public static func < (a: RiskArea, b: RiskArea) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }
}

/// One risk of the catalogue (Rules/assessment/*.risks): when it applies, how likely and severe
/// it is before mitigation, what in ChildSafe and in the product mitigates it, and its sources.
public struct RiskEntry: Sendable, Hashable {
  public var id: String
  public var area: RiskArea
  public var title: String
  /// What happens to a child, briefly.
  public var harm: String
  /// The risk applies when the product has all of these (on or off by default).
  public var needs: [ProductFeature]
  /// ... and lacks these (absent, or off by default for some band).
  public var missing: [ProductFeature]
  /// 1 (rare) to 5 (almost certain), before mitigation.
  public var likelihood: Int
  /// 1 (minor) to 5 (severe, lasting harm), before mitigation.
  public var severity: Int
  /// `SafetySettings` JSON keys whose age-band defaults prevent it.
  public var settings: [String]
  /// Classifier categories that detect it.
  public var classifier: [String]
  /// URL filter categories that block it.
  public var urlCategories: [String]
  /// Intervention kinds that respond to it.
  public var interventions: [String]
  /// Protective product features that reduce it.
  public var protections: [ProductFeature]
  /// Where the risk and its measures come from (WeProtect GSR, ICO Children's code, eSafety SbD, ...).
  public var sources: [String]
  /// The file and line it was read from.
  public var location: SourceLocation

  /// Needs two or more features together.
  public var isInteraction: Bool { needs.count >= 2 }
}

/// The risk catalogue: every entry of every `.risks` file, in file order.
public struct RiskCatalogue: Sendable {
  public var entries: [RiskEntry]
  /// (path, SHA-256 hex) of each file read, for the register's methodology.
  public var files: [(path: String, sha256: String)]

  public init(entries: [RiskEntry], files: [(path: String, sha256: String)]) {
    self.entries = entries
    self.files = files
  }

  /// The catalogue shipped with ChildSafe (a copy of Rules/assessment/ built into this module).
  public static func embedded() throws(ChildSafeError) -> RiskCatalogue {
    try parse(files: EmbeddedCatalogue.files)
  }

  /// The `.risks` files under `directory` (e.g. an organisation's own additions).
  public static func load(directory: String) throws(ChildSafeError) -> RiskCatalogue {
    let files = try RuleFiles.load(directory: directory).files.filter { $0.path.hasSuffix(".risks") }
    if files.isEmpty { throw ChildSafeError(.io, "\(directory): no .risks files") }
    return try parse(files: files.map { (path: FileSystem.join(directory, $0.path), text: $0.text) })
  }

  /// Parses files in order; throws the first error. Ids must be unique across all files.
  public static func parse(files: [(path: String, text: String)]) throws(ChildSafeError) -> RiskCatalogue {
    var errors: [ChildSafeError] = []
    let catalogue = CatalogueParser.read(files: files, errors: &errors)
    if let first = errors.first { throw first }
    return catalogue
  }

  /// The embedded catalogue followed by the files under `directory`.
  public func adding(_ other: RiskCatalogue) throws(ChildSafeError) -> RiskCatalogue {
    var ids = Set(entries.map(\.id))
    for entry in other.entries where !ids.insert(entry.id).inserted {
      throw ChildSafeError(.invalidValue, "risk '\(entry.id)' is already in the catalogue", at: entry.location)
    }
    return RiskCatalogue(entries: entries + other.entries, files: files + other.files)
  }
}
