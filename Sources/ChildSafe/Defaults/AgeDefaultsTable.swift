/// The defaults of every age band, read from `defaults/*.defaults` and `defaults/categories.txt`
/// in a rules directory (the embedded copy of Rules/ by default).
public struct AgeDefaultsTable: Sendable {
  struct BandDefaults: Sendable {
    var settings: SafetySettings
    /// Values that change at a given age inside the band, e.g. PEGI 12 from age 12 (`key@12 = value`).
    var refinements: [(age: Int, key: String, value: SettingValue)]
    /// Settings no policy may loosen for this band, even with the override marker (law, not taste).
    var fixed: [String]
  }

  let bands: [AgeBand: BandDefaults]
  /// The URL categories the bands and policies may name.
  public let categories: URLCategories

  /// The table built from the embedded Rules/ (checked by the test suite).
  public static let embedded: AgeDefaultsTable = {
    do { return try AgeDefaultsTable(rules: .embedded) } catch { fatalError("embedded age defaults are invalid: \(error)") }
  }()

  /// Reads `defaults/categories.txt` and one `defaults/<band>.defaults` per band (e.g. `defaults/13-15.defaults`).
  public init(rules: RuleFiles) throws(ChildSafeError) {
    guard let categoriesText = rules.text(at: "defaults/categories.txt") else {
      throw ChildSafeError(.io, "defaults/categories.txt is missing from the rules")
    }
    categories = try URLCategories(text: categoriesText)
    var bands: [AgeBand: BandDefaults] = [:]
    for band in AgeBand.allCases {
      let path = "defaults/\(band.rawValue).defaults"
      guard let text = rules.text(at: path) else { throw ChildSafeError(.io, "\(path) is missing from the rules") }
      bands[band] = try AgeDefaultsTable.parseBand(text, file: path, band: band, categories: categories.names)
    }
    self.bands = bands
  }

  static func parseBand(
    _ text: String, file: String, band: AgeBand, categories: [String]
  ) throws(ChildSafeError) -> BandDefaults {
    var errors: [ChildSafeError] = []
    let lines = ConfigText.lines(text, file: file, errors: &errors)
    if let first = errors.first { throw first }
    var values: [String: SettingValue] = [:]
    var refinements: [(Int, String, SettingValue)] = []
    var fixed: [String] = []
    var declaredBand: String?
    for line in lines {
      guard case .entry(let keyToken, let marker, let valueToken) = line else {
        if case .section(let kind, _) = line {
          throw ChildSafeError(.syntax, "defaults files have no sections", at: kind.location(in: file))
        }
        continue
      }
      if let marker { throw ChildSafeError(.syntax, "'!' is for family policies, not defaults", at: marker.location(in: file)) }
      let key = keyToken.lowercased
      if key == "band" {
        declaredBand = valueToken.text
        guard AgeBand(name: valueToken.text) == band else {
          throw ChildSafeError(
            .invalidValue, "expected band = \(band.rawValue) in \(file)", at: valueToken.location(in: file))
        }
        continue
      }
      if key == "fixed" {
        let spec = SettingSpec.byKey["locked"]
        guard case .names(let names)? = try spec?.parse(valueToken, file: file, categories: categories) else { continue }
        fixed = names
        continue
      }
      let parts = key.split(separator: "@", omittingEmptySubsequences: false)
      let name = String(parts[0])
      guard let spec = SettingSpec.byKey[name], parts.count <= 2 else {
        throw ChildSafeError(
          .syntax, "unknown setting '\(key)'" + EditDistance.hint(for: name, among: SettingSpec.keys + ["band", "fixed"]),
          at: keyToken.location(in: file))
      }
      let value = try spec.parse(valueToken, file: file, categories: categories)
      if parts.count == 2 {
        guard let age = Int(parts[1]), band.contains(age: age) else {
          throw ChildSafeError(
            .invalidValue, "expected an age inside \(band.rawValue) after '@'", at: keyToken.location(in: file))
        }
        refinements.append((age, name, value))
      } else {
        if values[name] != nil {
          throw ChildSafeError(.syntax, "\(name) is set twice", at: keyToken.location(in: file))
        }
        values[name] = value
      }
    }
    guard declaredBand != nil else {
      throw ChildSafeError(.syntax, "\(file): expected band = \(band.rawValue)", at: SourceLocation(file: file, line: 1, column: 1))
    }
    let missing = SettingSpec.keys.filter { values[$0] == nil }
    if !missing.isEmpty {
      throw ChildSafeError(.syntax, "\(file) does not set \(missing.joined(separator: ", "))")
    }
    var settings = SafetySettings(
      band: band.rawValue, age: nil, ageAssured: true, profileVisibility: .private, discoverable: false,
      messagesFrom: .nobody, contactWithAdults: .blocked, geolocationSharing: false, cameraMicAutoOn: false,
      livestreaming: false, blockedCategories: [], contentRatingCeiling: 3, nudityBlur: true, safeSearch: true,
      dailyLimitMinutes: nil, breakReminderMinutes: nil, quietHours: nil, engagementFeatures: false,
      personalisedAds: false, profiling: false, purchases: .blocked, dataRetentionDays: 0, parentalVisibility: .none,
      monitoringNotice: true, whoCanLoosen: .parent, locked: [])
    for spec in SettingSpec.all {
      if let value = values[spec.key] { spec.set(&settings, value) }
    }
    return BandDefaults(settings: settings, refinements: refinements.sorted { $0.0 < $1.0 }, fixed: fixed)
  }

  // MARK: - Lookups

  /// The defaults of a band (no age, age assured).
  public func settings(for band: AgeBand) -> SafetySettings {
    bands[band]?.settings ?? AgeDefaultsTable.fallback(band)
  }

  /// The defaults for an age in completed years; nil or a negative age means unknown, which gets
  /// the 13-15 defaults with `age_assured` false.
  public func settings(forAge age: Int?) -> SafetySettings {
    guard let age, let band = AgeBand(age: age) else {
      var settings = self.settings(for: AgeBand.unknownAge)
      settings.ageAssured = false
      return settings
    }
    var settings = self.settings(for: band)
    settings.age = age
    for refinement in bands[band]?.refinements ?? [] where refinement.age <= age {
      SettingSpec.byKey[refinement.key]?.set(&settings, refinement.value)
    }
    return settings
  }

  /// The defaults for someone born on `birthDate`, on `date` (e.g. today). A birth date after
  /// `date` is an error.
  public func settings(birthDate: CalendarDate, on date: CalendarDate) throws(ChildSafeError) -> SafetySettings {
    guard let age = birthDate.age(on: date) else {
      throw ChildSafeError(.invalidValue, "birth date \(birthDate) is after \(date)")
    }
    return settings(forAge: age)
  }

  /// Settings no family policy may loosen for the band, even with the override marker.
  public func fixedSettings(for band: AgeBand) -> [String] { bands[band]?.fixed ?? [] }

  /// The URL categories blocked by default for a band.
  public func blockedCategories(for band: AgeBand) -> [String] { settings(for: band).blockedCategories }

  /// Used only if a band is missing, which the initialiser rules out: the most protective record.
  static func fallback(_ band: AgeBand) -> SafetySettings {
    SafetySettings(
      band: band.rawValue, age: nil, ageAssured: true, profileVisibility: .private, discoverable: false,
      messagesFrom: .nobody, contactWithAdults: .blocked, geolocationSharing: false, cameraMicAutoOn: false,
      livestreaming: false, blockedCategories: [], contentRatingCeiling: 3, nudityBlur: true, safeSearch: true,
      dailyLimitMinutes: 60, breakReminderMinutes: 30, quietHours: nil, engagementFeatures: false,
      personalisedAds: false, profiling: false, purchases: .blocked, dataRetentionDays: 0, parentalVisibility: .none,
      monitoringNotice: true, whoCanLoosen: .parent, locked: SettingSpec.lockableKeys)
  }
}
