import Testing

@testable import ChildSafe

@Suite("Rule parser errors and lint")
struct RuleParserTests {
  func diagnostics(_ text: String) -> [String] {
    TestPack.load([("t.rules", text)]).diagnostics.map(\.description)
  }

  func errors(_ text: String) -> [String] {
    TestPack.load([("t.rules", text)]).errors.map(\.description)
  }

  @Test func windowsLineEndsReadAsUnixOnes() {
    let unix = "@pack en\nrule x.y secrecy 0.5\n  match: dont tell\n\nrule x.z secrecy 1.5\n  match: a\n"
    let windows = unix.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n")
    let a = TestPack.load([("t.rules", unix)])
    let b = TestPack.load([("t.rules", windows)])
    #expect(b.rules.map(\.id) == a.rules.map(\.id))
    #expect(b.errors.map(\.description) == ["grooming/t.rules:5:18: error: found weight 1.5; expected a weight in (0, 1]"])
    #expect(b.errors.map(\.description) == a.errors.map(\.description))
  }

  @Test func weightOutOfRangeIsLocated() {
    #expect(errors("@pack en\nrule x.y secrecy 1.5\n  match: a\n") == [
      "grooming/t.rules:2:18: error: found weight 1.5; expected a weight in (0, 1]"
    ])
  }

  @Test func unclosedGroupIsLocated() {
    #expect(errors("@pack en\nrule x secrecy 0.5\n  match: send (pic | photo\n") == [
      "grooming/t.rules:3:27: error: found end of line; expected ')' to close '(' at column 15"
    ])
  }

  @Test func badTokensInPatternsAreLocated() {
    #expect(errors("@pack en\nrule x secrecy 0.5\n  match: send ..9 pic\n") == [
      "grooming/t.rules:3:15: error: found gap ..9; expected a gap between ..1 and ..8"
    ])
    #expect(errors("@pack en\nrule x secrecy 0.5\n  match: u <num 17-8>\n") == [
      "grooming/t.rules:3:17: error: found '17-8'; expected a range A-B with 0 <= A <= B, as in <num 8-17>"
    ])
    #expect(errors("@pack en\nrule x secrecy 0.5\n  match: a <nums>\n") == [
      "grooming/t.rules:3:12: error: found '<nums>'; expected <num>, <num A-B>, <any>, <emoji>, <url>, <handle> or <email> (or a lexicon declared with @lexicon)"
    ])
    #expect(errors("@pack en\nrule x secrecy 0.5\n  match: p*\n") == [
      "grooming/t.rules:3:10: error: found 'p*'; expected at least 2 letters before '*'"
    ])
    #expect(errors("@pack en\nrule x secrecy 0.5\n  match: a | | b\n") == [
      "grooming/t.rules:3:14: error: found '|'; expected a word, '(', '<' or '..N'"
    ])
    #expect(errors("@pack en\nrule x secrecy 0.5\n  lower: <num 18-99> 3\n  match: a\n") == [
      "grooming/t.rules:3:22: error: found factor 3; expected a factor in [0, 1]"
    ])
  }

  @Test func directivesAndStructureErrors() {
    #expect(errors("@pack en\n@frob x\n") == ["grooming/t.rules:2:1: error: found '@frob'; expected @pack, @include, @category or @lexicon"])
    #expect(errors("@pack en\n  match: a\n") == [
      "grooming/t.rules:2:3: error: found 'match:' outside a rule; expected 'rule <id> <category> <weight>' first"
    ])
    #expect(errors("@pack en\nrule x secrecy 0.5\n  when: a\n  match: b\n") == [
      "grooming/t.rules:3:3: error: found 'when:'; expected 'match:', 'except:', 'all:', 'unless:', 'lower:', 'audience:', 'acts:', 'trusted:' or 'note:'"
    ])
    #expect(errors("@pack en\nrule x secrecy 0.5\n  mtach: a\n  match: b\n") == [
      "grooming/t.rules:3:3: error: found 'mtach:'; expected 'match:', 'except:', 'all:', 'unless:', 'lower:', 'audience:', 'acts:', 'trusted:' or 'note:'; did you mean 'match:'?"
    ])
    #expect(errors("@pack en\nrule x secrecy 0.5\n  audience: kids\n  match: b\n") == [
      "grooming/t.rules:3:13: error: found 'kids'; expected 'adult_to_minor' or 'any'"
    ])
    #expect(errors("@pack en\nrule x secrecy 0.5\n  note: nothing to match\n") == [
      "grooming/t.rules:2:6: error: found rule 'x' with no 'match:' line; expected at least one 'match:'"
    ])
    #expect(errors("rule x secrecy 0.5\n  match: a\n") == [
      "grooming/t.rules:1:1: error: found no @pack; expected '@pack <language>' as the first directive"
    ])
    #expect(errors("@pack en\nrule Bad! secrecy 0.5\n  match: a\n") == [
      "grooming/t.rules:2:6: error: found 'Bad!'; expected a rule id ([a-z0-9_.-]+)"
    ])
  }

  @Test func unknownCategoriesAndDuplicatesAcrossPacks() {
    let set = TestPack.load([
      ("en.rules", "@pack en\nrule a.one secrecy 0.5\n  match: hush\nrule a.two grooming 0.5\n  match: b\n"),
      ("fr.rules", "@pack fr\n@category desensitisation\nrule a.one desensitisation 0.5\n  match: chut\n"),
    ])
    #expect(set.errors.map(\.description) == [
      "grooming/en.rules:4:6: error: found unknown category 'grooming'; expected one of age_probe risk_check secrecy isolation platform_switch personal_info image_request meeting gifts flattery sexual coercion or one declared with @category",
      "grooming/fr.rules:3:6: error: found duplicate rule id 'a.one' (first at grooming/en.rules:2:6); expected ids unique across all packs",
    ])
    #expect(set.categories.last == Category("desensitisation"))
  }

  @Test func includeCyclesAndMissingFiles() {
    let set = TestPack.load([
      ("a.rules", "@pack en\n@include b.rules\n"),
      ("b.rules", "@pack en\n@include a.rules\n@include missing.rules\n"),
    ])
    let messages = set.errors.map(\.description)
    #expect(messages.contains(
      "grooming/b.rules:2:10: error: found an include cycle grooming/a.rules -> grooming/b.rules -> grooming/a.rules; expected files that do not include themselves"))
    #expect(messages.contains(
      "grooming/b.rules:3:10: error: found no file grooming/missing.rules; expected an existing rule file"))
  }

  @Test func includesAreResolvedRelativelyAndLoadedOnce() {
    let set = TestPack.load([
      ("en.rules", "@pack en\n@include shared/common.rules\n"),
      ("es.rules", "@pack es\n@include ./shared/../shared/common.rules\n"),
      ("shared/common.rules", "rule c.x secrecy 0.5\n  match: hush\n"),
    ])
    #expect(set.errors.isEmpty)
    #expect(set.rules.map(\.id) == ["c.x"])
    #expect(set.ruleLanguages == [["en", "es"]])
  }

  @Test func lintFindsShadowedNeverMatchingAndSelfCancellingRules() {
    let found = diagnostics(
      """
      @pack en
      rule a secrecy 0.5
        match: keep it secret
      rule b secrecy 0.6
        match: keep it secret
      rule c secrecy 0.5
        match: "!!!"
      rule d secrecy 0.5
        match: our secret
        unless: secret
      rule e secrecy 0.5
        match: x?
      """)
    #expect(found.contains(
      "grooming/t.rules:4:6: warning: found rule 'b' whose every 'match:' is already in rule 'a'; expected a rule that adds something (it is shadowed)"))
    #expect(found.contains(
      "grooming/t.rules:7:10: warning: found a pattern that can never match ('\"!!!\"': a literal normalises to nothing); expected words that survive normalisation"))
    #expect(found.contains(
      "grooming/t.rules:6:6: error: found rule 'c' whose every 'match:' can never match; expected a pattern that can match"))
    #expect(found.contains(
      "grooming/t.rules:10:11: error: found 'unless: secret' that matches whenever 'match:' does, so rule 'd' can never fire; expected a narrower exception"))
    #expect(found.contains(
      "grooming/t.rules:12:10: error: found a pattern that can match no token at all ('x?'); expected at least one required word"))
  }

  /// A pattern too long for the bit-parallel matcher is a located warning, and only that one:
  /// the same words split over two `match:` lines are not.
  @Test func lintWarnsOfPatternsTooLongToRunBitParallel() {
    // Phrases, not single words: an alternation of single words is one step (a set of words).
    let words = (0..<40).map { "a\($0)x b\($0)y" }
    let long = "(" + words.joined(separator: "|") + ")"
    let half = words.count / 2
    let set = TestPack.load([
      (
        "t.rules",
        """
        @pack en
        rule long secrecy 0.5
          match: \(long)
        rule split secrecy 0.5
          match: (\(words[..<half].joined(separator: "|")))
          match: (\(words[half...].joined(separator: "|")))
        """
      )
    ])
    #expect(set.errors.isEmpty)
    let slow = set.slowPatternWarnings().map(\.description)
    #expect(slow.count == 1)
    #expect(slow.first?.hasPrefix("grooming/t.rules:3:10: warning: found a pattern of more than 64 steps in rule 'long'") == true)
    #expect(slow.first?.hasSuffix("expected its alternatives split over several 'match:' lines") == true)
    #expect(TestPack.load([("t.rules", "@pack en\nrule a secrecy 0.5\n  match: keep it secret\n")]).slowPatternWarnings().isEmpty)
  }

  @Test func engineRefusesRulesWithErrorsAndSaysWhere() {
    #expect {
      _ = try TestPack.engine("rule x secrecy 2\n  match: a\n")
    } throws: { error in
      guard let e = error as? ChildSafeError else { return false }
      return e.code == .syntax && e.location == SourceLocation(file: "grooming/t.rules", line: 2, column: 16)
        && e.message == "found weight 2; expected a weight in (0, 1]"
    }
  }

  @Test func commentsQuotesAndLiteralNormalisation() throws {
    let set = TestPack.load([("t.rules", "@pack en # English\nrule x secrecy 0.5 # trailing\n  match: Don't \"Tell#1\" ÀNYONE  # note\n")])
    #expect(set.errors.isEmpty)
    #expect(set.rules.first?.matches.first?.node == .sequence([.word("dont"), .sequence([.word("tell"), .word("1")]), .word("anyone")]))
  }

  @Test func embeddedPacksLintClean() {
    let set = RuleSetLoader.load(RuleFiles.embedded)
    #expect(set.errors.isEmpty, "\(set.errors)")
    #expect(!set.rules.isEmpty)
  }
}
