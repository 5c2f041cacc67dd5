import ChildSafe

/// A feature a product may have. Its raw value is the name used in product files and the
/// catalogue (`stranger_messages = on`); `setting` is the ChildSafe age-band default it loosens
/// when the product switches it on by default.
public enum ProductFeature: String, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
  case publicProfiles = "public_profiles"
  case strangerMessages = "stranger_messages"
  case groupInvites = "group_invites"
  case voiceVideo = "voice_video"
  case imageSharing = "image_sharing"
  case liveStreaming = "live_streaming"
  case location
  case publicMetrics = "public_metrics"
  case friendSuggestions = "friend_suggestions"
  case gifting
  case lootBoxes = "loot_boxes"
  case ephemeralMessages = "ephemeral_messages"
  case endToEndEncryption = "e2ee"
  case reporting
  case blocking
  case parentalTools = "parental_tools"

  public var description: String { rawValue }

  public static func < (a: ProductFeature, b: ProductFeature) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }

  /// What the feature is, for people reading the register.
  public var label: String {
    switch self {
    case .publicProfiles: "Public profiles"
    case .strangerMessages: "Messages from strangers"
    case .groupInvites: "Group invites from anyone"
    case .voiceVideo: "Voice or video chat without a per-use action"
    case .imageSharing: "Image sharing"
    case .liveStreaming: "Live streaming"
    case .location: "Location sharing"
    case .publicMetrics: "Public likes and follower counts"
    case .friendSuggestions: "Friend suggestions"
    case .gifting: "Gifting or virtual currency"
    case .lootBoxes: "Loot boxes"
    case .ephemeralMessages: "Ephemeral messages"
    case .endToEndEncryption: "End-to-end encryption"
    case .reporting: "Reporting channel"
    case .blocking: "Blocking"
    case .parentalTools: "Parental tools"
    }
  }

  /// A feature that protects (its absence is the risk), as opposed to one that exposes.
  public var isProtective: Bool { self == .reporting || self == .blocking || self == .parentalTools }

  /// The ChildSafe settings (JSON keys of `SafetySettings`) this feature loosens when the product
  /// turns it on by default, with the value each then has. Messages from strangers (and group
  /// invites from anyone) also open contact with adults when adults use the service. Empty for
  /// features no age-band default covers (image sharing, ephemeral messages, encryption, protective
  /// features).
  public func settings(adultsPresent: Bool) -> [(key: String, whenOn: SettingValue)] {
    guard let main = setting else { return [] }
    if adultsPresent && (self == .strangerMessages || self == .groupInvites) {
      return [main, ("contact_with_adults", .choice("allowed"))]
    }
    return [main]
  }

  /// The main ChildSafe setting this feature corresponds to (see `settings(adultsPresent:)`).
  public var setting: (key: String, whenOn: SettingValue)? {
    switch self {
    case .publicProfiles: ("profile_visibility", .choice("public"))
    case .strangerMessages, .groupInvites: ("messages_from", .choice("everyone"))
    case .voiceVideo: ("camera_mic_auto_on", .flag(true))
    case .liveStreaming: ("livestreaming", .flag(true))
    case .location: ("geolocation_sharing", .flag(true))
    case .publicMetrics: ("engagement_features", .flag(true))
    case .friendSuggestions: ("discoverable", .flag(true))
    case .gifting, .lootBoxes: ("purchases", .choice("allowed"))
    case .imageSharing, .ephemeralMessages, .endToEndEncryption, .reporting, .blocking, .parentalTools: nil
    }
  }
}

/// How the product knows its users' ages (ICO Children's code standard 3).
public enum AgeAssurance: String, Sendable, Hashable, CaseIterable {
  /// The product does not ask.
  case none
  /// Users state their age or birth date.
  case selfDeclaration = "self_declaration"
  /// Age estimated (facial age estimation, behavioural signals).
  case estimation
  /// Age verified against a document or a trusted source.
  case verification

  /// Whether settings tied to an age band can be relied on: with none or self-declaration a
  /// child can claim to be older and leave the band's defaults.
  public var isReliable: Bool { self == .estimation || self == .verification }
}

/// The parts of ChildSafe a product uses. Each one turns some catalogue mitigations on.
public enum ChildSafePart: String, Sendable, Hashable, CaseIterable {
  /// `AgeDefaults` applied as the product's defaults.
  case ageDefaults = "age_defaults"
  /// Family policy files: parents adjust the defaults.
  case familyPolicy = "family_policy"
  /// The message classifier.
  case classifier
  /// Conversation-level scoring (`SafetySession`).
  case conversations
  /// The URL filter.
  case urlFilter = "url_filter"
  /// Deterrence, safety prompts, guardian notices.
  case interventions
}
