import Testing

@testable import ChildSafe

/// A rule pack of 100k rules (a vendor's, or a hostile one) loads, lints and compiles in linear work.
@Suite("Hardening: huge rule packs")
struct RulePackLimitsTests {
  /// `count` rules, each with its own words, in one pack file of about 60 bytes per rule.
  static func pack(rules count: Int, extraMatch: (Int) -> String? = { _ in nil }) -> String {
    var text = "@pack en\n"
    text.reserveCapacity(count * 64)
    for k in 0..<count {
      text += "rule bulk.r\(k) secrecy 0.5\n  match: zq\(k) keep it between us\n"
      if let extra = extraMatch(k) { text += "  match: \(extra)\n" }
    }
    return text
  }

  /// Without the default limits (2 MiB, 20,000 rules), which these packs are over on purpose: what
  /// is measured here is that the work stays linear however large a host lets packs be.
  static func load(_ text: String) -> RuleSet {
    RuleSetLoader.load(roots: ["grooming/bulk.rules"], limits: .none) { $0 == "grooming/bulk.rules" ? text : nil }
  }

  @Test func hundredThousandRulesCompileAndMatch() throws {
    let set = RulePackLimitsTests.load(RulePackLimitsTests.pack(rules: 100_000))
    #expect(set.errors.isEmpty)
    #expect(set.rules.count == 100_000)
    let engine = try ClassifierEngine(ruleSet: set)
    let verdict = try engine.classify("zq99999 keep it between us")
    #expect(verdict.matches.map(\.rule) == ["bulk.r99999"])
  }

  @Test func shadowingLintComparesAFewRulesPerRule() {
    // Every rule shares "secret" with all earlier ones (the old lint compared each rule with every
    // earlier one); every 7th rule also has the same second pattern as the rule 7 before it.
    func comparisonsPerRule(_ count: Int) -> Double {
      let set = RulePackLimitsTests.load(
        RulePackLimitsTests.pack(rules: count) { k in k % 7 == 0 ? "secret | zz\(k % 700)" : "secret" })
      var counted = 0
      _ = RuleLint.check(set.rules, comparisons: &counted)
      return Double(counted) / Double(count)
    }
    let small = comparisonsPerRule(2_000)
    let large = comparisonsPerRule(40_000)
    #expect(large <= small * 1.25 + 1, "comparisons per rule \(small) at 2k rules, \(large) at 40k")
  }

  @Test func shadowedRuleIsStillFoundInAHugePack() {
    // The last rule repeats the first rule's patterns; 50k unrelated rules sit in between.
    var text = RulePackLimitsTests.pack(rules: 50_000)
    text += "rule bulk.again secrecy 0.5\n  match: zq0 keep it between us\n"
    let warnings = RulePackLimitsTests.load(text).warnings.filter { $0.message.contains("shadowed") }
    #expect(warnings.count == 1)
    #expect(warnings.first?.message.contains("'bulk.again'") == true && warnings.first?.message.contains("'bulk.r0'") == true)
  }

  @Test func adversarialSharedPatternsStayBounded() {
    // Rules that share one of two common patterns but never both, then many rules with both: each
    // new rule could be compared with every earlier one; the lint caps it per rule.
    var rules = "@pack en\n"
    for k in 0..<6_000 {
      let common = k % 2 == 0 ? "alpha words" : "beta words"
      rules += "rule adv.a\(k) secrecy 0.5\n  match: \(common)\n  match: zq\(k) here\n"
    }
    for k in 0..<6_000 {
      rules += "rule adv.b\(k) secrecy 0.5\n  match: alpha words\n  match: beta words\n  match: zz\(k) there\n"
    }
    let set = RulePackLimitsTests.load(rules)
    var counted = 0
    _ = RuleLint.check(set.rules, comparisons: &counted)
    #expect(counted <= set.rules.count * RuleLint.maximumShadowCandidates)
    #expect(counted < set.rules.count * 20, "\(counted) comparisons for \(set.rules.count) rules")
  }

  @Test func loadAndCompileWorkGrowsLinearly() throws {
    let growth = try Scaling.perUnitGrowth(small: 5_000, large: 50_000) { count in
      let set = RulePackLimitsTests.load(RulePackLimitsTests.pack(rules: count) { k in k % 3 == 0 ? "secret" : nil })
      _ = try ClassifierEngine(ruleSet: set)
    }
    // Linear work gives about 1; quadratic work would give about 10.
    #expect(growth < 3, "time per rule grew \(growth)x from 5k to 50k rules")
  }

  @Test func hundredThousandDeclaredCategoriesLoadLinearly() {
    let growth = Scaling.perUnitGrowth(small: 10_000, large: 100_000) { count in
      var text = "@pack en\n"
      for k in 0..<count { text += "@category cat.\(k)\n" }
      text += "rule c.one cat.\(count - 1) 0.5\n  match: hello there\n"
      let set = RulePackLimitsTests.load(text)
      #expect(set.errors.isEmpty)
      #expect(set.categories.count == Category.builtIn.count + count)
    }
    #expect(growth < 3, "time per category grew \(growth)x from 10k to 100k")
  }

  @Test func oversizedRuleFileIsRejectedClearly() {
    let text = RulePackLimitsTests.pack(rules: 200_000)  // about 11 MB, over the 8 MiB file limit
    let set = RulePackLimitsTests.load(text)
    #expect(set.rules.isEmpty)
    #expect(set.errors.first?.message.contains("larger than") == true)
    #expect(set.errors.first?.location?.description == "grooming/bulk.rules:1:1")
  }
}
