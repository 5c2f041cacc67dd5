import Foundation
import Testing

@testable import ChildSafe

/// The optimised normaliser must give exactly the tokens (text, span, kind) of the frozen reference
/// (ReferenceNormalizer.swift) on real chat, on the benchmark messages and on seeded random text
/// that mixes every kind of character the fast paths treat differently.
@Suite("Normaliser: fast paths match the reference")
struct DifferentialNormalizerTests {
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// The `text` fields of a JSON Lines file (messages, or conversations with `messages[].text`).
  static func texts(inJSONLines path: String) -> [String] {
    guard let data = FileManager.default.contents(atPath: path),
      let content = String(data: data, encoding: .utf8)
    else { return [] }
    var out: [String] = []
    for line in content.split(separator: "\n") {
      guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { continue }
      if let text = object["text"] as? String { out.append(text) }
      if let messages = object["messages"] as? [[String: Any]] {
        out.append(contentsOf: messages.compactMap { $0["text"] as? String })
      }
    }
    return out
  }

  static let benchmarkTemplates = [
    "hey wyd rn? i just got home from school lol",
    "can u send me the homework pic for maths, i forgot to write it down",
    "omg that game last night was sooo good we should play again tmrw",
    "are ur parents home? dont tell anyone ok, this is our s.e.c.r.e.t",
    "ur so mature for ur age, not like the other kids in ur class",
    "lets move to snap, my username is cool_gamer_99 add me there",
    "I'm 13 and in 8th grade, what about u? we meet at 5pm at the park",
    "¿cuántos años tienes? no le digas a nadie de nosotros",
    "tu es vraiment mature pour ton âge, tu habites où exactement?",
    "wie alt bist du? deine eltern müssen das nicht wissen",
    "Ｓｅｎｄ ｍｅ ａ ｐｉｃ plz 😍😍 u look so cute",
    "ѕеnd me a ρіс рlеаѕе, nobody will see it I promise",
    "pl3333ase d0nt t3ll ur m0m ab0ut m3, sh3 w0uldnt und3rstand",
    "h\u{200B}e\u{200B}y can we video call tonight when everyone is asleep?",
    "Привет, как дела? Пойдём завтра в кино с друзьями",
    "明天我们一起去学校吧，记得带作业",
    "happy birthday!!! 🎉🎂 hope u have the best day ever",
    "the surprise party for mom is on saturday, don't tell her ok",
  ]

  /// Pieces that steer the normaliser into each of its paths, and single characters of every class.
  static let fragments = [
    "hello", "HeLLo", "secret", "s.e.c.r.e.t", "s e c r e t", "s-e-c-r-e-t", "p.h.o.t.o!!", "u r a", "d o n t t e l l",
    "www.example.com", "example.com/x?y=1", "http://a.b/c", "a@b.io", "me@site", "@joe", "@r3", "@ny0n3", "ex.am.ple.org",
    "n33d5 70 kn0w", "! c@n", "s7!ll 47 w0rk", "m33t 47 5pm", "ur in 67h grade", "c4n u 70 50 bucks", "4 5", "!$",
    "70", "47?", "1", "@", "17h", "d0n7 73ll", "13", "5pm", "13yo", "2nd", "1s", "70p", "gr8", "l8r", "b4", "any1", "he11o", "h3ll0", "$ecret", "inst@", "boy$", "!t",
    "$3nd", "p1c", "ph0t0", "|ol", "1337", "sooo", "cooool", "pleeease", "noooo", "aaaa", "l'amico", "t'habites",
    "qu'il", "dell'arte", "don't", "I'm", "it’s", "don´t", "l`amico", "QU’IL", "y'all'", "'tis", "m3'd", "we're.", "rock'n'roll", "(wow)", "\"hey\"", "ok.", "hi!!!", "why??", "x.", "a,",
    "cool_gamer_99", "s*e*c*r*e*t", "s~e~c", "s/e/c/r/e/t", "a.b.", "i.", "1.2.3", "...", "--", "'", "''", "a'b'",
    "ＳＥＣＲＥＴ", "ｐｉｃ", "ѕех", "ρіс", "рlеаѕе", "Привет", "(привет)", "\"ѕех\"", "слово.?", "Ωmega:", "αβγ;", "(ab.", "зааавтра", "ѕеnd!", "а", "ж,", "café", "cafe\u{0301}", "e\u{0301}\u{0302}", "\u{0301}",
    "ﬁne", "ﬃ", "Straße", "İstanbul", "ΐ", "東京都に住んでいます", "明天", "สวัสดีครับ", "ພາສາລາວ", "한국어",
    "👍🏽", "👨‍👩‍👧", "🇫🇷", "🇫", "😍😍", "🎉", "#️⃣", "h\u{200B}e\u{200B}y", "\u{200B}", "\u{FEFF}", "\u{00AD}",
    "e\u{200B}\u{0301}", "ﾊ\u{200B}ﾟ", "a\u{200D}\u{0308}", "h\u{00AD}i", "x\u{FE0F}\u{200B}y", "\u{00A0}", "\u{3000}", "\t", "\n", "\r\n", "€", "£", "¡", "·", "•", "–", "‘quoted’", "“quoted”", "ﾊﾟ", "Ⅻ",
    "𝐬𝐞𝐜𝐫𝐞𝐭", "ℌ", "K", "µ", "x\u{0301}\u{0302}\u{0303}\u{0304}\u{0305}\u{0306}\u{0307}\u{0308}\u{0309}\u{030A}\u{030B}\u{030C}\u{030D}",
  ]

  static let characters: [Unicode.Scalar] = Array(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@$!|+.,;:?-_*~/\\'\"`()[]{}<>#%&=^ \n\t"
      .unicodeScalars)
    + ["é", "à", "ü", "ñ", "ç", "а", "е", "о", "р", "с", "х", "ѕ", "і", "д", "ж", "α", "ο", "ρ", "Ａ", "ｚ", "１",
      "\u{200B}", "\u{200D}", "\u{2060}", "\u{0301}", "\u{0308}", "😀", "🏽", "🇩", "🇪", "東", "ก", "€", "£", "¡", "·",
      "\u{2019}", "\u{201C}", "\u{00A0}", "ß", "ﬁ", "\u{FE0F}", "ー", "ア"]

  struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
  }

  /// Random text: fragments and single characters, mostly separated by spaces.
  static func randomTexts(count: Int, seed: UInt64) -> [String] {
    var rng = SplitMix64(state: seed)
    var out: [String] = []
    for _ in 0..<count {
      var text = ""
      let parts = 1 + rng.below(14)
      for _ in 0..<parts {
        switch rng.below(10) {
        case 0...4: text += fragments[rng.below(fragments.count)]
        case 5...7:
          for _ in 0..<(1 + rng.below(6)) { text.unicodeScalars.append(characters[rng.below(characters.count)]) }
        case 8: text += fragments[rng.below(fragments.count)].uppercased()
        default: text += String(repeating: String(characters[rng.below(characters.count)]), count: 1 + rng.below(5))
        }
        if rng.below(5) != 0 { text += rng.below(8) == 0 ? "  " : " " }
      }
      out.append(text)
    }
    return out
  }

  static let engineLexicon = ClassifierEngine.defaults.normalizer.lexicon
  /// Odd vocabulary: stretched words, words next to leet readings, non-ASCII words.
  static let oddLexicon = Lexicon([
    "xxx", "sooo", "iii", "lll", "ill", "all", "il", "li", "hiii", "boys", "it", "send", "is", "top", "cool", "coool",
    "a", "u", "r", "secret", "dont", "tell", "hello", "heiio", "café", "ѕех", "straße", "noooo", "aa", "aaa",
  ])

  func expectSame(_ texts: [String], lexicon: Lexicon, _ source: String) throws {
    let normalizer = Normalizer(lexicon: lexicon)
    var mismatches = 0
    for text in texts {
      let expected = ReferenceNormalizer.normalize(text, lexicon: lexicon)
      let actual = try normalizer.normalize(text).tokens
      if actual != expected {
        mismatches += 1
        if mismatches <= 5 {
          Issue.record("\(source): \(text.debugDescription)\n  expected \(expected)\n  actual   \(actual)")
        }
      }
    }
    #expect(mismatches == 0, "\(mismatches) of \(texts.count) \(source) texts differ")
  }

  // The corpus lives outside the repository: skipped where it is absent.
  @Test(.enabled(if: QualityCorpus.devIsPresent, QualityTests.devNote))
  func developmentCorpus() throws {
    var texts = Self.texts(inJSONLines: QualityCorpus.devPath("dev-messages.jsonl"))
    texts += Self.texts(inJSONLines: QualityCorpus.devPath("dev-conversations.jsonl"))
    #expect(texts.count > 100)
    try expectSame(texts, lexicon: .everyday, "corpus")
    try expectSame(texts, lexicon: Self.engineLexicon, "corpus (engine lexicon)")
  }

  @Test func heldOutMessages() throws {
    let directory = Self.packageRoot.appendingPathComponent("Tests/ChildSafeTests/Fixtures/heldout").path
    let texts = Self.texts(inJSONLines: directory + "/messages.jsonl") + Self.texts(inJSONLines: directory + "/conversations.jsonl")
    #expect(texts.count > 100)
    try expectSame(texts, lexicon: .everyday, "held-out")
    try expectSame(texts, lexicon: Self.engineLexicon, "held-out (engine lexicon)")
  }

  @Test func benchmarkMessagesAndFragments() throws {
    // Folds longer than their UTF-8 (U+FDFA is 3 bytes and folds to 18 letters) make the folded
    // text outgrow its first allocation.
    let expanding = [String(repeating: "\u{FDFA}", count: 60), "ok " + String(repeating: "\u{FDFA} x ", count: 40), "\u{337B}\u{FB03}"]
    let texts = Self.benchmarkTemplates + Self.fragments + expanding + [Self.benchmarkTemplates.joined(separator: "\n")]
    try expectSame(texts, lexicon: .everyday, "benchmark")
    try expectSame(texts, lexicon: Self.engineLexicon, "benchmark (engine lexicon)")
    try expectSame(texts, lexicon: Lexicon([]), "benchmark (empty lexicon)")
    try expectSame(texts, lexicon: Self.oddLexicon, "benchmark (odd lexicon)")
  }

  @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
  func randomText(seed: UInt64) throws {
    let texts = Self.randomTexts(count: 2_500, seed: seed)
    let lexicon = seed == 2 ? Self.engineLexicon : seed == 5 ? Self.oddLexicon : .everyday
    try expectSame(texts, lexicon: lexicon, "random (seed \(seed))")
  }
}
