/// A child's settings after the family policy: band defaults, then the [family] changes, then the
/// child's own. `loosened` names every setting less protective than the band default, so the host
/// app can tell the child (monitoring notice) and the parent.
public struct EffectiveSettings: Sendable, Hashable {
  public var child: String
  public var settings: SafetySettings
  /// The band defaults the changes were applied to.
  public var defaults: SafetySettings
  /// Settings looser than the band default, in JSON key order (`allowed_domains` last when set).
  public var loosened: [String]
  /// The loosened settings that were locked and loosened with the `!` override marker.
  public var overridden: [String]
  public var blockedDomains: [String]
  public var allowedDomains: [String]
  public var locale: String?
  public var country: String?
  public var signposts: [PolicySignpost]
  /// The child is 18 or older: adult defaults apply and the policy's changes do not.
  public var agedOut: Bool

  /// `{"child", <every settings key>, "loosened", "overridden", "blocked_domains", "allowed_domains",
  /// "locale", "country", "signposts"}`.
  public var json: JSONValue {
    .object(
      [("child", .string(child))] + settings.jsonMembers + [
        ("loosened", .array(loosened.map { .string($0) })),
        ("overridden", .array(overridden.map { .string($0) })),
        ("blocked_domains", .array(blockedDomains.map { .string($0) })),
        ("allowed_domains", .array(allowedDomains.map { .string($0) })),
        ("locale", locale.map { .string($0) } ?? .null),
        ("country", country.map { .string($0) } ?? .null),
        ("signposts", .array(signposts.map(\.json))),
      ])
  }
}

extension FamilyPolicy {
  /// The child's age on `date` and the defaults for it.
  func baseSettings(_ child: Child, on date: CalendarDate) throws(ChildSafeError) -> SafetySettings {
    switch child.age {
    case .age(let age): return defaults.settings(forAge: age)
    case .birthDate(let birth):
      guard let age = birth.age(on: date) else {
        throw ChildSafeError(.invalidValue, "\(child.name) is born on \(birth), after \(date)", at: child.location)
      }
      return defaults.settings(forAge: age)
    case .birthYear(let year):
      guard year <= date.year else {
        throw ChildSafeError(.invalidValue, "\(child.name) is born in \(year), after \(date)", at: child.location)
      }
      // Without the birthday, count the younger possible age: the stricter defaults.
      return defaults.settings(forAge: max(0, date.year - year - 1))
    case .band(let band): return defaults.settings(for: band)
    case .unknown: return defaults.settings(forAge: nil)
    }
  }

  /// Applies the family's and the child's changes, checking the loosening rules.
  func resolve(_ child: Child, on date: CalendarDate) -> (EffectiveSettings?, [PolicyDiagnostic]) {
    var diagnostics: [PolicyDiagnostic] = []
    let base: SafetySettings
    do { base = try baseSettings(child, on: date) } catch {
      return (nil, [PolicyDiagnostic(.error, error)])
    }
    let band = base.ageBand ?? .unknownAge
    var result = EffectiveSettings(
      child: child.name, settings: base, defaults: base, loosened: [], overridden: [], blockedDomains: [],
      allowedDomains: [], locale: child.locale ?? locale, country: child.country ?? country,
      signposts: signposts(forChild: child), agedOut: !band.isMinor)
    if !band.isMinor { return (result, []) }

    let fixed = defaults.fixedSettings(for: band)
    let who = "\(child.name) (\(band.rawValue))"
    func fail(_ message: String, _ location: SourceLocation) {
      diagnostics.append(PolicyDiagnostic(.error, ChildSafeError(.invalidValue, message, at: location)))
    }
    func unneededMarker(_ key: String, _ location: SourceLocation) {
      diagnostics.append(
        PolicyDiagnostic(
          .warning,
          ChildSafeError(
            .invalidValue, "'!' is not needed: for \(who) this does not loosen a locked setting (\(key))", at: location)))
    }
    func loosen(_ key: String, forced: Bool, at location: SourceLocation) -> Bool {
      if fixed.contains(key) {
        fail(
          "\(key) cannot be loosened for \(who), not even with '!': "
            + (key == "monitoring_notice"
              ? "monitoring a child must never be covert (ICO Children's code, standard 11)"
              : "profiling and personalised ads are off for every child (DSA Art. 28(2), ICO standard 12)"),
          location)
        return false
      }
      if base.isLocked(key) && !forced {
        fail(
          "\(key) is locked for ages \(band.rawValue) (\(child.name)); to loosen it deliberately, mark the line with '!' (e.g. !\(key) = ...) and the change will be shown to the child and the parent",
          location)
        return false
      }
      return true
    }

    // Settings: the child's last line for a key wins over the family's.
    for spec in SettingSpec.all where spec.key != "blocked_categories" && spec.key != "locked" {
      guard let change = child.scope.lastOverride(spec.key) ?? family.lastOverride(spec.key) else { continue }
      let old = spec.get(base)
      if spec.isLooser(change.value, than: old) {
        guard loosen(spec.key, forced: change.forced, at: change.location) else { continue }
        if child.scope.lastOverride(spec.key) == nil && !change.forced {
          // A family-wide line is usually meant to tighten; loosening one child by it is easy to miss.
          diagnostics.append(
            PolicyDiagnostic(
              .warning,
              ChildSafeError(
                .invalidValue,
                "this [family] line loosens \(spec.key) for \(who): the band default is \(old), the line sets \(change.value); if that is meant, set it in [child \(child.name)] (it is reported as loosened either way)",
                at: change.location)))
        }
        result.loosened.append(spec.key)
        if change.forced && base.isLocked(spec.key) { result.overridden.append(spec.key) }
      } else if change.forced && child.scope.lastOverride(spec.key) != nil {
        // Only on the child's own lines: a [family] line may need '!' for one child and not another.
        unneededMarker(spec.key, change.location)
      }
      spec.set(&result.settings, change.value)
    }

    // Categories: family changes, then the child's, in file order.
    var blocked = base.blockedCategories
    var categoryOverride = false
    for change in family.categoryChanges + child.scope.categoryChanges {
      if change.block {
        if !blocked.contains(change.category) { blocked.append(change.category) }
        continue
      }
      guard let index = blocked.firstIndex(of: change.category) else { continue }
      if base.blockedCategories.contains(change.category) {
        guard loosen("blocked_categories", forced: change.forced, at: change.location) else { continue }
        if change.forced && base.isLocked("blocked_categories") { categoryOverride = true }
      }
      blocked.remove(at: index)
    }
    result.settings.blockedCategories = blocked
    if base.blockedCategories.contains(where: { !blocked.contains($0) }) {
      let position = SettingSpec.keys.firstIndex(of: "blocked_categories") ?? 0
      let insertAt = result.loosened.firstIndex { (SettingSpec.keys.firstIndex(of: $0) ?? 0) > position } ?? result.loosened.count
      result.loosened.insert("blocked_categories", at: insertAt)
      if categoryOverride {
        let overrideAt = result.overridden.firstIndex { (SettingSpec.keys.firstIndex(of: $0) ?? 0) > position } ?? result.overridden.count
        result.overridden.insert("blocked_categories", at: overrideAt)
      }
    }

    // Extra locks only tighten.
    for name in family.extraLocks + child.scope.extraLocks where !result.settings.locked.contains(name) {
      result.settings.locked.append(name)
    }

    // Domains: a child's line beats the family's for the same domain.
    var domains: [String: (block: Bool, order: Int)] = [:]
    for (order, change) in (family.domainChanges + child.scope.domainChanges).enumerated() {
      domains[change.domain] = (change.block, domains[change.domain]?.order ?? order)
    }
    let ordered = domains.sorted { $0.value.order < $1.value.order }
    let allowedDomains = ordered.filter { !$0.value.block }.map(\.key)
    result.blockedDomains = ordered.filter { $0.value.block }.map(\.key)
    result.allowedDomains = allowedDomains
    if !allowedDomains.isEmpty { result.loosened.append("allowed_domains") }

    if diagnostics.contains(where: { $0.severity == .error }) { return (nil, diagnostics) }
    return (result, diagnostics)
  }
}
