import Testing

@testable import ChildSafe

@Suite("Family policy errors")
struct PolicyErrorTests {
  func expectError(
    _ text: String, line: Int, column: Int, code: ChildSafeError.Code, containing part: String,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) {
    let found = errors(text)
    #expect(found.count == 1, "errors: \(found)", sourceLocation: sourceLocation)
    guard let error = found.first?.error else { return }
    #expect(error.location == ChildSafe.SourceLocation(file: "test.policy", line: line, column: column), sourceLocation: sourceLocation)
    #expect(error.code == code, sourceLocation: sourceLocation)
    #expect(error.message.contains(part), "message: \(error.message)", sourceLocation: sourceLocation)
    // parse() refuses the same file with the same first error.
    #expect(throws: error, sourceLocation: sourceLocation) { try parsePolicy(text) }
  }

  @Test func unknownKeySuggestsTheClosest() {
    expectError("[child Sam]\nage = 9\nprofile_visiblity = friends\n", line: 3, column: 1, code: .syntax,
      containing: "did you mean 'profile_visibility'?")
    expectError("[family]\n  quiet_hour = 21:00-07:00\n", line: 2, column: 3, code: .syntax,
      containing: "did you mean 'quiet_hours'?")
  }

  @Test func keyInTheWrongSection() {
    expectError("[family]\nage = 9\n", line: 2, column: 1, code: .syntax, containing: "belongs in a [child NAME] section")
    expectError("[child Sam]\nage = 9\ncustom_categories = games\n", line: 3, column: 1, code: .syntax,
      containing: "belongs in the [family] section")
  }

  @Test func outOfRangeAges() {
    expectError("[child Sam]\nage = 18\n", line: 2, column: 7, code: .invalidValue, containing: "from 0 to 17")
    expectError("[child Sam]\nage = -1\n", line: 2, column: 7, code: .invalidValue, containing: "from 0 to 17")
    expectError("[child Sam]\nbirth_year = 2031\n", line: 2, column: 14, code: .invalidValue, containing: "in the future")
    expectError("[child Sam]\nbirth_date = 2027-01-01\n", line: 2, column: 14, code: .invalidValue, containing: "in the future")
    expectError("[child Sam]\nbirth_date = 2015-02-29\n", line: 2, column: 14, code: .invalidValue, containing: "has no day 29")
    expectError("[child Sam]\nband = 18+\n", line: 2, column: 8, code: .invalidValue, containing: "expected one of 0-5")
  }

  @Test func impossibleTimes() {
    expectError("[family]\nquiet_hours = 21:00-25:00\n", line: 2, column: 21, code: .invalidValue,
      containing: "25:00 is not a time of day")
    expectError("[family]\nquiet_hours = 21:60-07:00\n", line: 2, column: 15, code: .invalidValue,
      containing: "21:60 is not a time of day")
    expectError("[family]\nquiet_hours = 9pm-7am\n", line: 2, column: 15, code: .invalidValue, containing: "expected a time HH:MM")
    expectError("[family]\nquiet_hours = 07:00-07:00\n", line: 2, column: 15, code: .invalidValue, containing: "empty")
  }

  @Test func unknownCategories() {
    expectError("[family]\nblocked_categories = adult, gamling\n", line: 2, column: 29, code: .invalidValue,
      containing: "did you mean 'gambling'?")
    expectError("[child Sam]\nage = 9\n!allowed_categories = socail\n", line: 3, column: 23, code: .invalidValue,
      containing: "unknown URL category 'socail'")
    expectError("[family]\nlocked = discoverabel\n", line: 2, column: 10, code: .invalidValue,
      containing: "did you mean 'discoverable'?")
  }

  @Test func badValues() {
    expectError("[family]\nprofile_visibility = secret\n", line: 2, column: 22, code: .invalidValue,
      containing: "expected one of private, friends, public")
    expectError("[family]\nsafe_search = maybe\n", line: 2, column: 15, code: .invalidValue, containing: "expected on or off")
    expectError("[family]\ncontent_rating_ceiling = 13\n", line: 2, column: 26, code: .invalidValue, containing: "PEGI")
    expectError("[family]\ndaily_limit_minutes = 0\n", line: 2, column: 23, code: .invalidValue, containing: "from 1 to 1440")
    expectError("[family]\ncountry = Britain\n", line: 2, column: 11, code: .invalidValue, containing: "two-letter ISO 3166")
    expectError("[family]\nlocale = english!\n", line: 2, column: 10, code: .invalidValue, containing: "language tag")
    expectError("[family]\nblocked_domains = ok.com, https://bad.com/x\n", line: 2, column: 27, code: .invalidValue,
      containing: "expected a domain")
    expectError("[family]\nchild_helpline = Childline | call us\n", line: 2, column: 30, code: .invalidValue,
      containing: "phone number")
  }

  @Test func syntaxErrors() {
    expectError("[family\n", line: 1, column: 8, code: .syntax, containing: "expected ']'")
    expectError("[kids Sam]\nage = 5\n", line: 1, column: 2, code: .syntax, containing: "expected [family] or [child Sam]")
    expectError("[child]\n", line: 1, column: 2, code: .syntax, containing: "child's name")
    expectError("[family]\nsafe_search on\n", line: 2, column: 13, code: .syntax, containing: "expected '='")
    expectError("[family]\nsafe_search =\n", line: 2, column: 14, code: .syntax, containing: "expected a value")
    expectError("[family]\nsafe_search = on\nsafe_search = off\n", line: 3, column: 1, code: .syntax,
      containing: "already set on line 2")
    expectError("[child Sam]\nage = 9\n[child sam]\n", line: 3, column: 8, code: .syntax, containing: "already has a section")
    expectError("[child Sam]\nage = 9\nbirth_year = 2017\n", line: 3, column: 1, code: .syntax, containing: "already given by age")
    expectError("[family]\n!locale = en\n", line: 2, column: 1, code: .syntax, containing: "'!' marks a deliberate loosening")
    expectError("[family]\nage_assured = on\n", line: 2, column: 1, code: .syntax, containing: "age_assured cannot be set")
    expectError("[family]\nsafe_search = o\u{7}n\n", line: 2, column: 16, code: .syntax, containing: "control character")
  }

  @Test func lintReportsEveryErrorInFileOrder() {
    let diagnostics = errors(
      """
      [family]
      contry = GB
      quiet_hours = 21:00-25:00
      [child Sam]
      age = 11
      messages_from = everyone
      """)
    #expect(diagnostics.map { $0.location?.line ?? 0 } == [2, 3, 6])
    #expect(diagnostics.map(\.description).first == "test.policy:2:1: error: unknown setting 'contry'; did you mean 'country'?")
  }

  @Test func aBadFileIsNeverHalfApplied() throws {
    // Valid lines before and after the bad one: parse() still returns nothing at all.
    let text = "[family]\ndaily_limit_minutes = 30\nquiet_hours = 25:00-07:00\n[child Sam]\nage = 9\n"
    #expect(throws: ChildSafeError.self) { try parsePolicy(text) }
    #expect(throws: ChildSafeError.self) {
      try FamilyPolicy.load(path: "/nonexistent/family.policy", on: policyTestDate)
    }
  }

  @Test func oversizedInputIsRejected() {
    let long = "[family]\nblocked_domains = " + String(repeating: "a", count: 9000) + ".com\n"
    #expect(errors(long).first?.error.code == .inputTooLarge)
  }
}

@Suite("Family policy limits")
struct PolicyLimitTests {
  @Test func aLongListOfDomainsIsKeptWhole() throws {
    // 20,000 domains over 2,000 lines, with repeats: all kept once, in order.
    var text = "[family]\n"
    for line in 0..<2000 {
      text += "blocked_domains = " + (0..<10).map { "site\(line * 10 + $0).example.com" }.joined(separator: ", ") + "\n"
    }
    text += "blocked_domains = site0.example.com\n[child Sam]\nage = 9\n"
    let sam = try parsePolicy(text).effectiveSettings(forChild: "Sam")
    #expect(sam.blockedDomains.count == 20_000)
    #expect(sam.blockedDomains.first == "site0.example.com")
    #expect(sam.blockedDomains.last == "site19999.example.com")
  }

  @Test func errorsStopAfterTheLimit() {
    let text = "[family]\n" + String(repeating: "contry = GB\n", count: 5000)
    let diagnostics = lintPolicy(text)
    #expect(diagnostics.count == PolicyParser.maximumErrors + 1)
    #expect(diagnostics.last?.message.contains("fix these first") == true)
  }

  @Test func tooManyChildren() {
    let text = (0...PolicyParser.maximumChildren).map { "[child C\($0)]\nage = 9\n" }.joined()
    #expect(errors(text).first?.error.code == .inputTooLarge)
  }

  @Test func aFileOverTheSizeLimitIsRejected() {
    let text = "[family]\n" + String(repeating: "# padding line\n", count: 80_000)
    #expect(errors(text).first?.error.code == .inputTooLarge)
  }
}

extension PolicyLimitTests {
  @Test func syntaxErrorsAreCappedToo() {
    let text = "[family]\n" + String(repeating: "just words\n", count: 5000)
    let diagnostics = lintPolicy(text)
    #expect(diagnostics.count == PolicyParser.maximumErrors + 1)
  }
}
