import Testing

@testable import ChildSafe

/// Which signals may flag a single message without age context (docs/rules.md, "What acts alone").
@Suite("Evidence-only and acting rules")
struct ActsAloneTests {
  static let pack = """
    rule t.meet meeting 0.6
      match: come over
    rule t.secret secrecy 0.7
      match: our secret
    rule t.meet_alone meeting 0.6
      acts: alone
      match: sneak out
    rule t.secret_evidence secrecy 0.7
      acts: with_minor
      match: between us
    rule t.gift gifts 0.6
      match: free robux
    """

  let engine: ClassifierEngine
  init() throws { engine = try TestPack.engine(ActsAloneTests.pack) }

  @Test func evidenceOnlyCategoriesDoNotFlagWithoutAges() throws {
    let verdict = try engine.classify("wanna come over tonight")
    #expect(verdict.categories == [.meeting])  // still reported
    #expect(!verdict.flagged)
    #expect(verdict.risk == .low)
    #expect(verdict.matches.first?.weight == 0.54)  // the conversation counts the full weight
  }

  @Test func evidenceActsTowardAKnownMinor() throws {
    #expect(try engine.classify("wanna come over tonight", context: TestPack.adultToChild).flagged)
    #expect(try engine.classify("wanna come over tonight", context: MessageContext(recipientAge: 12)).flagged)
    // Not between minor peers, nor between adults.
    #expect(try !engine.classify("wanna come over tonight", context: TestPack.peers).flagged)
    #expect(try !engine.classify("wanna come over tonight", context: MessageContext(senderAge: 30, recipientAge: 31)).flagged)
  }

  @Test func actingCategoriesFlagAlone() throws {
    #expect(try engine.classify("its our secret").flagged)
  }

  @Test func ruleLineOverridesTheCategoryDefault() throws {
    #expect(try engine.classify("can u sneak out").flagged)
    let evidence = try engine.classify("just between us")
    #expect(!evidence.flagged && evidence.categories == [.secrecy])
  }

  @Test func evidenceNeverTipsAMessageOverTheThreshold() throws {
    // Two evidence signals together still do not act without ages...
    #expect(try !engine.classify("come over, free robux").flagged)
    // ...and an acting signal too weak alone is not pushed over by evidence beside it.
    let weak = try TestPack.engine("rule t.weak secrecy 0.3\n  match: dont tell\nrule t.meet meeting 0.6\n  match: come over\n")
    #expect(try !weak.classify("come over dont tell").flagged)
    // An acting signal strong enough alone flags, and evidence adds to its score.
    let both = try engine.classify("our secret, come over")
    #expect(both.flagged && both.score > 0.63)
  }

  @Test func defaultsPerCategoryAreDocumentedOnes() {
    for category in [Category.meeting, .gifts, .platformSwitch, .flattery, .personalInfo, .ageProbe] {
      #expect(RuleActs.default(for: category) == .withMinor, "\(category)")
    }
    for category in [Category.sexual, .imageRequest, .coercion, .secrecy, .isolation, .riskCheck, Category("custom")] {
      #expect(RuleActs.default(for: category) == .alone, "\(category)")
    }
  }

  @Test func badActsValueIsLocated() {
    let errors = TestPack.load([("t.rules", "@pack en\nrule x meeting 0.5\n  acts: sometimes\n  match: a\n")]).errors
    #expect(errors.map(\.description) == ["grooming/t.rules:3:9: error: found 'sometimes'; expected 'alone' or 'with_minor'"])
  }
}
