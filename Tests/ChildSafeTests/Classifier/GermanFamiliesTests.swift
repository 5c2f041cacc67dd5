import Testing

@testable import ChildSafe

/// The German pack's practicalities (`de.meeting.reise`, `de.info.tagesablauf`,
/// `de.coercion.aufmerksamkeit`, `de.secrecy.erwischen`), as the English pack's: evidence that
/// acts toward a known minor, with everyday twins that share its words. Written by hand.
@Suite("German practicalities")
struct GermanFamiliesTests {
  struct Case: CustomTestStringConvertible, Sendable {
    let text: String
    let category: Category
    init(_ text: String, _ category: Category) {
      self.text = text
      self.category = category
    }
    var testDescription: String { "\(category): \(text)" }
  }

  static let engine = ClassifierEngine.defaults
  static let german = MessageContext(language: "de")
  static let adultToChild = MessageContext(senderAge: 35, recipientAge: 13, language: "de")

  static let evidence: [Case] = [
    Case("wo soll ich parken", .meeting),
    Case("ich hab uns ein Hotelzimmer", .meeting),
    Case("wie lange kannst du wegbleiben", .meeting),
    Case("was hast du heute vor", .personalInfo),
    Case("wie kommst du nach hause", .personalInfo),
    Case("ist der computer in deinem zimmer", .personalInfo),
    Case("warum antwortest du mir nicht", .coercion),
    Case("schreib nicht mit anderen jungs", .coercion),
    Case("deine mutter könnte uns erwischen", .secrecy),
    Case("versteck dein handy", .secrecy),
  ]

  static let twins: [Case] = [
    Case("wo soll ich parken beim Zahnarzt", .meeting),
    Case("was machst du heute", .personalInfo),
    Case("warum antwortest du nicht auf die Mail vom Chef", .coercion),
    Case("wir müssen vorsichtig sein wegen Glatteis", .secrecy),
  ]

  @Test("a signal alone, acted on toward a child", arguments: evidence)
  func evidenceActsTowardAChild(_ c: Case) throws {
    let alone = try Self.engine.classify(c.text, context: Self.german)
    #expect(!alone.flagged && alone.categories.contains(c.category), "\(alone.matches.map(\.rule))")
    #expect(try Self.engine.classify(c.text, context: Self.adultToChild).flagged)
  }

  @Test("the everyday twin gives no such signal, even toward a child", arguments: twins)
  func twinsStaySilent(_ c: Case) throws {
    let verdict = try Self.engine.classify(c.text, context: Self.adultToChild)
    #expect(!verdict.categories.contains(c.category), "\(verdict.matches.map(\.rule))")
  }
}
