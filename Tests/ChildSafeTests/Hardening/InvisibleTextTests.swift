import Testing

@testable import ChildSafe

/// Messages made only of separators or zero-width characters: nothing to match, no verdict, and the
/// whole classifier (normaliser and matcher) does flat work per character. The normaliser's own
/// per-shape costs are in Normalization/HostileInputTests.swift; this checks the engine end to end.
@Suite("Hardening: invisible and separator-only text")
struct InvisibleTextTests {
  static let units = [
    "\u{200B}\u{200C}\u{200D}\u{2060}\u{FEFF}",  // zero-width
    " .-_*~,;:!?/\\|",  // separators
    "\u{00A0}\u{2003}\u{3000}\t\r\n",  // other spaces and line breaks
    "s\u{200B}e\u{200B}c\u{200B}r\u{200B}e\u{200B}t\u{200B} ",  // a word hidden between zero-widths
    "\u{0301}\u{0302}.\u{0303} ",  // marks on separators
  ]

  @Test(arguments: units)
  func engineWorkPerCharacterIsFlat(_ unit: String) throws {
    let engine = ClassifierEngine.defaults
    func cost(_ repeats: Int) throws -> Double {
      var text = String(repeating: unit, count: repeats)
      let normalizing = text.withUTF8 { engine.normalizer.normalizeCounting($0).cost }
      let matching = try engine.matchingSteps(text)
      return Double(normalizing + matching) / Double(repeats)
    }
    let small = try cost(2_000)
    let large = try cost(40_000)
    #expect(large <= small * 1.25 + 8, "work per unit \(small) at 2k units, \(large) at 40k")
  }

  @Test func onlyInvisibleCharactersGiveNoVerdict() throws {
    // Just under the 1 MiB message limit: 3-byte zero-width characters.
    let text = String(repeating: "\u{200B}\u{2060}", count: 170_000)
    let verdict = try ClassifierEngine.defaults.classify(text)
    #expect(verdict.matches.isEmpty && !verdict.flagged && verdict.score == 0)
    #expect(try Normalizer().normalize(text).tokens.isEmpty)
  }

  @Test func onlySeparatorsGiveNoVerdict() throws {
    let text = String(repeating: " .,;:!?-_ ", count: 100_000)
    let verdict = try ClassifierEngine.defaults.classify(text)
    #expect(verdict.matches.isEmpty && !verdict.flagged)
  }

  @Test func overTheLimitIsRefusedClearly() {
    let text = String(repeating: "\u{200B}", count: 400_000)  // 1.2 MB
    #expect {
      try ClassifierEngine.defaults.classify(text)
    } throws: { error in
      (error as? ChildSafeError)?.code == .inputTooLarge
    }
  }
}
