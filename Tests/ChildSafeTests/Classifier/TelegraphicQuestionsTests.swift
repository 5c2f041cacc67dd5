import Testing

@testable import ChildSafe

/// Chat drops the "are you" and "do you" of a question ("u alone?", "ur parents home?", "got a
/// bf?", "cam2cam?"). Each dropped form belongs to the family of its full question and acts as
/// that family does: alone, or only toward a known minor. The everyday sentences that share their
/// words stay silent, even toward a child.
@Suite("Questions without their verb (en)")
struct TelegraphicQuestionsTests {
  typealias Case = PhraseCase

  /// Families that act on one message whoever sends it: checking who is watching, the reader's
  /// sexual experience, a webcam session.
  static let actsAlone: [Case] = [
    Case("u alone?", .riskCheck, language: "en"),
    Case("ur parents home?", .riskCheck, language: "en"),
    Case("ur mom still up?", .riskCheck, language: "en"),
    Case("still a virgin?", .sexual, language: "en"),
    Case("cam2cam?", .imageRequest, language: "en"),
  ]

  /// Families that are evidence between adults and act toward a known minor.
  static let evidence: [Case] = [
    Case("got a bf?", .sexual, language: "en"),
    Case("got any pics?", .imageRequest, language: "en"),
    Case("u got a webcam?", .imageRequest, language: "en"),
    Case("wearing anything under?", .sexual, language: "en"),
    Case("age doesnt matter to me", .ageProbe, language: "en"),
    Case("i wont tell if u dont", .secrecy, language: "en"),
  ]

  static let twins: [Case] = [
    Case("en", "ill leave u alone now"),
    Case("en", "she got a bf last week"),
    Case("en", "got any pics of the puppy?"),
    Case("en", "age doesnt matter in chess"),
    Case("en", "the forest is still a virgin forest"),
    Case("en", "ur mom home-made pie was great"),
    Case("en", "i wont tell if u dont want me to"),
  ]

  @Test("acts alone, with no ages known", arguments: actsAlone)
  func actsAloneFlags(_ c: Case) throws {
    let verdict = try c.verdict()
    #expect(verdict.flagged, "\(verdict.matches.map(\.rule))")
    #expect(verdict.categories.contains(c.category!))
  }

  @Test("a signal alone, acted on toward a child", arguments: evidence)
  func evidenceActsTowardAChild(_ c: Case) throws {
    let alone = try c.verdict()
    #expect(!alone.flagged, "\(alone.matches.map(\.rule))")
    #expect(alone.categories.contains(c.category!))
    let towardChild = try c.verdict(Case.adultToChild)
    #expect(towardChild.flagged, "\(towardChild.matches.map(\.rule))")
  }

  @Test("the everyday sentence stays silent, even toward a child", arguments: twins)
  func twinsSilent(_ c: Case) throws {
    let verdict = try c.verdict(Case.adultToChild)
    #expect(!verdict.flagged, "\(verdict.matches.map(\.rule))")
    #expect(verdict.categories.isEmpty, "\(verdict.matches.map(\.rule))")
  }
}
