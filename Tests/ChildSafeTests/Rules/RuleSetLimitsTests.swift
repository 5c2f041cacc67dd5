import Testing

@testable import ChildSafe

/// A load past the limits fails before anything is compiled, with an error at the line where the
/// limit was reached.
@Suite("Rule set limits")
struct RuleSetLimitsTests {
  static func rules(_ count: Int, from first: Int = 0) -> String {
    (first..<(first + count)).map { "rule lim.r\($0) secrecy 0.5\n  match: zq\($0) keep it\n" }.joined()
  }

  static func load(_ files: [String: String], limits: RuleSetLoader.Limits) -> RuleSet {
    RuleSetLoader.load(roots: files.keys.sorted(), limits: limits) { files[$0] }
  }

  @Test func sourceBytesOverTheLimitAreRefusedAtTheLineWhereTheLimitIsReached() throws {
    let first = "@pack en\n" + Self.rules(10)
    let second = "@pack en\n" + Self.rules(10, from: 10)
    let limit = first.utf8.count + 100
    // A third file after the limit is skipped without an error of its own.
    let set = Self.load(
      ["grooming/a.rules": first, "grooming/b.rules": second, "grooming/c.rules": second.replacingOccurrences(of: "lim.", with: "lim3.")],
      limits: .init(maximumSourceBytes: limit))
    let error = try #require(set.errors.first)
    #expect(set.errors.count == 1)
    #expect(error.location?.file == "grooming/b.rules")
    // 100 bytes into the second file: "@pack en\n" is 9 bytes, then lines of 25 and 22 bytes.
    #expect(error.location?.line == 5)
    #expect(error.location?.column == 1)
    #expect(error.message == "found \(first.utf8.count + second.utf8.count) bytes of rules in all with this file; expected at most \(limit)")
    // The file over the limit is not parsed at all.
    #expect(set.rules.count == 10)
    #expect(throws: ChildSafeError.self) { try ClassifierEngine(ruleSet: set) }
    do {
      _ = try ClassifierEngine(ruleSet: set)
    } catch {
      #expect(error.code == .syntax && error.location?.file == "grooming/b.rules" && error.location?.line == 5)
    }
    // At the limit exactly, both load.
    let exact = Self.load(
      ["grooming/a.rules": first, "grooming/b.rules": second],
      limits: .init(maximumSourceBytes: first.utf8.count + second.utf8.count))
    #expect(exact.errors.isEmpty && exact.rules.count == 20)
  }

  @Test func rulesOverTheLimitAreRefusedAtTheFirstRuleTooMany() throws {
    let text = "@pack en\n" + Self.rules(30)
    let set = Self.load(["grooming/a.rules": text], limits: .init(maximumRules: 25))
    let error = try #require(set.errors.first)
    #expect(set.errors.count == 1)
    #expect(error.message == "found more than 25 rules in all; expected at most 25")
    #expect(error.location?.file == "grooming/a.rules")
    #expect(error.location?.line == 2 + 25 * 2)  // the 26th rule
    #expect(Self.load(["grooming/a.rules": text], limits: .init(maximumRules: 30)).errors.isEmpty)
  }

  @Test func theEmbeddedPacksAreWellWithinTheDefaultLimits() {
    let defaults = RuleSetLoader.Limits()
    let bytes = RuleFiles.embedded.under("grooming/").reduce(0) { $0 + $1.text.utf8.count }
    // Room for a host's own packs: the built-in ones take less than a sixth of the bound.
    #expect(bytes * 6 < defaults.maximumSourceBytes)
    let set = RuleSetLoader.load(RuleFiles.embedded)
    #expect(set.errors.isEmpty)
    #expect(set.rules.count * 20 < defaults.maximumRules)
  }
}
