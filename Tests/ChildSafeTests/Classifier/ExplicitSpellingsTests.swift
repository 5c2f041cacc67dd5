import Testing

@testable import ChildSafe

/// Chat spellings of explicit terms (misspelt, glued, rarer acts) from the English lexicons: aimed
/// at the reader they flag alone, like the dictionary spellings; the everyday words they resemble
/// stay silent. Content warning: explicit language, kept because detection needs it.
@Suite("Explicit chat spellings (en)")
struct ExplicitSpellingsTests {
  typealias Case = PhraseCase

  static let explicit: [Case] = [
    Case("en", "have u ever tried to masterbate"),
    Case("en", "do you like masterbating"),
    Case("en", "i want to jerkoff with you"),
    Case("en", "have you ever tried fisting"),
    Case("en", "do you like phonesex"),
    Case("en", "ever had an orgasim?"),
    Case("en", "i wanna titfuck you"),
    Case("en", "show me your clits"),
    Case("en", "touch my stiffy"),
    Case("en", "i love your titty"),
    // Chat drops the "you" of a question about the reader's experience.
    Case("en", "ever seen a dick?"),
    Case("en", "ever sucked a dick"),
  ]

  @Test("aimed at the reader, they flag with no ages known", arguments: explicit)
  func explicitFlags(_ c: Case) throws {
    let verdict = try c.verdict()
    #expect(verdict.flagged, "\(verdict.matches.map(\.rule))")
    #expect(verdict.categories.contains(.sexual))
  }

  // Each twin shares letters or a stem with one of the spellings above.
  static let twins: [Case] = [
    Case("en", "give me a fist bump"),
    Case("en", "my neck is so stiff today"),
    Case("en", "the master bathroom is upstairs"),
    Case("en", "he is such a jerk, turn it off"),
    Case("en", "tit for tat"),
    Case("en", "the phone is off, text me later"),
    Case("en", "ever touched the balls in football?"),
    Case("en", "ever seen a cock fight"),
  ]

  @Test("the everyday words they resemble stay silent, even toward a child", arguments: twins)
  func twinsSilent(_ c: Case) throws {
    let verdict = try c.verdict(Case.adultToChild)
    #expect(!verdict.categories.contains(.sexual), "\(verdict.matches.map(\.rule))")
    #expect(!verdict.flagged)
  }
}
