import Testing

@testable import ChildSafe

/// The Spanish, French, Italian and Portuguese packs' euphemisms and fear of a sting (evidence that
/// acts toward a known minor) and their threats to pass on the reader's own pictures (acted on
/// alone), as the English and German packs'; each with everyday twins that share its words. Also
/// the German and French image-request rules reading the sender's own sending as no request.
/// Written by hand.
@Suite("Euphemisms, stings and picture threats in four packs")
struct StingAndEuphemismFamiliesTests {
  static let evidence: [PhraseCase] = [
    PhraseCase("no eres policía verdad", .secrecy, language: "es"),
    PhraseCase("esto es una trampa", .secrecy, language: "es"),
    PhraseCase("te daría un masaje", .sexual, language: "es"),
    PhraseCase("podríamos estar juntos en la cama", .sexual, language: "es"),
    PhraseCase("t'es pas un flic hein", .secrecy, language: "fr"),
    PhraseCase("j'irais en prison", .secrecy, language: "fr"),
    PhraseCase("je te ferais un massage", .sexual, language: "fr"),
    PhraseCase("je te toucherais là en bas", .sexual, language: "fr"),
    PhraseCase("non sei un poliziotto vero", .secrecy, language: "it"),
    PhraseCase("finirei in prigione", .secrecy, language: "it"),
    PhraseCase("ti farei un massaggio", .sexual, language: "it"),
    PhraseCase("potremmo stare a letto insieme", .sexual, language: "it"),
    PhraseCase("você não é policial né", .secrecy, language: "pt"),
    PhraseCase("eu iria preso", .secrecy, language: "pt"),
    PhraseCase("eu te faria uma massagem", .sexual, language: "pt"),
    PhraseCase("a gente podia ficar na cama juntos", .sexual, language: "pt"),
  ]

  static let actsAlone: [PhraseCase] = [
    PhraseCase("les mando tus fotos a tus amigos", .coercion, language: "es"),
    PhraseCase("j'envoie tes photos à tes amis", .coercion, language: "fr"),
    PhraseCase("mando le tue foto ai tuoi amici", .coercion, language: "it"),
    PhraseCase("faccio vedere le tue foto a tua madre", .coercion, language: "it"),
    PhraseCase("vou mostrar suas fotos pra sua mãe", .coercion, language: "pt"),
  ]

  static let twins: [PhraseCase] = [
    PhraseCase("mi padre es policía", .secrecy, language: "es"),
    PhraseCase("es una trampa del juego jaja", .secrecy, language: "es"),
    PhraseCase("me meterían un gol seguro", .secrecy, language: "es"),
    PhraseCase("fui al spa y me dieron un masaje", .sexual, language: "es"),
    PhraseCase("voy a hacerte sentir bien con una sopa", .sexual, language: "es"),
    PhraseCase("mon père est policier", .secrecy, language: "fr"),
    PhraseCase("c'est un piège dans le jeu", .secrecy, language: "fr"),
    PhraseCase("le soleil me rend tout chaud", .sexual, language: "fr"),
    PhraseCase("mio padre è un poliziotto", .secrecy, language: "it"),
    PhraseCase("il gatto dorme con me nel letto", .sexual, language: "it"),
    PhraseCase("mando le foto della gita a tutti", .coercion, language: "it"),
    PhraseCase("meu pai é policial", .secrecy, language: "pt"),
    PhraseCase("ele ia preso se não pagasse a multa", .secrecy, language: "pt"),
    PhraseCase("vou mandar as fotos da viagem pra sua mãe", .coercion, language: "pt"),
    PhraseCase("le enseño las fotos de la boda a tu madre", .coercion, language: "es"),
    PhraseCase("le mando las cosas mañana", .coercion, language: "es"),
  ]

  /// What the sender says he does with pictures is no request for them: at most evidence.
  static let notRequests: [PhraseCase] = [
    PhraseCase("ich schicke deine Bilder an die Druckerei", .imageRequest, language: "de"),
    PhraseCase("je montre les photos du mariage à ta mère", .imageRequest, language: "fr"),
  ]

  @Test("a signal alone, acted on toward a child", arguments: evidence)
  func evidenceActsTowardAChild(_ c: PhraseCase) throws {
    try c.expectEvidence(try #require(c.category))
  }

  @Test("acts alone and toward a child", arguments: actsAlone)
  func actsAloneFlags(_ c: PhraseCase) throws {
    try c.expectActsAlone(try #require(c.category))
  }

  @Test("saying what one does with pictures does not act alone", arguments: notRequests)
  func sendingIsNoRequest(_ c: PhraseCase) throws {
    let verdict = try c.verdict()
    #expect(!verdict.flagged, "\(verdict.ruleIDs)")
  }

  @Test("the everyday twin gives no such signal, even toward a child", arguments: twins)
  func twinsStaySilent(_ c: PhraseCase) throws {
    try c.expectNoSignal(try #require(c.category))
  }
}
