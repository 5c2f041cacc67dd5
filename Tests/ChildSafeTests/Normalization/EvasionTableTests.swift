import Testing

@testable import ChildSafe

/// The evasion table: each transform the normaliser undoes, combinations of them, and false friends
/// that must come through unchanged. Expected outputs are the tokens joined by single spaces.
@Suite("Normaliser evasion table")
struct EvasionTableTests {
  struct Case: CustomTestStringConvertible, Sendable {
    let input: String
    let expected: String
    let note: String
    var testDescription: String { "\(note): \(input.debugDescription)" }
  }

  static let evasions: [Case] = [
    // Case and compatibility forms (NFKC casefold)
    Case(input: "SECRET", expected: "secret", note: "upper case"),
    Case(input: "SeCrEt", expected: "secret", note: "mixed case"),
    Case(input: "ｓｅｃｒｅｔ", expected: "secret", note: "fullwidth"),
    Case(input: "ＳＥＮＤ ＰＩＣ", expected: "send pic", note: "fullwidth upper"),
    Case(input: "𝐬𝐞𝐜𝐫𝐞𝐭", expected: "secret", note: "mathematical bold"),
    Case(input: "𝓼𝓮𝓬𝓻𝓮𝓽", expected: "secret", note: "mathematical script"),
    Case(input: "𝕤𝕖𝕔𝕣𝕖𝕥", expected: "secret", note: "double-struck"),
    Case(input: "ﬁle", expected: "file", note: "ligature fi"),
    Case(input: "Straße", expected: "strasse", note: "sharp s"),
    Case(input: "Ⓢⓔⓒⓡⓔⓣ", expected: "secret", note: "circled letters"),
    // Default-ignorable code points
    Case(input: "se\u{200B}cr\u{200B}et", expected: "secret", note: "zero-width space"),
    Case(input: "se\u{200C}cr\u{200D}et", expected: "secret", note: "zero-width (non-)joiners"),
    Case(input: "sec\u{00AD}ret", expected: "secret", note: "soft hyphen"),
    Case(input: "se\u{2060}cret", expected: "secret", note: "word joiner"),
    Case(input: "\u{202E}secret\u{202C}", expected: "secret", note: "bidi controls"),
    Case(input: "secre\u{FE0F}t", expected: "secret", note: "variation selector"),
    Case(input: "s\u{FEFF}ecret", expected: "secret", note: "byte order mark inside a word"),
    // Diacritics
    Case(input: "sécrèt", expected: "secret", note: "accents"),
    Case(input: "s̸e̸c̸r̸e̸t̸", expected: "secret", note: "combining overlays"),
    Case(input: "s\u{0301}\u{0302}\u{0303}\u{0304}e\u{0308}cret", expected: "secret", note: "stacked combining marks"),
    Case(input: "naïve café", expected: "naive cafe", note: "diaeresis and acute"),
    // Look-alike letters from other scripts inside Latin text
    Case(input: "sеcrеt", expected: "secret", note: "Cyrillic e"),
    Case(input: "ѕесrеt", expected: "secret", note: "Cyrillic dze, ie, es"),
    Case(input: "рhоtо", expected: "photo", note: "Cyrillic er, o"),
    Case(input: "send a ріс", expected: "send a pic", note: "whole Cyrillic look-alike word in Latin text"),
    Case(input: "sесrеt", expected: "secret", note: "several Cyrillic letters"),
    Case(input: "sοcial", expected: "social", note: "Greek omicron"),
    Case(input: "аlone", expected: "alone", note: "Cyrillic a"),
    Case(input: "хохо babe see u", expected: "xoxo babe see u", note: "whole look-alike word in Latin text"),
    // Leetspeak and symbol substitutions
    Case(input: "s3cr3t", expected: "secret", note: "3 for e"),
    Case(input: "p1c", expected: "pic", note: "1 for i"),
    Case(input: "he11o", expected: "hello", note: "1 for l, chosen by the lexicon"),
    Case(input: "ph0t0", expected: "photo", note: "0 for o"),
    Case(input: "m33t", expected: "meet", note: "doubled 3"),
    Case(input: "sn@p", expected: "snap", note: "@ for a"),
    Case(input: "$ecret", expected: "secret", note: "$ for s at the start"),
    Case(input: "pa$$word", expected: "password", note: "$ inside"),
    Case(input: "1nst@", expected: "insta", note: "1 and trailing @"),
    Case(input: "a1one", expected: "alone", note: "1 for l"),
    Case(input: "5ecret", expected: "secret", note: "5 for s"),
    Case(input: "s+op", expected: "stop", note: "+ for t"),
    Case(input: "7ell", expected: "tell", note: "7 for t"),
    Case(input: "4lone", expected: "alone", note: "4 for a"),
    Case(input: "g1rl", expected: "girl", note: "1 for i"),
    // Stretched letters
    Case(input: "pleeeease", expected: "please", note: "stretched e"),
    Case(input: "sooo", expected: "so", note: "stretched o"),
    Case(input: "cuuuute", expected: "cute", note: "stretched u"),
    Case(input: "cooool", expected: "cool", note: "stretched to a legitimate double"),
    Case(input: "sweeeeeet", expected: "sweet", note: "long stretch to a legitimate double"),
    Case(input: "heyyyy", expected: "hey", note: "stretched y"),
    // Words spelt out with separators
    Case(input: "s e c r e t", expected: "secret", note: "spaces"),
    Case(input: "s.e.c.r.e.t", expected: "secret", note: "dots"),
    Case(input: "s-e-c-r-e-t", expected: "secret", note: "hyphens"),
    Case(input: "s_e_c_r_e_t", expected: "secret", note: "underscores"),
    Case(input: "s*e*c*r*e*t", expected: "secret", note: "asterisks"),
    Case(input: "s.e.c.r.e.t.", expected: "secret", note: "trailing dot"),
    Case(input: "d e l e t e this", expected: "delete this", note: "spaced word then normal word"),
    Case(input: "a l o n e", expected: "alone", note: "spaced known word"),
    // Combinations
    Case(input: "S.3.C.R.3.T", expected: "secret", note: "dots, leet and case"),
    Case(input: "ｐ１ｃ", expected: "pic", note: "fullwidth leet"),
    Case(input: "s\u{200B}3\u{200B}c\u{200B}r\u{200B}e\u{200B}t", expected: "secret", note: "zero-width and leet"),
    Case(input: "sеееcrеt", expected: "secret", note: "Cyrillic look-alikes stretched"),
    Case(input: "PLEEEASE d0nt t3ll", expected: "please dont tell", note: "stretch, leet, case"),
    Case(input: "𝓼 𝓮 𝓬 𝓻 𝓮 𝓽", expected: "secret", note: "script letters spaced out"),
    Case(input: "s̸3̸c̸r̸3̸t̸", expected: "secret", note: "combining junk and leet"),
    Case(input: "ＳＥＣＲＥＴ!!!", expected: "secret", note: "fullwidth with punctuation"),
    // Texting spellings
    Case(input: "2day gr8 l8r", expected: "today great later", note: "textspeak digits"),
  ]

  static let falseFriends: [Case] = [
    Case(input: "I'm 13 and in 8th grade", expected: "im 13 and in 8th grade", note: "age and ordinal keep digits"),
    Case(input: "meet at 5pm in room 101", expected: "meet at 5pm in room 101", note: "times and room numbers"),
    Case(input: "she is 13yo", expected: "she is 13yo", note: "age with unit"),
    Case(input: "1st 2nd 3rd", expected: "1st 2nd 3rd", note: "ordinals"),
    Case(input: "cool meet keep", expected: "cool meet keep", note: "legitimate doubles"),
    Case(input: "good book too", expected: "good book too", note: "more doubles"),
    Case(input: "u r a good boy", expected: "u r a good boy", note: "single-letter chat words are not joined"),
    Case(input: "a b c", expected: "a b c", note: "letters listed"),
    Case(input: "Привет, как дела?", expected: "привет как дела", note: "Russian stays Cyrillic"),
    Case(input: "Καλημέρα φίλε", expected: "καλημερα φιλε", note: "Greek stays Greek"),
    Case(input: "東京都に住んでいます", expected: "東京 都 に 住 んで い ます", note: "Japanese segmented"),
    Case(input: "你好世界我们", expected: "你好 世界 我们", note: "Chinese segmented"),
    Case(input: "สวัสดีครับ", expected: "สวัสดี ครับ", note: "Thai segmented"),
    Case(input: "visit https://example.com/path?x=1 now", expected: "visit https://example.com/path?x=1 now", note: "URL kept"),
    Case(input: "go to www.example.org.", expected: "go to www.example.org", note: "www URL, trailing dot"),
    Case(input: "see example.com/kids", expected: "see example.com/kids", note: "bare domain with path"),
    Case(input: "mail bob.smith@example.co.uk", expected: "mail bob.smith@example.co.uk", note: "e-mail kept"),
    Case(input: "DM @cool_gamer99", expected: "dm @cool_gamer99", note: "handle kept"),
    Case(input: "happy birthday 🎉🎂", expected: "happy birthday 🎉 🎂", note: "emoji tokens"),
    Case(input: "👍🏽 ok", expected: "👍🏽 ok", note: "emoji with skin tone"),
    Case(input: "call 555-0123", expected: "call 555 0123", note: "phone digits stay digits"),
    Case(input: "its 3:30", expected: "its 3 30", note: "clock time digits"),
  ]

  @Test(arguments: evasions)
  func evasionIsUndone(_ c: Case) throws {
    #expect(try Normalizer().normalize(c.input).text == c.expected)
  }

  @Test(arguments: falseFriends)
  func falseFriendSurvives(_ c: Case) throws {
    #expect(try Normalizer().normalize(c.input).text == c.expected)
  }

  @Test func tableIsLargeEnough() {
    #expect(Self.evasions.count + Self.falseFriends.count >= 60)
  }
}

extension EvasionTableTests {
  /// Repairs that need the rule vocabulary: edge symbols, "@" words and digit-unit look-alikes read as
  /// leetspeak only when the reading is a known word.
  @Test(arguments: [
    ("@r3 u h0me", "are u home"), ("!t 1s 0k", "it is ok"), ("$3nd m3 a p1c", "send me a pic"),
    ("the boy$ r h3r3", "the boys r here"), ("DM @cool_gamer99", "dm @cool_gamer99"), ("at 5pm", "at 5pm"),
    ("p.h.o.t.o!! ok", "photo ok"), ("c l a s s. ok", "class ok"), ("t'habites où", "t habites ou"),
    ("l'amico dell'anno", "l amico dell anno"), ("don't I'm", "dont im"),
  ])
  func lexiconGuidedRepairs(_ pair: (String, String)) throws {
    let lexicon = Lexicon.everyday.union(Lexicon(["are", "it", "is", "ok", "send", "me", "boys", "here", "class", "photo"]))
    #expect(try Normalizer(lexicon: lexicon).normalize(pair.0).text == pair.1)
  }
}

extension EvasionTableTests {
  /// "r u" opening a run of single letters is chat's "are you", even when the letters would join into
  /// a word of some pack ("rua" is Portuguese): joined, "r u a virgin" would hide the question.
  @Test(arguments: [
    ("r u a virgin", "r u a virgin"), ("R U A girl?", "r u a girl"), ("r u a b c", "r u a b c"),
    ("u r a tease", "ur a tease"), ("s e x", "sex"), ("t r u e", "true"),
  ])
  func areYouStaysTwoWords(_ pair: (String, String)) throws {
    let lexicon = Lexicon.everyday.union(Lexicon(["rua", "ur", "sex", "true", "virgin", "girl", "tease"]))
    #expect(try Normalizer(lexicon: lexicon).normalize(pair.0).text == pair.1)
  }
}
