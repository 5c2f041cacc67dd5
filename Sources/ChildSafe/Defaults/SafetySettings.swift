/// Who can see a child's profile, content and lists.
public enum ProfileVisibility: String, Sendable, Hashable, CaseIterable {
  case `private`, friends, `public`
}

/// Who can start a direct conversation with the child.
public enum MessagesFrom: String, Sendable, Hashable, CaseIterable {
  case nobody
  case approvedContacts = "approved_contacts"
  case connections
  case everyone
}

/// Whether adults the child does not know can contact them.
public enum ContactWithAdults: String, Sendable, Hashable, CaseIterable {
  case blocked
  /// Only adults a parent approved as trusted contacts.
  case approvedOnly = "approved_only"
  case allowed
}

/// In-app purchases and gambling-like mechanics.
public enum Purchases: String, Sendable, Hashable, CaseIterable {
  case blocked
  case askParent = "ask_parent"
  /// Within a spending cap a parent sets; loot boxes and virtual-currency gambling stay blocked.
  case capped
  case allowed
}

/// What a linked parent can see. Never message text (see the privacy principles).
public enum ParentalVisibility: String, Sendable, Hashable, CaseIterable {
  /// Parent-operated device or account.
  case full
  /// An activity summary and the contact list.
  case activity
  /// Who the child is in contact with, not what they say.
  case contacts
  /// Only alerts: settings loosened, safety interventions.
  case alerts
  case none
}

/// Who can loosen a setting that is not locked.
public enum WhoCanLoosen: String, Sendable, Hashable, CaseIterable {
  case parent
  /// The young person themself, warned and without nudges; a linked parent is told.
  case teen
}

/// A time of day in minutes since midnight (0...1439), written HH:MM.
public struct TimeOfDay: Sendable, Hashable, Comparable, CustomStringConvertible {
  public let minutes: Int

  public init?(minutes: Int) {
    guard (0..<1440).contains(minutes) else { return nil }
    self.minutes = minutes
  }

  public init?(hour: Int, minute: Int) {
    guard (0...23).contains(hour), (0...59).contains(minute) else { return nil }
    self.minutes = hour * 60 + minute
  }

  public var hour: Int { minutes / 60 }
  public var minute: Int { minutes % 60 }
  public var description: String { CalendarDate.pad(hour, 2) + ":" + CalendarDate.pad(minute, 2) }
  public static func < (a: TimeOfDay, b: TimeOfDay) -> Bool { a.minutes < b.minutes }
}

/// A nightly window with notifications off and direct messages auto-answered; it may cross midnight.
public struct QuietHours: Sendable, Hashable, CustomStringConvertible {
  public let start: TimeOfDay
  public let end: TimeOfDay

  public init?(start: TimeOfDay, end: TimeOfDay) {
    guard start != end else { return nil }
    self.start = start
    self.end = end
  }

  /// Whether the minute of the day `time` falls inside the window (start inclusive, end exclusive).
  public func contains(_ time: TimeOfDay) -> Bool {
    start < end ? (time >= start && time < end) : (time >= start || time < end)
  }

  /// Whether every quiet minute of `other` is quiet here too.
  public func covers(_ other: QuietHours) -> Bool {
    for minute in 0..<1440 {
      guard let time = TimeOfDay(minutes: minute) else { continue }
      if other.contains(time) && !contains(time) { return false }
    }
    return true
  }

  public var description: String { "\(start)-\(end)" }

  public var json: JSONValue { .object([("start", .string(start.description)), ("end", .string(end.description))]) }
}

/// Safety-by-design settings for a child's age (see Rules/defaults/ and docs/policy.md).
///
/// Under 18 every setting starts at its most protective value; `locked` names the settings that
/// need an explicit override marker to loosen.
public struct SafetySettings: Sendable, Hashable {
  public var band: String
  public var age: Int?
  public var ageAssured: Bool
  public var profileVisibility: ProfileVisibility
  public var discoverable: Bool
  public var messagesFrom: MessagesFrom
  public var contactWithAdults: ContactWithAdults
  public var geolocationSharing: Bool
  public var cameraMicAutoOn: Bool
  public var livestreaming: Bool
  /// URL filter categories to block (names as in Rules/defaults/categories.txt).
  public var blockedCategories: [String]
  /// The highest PEGI age rating allowed (3, 7, 12, 16 or 18).
  public var contentRatingCeiling: Int
  public var nudityBlur: Bool
  public var safeSearch: Bool
  /// nil when there is no daily limit.
  public var dailyLimitMinutes: Int?
  /// nil when there is no break reminder.
  public var breakReminderMinutes: Int?
  public var quietHours: QuietHours?
  /// Autoplay, streaks, read receipts, like counts, infinite scroll.
  public var engagementFeatures: Bool
  public var personalisedAds: Bool
  public var profiling: Bool
  public var purchases: Purchases
  /// How long on-device events a parent can see are kept.
  public var dataRetentionDays: Int
  public var parentalVisibility: ParentalVisibility
  /// Tell the child, visibly, whenever a parent can see activity or location.
  public var monitoringNotice: Bool
  public var whoCanLoosen: WhoCanLoosen
  /// Setting names (JSON keys) that need an explicit override marker to loosen.
  public var locked: [String]

  public init(
    band: String, age: Int?, ageAssured: Bool, profileVisibility: ProfileVisibility, discoverable: Bool,
    messagesFrom: MessagesFrom, contactWithAdults: ContactWithAdults, geolocationSharing: Bool,
    cameraMicAutoOn: Bool, livestreaming: Bool, blockedCategories: [String], contentRatingCeiling: Int,
    nudityBlur: Bool, safeSearch: Bool, dailyLimitMinutes: Int?, breakReminderMinutes: Int?,
    quietHours: QuietHours?, engagementFeatures: Bool, personalisedAds: Bool, profiling: Bool,
    purchases: Purchases, dataRetentionDays: Int, parentalVisibility: ParentalVisibility,
    monitoringNotice: Bool, whoCanLoosen: WhoCanLoosen, locked: [String]
  ) {
    self.band = band
    self.age = age
    self.ageAssured = ageAssured
    self.profileVisibility = profileVisibility
    self.discoverable = discoverable
    self.messagesFrom = messagesFrom
    self.contactWithAdults = contactWithAdults
    self.geolocationSharing = geolocationSharing
    self.cameraMicAutoOn = cameraMicAutoOn
    self.livestreaming = livestreaming
    self.blockedCategories = blockedCategories
    self.contentRatingCeiling = contentRatingCeiling
    self.nudityBlur = nudityBlur
    self.safeSearch = safeSearch
    self.dailyLimitMinutes = dailyLimitMinutes
    self.breakReminderMinutes = breakReminderMinutes
    self.quietHours = quietHours
    self.engagementFeatures = engagementFeatures
    self.personalisedAds = personalisedAds
    self.profiling = profiling
    self.purchases = purchases
    self.dataRetentionDays = dataRetentionDays
    self.parentalVisibility = parentalVisibility
    self.monitoringNotice = monitoringNotice
    self.whoCanLoosen = whoCanLoosen
    self.locked = locked
  }

  /// The band as a value (nil only if `band` was edited to something unknown).
  public var ageBand: AgeBand? { AgeBand(name: band) }

  /// Whether the setting with this JSON key needs an override marker to loosen.
  public func isLocked(_ key: String) -> Bool { locked.contains(key) }

  /// The settings record with the documented JSON key names, in the documented order.
  public var json: JSONValue { .object(jsonMembers) }

  public var jsonMembers: [(String, JSONValue)] {
    [("band", .string(band)), ("age", age.map { .int($0) } ?? .null), ("age_assured", .bool(ageAssured))]
      + SettingSpec.all.map { ($0.key, $0.json($0.get(self))) }
  }
}

extension SafetySettings {
  /// Every setting after band, age and age_assured, in JSON key order.
  public static var settingKeys: [String] { SettingSpec.keys }

  /// (JSON key, label for parents, value) for every setting after band, age and age_assured.
  public var settingRows: [(key: String, label: String, value: SettingValue)] {
    SettingSpec.all.map { ($0.key, $0.label, $0.get(self)) }
  }

  /// The value of a setting by its JSON key.
  public func value(of key: String) -> SettingValue? { SettingSpec.byKey[key]?.get(self) }
}
