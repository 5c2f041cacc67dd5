// PLACEHOLDER: the age-defaults issue replaces this file. The public API below is the contract the
// C API and the daemon build against.

/// Safety-by-design settings for a child's age band (see Rules/defaults/).
public struct SafetySettings: Sendable, Hashable {
  public var band: String
  public var age: Int?
  public var ageAssured: Bool

  /// The settings record with the documented JSON key names.
  public var json: JSONValue {
    .object([("band", .string(band)), ("age", age.map { .int($0) } ?? .null), ("age_assured", .bool(ageAssured))])
  }
}

public enum AgeDefaults {
  /// Settings for an age; nil (unknown) gives the 13-15 defaults with age_assured false.
  public static func settings(forAge age: Int?) -> SafetySettings {
    SafetySettings(band: "13-15", age: age, ageAssured: age != nil)
  }
}
