import Testing

@testable import ChildSafe

/// A contact a parent approved (``MessageContext/senderTrusted``): family talk is not a signal,
/// while what acts alone still acts (docs/rules.md, "Trusted contacts").
@Suite("Trusted contacts")
struct TrustedSenderTests {
  static let pack = """
    rule t.meet meeting 0.6
      match: pick you up
    rule t.looks flattery 0.5
      match: so grown up
    rule t.secret secrecy 0.7
      match: our secret
    rule t.home risk_check 0.6
      match: are you home alone
    rule t.wearing sexual 0.6
      audience: adult_to_minor
      match: what are you wearing
    rule t.nude sexual 0.9
      match: send nudes
    rule t.photo image_request 0.6
      match: send me a photo
    rule t.body image_request 0.6
      trusted: acts
      match: photo of your body
    rule t.date meeting 0.6
      trusted: acts
      match: come alone
    rule t.curfew secrecy 0.6
      trusted: ignore
      match: be home by
    """

  let engine: ClassifierEngine
  init() throws { engine = try TestPack.engine(TrustedSenderTests.pack) }

  static let mother = MessageContext(senderAge: 41, recipientAge: 13, senderID: "mum", senderTrusted: true)
  static let stranger = MessageContext(senderAge: 41, recipientAge: 13, senderID: "stranger")

  @Test func familyTalkFromATrustedContactIsNotASignal() throws {
    for text in ["I'll pick you up at 5", "you look so grown up", "are you home alone?", "what are you wearing to the party"] {
      #expect(try engine.classify(text, context: Self.stranger).flagged, "\(text)")
      let trusted = try engine.classify(text, context: Self.mother)
      #expect(!trusted.flagged && trusted.matches.isEmpty && trusted.risk == .none, "\(text)")
    }
  }

  @Test func whatActsAloneStillActsFromATrustedContact() throws {
    let secret = try engine.classify("this is our secret", context: Self.mother)
    #expect(secret.flagged && secret.categories == [.secrecy])
    let nudes = try engine.classify("send nudes", context: Self.mother)
    #expect(nudes.flagged && nudes.categories == [.sexual])
    // Without ages too.
    #expect(try engine.classify("our secret", context: MessageContext(senderTrusted: true)).flagged)
  }

  @Test func anImageRequestFromATrustedContactIsEvidence() throws {
    let photo = try engine.classify("send me a photo when you get there", context: Self.mother)
    #expect(!photo.flagged && photo.categories == [.imageRequest] && photo.risk == .low)
    #expect(try engine.classify("send me a photo when you get there", context: Self.stranger).flagged)
    // A `trusted: acts` line keeps a picture of the body acting.
    #expect(try engine.classify("send me a photo of your body", context: Self.mother).flagged)
  }

  @Test func aTrustedLineOverridesTheDefault() throws {
    // An evidence-only rule marked `trusted: acts` fires and acts toward a known minor, as from anyone...
    let date = try engine.classify("come alone", context: Self.mother)
    #expect(date.flagged && date.categories == [.meeting])
    // ...and stays evidence without ages, as from anyone.
    #expect(try !engine.classify("come alone", context: MessageContext(senderTrusted: true)).flagged)
    // An acting rule marked `trusted: ignore` does not fire.
    #expect(try engine.classify("be home by 9", context: Self.mother).matches.isEmpty)
    #expect(try engine.classify("be home by 9", context: Self.stranger).flagged)
    let rules = try #require(TestPack.load([("t.rules", "@pack en\n" + Self.pack)]).rules.first { $0.id == "t.photo" })
    #expect(rules.trusted == nil && rules.onTrustedContact == .evidence)
  }

  @Test func badTrustedValueIsLocated() {
    let errors = TestPack.load([("t.rules", "@pack en\nrule x meeting 0.5\n  trusted: always\n  match: a\n")]).errors
    #expect(errors.map(\.description) == ["grooming/t.rules:3:12: error: found 'always'; expected 'ignore', 'evidence' or 'acts'"])
  }

  @Test func defaultsAreTheDocumentedOnes() {
    func rule(_ category: Category, acts: RuleActs? = nil, audience: RuleAudience = .any) -> Rule {
      var rule = Rule(id: "x", category: category, weight: 0.5, location: SourceLocation(file: "x", line: 1, column: 1), pack: "en")
      rule.acts = acts
      rule.audience = audience
      return rule
    }
    for category in [Category.meeting, .gifts, .platformSwitch, .flattery, .personalInfo, .ageProbe, .riskCheck] {
      #expect(rule(category).onTrustedContact == .ignore, "\(category)")
    }
    #expect(rule(.sexual, acts: .withMinor).onTrustedContact == .ignore)
    #expect(rule(.sexual, audience: .adultToMinor).onTrustedContact == .ignore)
    #expect(rule(.imageRequest).onTrustedContact == .evidence)
    for category in [Category.sexual, .coercion, .secrecy, .isolation, Category("custom")] {
      #expect(rule(category).onTrustedContact == .acts, "\(category)")
    }
  }

  @Test func explainSaysWhyARuleDidNotFire() throws {
    let explanation = try engine.explain("I'll pick you up, what are you wearing", context: Self.mother)
    #expect(explanation.evaluations.map(\.rule.id).sorted() == ["t.meet", "t.wearing"])
    #expect(explanation.evaluations.allSatisfy { $0.outcome == .trustedSender })
    #expect(explanation.verdict.matches.isEmpty)
  }

  @Test func aConversationDoesNotCountATrustedContactsFamilyTalk() throws {
    var family = engine.makeConversation()
    for text in ["I'll pick you up at 5", "you look so grown up", "are you home alone?", "I'll pick you up after"] {
      _ = try family.add(text, context: Self.mother)
    }
    #expect(!family.verdict.flagged && family.verdict.stages.isEmpty && family.verdict.risk == .none)

    // The same words from someone not on the contact list escalate the conversation.
    var untrusted = engine.makeConversation()
    for text in ["I'll pick you up at 5", "you look so grown up", "are you home alone?"] {
      _ = try untrusted.add(text, context: Self.stranger)
    }
    #expect(untrusted.verdict.flagged)
  }

  @Test func aTrustedContactDoesNotShieldAnotherSender() throws {
    var group = engine.makeConversation()
    _ = try group.add("I'll pick you up at 5", context: Self.mother)
    _ = try group.add("you look so grown up", context: Self.stranger)
    _ = try group.add("are you home alone?", context: Self.stranger)
    #expect(group.verdict.flagged && group.verdict.riskySender == "stranger")
  }

  @Test func aTrustedContactsSecretStillCountsInTheConversation() throws {
    var family = engine.makeConversation()
    _ = try family.add("I'll pick you up at 5", context: Self.mother)
    #expect(family.verdict.score == 0)
    #expect(try family.add("this is our secret", context: Self.mother).flagged)
    #expect(family.verdict.stages == [.secrecy] && family.verdict.score > 0)
  }

  /// The default packs, with fourteen ordinary texts from a mother to her 13-year-old: with ages
  /// and without trust, several are flagged and the conversation is; from a trusted contact, none.
  @Test func theDefaultPacksLeaveFamilyChatAlone() throws {
    let defaults = try ClassifierEngine()
    let texts = [
      "I'll pick you up at 5 after practice", "did you remember your lunch?", "you looked so grown up in that photo",
      "love you sweetheart", "want me to come get you", "dinner's at 7, don't be late", "how was the maths test?",
      "grandma says hi", "can you feed the cat when you get home", "are you in bed yet? it's late",
      "don't forget your coat it's cold", "proud of you!", "text me when you get to Sam's", "I'll bring pizza tonight",
    ]
    var untrusted = defaults.makeConversation()
    var trusted = defaults.makeConversation()
    var flaggedUntrusted = 0
    for text in texts {
      if try untrusted.add(text, context: Self.stranger).flagged { flaggedUntrusted += 1 }
      let verdict = try trusted.add(text, context: Self.mother)
      #expect(!verdict.flagged, "\(text)")
    }
    #expect(flaggedUntrusted >= 3 && untrusted.verdict.flagged)
    #expect(!trusted.verdict.flagged)
  }
}
