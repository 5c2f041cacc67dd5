import Testing

@testable import ChildSafe

@Suite("Normaliser")
struct NormalizerTests {
  /// Every token's span must point into the ORIGINAL text, around what produced it.
  @Test func spansPointIntoTheOriginalText() throws {
    let text = "Hey ｓｅｃｒｅｔ, s.e.c.r.e.t and p1c 😍 café"
    let tokens = try Normalizer().normalize(text).tokens
    let bytes = Array(text.utf8)
    func original(_ t: Token) -> String { String(decoding: bytes[t.start..<t.end], as: UTF8.self) }
    #expect(tokens.map(original) == ["Hey", "ｓｅｃｒｅｔ", "s.e.c.r.e.t", "and", "p1c", "😍", "café"])
    #expect(tokens.map(\.text) == ["hey", "secret", "secret", "and", "pic", "😍", "cafe"])
  }

  @Test func spansSkipZeroWidthJunkAround() throws {
    let text = "a \u{200B}secret\u{200B} b"
    let tokens = try Normalizer().normalize(text).tokens
    let secret = try #require(tokens.first { $0.text == "secret" })
    let bytes = Array(text.utf8)
    let covered = String(decoding: bytes[secret.start..<secret.end], as: UTF8.self)
    #expect(covered.contains("secret"))
    #expect(secret.end <= bytes.count)
  }

  @Test func spacedLettersSpanTheWholeRun() throws {
    let text = "keep it s e c r e t ok"
    let token = try #require(try Normalizer().normalize(text).tokens.first { $0.text == "secret" })
    #expect(String(decoding: Array(text.utf8)[token.start..<token.end], as: UTF8.self) == "s e c r e t")
  }

  @Test func tokenKinds() throws {
    let tokens = try Normalizer().normalize("im 13 see www.example.com mail a@b.io @joe 🎉 hi").tokens
    let kinds = Dictionary(tokens.map { ($0.text, $0.kind) }, uniquingKeysWith: { a, _ in a })
    #expect(kinds["13"] == .number)
    #expect(kinds["www.example.com"] == .url)
    #expect(kinds["a@b.io"] == .email)
    #expect(kinds["@joe"] == .handle)
    #expect(kinds["🎉"] == .emoji)
    #expect(kinds["hi"] == .word)
  }

  @Test func invalidUTF8IsAClearError() {
    let bytes: [UInt8] = [0x68, 0x69, 0xFF, 0x21]
    #expect {
      try bytes.withUnsafeBufferPointer { try Normalizer().normalize(utf8: $0) }
    } throws: { error in
      guard let error = error as? ChildSafeError else { return false }
      return error.code == .invalidUTF8 && error.message.contains("offset 2")
    }
  }

  @Test(arguments: [
    [0xC0, 0x80] as [UInt8],  // overlong NUL
    [0xED, 0xA0, 0x80],  // surrogate
    [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
    [0xE2, 0x82],  // truncated
    [0x80],  // lone continuation
  ])
  func malformedSequencesAreRejected(_ bytes: [UInt8]) {
    #expect(UTF8Validation.isValid(bytes) == false)
  }

  /// ``CharClass/fromTable(_:)`` reinterprets three bits as a class: each of the eight values must be one.
  @Test func everyThreeBitClassValueIsAClass() {
    for raw in UInt8(0)...UInt8(7) {
      #expect(CharClass(rawValue: raw) == CharClass.fromTable(raw))
      #expect(CharClass.fromTable(raw | 0xF8) == CharClass.fromTable(raw))
    }
    #expect(ScalarTable.classMask == 7)
  }

  @Test func shortWordTableSpellsEveryOneAndTwoLetterWord() {
    let letters = (UInt8(ascii: "a")...UInt8(ascii: "z")).map { UInt32($0) }
    for (i, first) in letters.enumerated() {
      #expect(ShortWords.table[i] == String(Unicode.Scalar(first)!))
      for second in letters {
        let expected = String(Unicode.Scalar(first)!) + String(Unicode.Scalar(second)!)
        #expect(ShortWords.table[ShortWords.index(first - 0x61, second - 0x61)] == expected)
      }
    }
  }

  @Test func oversizeInputIsRejected() {
    let normalizer = Normalizer(maximumInputBytes: 16)
    #expect(throws: ChildSafeError.self) { try normalizer.normalize(String(repeating: "a", count: 17)) }
    #expect((try? normalizer.normalize(String(repeating: "a", count: 16))) != nil)
  }

  @Test func emptyAndSeparatorOnlyTextGiveNoTokens() throws {
    #expect(try Normalizer().normalize("").tokens.isEmpty)
    #expect(try Normalizer().normalize("  \n\t ... !!! ").tokens.isEmpty)
    #expect(try Normalizer().normalize(String(repeating: "\u{200B}", count: 1000)).tokens.isEmpty)
  }

  @Test func lexiconGuidesAmbiguousRepairs() throws {
    // Without "hallo" in the lexicon, "ha11o" reads with i; with it, with l.
    #expect(try Normalizer(lexicon: Lexicon([])).normalize("ha11o").text == "haiio")
    #expect(try Normalizer(lexicon: Lexicon(["hallo"])).normalize("ha11o").text == "hallo")
    #expect(try Normalizer(lexicon: Lexicon(["coool"])).normalize("coool").text == "coool")
  }

  @Test func drownedLetterKeepsItsBase() throws {
    let zalgo = "s" + String(repeating: "\u{0301}", count: 5000) + "ecret"
    #expect(try Normalizer().normalize(zalgo).text == "secret")
  }
}

extension NormalizerTests {
  /// Text that folds to nothing before plain ASCII must not shift the spans that follow.
  @Test(arguments: ["\u{0301} our", "\u{200B} our", "\u{FE0F}\u{200D} our", "é our"])
  func spansAfterLeadingNonASCII(text: String) throws {
    let token = try #require(try Normalizer().normalize(text).tokens.last)
    #expect(token.text == "our")
    #expect(token.start == text.utf8.count - 3 && token.end == text.utf8.count)
  }
}
