/// Age-appropriate safety-by-design defaults in one call, from the embedded Rules/defaults/.
/// See docs/policy.md for the table and its sources.
public enum AgeDefaults {
  /// Settings for an age in completed years; nil (or a negative age) is unknown and gives the
  /// 13-15 defaults with `age_assured` false.
  public static func settings(forAge age: Int?) -> SafetySettings {
    AgeDefaultsTable.embedded.settings(forAge: age)
  }

  /// Settings for a band, with no age.
  public static func settings(for band: AgeBand) -> SafetySettings {
    AgeDefaultsTable.embedded.settings(for: band)
  }

  /// Settings for a birth date on a reference date (e.g. `CalendarDate.today()`).
  public static func settings(birthDate: CalendarDate, on date: CalendarDate) throws(ChildSafeError) -> SafetySettings {
    try AgeDefaultsTable.embedded.settings(birthDate: birthDate, on: date)
  }

  /// Settings for a birth date given as numbers, on a reference date given as numbers.
  public static func settings(
    birthYear: Int, birthMonth: Int, birthDay: Int, onYear year: Int, month: Int, day: Int
  ) throws(ChildSafeError) -> SafetySettings {
    try settings(
      birthDate: CalendarDate(year: birthYear, month: birthMonth, day: birthDay),
      on: CalendarDate(year: year, month: month, day: day))
  }

  /// The URL categories a band blocks by default (names the URL filter understands).
  public static func blockedCategories(for band: AgeBand) -> [String] {
    AgeDefaultsTable.embedded.blockedCategories(for: band)
  }

  /// Every URL category name known to the defaults.
  public static var categories: [String] { AgeDefaultsTable.embedded.categories.names }
}

extension AgeDefaults {
  /// Settings no family policy may loosen for a band, not even with the override marker.
  public static func fixedSettings(for band: AgeBand) -> [String] {
    AgeDefaultsTable.embedded.fixedSettings(for: band)
  }
}
