import Testing

@testable import ChildSafe

/// docs/rules.md, "What acts alone", in the German, Spanish, French, Italian and Portuguese packs:
/// explicit words aimed at the reader act on one message whatever the ages; the sender's own acts,
/// wishes or state (`<lang>.sexual.explicit_self`, 0.45) and questions about clothing are evidence,
/// as in the English pack: reported, and acted on toward a known minor.
/// Content warning: explicit language, kept because detection needs it.
@Suite("Sender's own state and clothing questions are evidence (de, es, fr, it, pt)")
struct SenderSelfEvidenceTests {
  typealias Case = PhraseCase

  static let adultToChild = MessageContext(senderAge: 35, recipientAge: 13)

  /// The sender speaks of himself: arousal, his own acts, his wishes.
  static let senderOwn: [Case] = [
    Case("de", "ich bin so geil"),
    Case("de", "ich bin so hart"),
    Case("de", "ich hab vorhin einen runtergeholt"),
    Case("es", "estoy muy cachondo"),
    Case("es", "me masturbo cada noche"),
    Case("fr", "je bande"),
    Case("fr", "je suis excité"),
    Case("fr", "je me masturbe le soir"),
    Case("it", "sono eccitato"),
    Case("it", "ce l ho duro"),
    Case("it", "mi masturbo spesso"),
    Case("pt", "tô com tesão"),
    Case("pt", "estou excitado"),
    Case("pt", "eu me masturbo"),
  ]

  /// The sender touching himself, or offering a picture of himself: his own act, not a request.
  static let senderOwnActs: [(own: Case, asked: Case)] = [
    (Case("de", "ich fass mich an"), Case("de", "fass mich an")),
    (Case("es", "quiero tocarme"), Case("es", "quieres tocarme")),
    (Case("de", "ich schick dir gleich ein bild von mir"), Case("de", "schick mir ein foto")),
    (Case("fr", "je t'envoie une photo de moi"), Case("fr", "envoie moi une photo")),
  ]

  /// The same words aimed at the reader: the reader is the cause, is asked, or is proposed to.
  static let aimedAtReader: [Case] = [
    Case("de", "bist du geil?"),
    Case("de", "ich bin so hart wegen dir"),
    Case("de", "willst du sex haben"),
    Case("es", "estoy cachondo por ti"),
    Case("es", "quieres tener sexo conmigo"),
    Case("fr", "je bande pour toi"),
    Case("fr", "tu veux faire l amour"),
    Case("it", "sono eccitato per te"),
    Case("it", "vuoi fare sesso"),
    Case("pt", "tô com tesão por você"),
    Case("pt", "quer transar comigo"),
  ]

  /// "What are you wearing" in each language: ordinary between adults, as `en.sexual.wearing`.
  static let clothingQuestions: [Case] = [
    Case("de", "was trägst du gerade"),
    Case("es", "qué llevas puesto"),
    Case("fr", "tu portes quoi"),
    Case("it", "cosa indossi adesso"),
    Case("pt", "que roupa você está usando"),
  ]

  /// Underwear or nakedness asked of the reader still acts alone.
  static let intimateAtReader: [Case] = [
    Case("de", "zeig mir deine unterwäsche"),
    Case("es", "desnúdate para mí"),
    Case("fr", "montre moi ta culotte"),
    Case("it", "spogliati"),
    Case("pt", "fica pelada pra mim"),
  ]

  @Test("the sender's own state is reported but does not flag with no ages", arguments: senderOwn)
  func senderOwnIsEvidence(_ c: Case) throws {
    let verdict = try c.verdict()
    #expect(verdict.categories == [.sexual], "\(verdict.matches.map(\.rule))")
    #expect(!verdict.flagged, "\(verdict.matches.map(\.rule))")
    #expect(verdict.matches.contains { $0.rule.hasPrefix("\(c.language ?? "").sexual.explicit_self") })
  }

  @Test("the sender's own state flags toward a known minor", arguments: senderOwn)
  func senderOwnActsTowardAMinor(_ c: Case) throws {
    #expect(try c.verdict(Self.adultToChild).flagged)
  }

  @Test("the sender's own act or offer is evidence; asked of the reader it acts", arguments: senderOwnActs)
  func senderOwnActIsEvidence(_ pair: (own: Case, asked: Case)) throws {
    let own = try pair.own.verdict()
    #expect(!own.flagged && !own.categories.isEmpty, "\(own.matches.map(\.rule))")
    #expect(try pair.own.verdict(Self.adultToChild).flagged)
    #expect(try pair.asked.verdict().flagged)
  }

  @Test("the same words aimed at the reader flag alone", arguments: aimedAtReader)
  func aimedAtReaderActsAlone(_ c: Case) throws {
    let verdict = try c.verdict()
    #expect(verdict.flagged, "\(verdict.matches.map(\.rule))")
    #expect(verdict.categories.contains(.sexual))
  }

  @Test("a clothing question is evidence: reported, flagged only toward a known minor", arguments: clothingQuestions)
  func clothingQuestionIsEvidence(_ c: Case) throws {
    let alone = try c.verdict()
    #expect(alone.categories == [.sexual], "\(alone.matches.map(\.rule))")
    #expect(!alone.flagged)
    #expect(try c.verdict(Self.adultToChild).flagged)
  }

  @Test("underwear or nakedness asked of the reader still flags alone", arguments: intimateAtReader)
  func intimateAtReaderActsAlone(_ c: Case) throws {
    #expect(try c.verdict().flagged)
  }

  @Test(
    "everyday excitement and hard work are not the sender's arousal",
    arguments: [
      Case("de", "ich bin so geil auf das neue spiel"),
      Case("de", "ich bin hart im nehmen"),
      Case("es", "estoy caliente, hace mucho calor"),
      Case("fr", "je suis tellement excité pour demain"),
      Case("it", "sono eccitato per la partita"),
      Case("pt", "estou excitado com a viagem"),
    ])
  func everydayStatesStaySilent(_ c: Case) throws {
    let verdict = try c.verdict(Self.adultToChild)
    #expect(!verdict.categories.contains(.sexual), "\(verdict.matches.map(\.rule))")
  }
}
