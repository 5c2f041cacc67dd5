import Testing

@testable import ChildSafe

/// Digit and symbol chunks that are short words with every letter replaced ("70" for "to", "!" for
/// "i") are read as words only beside leetspeak; ordinary numbers stay numbers.
@Suite("Normaliser: leetspeak in context")
struct LeetContextTests {
  /// A vocabulary like the default packs': short function words of several languages among others.
  static let lexicon = Lexicon.everyday.union(
    Lexicon([
      "to", "at", "is", "it", "so", "a", "i", "o", "e", "io", "te", "se", "si", "tas", "can", "come", "ur", "house",
      "needs", "know", "where", "home", "meet", "me", "got", "of", "us", "pay", "give", "and", "im", "top", "room",
      "mom", "still", "work", "day", "over", "old", "lunch", "tell", "regalo", "de", "s", "t", "ill", "ps5", "tonight",
    ]))

  static func normalized(_ text: String) throws -> String {
    try Normalizer(lexicon: lexicon).normalize(text).text
  }

  @Test(arguments: [
    ("n33d5 70 kn0w", "needs to know"),
    ("! c@n c0m3 70 ur h0u53", "i can come to ur house"),
    ("1 c4n c0m3", "i can come"),
    ("s7!ll 47 w0rk", "still at work"),
    ("l00k 4 d@y 0ver", "look a day over"),
    ("73 r3g@lo", "te regalo"),
    ("7'45 5n@p ?", "tas snap"),
    ("c@n ! g37 @ p!c", "can i get a pic"),
    // Two leet words elsewhere in the text make it leetspeak even where the neighbours cannot be
    // written in leet ("u", "lunch").
    ("!'ll 7ell u 47 lunch", "ill tell u at lunch"),
    // "6th" with its t written 7 stays a number, so grade conditions still see 6.
    ("ar3 u 1n 67h gr@d3", "are u in 6th grade"),
  ])
  func digitWordsReadAsWordsBesideLeetspeak(_ pair: (String, String)) throws {
    let result = try Self.normalized(pair.0)
    #expect(result == pair.1, "got \(result.debugDescription)")
  }

  @Test(arguments: [
    // No leetspeak around: numbers and punctuation as they are.
    ("i got 70 on the test", "i got 70 on the test"),
    ("meet at 5 lol", "meet at 5 lol"),
    ("wow ! so cool", "wow so cool"),
    ("im 13 and in 8th grade", "im 13 and in 8th grade"),
    ("top 10 and room 101", "top 10 and room 101"),
    ("come at 17h", "come at 17h"),
    // Ages (10 to 19) stay numbers even inside leetspeak.
    ("1'm 15 @nd u", "im 15 and u"),
    ("h0w 0ld, 17?", "how old 17"),
    // Numbers after numbers, before units and counts, amounts and times stay numbers.
    ("m33t m3 47 5pm", "meet me at 5pm"),
    ("m33t m3 @7 4 pm", "meet me at 4 pm"),
    ("2 0f u5", "2 of us"),
    ("g0t 50 r0bux", "got 50 robux"),
    ("p4y m3 $50 n0w", "pay me 50 now"),
    ("g1v3 m3 2 4 7h3m", "give me 2 4 them"),
    ("c0m3 47 5:30", "come at 5 30"),
    ("m0m g0t 4.5 7h3r3", "mom got 4 5 there"),
    // A consonant alone is no word: "5" stays 5, not "s".
    ("m33t m3 47 5 70n1gh7", "meet me at 5 tonight"),
    // Product names are not leetspeak evidence.
    ("ps5 50 lol", "ps5 50 lol"),
    // "17h" is five o'clock, not an ordinal; "1th" does not exist.
    ("c0m3 47 17h", "come at 17h"),
  ])
  func ordinaryNumbersStayNumbers(_ pair: (String, String)) throws {
    let result = try Self.normalized(pair.0)
    #expect(result == pair.1, "got \(result.debugDescription)")
  }

  @Test func readingsKeepTheirOriginalSpans() throws {
    let text = "! c@n c0m3 70 ur h0u53"
    let tokens = try Normalizer(lexicon: Self.lexicon).normalize(text).tokens
    let bytes = Array(text.utf8)
    let spans = tokens.map { String(decoding: bytes[$0.start..<$0.end], as: UTF8.self) }
    #expect(spans == ["!", "c@n", "c0m3", "70", "ur", "h0u53"])
    #expect(tokens.map(\.kind) == [.word, .word, .word, .word, .word, .word])
  }

  @Test func ageReadingKeepsNumberKind() throws {
    let tokens = try Normalizer(lexicon: Self.lexicon).normalize("ar3 u 1n 67h gr@d3").tokens
    #expect(tokens.first { $0.text == "6th" }?.kind == .number)
    let age = try Normalizer(lexicon: Self.lexicon).normalize("1'm 15 @nd u").tokens
    #expect(age.first { $0.text == "15" }?.kind == .number)
  }
}

/// The default packs on leetspeak: short words written in digits no longer break phrases, and ages
/// still satisfy age conditions.
@Suite("Classifier: leetspeak in context")
struct LeetContextClassifierTests {
  static func categories(_ text: String) throws -> Set<String> {
    Set(try ClassifierEngine.defaults.classify(text, context: MessageContext(language: "en")).categories.map(\.name))
  }

  @Test func phraseWithDigitWordMatches() throws {
    #expect(try Self.categories("1 c4n dr1v3 70 ur h0u53 70n1gh7").contains("meeting"))
    #expect(try Self.categories("1 c4n dr1v3 to ur house tonight").contains("meeting"))
  }

  @Test func agesInLeetspeakStillCount() throws {
    #expect(try Self.categories("ur 15 r1gh7?").contains("age_probe"))
    #expect(try Self.categories("r u 13 0r 14").contains("age_probe"))
    #expect(try Self.categories("4r3 u 1n 77h gr@d3?").contains("age_probe"))
  }
}
