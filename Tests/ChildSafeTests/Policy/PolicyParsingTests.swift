import Testing

@testable import ChildSafe

@Suite("Family policy parsing")
struct PolicyParsingTests {
  @Test func familyAndChildren() throws {
    let policy = try parsePolicy(
      """
      # A comment
      [family]
      locale = en_gb      # normalised to en-GB
      country = gb
      child_helpline = Childline | 0800 1111 | https://www.childline.org.uk
      adult_helpline = Stop It Now | https://www.stopitnow.org.uk

      [child Maya]
      birth_date = 2019-03-14
      [child "Sam Lee"]
      age = 12
      locale = es
      country = ES
      child_helpline = ANAR | 900 20 20 10
      """)
    #expect(policy.locale == "en-GB")
    #expect(policy.country == "GB")
    #expect(policy.signposts.count == 2)
    #expect(policy.signposts[0] == PolicySignpost(service: .children, name: "Childline", phone: "0800 1111", url: "https://www.childline.org.uk"))
    #expect(policy.signposts[1].phone == nil)
    #expect(policy.signposts[1].service == .deterrence)
    #expect(policy.children.map(\.name) == ["Maya", "Sam Lee"])
    let sam = try #require(policy.child(named: "sam lee"))
    #expect(sam.locale == "es" && sam.country == "ES")
    #expect(sam.age == .age(12))
    // A child's own helpline replaces the family's for that audience only.
    let signposts = policy.signposts(forChild: sam)
    #expect(signposts.map(\.name) == ["ANAR", "Stop It Now"])
    let effective = try policy.effectiveSettings(forChild: "Sam Lee")
    #expect(effective.locale == "es" && effective.country == "ES")
    let maya = try policy.effectiveSettings(forChild: "Maya")
    #expect(maya.settings.age == 7 && maya.settings.band == "6-9")
    #expect(maya.locale == "en-GB")
  }

  @Test func ageFromBirthYearCountsTheYoungerAge() throws {
    let policy = try parsePolicy("[child A]\nbirth_year = 2013\n[child B]\nband = 0-5\n[child C]\n")
    let a = try policy.effectiveSettings(forChild: "A")
    #expect(a.settings.age == 12)  // born 2013, counted as not yet 13 in 2026
    #expect(a.settings.band == "10-12")
    let b = try policy.effectiveSettings(forChild: "B")
    #expect(b.settings.band == "0-5" && b.settings.age == nil && b.settings.ageAssured)
    let c = try policy.effectiveSettings(forChild: "C")
    #expect(c.settings.band == "13-15" && !c.settings.ageAssured)
    #expect(policy.warnings.contains { $0.message.contains("no age for C") })
  }

  @Test func birthDateFollowsTheReferenceDate() throws {
    let policy = try parsePolicy("[child Kim]\nbirth_date = 2013-12-01\n")
    #expect(try policy.effectiveSettings(forChild: "Kim").settings.band == "10-12")
    #expect(try policy.effectiveSettings(forChild: "Kim", on: CalendarDate(year: 2026, month: 12, day: 1)).settings.band == "13-15")
  }

  @Test func childOverridesWinOverFamilyOverrides() throws {
    let policy = try parsePolicy(
      """
      [family]
      daily_limit_minutes = 90
      break_reminder_minutes = 30
      [child Sam]
      age = 14
      daily_limit_minutes = 45
      """)
    let sam = try policy.effectiveSettings(forChild: "Sam").settings
    #expect(sam.dailyLimitMinutes == 45)
    #expect(sam.breakReminderMinutes == 30)
  }

  @Test func categoriesAndDomains() throws {
    let policy = try parsePolicy(
      """
      [family]
      custom_categories = games
      blocked_categories = games, social
      blocked_domains = Example-Casino.com., *.chat.example.net
      allowed_domains = wikipedia.org
      [child Ana]
      age = 14
      allowed_categories = games
      blocked_domains = wikipedia.org
      """)
    let ana = try policy.effectiveSettings(forChild: "Ana")
    #expect(ana.settings.blockedCategories.contains("social"))
    #expect(!ana.settings.blockedCategories.contains("games"))
    #expect(ana.blockedDomains == ["example-casino.com", "chat.example.net", "wikipedia.org"])
    #expect(ana.allowedDomains.isEmpty)
    #expect(ana.loosened.isEmpty)
    #expect(policy.customCategories == ["games"])
  }

  @Test func effectiveJSONHasSettingsThenLoosened() throws {
    let policy = try parsePolicy("[child Sam]\nage = 14\nprofile_visibility = friends\n")
    let json = try policy.effectiveSettings(forChild: "Sam").json
    let keys = json.objectValue?.map(\.0) ?? []
    #expect(keys.first == "child")
    #expect(Array(keys[1...26]) == AgeDefaultsTests.documentedKeys)
    #expect(Array(keys[27...]) == ["loosened", "overridden", "blocked_domains", "allowed_domains", "locale", "country", "signposts"])
    #expect(json["loosened"] == .array([.string("profile_visibility")]))
    #expect(json["profile_visibility"] == .string("friends"))
  }

  @Test func windowsLineEndingsAndByteOrderMark() throws {
    let policy = try parsePolicy("\u{FEFF}[child Sam]\r\nage = 9\r\nquiet_hours = 19:00-07:00\r\n")
    #expect(try policy.effectiveSettings(forChild: "Sam").settings.quietHours?.description == "19:00-07:00")
  }

  @Test func hashInsideAValueIsNotAComment() throws {
    let policy = try parsePolicy("[family]\nchild_helpline = Line#1 | 0800 1111  # comment\n")
    #expect(policy.signposts.first?.name == "Line#1")
  }

  @Test func unknownChildSuggestsTheClosestName() throws {
    let policy = try parsePolicy("[child Maya]\nage = 7\n")
    do {
      _ = try policy.effectiveSettings(forChild: "Maia")
      Issue.record("expected an error")
    } catch {
      #expect(error.message.contains("did you mean 'Maya'"))
    }
  }

  @Test func agedOutChildGetsAdultDefaultsAndAWarning() throws {
    let policy = try parsePolicy("[child Jo]\nbirth_date = 2008-01-01\nquiet_hours = 20:00-07:00\n")
    let jo = try policy.effectiveSettings(forChild: "Jo")
    #expect(jo.agedOut)
    #expect(jo.settings.band == "18+")
    #expect(jo.settings.quietHours == nil)
    #expect(policy.warnings.contains { $0.message.contains("18 or older") })
  }
}
