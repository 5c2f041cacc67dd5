import Testing

@testable import ChildSafe

/// The default packs beyond English: explicit sexual messages flag on their own, while the
/// everyday senses of the same words, greetings and politeness formulas stay silent.
/// Content warning: explicit language, kept because detection needs it.
@Suite("Explicit language and benign twins (de, fr, es, it, pt)")
struct ExplicitLanguagesTests {
  typealias Case = PhraseCase


  static let explicit: [Case] = [
    Case("de", "ich will dich ficken"),
    Case("de", "zeig mir deine titten"),
    Case("de", "mein schwanz ist so hart"),
    Case("de", "bist du schon feucht für mich"),
    Case("de", "zieh dich aus"),
    Case("fr", "je veux te sucer"),
    Case("fr", "je veux lécher ta chatte"),
    Case("fr", "tu mouilles ?"),
    Case("fr", "déshabille toi"),
    Case("es", "quiero chuparte toda"),
    Case("es", "mándame foto de tus tetas"),
    Case("es", "me pones muy caliente"),
    Case("es", "desnúdate para mí"),
    Case("it", "voglio scoparti"),
    Case("it", "mandami foto delle tue tette"),
    Case("it", "sei bagnata per me?"),
    Case("it", "spogliati"),
    Case("pt", "quero te chupar toda"),
    Case("pt", "manda foto dos seus peitos"),
    Case("pt", "meu pau tá duro"),
    Case("pt", "fica pelada pra mim"),
  ]

  @Test("explicit messages flag alone, with no ages known", arguments: explicit)
  func explicitFlags(_ c: Case) throws {
    let verdict = try c.verdict()
    #expect(verdict.flagged, "\(verdict.matches.map(\.rule))")
    #expect(verdict.categories.contains(.sexual))
  }

  // Each twin shares a word with an explicit rule: a tail, cool, a she-cat, a kiss, excitement,
  // rain, hot weather, sweeping, a kickabout, a swear.
  static let everydaySenses: [Case] = [
    Case("de", "der hund wedelt mit dem schwanz"),
    Case("de", "das spiel war echt geil"),
    Case("de", "ich bin ganz nass vom regen"),
    Case("de", "ich werde hart arbeiten"),
    Case("fr", "ma chatte est mignonne"),
    Case("fr", "je t'envoie un gros baiser"),
    Case("fr", "je suis tellement excité pour demain"),
    Case("es", "hace mucho calor, estoy caliente"),
    Case("es", "voy a coger el autobús"),
    Case("es", "me vale verga"),
    Case("it", "che cazzo dici"),
    Case("it", "il tuo cazzo di telefono"),
    Case("it", "quella ragazza è figa"),
    Case("it", "devo scopare la cucina"),
    Case("it", "sono così eccitata per il viaggio"),
    Case("pt", "vamos jogar uma pelada amanhã"),
    Case("pt", "o pau da bandeira quebrou"),
    Case("pt", "quero gozar as férias"),
    Case("pt", "vamos comer pizza"),
  ]

  @Test("everyday senses of ambiguous words are not sexual", arguments: everydaySenses)
  func everydaySensesStaySilent(_ c: Case) throws {
    let verdict = try c.verdict(MessageContext(senderAge: 30, recipientAge: 12))
    #expect(!verdict.categories.contains(.sexual), "\(verdict.matches.map(\.rule))")
    #expect(!verdict.flagged)
  }

  static let greetings: [Case] = [
    Case("de", "Schön, Sie zu treffen"),
    Case("de", "schön dich kennenzulernen"),
    Case("fr", "ravi de te voir"),
    Case("es", "¡Nos vemos mañana!"),
    Case("es", "mucho gusto en conocerte"),
    Case("it", "ci vediamo domani!"),
    Case("it", "piacere di conoscerti"),
    Case("pt", "prazer em te conhecer"),
    Case("pt", "vamos ver o filme"),
  ]

  @Test("greetings and politeness formulas are not meeting plans", arguments: greetings)
  func greetingsAreNotMeetings(_ c: Case) throws {
    let verdict = try c.verdict(MessageContext(senderAge: 30, recipientAge: 12))
    #expect(verdict.matches.map(\.rule) == [])
  }

  @Test(
    "a meeting plan is still read",
    arguments: [
      Case("de", "wann treffen wir uns"), Case("fr", "on se voit ce soir ?"), Case("es", "nos vemos a solas"),
      Case("it", "ci vediamo da soli"), Case("pt", "vamos nos encontrar amanhã"),
    ])
  func meetingPlansStillRead(_ c: Case) throws {
    #expect(try c.verdict().categories.contains(.meeting))
  }

  @Test(
    "a number alone is not a gift, money is",
    arguments: [
      (Case("de", "ich bin 18"), Case("de", "ich schenke dir 50 euro")),
      (Case("de", "ich habe 640 MB RAM"), Case("de", "ich kaufe dir robux")),
      (Case("fr", "je te donne 5 minutes"), Case("fr", "je te donne 20 euros")),
      (Case("es", "te doy 3 ideas"), Case("es", "te doy 20 euros")),
      (Case("it", "ti do 2 minuti"), Case("it", "ti do 20 euro")),
      (Case("pt", "te dou 2 minutos"), Case("pt", "te dou 50 reais")),
    ])
  func numbersAreNotGifts(_ pair: (number: Case, money: Case)) throws {
    #expect(try !pair.number.verdict().categories.contains(.gifts))
    #expect(try pair.money.verdict().categories.contains(.gifts))
  }

  @Test(
    "\"between us\" is secrecy only when something is kept there",
    arguments: [
      (Case("de", "zwischen uns ist alles gut"), Case("de", "das bleibt unter uns")),
      (Case("fr", "la différence entre nous est énorme"), Case("fr", "que ça reste entre nous")),
      (Case("es", "la diferencia entre nosotros es grande"), Case("es", "esto queda entre tú y yo")),
      (Case("it", "la distanza tra noi è grande"), Case("it", "resta tra noi")),
      (Case("pt", "a diferença entre nós é grande"), Case("pt", "isso é segredo entre a gente")),
    ])
  func betweenUs(_ pair: (plain: Case, secret: Case)) throws {
    #expect(try !pair.plain.verdict().categories.contains(.secrecy))
    #expect(try pair.secret.verdict().categories.contains(.secrecy))
  }

  @Test(
    "romance is evidence: it flags toward a known minor, not between adults",
    arguments: [
      Case("de", "hast du einen freund?"), Case("fr", "tu as un copain ?"), Case("es", "¿tienes novio?"),
      Case("it", "hai il ragazzo?"), Case("pt", "tem namorado?"),
    ])
  func romanceIsEvidence(_ c: Case) throws {
    let plain = try c.verdict()
    #expect(plain.categories.contains(.sexual) && !plain.flagged)
    #expect(try c.verdict(MessageContext(senderAge: 30, recipientAge: 12)).flagged)
  }

  @Test(
    "a polite \"do you have 5 minutes?\" is no deadline, a demand with a time limit is",
    arguments: [
      (Case("de", "du hast noch 5 minuten bis der bus kommt"), Case("de", "du hast 10 minuten oder ich poste alles")),
      (Case("es", "¿tienes 5 minutos?"), Case("es", "tienes 10 minutos para mandarme la foto")),
      (Case("it", "hai 5 minuti per parlare?"), Case("it", "hai 10 minuti per mandarmi la foto")),
      (Case("pt", "você tem 5 minutos?"), Case("pt", "você tem 10 minutos pra mandar a foto")),
    ])
  func deadlines(_ pair: (polite: Case, demand: Case)) throws {
    #expect(try !pair.polite.verdict().categories.contains(.coercion))
    #expect(try pair.demand.verdict().categories.contains(.coercion))
  }

  @Test(
    "\"are you there?\" and \"only\" are not supervision checks",
    arguments: [
      (Case("fr", "tes là?"), Case("fr", "tes parents sont là ?")),
      (Case("it", "sei solo un amico"), Case("it", "sei sola a casa?")),
    ])
  func supervision(_ pair: (plain: Case, check: Case)) throws {
    #expect(try !pair.plain.verdict().categories.contains(.riskCheck))
    #expect(try pair.check.verdict().categories.contains(.riskCheck))
  }
}
