import Testing

@testable import ChildSafe

@Suite("Example family policy")
struct ExamplePolicyTests {
  var text: String {
    get throws { try #require(RuleFiles.embedded.text(at: "family.policy")) }
  }

  @Test func lintsCleanWithNoWarnings() throws {
    #expect(FamilyPolicy.lint(try text, file: "family.policy", on: policyTestDate) == [])
  }

  @Test func lintsWithoutErrorsToday() throws {
    let diagnostics = FamilyPolicy.lint(try text, file: "family.policy")
    #expect(!diagnostics.contains { $0.severity == .error }, "\(diagnostics)")
  }

  @Test func usesEveryPolicyKey() throws {
    let source = try text
    let used = Set(
      source.split(separator: "\n").compactMap { line -> String? in
        let trimmed = line.drop(while: { $0 == " " || $0 == "!" })
        guard !trimmed.hasPrefix("#"), let eq = trimmed.firstIndex(of: "=") else { return nil }
        return trimmed[..<eq].withoutSurroundingSpaces()
      })
    let documented = Set(source.split(separator: "\n").filter { $0.hasPrefix("#   ") }.compactMap {
      $0.dropFirst(4).split(separator: " ").first.map(String.init)
    })
    for key in PolicyParser.allKeys where key != "age_assured" {
      #expect(used.contains(key) || documented.contains(key), "\(key) is neither used nor listed in Rules/family.policy")
    }
  }

  @Test func showsWhatItPromises() throws {
    let policy = try FamilyPolicy.parse(try text, file: "family.policy", on: policyTestDate)
    #expect(policy.children.map(\.name) == ["Maya", "Sam", "Alex", "Robin"])
    #expect(policy.locale == "en-GB" && policy.country == "GB")
    #expect(Set(policy.signposts.map(\.service)) == Set(PolicySignpost.Service.allCases))
    let sam = try policy.effectiveSettings(forChild: "Sam")
    #expect(sam.settings.band == "10-12")
    #expect(sam.overridden == ["blocked_categories"])
    #expect(sam.loosened.contains("profile_visibility"))
    let alex = try policy.effectiveSettings(forChild: "Alex")
    #expect(alex.loosened == ["quiet_hours", "allowed_domains"])
    #expect(alex.settings.isLocked("purchases"))
  }
}

extension Substring {
  func withoutSurroundingSpaces() -> String {
    String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
  }
}
