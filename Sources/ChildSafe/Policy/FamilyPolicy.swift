/// A family's policy file, parsed and checked: the children, their ages, and the settings a parent
/// changed for the whole family or for one child. See docs/policy.md and Rules/family.policy.
///
/// A policy is only ever built from a file with no errors: parsing checks everything first
/// (syntax, values, and the loosening rules for every child on the reference date), so a bad
/// file is never half-applied.
public struct FamilyPolicy: Sendable {
  /// How a child's age is given.
  public enum ChildAge: Sendable, Hashable {
    case age(Int)
    /// Counted as the younger possible age: the child has not had this year's birthday yet.
    case birthYear(Int)
    case birthDate(CalendarDate)
    case band(AgeBand)
    /// No age given: the unknown-age defaults apply (13-15, age not assured).
    case unknown
  }

  /// One child of the family: name, age, and the settings the policy gives them.
  public struct Child: Sendable {
    public var name: String
    public var age: ChildAge
    /// The child's own locale, country and signposts (nil/empty: the family's apply).
    public var locale: String?
    public var country: String?
    public var signposts: [PolicySignpost]
    public var location: SourceLocation
    var scope: PolicyScope
  }

  /// The file name used in error locations.
  public let file: String
  /// Locale (BCP 47, e.g. "en-GB") and country (ISO 3166 alpha-2, e.g. "GB") for safety
  /// messages and helplines, family-wide.
  public let locale: String?
  public let country: String?
  /// Family-wide help services.
  public let signposts: [PolicySignpost]
  public let children: [Child]
  /// URL categories the family declared beyond the built-in ones (for its own lists).
  public let customCategories: [String]
  /// Warnings found while checking (the policy still applies).
  public let warnings: [PolicyDiagnostic]
  /// The date the loosening rules were checked on.
  public let checkedOn: CalendarDate

  let family: PolicyScope
  let defaults: AgeDefaultsTable

  /// Parses and checks a policy; throws the first error (use `lint` to see them all).
  public static func parse(
    _ text: String, file: String = "<policy>", on date: CalendarDate = .today(),
    defaults: AgeDefaultsTable = .embedded
  ) throws(ChildSafeError) -> FamilyPolicy {
    let (policy, diagnostics) = check(text, file: file, on: date, defaults: defaults)
    if let policy { return policy }
    throw diagnostics.first(where: { $0.severity == .error })?.error
      ?? ChildSafeError(.syntax, "\(file) is not a valid policy")
  }

  /// Reads, parses and checks a policy file.
  public static func load(
    path: String, on date: CalendarDate = .today(), defaults: AgeDefaultsTable = .embedded
  ) throws(ChildSafeError) -> FamilyPolicy {
    try parse(try FileSystem.readText(path), file: path, on: date, defaults: defaults)
  }

  /// Every error and warning in a policy, in file order.
  public static func lint(
    _ text: String, file: String = "<policy>", on date: CalendarDate = .today(),
    defaults: AgeDefaultsTable = .embedded
  ) -> [PolicyDiagnostic] {
    check(text, file: file, on: date, defaults: defaults).1
  }

  /// The policy (nil when there are errors) and every diagnostic, in file order.
  static func check(
    _ text: String, file: String, on date: CalendarDate, defaults: AgeDefaultsTable
  ) -> (FamilyPolicy?, [PolicyDiagnostic]) {
    var parser = PolicyParser(file: file, date: date, defaults: defaults)
    parser.parse(text)
    var diagnostics = parser.diagnostics
    // The loosening rules are checked even when some lines had errors (the valid lines are
    // enough), so that lint reports everything at once; a policy is only returned when nothing failed.
    let candidate = FamilyPolicy(
      file: file, locale: parser.family.locale, country: parser.family.country,
      signposts: parser.family.signposts, children: parser.children, customCategories: parser.customCategories,
      warnings: [], checkedOn: date, family: parser.family, defaults: defaults)
    if !parser.tooManyErrors {
      for child in candidate.children {
        let (_, childDiagnostics) = candidate.resolve(child, on: date)
        for diagnostic in childDiagnostics where !diagnostics.contains(diagnostic) { diagnostics.append(diagnostic) }
      }
    }
    diagnostics.sort { a, b in
      // Unlocated diagnostics (e.g. "too many problems") go last.
      (a.location?.line ?? Int.max, a.location?.column ?? 0) < (b.location?.line ?? Int.max, b.location?.column ?? 0)
    }
    if diagnostics.contains(where: { $0.severity == .error }) { return (nil, diagnostics) }
    let policy = FamilyPolicy(
      file: file, locale: candidate.locale, country: candidate.country, signposts: candidate.signposts,
      children: candidate.children, customCategories: candidate.customCategories,
      warnings: diagnostics, checkedOn: date, family: candidate.family, defaults: defaults)
    return (policy, diagnostics)
  }

  /// The child with this name (case-insensitive), or nil.
  public func child(named name: String) -> Child? {
    let wanted = name.lowercased()
    return children.first { $0.name.lowercased() == wanted }
  }

  /// Band defaults plus the family's and the child's changes, on `date`. Throws if the child is
  /// unknown, or if on this date the child's band locks a setting the file loosens without `!`.
  public func effectiveSettings(
    forChild name: String, on date: CalendarDate? = nil
  ) throws(ChildSafeError) -> EffectiveSettings {
    guard let child = child(named: name) else {
      let names = children.map(\.name)
      throw ChildSafeError(
        .invalidArgument,
        "no child named '\(name)' in \(file)" + EditDistance.hint(for: name, among: names)
          + (names.isEmpty ? "" : " (children: \(names.joined(separator: ", ")))"))
    }
    let (settings, diagnostics) = resolve(child, on: date ?? checkedOn)
    if let settings { return settings }
    throw diagnostics.first(where: { $0.severity == .error })?.error
      ?? ChildSafeError(.invalidValue, "cannot compute settings for \(child.name)")
  }

  /// The signposts for a child: the child's own for a service replace the family's for it.
  public func signposts(forChild child: Child) -> [PolicySignpost] {
    let own = Set(child.signposts.map(\.service))
    return child.signposts + signposts.filter { !own.contains($0.service) }
  }
}

/// What one section (`[family]` or `[child NAME]`) changes.
struct PolicyScope: Sendable {
  struct Override: Sendable {
    var key: String
    var value: SettingValue
    /// The `!` override marker was written.
    var forced: Bool
    var location: SourceLocation
  }

  struct CategoryChange: Sendable {
    var category: String
    var block: Bool
    var forced: Bool
    var location: SourceLocation
  }

  struct DomainChange: Sendable {
    var domain: String
    var block: Bool
    var location: SourceLocation
  }

  var overrides: [Override] = []
  var categoryChanges: [CategoryChange] = []
  var domainChanges: [DomainChange] = []
  /// Index of each category's and domain's change, so that long lists stay linear to check.
  var categoryIndex: [String: Int] = [:]
  var domainIndex: [String: Int] = [:]
  var extraLocks: [String] = []
  var locale: String?
  var country: String?
  var signposts: [PolicySignpost] = []

  func lastOverride(_ key: String) -> Override? { overrides.last { $0.key == key } }
}
