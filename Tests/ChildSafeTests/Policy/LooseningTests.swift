import Testing

@testable import ChildSafe

@Suite("Family policy loosening rules")
struct LooseningTests {
  func effective(_ text: String, _ child: String = "Sam") throws -> EffectiveSettings {
    try parsePolicy(text).effectiveSettings(forChild: child)
  }

  @Test func tighteningIsAlwaysAllowedAndNotReported() throws {
    let sam = try effective(
      "[child Sam]\nage = 16\npurchases = blocked\nquiet_hours = 21:00-07:30\ncontent_rating_ceiling = 12\nlocked = discoverable\n")
    #expect(sam.loosened.isEmpty)
    #expect(sam.settings.purchases == .blocked)
    #expect(sam.settings.isLocked("discoverable"))
  }

  @Test func looseningAnUnlockedSettingIsReported() throws {
    let sam = try effective("[child Sam]\nage = 14\nprofile_visibility = friends\nbreak_reminder_minutes = none\n")
    #expect(sam.loosened == ["profile_visibility", "break_reminder_minutes"])
    #expect(sam.overridden.isEmpty)
    #expect(sam.defaults.profileVisibility == .private)
  }

  @Test func looseningALockedSettingNeedsTheMarker() throws {
    let text = "[child Sam]\nage = 9\nmessages_from = connections\n"
    let error = try #require(onlyError(text))
    #expect(error.location?.line == 3)
    #expect(error.message.contains("locked for ages 6-9"))
    #expect(error.message.contains("'!'"))
    let sam = try effective("[child Sam]\nage = 9\n!messages_from = connections\n")
    #expect(sam.settings.messagesFrom == .connections)
    #expect(sam.loosened == ["messages_from"])
    #expect(sam.overridden == ["messages_from"])
  }

  @Test func unblockingABandCategoryNeedsTheMarker() throws {
    let error = try #require(onlyError("[child Sam]\nage = 11\nallowed_categories = social\n"))
    #expect(error.location == ChildSafe.SourceLocation(file: "test.policy", line: 3, column: 22))
    let sam = try effective("[child Sam]\nage = 11\n!allowed_categories = social\n")
    #expect(!sam.settings.blockedCategories.contains("social"))
    #expect(sam.loosened == ["blocked_categories"])
    #expect(sam.overridden == ["blocked_categories"])
  }

  @Test func legallyFixedSettingsCannotBeLoosenedEvenWithTheMarker() throws {
    for line in ["!personalised_ads = on", "!profiling = on", "!monitoring_notice = off", "profiling = on"] {
      let error = try #require(onlyError("[child Sam]\nage = 17\n\(line)\n"), "\(line)")
      #expect(error.message.contains("not even with '!'"))
    }
  }

  @Test func familyLinesAreCheckedForEachChildsBand() throws {
    // Not locked at 13-15, locked at 6-9: the family line is an error for the younger child only.
    let text = "[family]\ndiscoverable = on\n[child Ann]\nage = 14\n[child Ben]\nage = 7\n"
    let error = try #require(onlyError(text))
    #expect(error.location?.line == 2)
    #expect(error.message.contains("Ben"))
  }

  @Test func familyLineThatLoosensAChildIsAWarningNamingTheChild() throws {
    // 45 is stricter than the teen's 60 but looser than the 6-9 default of 30.
    let text = "[family]\nbreak_reminder_minutes = 45\n[child Ann]\nage = 14\n[child Ben]\nage = 7\n"
    let diagnostics = lintPolicy(text)
    #expect(diagnostics.count == 1)
    let warning = try #require(diagnostics.first)
    #expect(warning.severity == .warning)
    #expect(warning.location?.line == 2)
    #expect(warning.message.contains("break_reminder_minutes for Ben (6-9)"))
    #expect(warning.message.contains("default is 30"))
    // Still applied and reported; the same value in the child's own section is not warned about.
    #expect(try effective(text, "Ben").loosened == ["break_reminder_minutes"])
    #expect(lintPolicy("[child Ben]\nage = 7\nbreak_reminder_minutes = 45\n").isEmpty)
    #expect(lintPolicy("[family]\nbreak_reminder_minutes = 30\n[child Ben]\nage = 7\n").isEmpty)
  }

  @Test func markerOnATighteningIsAWarningNotAnError() throws {
    let diagnostics = lintPolicy("[child Sam]\nage = 9\n!messages_from = nobody\n")
    #expect(diagnostics.count == 1)
    #expect(diagnostics.first?.severity == .warning)
    #expect(diagnostics.first?.message.contains("not needed") == true)
  }

  @Test func quietHoursThatDoNotCoverTheDefaultAreLooser() throws {
    #expect(try effective("[child Sam]\nage = 14\nquiet_hours = 20:00-08:00\n").loosened.isEmpty)
    #expect(try effective("[child Sam]\nage = 14\nquiet_hours = 22:00-07:00\n").loosened == ["quiet_hours"])
    #expect(try effective("[child Sam]\nage = 14\nquiet_hours = off\n").loosened == ["quiet_hours"])
  }

  @Test func allowedDomainsAreReportedAsLoosening() throws {
    let sam = try effective("[family]\nallowed_domains = example.org\n[child Sam]\nage = 14\n")
    #expect(sam.loosened == ["allowed_domains"])
    #expect(sam.allowedDomains == ["example.org"])
  }

  @Test func teensMayBeGivenTheRightToLoosenOnlyVisibly() throws {
    let sam = try effective("[child Sam]\nage = 14\nwho_can_loosen = teen\n")
    #expect(sam.loosened == ["who_can_loosen"])
  }

  @Test func theSameChangeIsALooseningForOneBandAndNotAnother() throws {
    // A 60-minute break reminder is looser than 45 at 10-12, and the default at 13-15.
    #expect(try effective("[child Sam]\nage = 12\nbreak_reminder_minutes = 60\n").loosened == ["break_reminder_minutes"])
    #expect(try effective("[child Sam]\nage = 13\nbreak_reminder_minutes = 60\n").loosened.isEmpty)
  }
}
