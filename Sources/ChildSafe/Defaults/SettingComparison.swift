extension SafetySettings {
  /// Whether `value` is less protective than `other` for the setting with this JSON key, by the
  /// same rule family policies are checked with (docs/policy.md, "Loosening rules"). False for an
  /// unknown key. For tools outside the core that compare a product's settings with the defaults.
  package static func isLooser(_ key: String, _ value: SettingValue, than other: SettingValue) -> Bool {
    SettingSpec.byKey[key]?.isLooser(value, than: other) ?? false
  }
}
