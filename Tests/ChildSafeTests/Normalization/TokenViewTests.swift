import Foundation
import Testing

@testable import ChildSafe

/// The classifier reads tokens through a borrowed view (texts in a byte arena, no Strings); the
/// view must hold exactly the tokens of the frozen reference normaliser and of `normalize()`,
/// including where the post-passes replace or insert tokens and where the token list or the text
/// arena outgrow their scratch memory.
@Suite("Normaliser: token view")
struct TokenViewTests {
  /// Every token of the view, with its text bytes checked against the reference's UTF-8.
  static func viewTokens(_ text: String, _ normalizer: Normalizer) throws -> [Token] {
    try normalizer.withTokens(text) { view in
      (0..<view.count).map { i in
        let raw = view[i]
        let bytes = Array(view.bytes(raw))
        return Token(text: String(decoding: bytes, as: UTF8.self), start: Int(raw.start), end: Int(raw.end), kind: raw.kind)
      }
    }
  }

  func expectAgreement(_ texts: [String], lexicon: Lexicon, _ source: String) throws {
    let normalizer = Normalizer(lexicon: lexicon)
    var mismatches = 0
    for text in texts {
      let expected = ReferenceNormalizer.normalize(text, lexicon: lexicon)
      let viewed = try Self.viewTokens(text, normalizer)
      let normalized = try normalizer.normalize(text).tokens
      // Same bytes, not only equal Strings (String equality is canonical equivalence).
      let sameBytes = viewed.count == expected.count
        && zip(viewed, expected).allSatisfy { Array($0.text.utf8) == Array($1.text.utf8) }
      if viewed != expected || normalized != expected || !sameBytes {
        mismatches += 1
        if mismatches <= 5 {
          Issue.record("\(source): \(text.prefix(200).debugDescription)\n  expected \(expected.prefix(20))\n  view     \(viewed.prefix(20))")
        }
      }
    }
    #expect(mismatches == 0, "\(mismatches) of \(texts.count) \(source) texts differ")
  }

  static let lexicon = ClassifierEngine.defaults.normalizer.lexicon

  /// Texts for the paths that write tokens other than as the input spells them.
  static let special = [
    // Leet chunks read in context: replaced ("70"), and inserted where symbols were dropped ("!").
    "n33d5 70 kn0w", "! c@n c0m3 70 ur h0u53", "c@n ! g37 @ p!c", "!'ll 7ell u 47 lunch", "ar3 u 1n 67h gr@d3",
    "m33t 47 5pm", "7'45 5n@p ?",
    // Spaced letters: joined, segmented, or kept.
    "s e c r e t", "d o n t t e l l", "u r a", "c l a s s.", "1 2 3 4 5", "k e e p i t s e c r e t ok",
    // Textspeak expansions (longer than what they replace), stretching, leetspeak.
    "gr8 b4 any1 2moro l8r", "pleeeease", "sooooo cooool", "h3ll0 fr13nd", "he11o",
    // Non-ASCII, look-alikes, folds that lengthen text.
    "Привет, как дела?", "ѕеnd me a ρіс", "Straße ﬃ", "東京都に住んでいます", "👍🏽 🇫🇷", String(repeating: "\u{FDFA}", count: 3),
    // Tokens longer than a String's inline storage.
    "supercalifragilisticexpialidocious", "antidisestablishmentarianism!!", "www.averyveryverylongdomainname.com/path",
  ]

  @Test func specialPaths() throws {
    try expectAgreement(Self.special, lexicon: Self.lexicon, "special")
    try expectAgreement(Self.special, lexicon: .everyday, "special (everyday)")
    try expectAgreement(Self.special, lexicon: Lexicon([]), "special (empty lexicon)")
  }

  @Test func benchmarkAndRandomText() throws {
    let texts = DifferentialNormalizerTests.benchmarkTemplates + DifferentialNormalizerTests.fragments
      + DifferentialNormalizerTests.randomTexts(count: 1_500, seed: 11)
    try expectAgreement(texts, lexicon: Self.lexicon, "benchmark and random")
  }

  // The corpus lives outside the repository: skipped where it is absent.
  @Test(.enabled(if: QualityCorpus.devIsPresent, QualityTests.devNote))
  func developmentCorpus() throws {
    var texts = DifferentialNormalizerTests.texts(inJSONLines: QualityCorpus.devPath("dev-messages.jsonl"))
    texts += DifferentialNormalizerTests.texts(inJSONLines: QualityCorpus.devPath("dev-conversations.jsonl"))
    #expect(texts.count > 100)
    try expectAgreement(texts, lexicon: Self.lexicon, "corpus")
  }

  /// Words spelt out with spaces ("d o n t t e l l u r m o m"): the run is split into words by a
  /// search over the lexicon's bytes that stops extending a candidate no word begins with. It must
  /// split every run as the reference does (which tries every candidate up to 16 letters), also
  /// with stray letters, digits, non-ASCII letters and runs too long to split.
  @Test func spacedLetterRuns() throws {
    // Folding strips accents, so the default words are nearly all ASCII: Cyrillic and Greek words
    // (and ASCII words that begin them) exercise the search over Strings.
    let others = ["привет", "как", "дела", "мама", "не", "говори", "никому", "καλη", "νυχτα", "pri", "kak"]
    let lexicon = Lexicon(Self.lexicon.words.union(others))
    let words = Self.lexicon.words.filter { $0.unicodeScalars.count <= 9 }.sorted()
    var rng = DifferentialNormalizerTests.SplitMix64(state: 21)
    func pick(_ options: String) -> String {
      let scalars = Array(options.unicodeScalars)
      return String(scalars[rng.below(scalars.count)])
    }
    var texts: [String] = []
    for _ in 0..<600 {
      var letters: [String] = []
      for _ in 0...rng.below(6) {
        switch rng.below(10) {
        case 0: letters.append(pick("qxzjvk"))
        case 1: letters.append(pick("0134578"))
        case 2: letters.append(pick("éжßρ"))
        case 3, 4: letters += others[rng.below(others.count)].unicodeScalars.map { String($0) }
        default: letters += words[rng.below(words.count)].unicodeScalars.map { String($0) }
        }
      }
      let run = letters.joined(separator: " ")
      texts.append(rng.below(2) == 0 ? run : "ok \(run) lol")
    }
    texts.append(String(repeating: "a b c d e f g h i j k l m n o p q r s t u v w x y z ", count: 3))
    try expectAgreement(texts, lexicon: lexicon, "spaced letters")
    try expectAgreement(texts, lexicon: .everyday, "spaced letters (everyday)")
  }

  /// Texts with more tokens than the list starts with, with more text than the arena starts with
  /// (textspeak doubles "b4"), and larger than the per-thread scratch block.
  @Test func listsThatOutgrowScratchMemory() throws {
    let texts = [
      String(repeating: "a ", count: 5_000),
      String(repeating: "b4 ", count: 3_000),
      String(repeating: "s e c r e t ", count: 2_000),
      String(repeating: "n33d5 70 kn0w ! c@n ", count: 1_500),
      String(repeating: "ne1 gr8 ж 👍 ", count: 8_000),
      String(repeating: "\u{FDFA} x ", count: 500),
    ]
    try expectAgreement(texts, lexicon: Self.lexicon, "large")
  }

  /// The UTF-8 entry point sees the same tokens as the String one.
  @Test func utf8EntryPoint() throws {
    let normalizer = Normalizer(lexicon: Self.lexicon)
    for text in Self.special {
      var copy = text
      let fromBytes = try copy.withUTF8 { bytes in
        try normalizer.withTokens(utf8: bytes) { view in (0..<view.count).map { view.token($0) } }
      }
      #expect(fromBytes == (try normalizer.normalize(text).tokens))
    }
  }
}
