import Testing

@testable import ChildSafe

/// The German pack's practicalities (`de.meeting.reise`, `de.info.tagesablauf`,
/// `de.coercion.aufmerksamkeit`, `de.secrecy.erwischen`), euphemisms (`de.sexual.andeutung`) and
/// fear of a sting (`de.secrecy.polizei`), as the English pack's: evidence that acts toward a known
/// minor, with everyday twins that share its words; and threats to pass on the reader's pictures,
/// which act alone. Written by hand.
@Suite("German practicalities")
struct GermanFamiliesTests {
  /// A German phrase about one tactic.
  static func de(_ text: String, _ category: Category) -> PhraseCase { PhraseCase(text, category, language: "de") }

  static let evidence: [PhraseCase] = [
    de("wo soll ich parken", .meeting),
    de("ich hab uns ein Hotelzimmer", .meeting),
    de("wie lange kannst du wegbleiben", .meeting),
    de("was hast du heute vor", .personalInfo),
    de("wie kommst du nach hause", .personalInfo),
    de("ist der computer in deinem zimmer", .personalInfo),
    de("warum antwortest du mir nicht", .coercion),
    de("schreib nicht mit anderen jungs", .coercion),
    de("deine mutter könnte uns erwischen", .secrecy),
    de("versteck dein handy", .secrecy),
    de("du bist doch kein Bulle oder", .secrecy),
    de("ist das eine Falle", .secrecy),
    de("die würden mich einsperren", .secrecy),
    de("willst du mit mir rummachen", .sexual),
    de("hat dich schon mal ein Junge da unten angefasst", .sexual),
    de("ich würde dir eine Massage geben", .sexual),
    de("wir könnten zusammen im Bett liegen", .sexual),
    de("du machst mich ganz heiß", .sexual),
    de("kannst du die Schule schwänzen", .personalInfo),
    de("was für ein Auto fährt deine Mutter", .personalInfo),
    de("ich müsste 3 Stunden fahren um dich zu sehen", .meeting),
    de("dann rede ich nicht mehr mit dir", .coercion),
  ]

  static let actsAlone: [PhraseCase] = [
    de("ich schick deine Bilder an deine Freunde", .coercion),
    de("ich zeig deiner Mutter deine Bilder", .coercion),
  ]

  static let twins: [PhraseCase] = [
    de("wo soll ich parken beim Zahnarzt", .meeting),
    de("was machst du heute", .personalInfo),
    de("warum antwortest du nicht auf die Mail vom Chef", .coercion),
    de("wir müssen vorsichtig sein wegen Glatteis", .secrecy),
    de("mein Vater ist Polizist", .secrecy),
    de("ist das eine Falle im Spiel", .secrecy),
    de("er kam ins Gefängnis wegen Betrug", .secrecy),
    de("die beiden haben auf der Party rumgemacht", .sexual),
    de("die Physio massiert mir den Rücken", .sexual),
    de("ich hoffe dass du dich bald besser fühlst", .sexual),
    de("die Sonne macht mich ganz heiß", .sexual),
    de("ich zeige deiner Mutter die Fotos von der Hochzeit", .coercion),
    de("ich bin 3 Stunden gefahren um Oma zu sehen", .meeting),
    de("andere Mädchen in der Klasse machen das auch", .coercion),
  ]

  @Test("a signal alone, acted on toward a child", arguments: evidence)
  func evidenceActsTowardAChild(_ c: PhraseCase) throws {
    try c.expectEvidence(try #require(c.category))
  }

  @Test("acts alone and toward a child", arguments: actsAlone)
  func actsAloneFlags(_ c: PhraseCase) throws {
    try c.expectActsAlone(try #require(c.category))
  }

  @Test("the everyday twin gives no such signal, even toward a child", arguments: twins)
  func twinsStaySilent(_ c: PhraseCase) throws {
    try c.expectNoSignal(try #require(c.category))
  }
}
