import Testing

@testable import ChildSafe

@Suite("Age defaults")
struct AgeDefaultsTests {
  static let documentedKeys = [
    "band", "age", "age_assured", "profile_visibility", "discoverable", "messages_from", "contact_with_adults",
    "geolocation_sharing", "camera_mic_auto_on", "livestreaming", "blocked_categories", "content_rating_ceiling",
    "nudity_blur", "safe_search", "daily_limit_minutes", "break_reminder_minutes", "quiet_hours",
    "engagement_features", "personalised_ads", "profiling", "purchases", "data_retention_days",
    "parental_visibility", "monitoring_notice", "who_can_loosen", "locked",
  ]

  @Test("every band boundary falls on the right side", arguments: [
    (5, "0-5"), (6, "6-9"), (9, "6-9"), (10, "10-12"), (12, "10-12"), (13, "13-15"), (15, "13-15"),
    (16, "16-17"), (17, "16-17"), (18, "18+"), (0, "0-5"), (40, "18+"),
  ])
  func bandBoundaries(age: Int, band: String) {
    let settings = AgeDefaults.settings(forAge: age)
    #expect(settings.band == band)
    #expect(settings.age == age)
    #expect(settings.ageAssured)
  }

  @Test func unknownAgeGetsTeenDefaultsNotAssured() {
    let unknown = AgeDefaults.settings(forAge: nil)
    var teen = AgeDefaults.settings(for: .earlyTeens)
    #expect(unknown.band == "13-15")
    #expect(unknown.age == nil)
    #expect(!unknown.ageAssured)
    teen.ageAssured = false
    #expect(unknown == teen)
    // Negative ages (the C API's "unknown") are unknown too.
    #expect(AgeDefaults.settings(forAge: -1) == unknown)
    #expect(unknown.json["age_assured"] == .bool(false))
    #expect(unknown.json["age"] == .null)
  }

  @Test func jsonHasTheDocumentedKeysInOrder() {
    for band in AgeBand.allCases {
      let members = AgeDefaults.settings(for: band).json.objectValue ?? []
      #expect(members.map(\.0) == Self.documentedKeys)
    }
  }

  @Test func jsonValuesHaveTheDocumentedTypes() {
    let json = AgeDefaults.settings(forAge: 14).json
    #expect(json["quiet_hours"] == .object([("start", .string("21:00")), ("end", .string("07:00"))]))
    #expect(json["daily_limit_minutes"] == .null)
    #expect(json["break_reminder_minutes"] == .int(60))
    #expect(json["profile_visibility"] == .string("private"))
    #expect(json["content_rating_ceiling"] == .int(12))
    let adult = AgeDefaults.settings(forAge: 30).json
    #expect(adult["quiet_hours"] == .null)
    #expect(adult["locked"] == .array([]))
  }

  @Test("under 18 everything starts high-privacy", arguments: AgeBand.allCases.filter(\.isMinor))
  func minorsAreHighPrivacy(band: AgeBand) {
    let s = AgeDefaults.settings(for: band)
    #expect(s.profileVisibility == .private)
    #expect(!s.discoverable)
    #expect(!s.geolocationSharing)
    #expect(!s.cameraMicAutoOn)
    #expect(!s.personalisedAds && s.isLocked("personalised_ads"))
    #expect(!s.profiling && s.isLocked("profiling"))
    #expect(s.safeSearch && s.nudityBlur)
    #expect(s.monitoringNotice)
    #expect(!s.engagementFeatures)
    #expect(!s.livestreaming)
    #expect(s.quietHours != nil)
    for key in ["personalised_ads", "profiling", "monitoring_notice"] {
      #expect(AgeDefaults.fixedSettings(for: band).contains(key))
    }
  }

  @Test("under 13: approved contacts only, no contact with adults", arguments: [AgeBand.preLiterate, .corePrimary, .transition])
  func underThirteenContact(band: AgeBand) {
    let s = AgeDefaults.settings(for: band)
    #expect([MessagesFrom.nobody, .approvedContacts].contains(s.messagesFrom))
    #expect(s.contactWithAdults == .blocked)
    #expect(s.isLocked("contact_with_adults") && s.isLocked("messages_from"))
    #expect(s.whoCanLoosen == .parent)
  }

  @Test func earlyTeens() throws {
    let s = AgeDefaults.settings(for: .earlyTeens)
    #expect(s.quietHours?.description == "21:00-07:00")
    #expect(s.breakReminderMinutes == 60)
    #expect(!s.livestreaming)
    #expect(s.whoCanLoosen == .parent)
  }

  @Test func approachingAdulthood() {
    let s = AgeDefaults.settings(for: .approachingAdulthood)
    #expect(s.quietHours?.description == "22:00-07:00")
    #expect(s.whoCanLoosen == .teen)
    #expect(s.breakReminderMinutes == 60)
  }

  @Test func adultsHaveNoChildRestrictions() {
    let s = AgeDefaults.settings(forAge: 18)
    #expect(s.locked.isEmpty)
    #expect(s.blockedCategories.isEmpty)
    #expect(!s.safeSearch && !s.nudityBlur)
    #expect(s.quietHours == nil && s.dailyLimitMinutes == nil && s.breakReminderMinutes == nil)
    #expect(s.contactWithAdults == .allowed && s.messagesFrom == .everyone)
    #expect(s.purchases == .allowed)
    #expect(AgeDefaults.fixedSettings(for: .adult).isEmpty)
  }

  @Test func protectionDecreasesWithAgeNeverIncreases() {
    // Each band is at most as strict as the one before it, never stricter: no setting gets looser
    // going down the bands (checked setting by setting with the loosening order).
    let bands = AgeBand.allCases
    for (younger, older) in zip(bands, bands.dropFirst()) {
      let y = AgeDefaults.settings(for: younger)
      let o = AgeDefaults.settings(for: older)
      for spec in SettingSpec.all where spec.key != "locked" && spec.key != "data_retention_days"
        && spec.key != "parental_visibility" && spec.key != "monitoring_notice"
      {
        #expect(!spec.isLooser(spec.get(y), than: spec.get(o)), "\(spec.key): \(younger) looser than \(older)")
      }
    }
  }

  @Test func pegiTwelveFromAgeTwelve() {
    #expect(AgeDefaults.settings(forAge: 11).contentRatingCeiling == 7)
    #expect(AgeDefaults.settings(forAge: 12).contentRatingCeiling == 12)
    #expect(AgeDefaults.settings(for: .transition).contentRatingCeiling == 7)
  }

  @Test func blockedCategoriesAreKnownURLCategories() {
    let known = AgeDefaults.categories
    for name in ["adult", "gambling", "violence", "drugs", "weapons", "self-harm", "dating", "proxies"] {
      #expect(known.contains(name))
    }
    for band in AgeBand.allCases {
      for category in AgeDefaults.blockedCategories(for: band) { #expect(known.contains(category)) }
    }
    #expect(AgeDefaults.blockedCategories(for: .earlyTeens).contains("self-harm"))
    #expect(!AgeDefaults.blockedCategories(for: .earlyTeens).contains("social"))
    #expect(AgeDefaults.blockedCategories(for: .corePrimary).contains("social"))
  }

  @Test func bandNames() {
    for band in AgeBand.allCases {
      #expect(AgeBand(name: band.rawValue) == band)
      #expect(band.contains(age: band.lowestAge))
      if let highest = band.highestAge { #expect(!band.contains(age: highest + 1)) }
    }
    #expect(AgeBand(name: "13-16") == nil)
    #expect(AgeBand(age: -1) == nil)
  }

  @Test func aDefaultsFileMissingASettingIsRejected() {
    var files = RuleFiles.embedded.files.filter { $0.path != "defaults/6-9.defaults" }
    files.append(("defaults/6-9.defaults", "band = 6-9\nprofile_visibility = private\n"))
    #expect(throws: ChildSafeError.self) { try AgeDefaultsTable(rules: RuleFiles(files: files)) }
  }

  @Test func aDefaultsFileWithABadValueReportsItsLocation() throws {
    let original = try #require(RuleFiles.embedded.text(at: "defaults/6-9.defaults"))
    let broken = original.replacingFirst("quiet_hours = 20:00-07:00", with: "quiet_hours = 20:00-07:61")
    var files = RuleFiles.embedded.files.filter { $0.path != "defaults/6-9.defaults" }
    files.append(("defaults/6-9.defaults", broken))
    do {
      _ = try AgeDefaultsTable(rules: RuleFiles(files: files))
      Issue.record("expected an error")
    } catch {
      #expect(error.location?.file == "defaults/6-9.defaults")
      #expect(error.message.contains("07:61"))
    }
  }
}

extension String {
  func replacingFirst(_ target: String, with replacement: String) -> String {
    guard let range = range(of: target) else { return self }
    return replacingCharacters(in: range, with: replacement)
  }
}
