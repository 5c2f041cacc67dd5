import Testing

@testable import ChildSafe

/// The German pack's practicalities (`de.meeting.reise`, `de.info.tagesablauf`,
/// `de.coercion.aufmerksamkeit`, `de.secrecy.erwischen`), as the English pack's: evidence that
/// acts toward a known minor, with everyday twins that share its words. Written by hand.
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
  ]

  static let twins: [PhraseCase] = [
    de("wo soll ich parken beim Zahnarzt", .meeting),
    de("was machst du heute", .personalInfo),
    de("warum antwortest du nicht auf die Mail vom Chef", .coercion),
    de("wir müssen vorsichtig sein wegen Glatteis", .secrecy),
  ]

  @Test("a signal alone, acted on toward a child", arguments: evidence)
  func evidenceActsTowardAChild(_ c: PhraseCase) throws {
    try c.expectEvidence(try #require(c.category))
  }

  @Test("the everyday twin gives no such signal, even toward a child", arguments: twins)
  func twinsStaySilent(_ c: PhraseCase) throws {
    try c.expectNoSignal(try #require(c.category))
  }
}
