/// The value of one setting, independent of its Swift type, so that files, JSON, comparisons and
/// tables can treat every setting the same way.
public enum SettingValue: Sendable, Hashable, CustomStringConvertible {
  case flag(Bool)
  case choice(String)
  /// nil means "none" (no limit, no reminder).
  case number(Int?)
  /// nil means no quiet hours.
  case quietHours(QuietHours?)
  case names([String])

  /// The value as a parent writes it in a policy file.
  public var description: String {
    switch self {
    case .flag(let on): on ? "on" : "off"
    case .choice(let name): name
    case .number(let n): n.map(String.init) ?? "none"
    case .quietHours(let hours): hours?.description ?? "off"
    case .names(let names): names.isEmpty ? "none" : names.joined(separator: ", ")
    }
  }
}

/// One setting of `SafetySettings`: its JSON key, its type and which direction loosens it.
struct SettingSpec: Sendable {
  enum Kind: Sendable {
    /// On/off; `protective` is the safer value.
    case flag(protective: Bool)
    /// Named values, most protective first.
    case choice([String])
    /// A number where higher (and "none") is looser; `only` restricts it to listed values.
    case number(range: ClosedRange<Int>, allowsNone: Bool, only: [Int]?, unit: String)
    case quietHours
    /// URL filter categories to block: removing one loosens.
    case categories
    /// Setting names (the `locked` list): removing one loosens.
    case settingNames
  }

  let key: String
  /// A short label for parents' tables.
  let label: String
  let kind: Kind
  let get: @Sendable (SafetySettings) -> SettingValue
  let set: @Sendable (inout SafetySettings, SettingValue) -> Void

  /// Every setting after band, age and age_assured, in JSON key order.
  static let all: [SettingSpec] = [
    choice("profile_visibility", "Profile visibility", ProfileVisibility.self, \.profileVisibility),
    flag("discoverable", "Discoverable by strangers", protective: false, \.discoverable),
    choice("messages_from", "Messages from", MessagesFrom.self, \.messagesFrom),
    choice("contact_with_adults", "Contact from adults", ContactWithAdults.self, \.contactWithAdults),
    flag("geolocation_sharing", "Location sharing", protective: false, \.geolocationSharing),
    flag("camera_mic_auto_on", "Camera/mic on automatically", protective: false, \.cameraMicAutoOn),
    flag("livestreaming", "Livestreaming", protective: false, \.livestreaming),
    SettingSpec(
      key: "blocked_categories", label: "Blocked web categories", kind: .categories,
      get: { .names($0.blockedCategories) },
      set: { if case .names(let names) = $1 { $0.blockedCategories = names } }),
    SettingSpec(
      key: "content_rating_ceiling", label: "Highest game/app rating (PEGI)",
      kind: .number(range: 3...18, allowsNone: false, only: [3, 7, 12, 16, 18], unit: "PEGI age"),
      get: { .number($0.contentRatingCeiling) },
      set: { if case .number(let n?) = $1 { $0.contentRatingCeiling = n } }),
    flag("nudity_blur", "Blur nudity", protective: true, \.nudityBlur),
    flag("safe_search", "Safe search", protective: true, \.safeSearch),
    minutes("daily_limit_minutes", "Daily time limit (minutes)", \.dailyLimitMinutes),
    minutes("break_reminder_minutes", "Break reminder (minutes)", \.breakReminderMinutes),
    SettingSpec(
      key: "quiet_hours", label: "Quiet hours", kind: .quietHours,
      get: { .quietHours($0.quietHours) },
      set: { if case .quietHours(let hours) = $1 { $0.quietHours = hours } }),
    flag("engagement_features", "Autoplay, streaks, like counts", protective: false, \.engagementFeatures),
    flag("personalised_ads", "Personalised ads", protective: false, \.personalisedAds),
    flag("profiling", "Profiling", protective: false, \.profiling),
    choice("purchases", "Purchases", Purchases.self, \.purchases),
    SettingSpec(
      key: "data_retention_days", label: "Keep activity log (days)",
      kind: .number(range: 0...3650, allowsNone: false, only: nil, unit: "days"),
      get: { .number($0.dataRetentionDays) },
      set: { if case .number(let n?) = $1 { $0.dataRetentionDays = n } }),
    choice("parental_visibility", "What a parent can see", ParentalVisibility.self, \.parentalVisibility),
    flag("monitoring_notice", "Tell the child when monitored", protective: true, \.monitoringNotice),
    choice("who_can_loosen", "Who can loosen settings", WhoCanLoosen.self, \.whoCanLoosen),
    SettingSpec(
      key: "locked", label: "Locked settings", kind: .settingNames,
      get: { .names($0.locked) },
      set: { if case .names(let names) = $1 { $0.locked = names } }),
  ]

  static let byKey: [String: SettingSpec] = Dictionary(uniqueKeysWithValues: all.map { ($0.key, $0) })

  static var keys: [String] { all.map(\.key) }

  /// Settings that may appear in `locked` (everything but `locked` itself).
  static var lockableKeys: [String] { all.map(\.key).filter { $0 != "locked" } }

  // MARK: - Builders

  static func flag(
    _ key: String, _ label: String, protective: Bool, _ path: any WritableKeyPath<SafetySettings, Bool> & Sendable
  ) -> SettingSpec {
    SettingSpec(
      key: key, label: label, kind: .flag(protective: protective),
      get: { .flag($0[keyPath: path]) },
      set: { if case .flag(let on) = $1 { $0[keyPath: path] = on } })
  }

  static func choice<E: RawRepresentable & CaseIterable & Sendable>(
    _ key: String, _ label: String, _ type: E.Type, _ path: any WritableKeyPath<SafetySettings, E> & Sendable
  ) -> SettingSpec where E.RawValue == String {
    SettingSpec(
      key: key, label: label, kind: .choice(E.allCases.map(\.rawValue)),
      get: { .choice($0[keyPath: path].rawValue) },
      set: { if case .choice(let name) = $1, let value = E(rawValue: name) { $0[keyPath: path] = value } })
  }

  static func minutes(
    _ key: String, _ label: String, _ path: any WritableKeyPath<SafetySettings, Int?> & Sendable
  ) -> SettingSpec {
    SettingSpec(
      key: key, label: label, kind: .number(range: 1...1440, allowsNone: true, only: nil, unit: "minutes"),
      get: { .number($0[keyPath: path]) },
      set: { if case .number(let n) = $1 { $0[keyPath: path] = n } })
  }

  // MARK: - Comparing

  /// Whether `new` is less protective than `old` in any respect.
  func isLooser(_ new: SettingValue, than old: SettingValue) -> Bool {
    switch (kind, new, old) {
    case let (.flag(protective), .flag(a), .flag(b)):
      return b == protective && a != protective
    case let (.choice(order), .choice(a), .choice(b)):
      return (order.firstIndex(of: a) ?? 0) > (order.firstIndex(of: b) ?? 0)
    case let (.number, .number(a), .number(b)):
      return (a ?? Int.max) > (b ?? Int.max)
    case let (.quietHours, .quietHours(a), .quietHours(b)):
      guard let b else { return false }
      guard let a else { return true }
      return !a.covers(b)
    case let (.categories, .names(a), .names(b)), let (.settingNames, .names(a), .names(b)):
      return b.contains { !a.contains($0) }
    default:
      return false
    }
  }

  func json(_ value: SettingValue) -> JSONValue {
    switch value {
    case .flag(let on): .bool(on)
    case .choice(let name): .string(name)
    case .number(let n): n.map { .int($0) } ?? .null
    case .quietHours(let hours): hours?.json ?? .null
    case .names(let names): .array(names.map { .string($0) })
    }
  }

  // MARK: - Parsing

  /// Parses the text of a value; `categories` are the URL category names accepted.
  func parse(_ token: ConfigToken, file: String, categories: [String]) throws(ChildSafeError) -> SettingValue {
    let word = token.lowercased
    func fail(_ expected: String, at place: ConfigToken? = nil) -> ChildSafeError {
      ChildSafeError(.invalidValue, "\(key): \(expected)", at: (place ?? token).location(in: file))
    }
    switch kind {
    case .flag:
      switch word {
      case "on", "yes", "true": return .flag(true)
      case "off", "no", "false": return .flag(false)
      default: throw fail("expected on or off, found '\(token.text)'")
      }
    case .choice(let names):
      if names.contains(word) { return .choice(word) }
      throw fail(
        "expected one of \(names.joined(separator: ", ")), found '\(token.text)'"
          + EditDistance.hint(for: word, among: names))
    case let .number(range, allowsNone, only, unit):
      if allowsNone && (word == "none" || word == "off") { return .number(nil) }
      var digits = word
      if unit == "PEGI age" && digits.hasPrefix("pegi") { digits = String(digits.dropFirst(4).drop(while: { $0 == " " })) }
      let expected =
        only.map { "expected a PEGI age rating (\($0.map(String.init).joined(separator: ", ")))" }
        ?? "expected a whole number of \(unit) from \(range.lowerBound) to \(range.upperBound)"
        + (allowsNone ? ", or none" : "")
      guard !digits.isEmpty, digits.count <= 6, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(digits)
      else { throw fail("\(expected), found '\(token.text)'") }
      guard range.contains(n), only?.contains(n) ?? true else { throw fail("\(expected), found \(n)") }
      return .number(n)
    case .quietHours:
      if word == "off" || word == "none" { return .quietHours(nil) }
      let parts = token.split("-")
      guard parts.count == 2 else {
        throw fail("expected a window such as 21:00-07:00, or off, found '\(token.text)'")
      }
      let start = try parseTime(parts[0], file: file)
      let end = try parseTime(parts[1], file: file)
      guard let hours = QuietHours(start: start, end: end) else {
        throw fail("the window starts and ends at \(start), so it is empty; write off for no quiet hours")
      }
      return .quietHours(hours)
    case .categories, .settingNames:
      if word == "none" { return .names([]) }
      let known = { if case .categories = kind { categories } else { SettingSpec.lockableKeys } }()
      var names: [String] = []
      for item in token.split(",") {
        let name = item.lowercased
        if name.isEmpty { throw fail("expected a name between commas", at: item) }
        guard known.contains(name) else {
          let what = { if case .categories = kind { "URL category" } else { "setting" } }()
          throw fail(
            "unknown \(what) '\(item.text)'" + EditDistance.hint(for: name, among: known)
              + " (known: \(known.joined(separator: ", ")))", at: item)
        }
        if !names.contains(name) { names.append(name) }
      }
      return .names(names)
    }
  }

  func parseTime(_ token: ConfigToken, file: String) throws(ChildSafeError) -> TimeOfDay {
    let parts = token.split(":")
    let text = token.text
    func fail(_ why: String) -> ChildSafeError {
      ChildSafeError(.invalidValue, "\(key): \(why)", at: token.location(in: file))
    }
    guard parts.count == 2, (1...2).contains(parts[0].scalars.count), parts[1].scalars.count == 2,
      parts.allSatisfy({ $0.scalars.allSatisfy { $0.properties.numericType == .decimal && $0.isASCII } }),
      let hour = Int(parts[0].text), let minute = Int(parts[1].text)
    else { throw fail("expected a time HH:MM, found '\(text)'") }
    guard let time = TimeOfDay(hour: hour, minute: minute) else {
      throw fail("\(text) is not a time of day; expected HH:MM from 00:00 to 23:59")
    }
    return time
  }
}
