import Testing

@testable import ChildSafe

/// Affection and promises of a bond in the German, Spanish, French, Italian and Portuguese packs
/// (`*.flattery.zuneigung`, `afecto`, `affection`, `affetto`, `afeto`): evidence that acts only
/// toward a known minor and never between peers, as `en.flattery.affection` and `bond` do; each
/// with everyday twins that share its words. Pet names alone are left to English (docs/quality.md,
/// "Fifth round"). Written by hand, not taken from any corpus.
@Suite("Affection in the other packs")
struct AffectionFamiliesTests {
  typealias Case = PhraseCase

  static let evidence: [Case] = [
    Case("de", "ich vermisse dich so sehr"),
    Case("de", "ich würde dir nie wehtun"),
    Case("de", "du kannst mir vertrauen"),
    Case("es", "te extraño mucho"),
    Case("es", "nunca te haría daño"),
    Case("es", "puedes confiar en mí"),
    Case("fr", "tu me manques"),
    Case("fr", "je ne te ferai jamais de mal"),
    Case("fr", "tu peux me faire confiance"),
    Case("it", "mi manchi"),
    Case("it", "non ti farei mai del male"),
    Case("it", "puoi fidarti di me"),
    Case("pt", "sinto sua falta"),
    Case("pt", "nunca te machucaria"),
    Case("pt", "pode confiar em mim"),
  ]

  static let twins: [Case] = [
    Case("de", "hallo Süße, wie war dein Tag"),
    Case("de", "ich vermisse den Sommer"),
    Case("de", "Oma vermisst dich"),
    Case("es", "extraño el verano"),
    Case("es", "la abuela te echa de menos"),
    Case("fr", "le soleil me manque"),
    Case("fr", "mamie dit que tu lui manques"),
    Case("it", "mi manca l'estate"),
    Case("it", "la nonna dice che le manchi"),
    Case("pt", "sinto falta do verão"),
    Case("pt", "a vovó sente sua falta"),
  ]

  @Test("a signal alone, acted on toward a child, silent between peers", arguments: evidence)
  func evidenceActsTowardAChild(_ c: Case) throws {
    try c.expectEvidence(.flattery)
    #expect(try !c.verdict(MessageContext(senderAge: 14, recipientAge: 13)).categories.contains(.flattery))
  }

  @Test("the everyday twin gives no such signal, even toward a child", arguments: twins)
  func twinsStaySilent(_ c: Case) throws {
    try c.expectNoSignal(.flattery)
  }
}
