import Testing

@testable import ChildSafe

/// Chat drops the "are you" and "do you" of a question ("u alone?", "ur parents home?", "got a
/// bf?", "cam2cam?"). Each dropped form belongs to the family of its full question and acts as
/// that family does: alone, or only toward a known minor. The everyday sentences that share their
/// words stay silent, even toward a child.
@Suite("Questions without their verb (six languages)")
struct TelegraphicQuestionsTests {
  typealias Case = PhraseCase

  /// Families that act on one message whoever sends it: checking who is watching, the reader's
  /// body and sexual experience, a webcam session.
  static let actsAlone: [Case] = [
    Case("u alone?", .riskCheck, language: "en"),
    Case("ur parents home?", .riskCheck, language: "en"),
    Case("ur mom still up?", .riskCheck, language: "en"),
    Case("still a virgin?", .sexual, language: "en"),
    Case("cam2cam?", .imageRequest, language: "en"),
    Case("u in ur room?", .riskCheck, language: "en"),
    Case("shave down there?", .sexual, language: "en"),
  ]

  /// Families that are evidence between adults and act toward a known minor.
  static let evidence: [Case] = [
    Case("got a bf?", .sexual, language: "en"),
    Case("got any pics?", .imageRequest, language: "en"),
    Case("u got a webcam?", .imageRequest, language: "en"),
    Case("wearing anything under?", .sexual, language: "en"),
    Case("age doesnt matter to me", .ageProbe, language: "en"),
    Case("i wont tell if u dont", .secrecy, language: "en"),
    Case("whatcha wearing", .sexual, language: "en"),
    Case("bra size?", .sexual, language: "en"),
    Case("i could get in trouble talking to u", .secrecy, language: "en"),
    Case("ur kik?", .platformSwitch, language: "en"),
    Case("can i call u", .platformSwitch, language: "en"),
    Case("i could drive to ur town", .meeting, language: "en"),
    Case("want a pic of me?", .imageRequest, language: "en"),
    Case("in bed yet?", .riskCheck, language: "en"),
  ]

  static let twins: [Case] = [
    Case("en", "ill leave u alone now"),
    Case("en", "she got a bf last week"),
    Case("en", "got any pics of the puppy?"),
    Case("en", "age doesnt matter in chess"),
    Case("en", "the forest is still a virgin forest"),
    Case("en", "ur mom home-made pie was great"),
    Case("en", "i wont tell if u dont want me to"),
    Case("en", "what size bra should i buy her for her birthday"),
    Case("en", "i will spoil you in bed as well"),
    Case("en", "check your yahoo email"),
    Case("en", "i could drive to the store"),
    Case("en", "can i call the plumber"),
    Case("en", "im in bed already"),
    Case("en", "did u clean ur room"),
  ]

  /// The German pack's short forms ("allein zuhause?", "schon im bett?", "hast du eine cam?").
  static let germanActsAlone: [Case] = [
    Case("alleine zuhause?", .riskCheck, language: "de"),
    Case("deine eltern zuhause?", .riskCheck, language: "de"),
    Case("noch jungfrau?", .sexual, language: "de"),
    Case("schon mal einen schwanz gesehen?", .sexual, language: "de"),
  ]

  static let germanEvidence: [Case] = [
    Case("schon im bett?", .riskCheck, language: "de"),
    Case("hast du eine cam?", .imageRequest, language: "de"),
    Case("hast du bilder?", .imageRequest, language: "de"),
    Case("willst du ein bild von mir?", .imageRequest, language: "de"),
    Case("kann ich dich anrufen", .platformSwitch, language: "de"),
    Case("bh größe?", .sexual, language: "de"),
    Case("schon nen freund?", .sexual, language: "de"),
    Case("alter ist nur eine zahl", .ageProbe, language: "de"),
    Case("ich könnte ärger bekommen weil ich mit dir schreibe", .secrecy, language: "de"),
    Case("du bist so niedlich", .flattery, language: "de"),
  ]

  static let germanTwins: [Case] = [
    Case("de", "ich bin heute allein zuhause"),
    Case("de", "ich bin schon im bett"),
    Case("de", "hast du bilder vom urlaub?"),
    Case("de", "alter spielt beim schach keine rolle"),
    Case("de", "du bist schon da"),
    Case("de", "kevin allein zu haus ist ein toller film"),
    Case("de", "meine eltern sind zuhause"),
  ]

  /// The Spanish, French, Italian and Portuguese packs' short forms.
  static let romanceActsAlone: [Case] = [
    Case("sola en casa?", .riskCheck, language: "es"),
    Case("todavía virgen?", .sexual, language: "es"),
    Case("seule à la maison?", .riskCheck, language: "fr"),
    Case("toujours vierge?", .sexual, language: "fr"),
    Case("sola a casa?", .riskCheck, language: "it"),
    Case("ancora vergine?", .sexual, language: "it"),
    Case("tá sozinha?", .riskCheck, language: "pt"),
    Case("tá no teu quarto?", .riskCheck, language: "pt"),
  ]

  static let romanceEvidence: [Case] = [
    Case("tienes webcam?", .imageRequest, language: "es"),
    Case("quieres una foto mía?", .imageRequest, language: "es"),
    Case("puedo llamarte?", .platformSwitch, language: "es"),
    Case("ya en la cama?", .riskCheck, language: "es"),
    Case("la edad es solo un número", .ageProbe, language: "es"),
    Case("t'as une webcam?", .imageRequest, language: "fr"),
    Case("je peux t'appeler?", .platformSwitch, language: "fr"),
    Case("taille de soutif?", .sexual, language: "fr"),
    Case("l'âge c'est juste un chiffre", .ageProbe, language: "fr"),
    Case("hai la webcam?", .imageRequest, language: "it"),
    Case("già a letto?", .riskCheck, language: "it"),
    Case("sei troppo carina", .flattery, language: "it"),
    Case("tem fotos?", .imageRequest, language: "pt"),
    Case("posso te ligar?", .platformSwitch, language: "pt"),
    Case("idade não importa", .ageProbe, language: "pt"),
  ]

  static let romanceTwins: [Case] = [
    Case("es", "me quedo sola en casa hoy"),
    Case("es", "tienes fotos del viaje?"),
    Case("es", "la virgen de guadalupe"),
    Case("es", "ya estoy en la cama"),
    Case("es", "la edad no importa para aprender ajedrez"),
    Case("fr", "je suis toute seule à la maison"),
    Case("fr", "huile d'olive vierge extra"),
    Case("fr", "t'es bonne en maths"),
    Case("it", "sono da sola a casa"),
    Case("it", "olio extra vergine"),
    Case("pt", "tá só brincando"),
    Case("pt", "tem fotos da viagem?"),
    // "solo" is also "only", "le seul" the only one; a form's age and number of children.
    Case("es", "solo en casa puedo descansar"),
    Case("it", "lavoro solo a casa"),
    Case("fr", "je suis le seul à la maison ce soir"),
    Case("fr", "âge, nombre d'enfants"),
  ]

  @Test("acts alone, with no ages known", arguments: actsAlone + germanActsAlone + romanceActsAlone)
  func actsAloneFlags(_ c: Case) throws {
    let verdict = try c.verdict()
    #expect(verdict.flagged, "\(verdict.matches.map(\.rule))")
    #expect(verdict.categories.contains(c.category!))
  }

  @Test("a signal alone, acted on toward a child", arguments: evidence + germanEvidence + romanceEvidence)
  func evidenceActsTowardAChild(_ c: Case) throws {
    let alone = try c.verdict()
    #expect(!alone.flagged, "\(alone.matches.map(\.rule))")
    #expect(alone.categories.contains(c.category!))
    let towardChild = try c.verdict(Case.adultToChild)
    #expect(towardChild.flagged, "\(towardChild.matches.map(\.rule))")
  }

  @Test("the everyday sentence stays silent, even toward a child", arguments: twins + germanTwins + romanceTwins)
  func twinsSilent(_ c: Case) throws {
    let verdict = try c.verdict(Case.adultToChild)
    #expect(!verdict.flagged, "\(verdict.matches.map(\.rule))")
    #expect(verdict.categories.isEmpty, "\(verdict.matches.map(\.rule))")
  }

  /// A short form's exceptions ("ill leave u alone", "ich bin noch jungfrau") are its own: the
  /// full question in the same message still acts.
  static let fullQuestionBeside: [Case] = [
    Case("ill leave u alone. r u home alone tho?", .riskCheck, language: "en"),
    Case("is he still a virgin? have u had sex", .sexual, language: "en"),
    Case("ich bin noch jungfrau, hattest du schon mal sex?", .sexual, language: "de"),
    Case("ich bin allein zuhause, bist du auch allein?", .riskCheck, language: "de"),
  ]

  @Test("a short form's exception leaves the full question acting", arguments: fullQuestionBeside)
  func fullQuestionStillActs(_ c: Case) throws {
    let verdict = try c.verdict()
    #expect(verdict.flagged, "\(verdict.matches.map(\.rule))")
    #expect(verdict.categories.contains(c.category!))
  }
}
