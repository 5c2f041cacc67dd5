import ChildSafe
import Testing

@testable import ChildSafeEvaluation

@Suite("Obfuscation transforms")
struct ObfuscationTests {
  static let text = "please keep this secret from your mom, ok? Meet me at 5pm"

  func apply(_ t: ObfuscationTransform, _ text: String = ObfuscationTests.text, seed: UInt64 = 1, id: String = "m1")
    -> String
  {
    var generator = SeededGenerator.forItem(seed: seed, salt: t.name, id: id)
    return t.apply(text, using: &generator)
  }

  /// Undoes a per-letter substitution table.
  func undo(_ text: String, _ table: [Unicode.Scalar: [Unicode.Scalar]]) -> String {
    var reverse: [Unicode.Scalar: Unicode.Scalar] = [:]
    for (letter, substitutes) in table { for s in substitutes where reverse[s] == nil { reverse[s] = letter } }
    var out = String.UnicodeScalarView()
    for s in text.unicodeScalars { out.append(reverse[s] ?? s) }
    return String(out)
  }

  @Test("every transform is deterministic for a seed and an id", arguments: ObfuscationTransform.allCases)
  func deterministic(_ t: ObfuscationTransform) {
    #expect(apply(t) == apply(t))
    #expect(apply(t) != Self.text)
  }

  @Test("random transforms depend on the seed", arguments: ObfuscationTransform.allCases.filter { $0 != .fullwidth })
  func seeded(_ t: ObfuscationTransform) {
    let first = apply(t, seed: 1)
    #expect((2...8).contains { apply(t, seed: UInt64($0)) != first })
  }

  @Test("leetspeak replaces letters by digits and symbols and keeps the rest")
  func leetspeak() {
    let out = apply(.leetspeak)
    #expect(out.unicodeScalars.count == Self.text.unicodeScalars.count)
    // Undoing the substitutions (on both sides, since the text has its own digits) gives the same text.
    let table = ObfuscationTransform.leet.filter { $0.key.properties.isLowercase }
    #expect(undo(out, table).lowercased() == undo(Self.text, table).lowercased())
    #expect(out.contains { "4@31!0$7".contains($0) })
    #expect(out.hasSuffix("5pm"))  // digits in the text are not letters: unchanged
  }

  @Test("look-alike letters come from other scripts and map back to the original")
  func homoglyphs() {
    let out = apply(.homoglyphs)
    #expect(out.unicodeScalars.contains { $0.value >= 0x0370 && $0.value <= 0x04FF })
    #expect(undo(out, ObfuscationTransform.lookAlikes) == Self.text)
  }

  @Test("separators put dots or spaces between the letters of words")
  func separators() {
    let out = apply(.separators)
    let squeeze: (String) -> String = { String($0.filter { $0 != "." && $0 != " " }) }
    #expect(squeeze(out) == squeeze(Self.text))
    #expect(out.count > Self.text.count)
    // A short text still gets one word spelt out.
    let short = apply(.separators, "secret")
    #expect(short == "s.e.c.r.e.t" || short == "s e c r e t")
  }

  @Test("stretched letters repeat a vowel inside a word")
  func stretched() {
    let out = apply(.stretched)
    func collapse(_ s: String) -> String {
      var result = ""
      for ch in s where ch != result.last { result.append(ch) }
      return result
    }
    #expect(collapse(out) == collapse(Self.text))
    #expect(out.count >= Self.text.count + 2)
    #expect(apply(.stretched, "ok").count > 2)
  }

  @Test("zero-width characters are inserted inside words and nothing else changes")
  func zeroWidth() {
    let out = apply(.zero_width)
    let marks: Set<UInt32> = [0x200B, 0x200C, 0x200D, 0x2060]
    var stripped = String.UnicodeScalarView()
    for s in out.unicodeScalars where !marks.contains(s.value) { stripped.append(s) }
    #expect(String(stripped) == Self.text)
    #expect(out.unicodeScalars.contains { marks.contains($0.value) })
  }

  @Test("fullwidth replaces ASCII by fullwidth forms and keeps spaces")
  func fullwidth() {
    #expect(apply(.fullwidth, "Hi 13!") == "Ｈｉ １３！")
    #expect(apply(.fullwidth, "Hi 13!", seed: 99) == "Ｈｉ １３！")
  }

  @Test("diacritics add accents that strip back to the original")
  func diacritics() {
    let out = apply(.diacritics)
    #expect(undo(out, ObfuscationTransform.accented) == Self.text)
    #expect(out.unicodeScalars.contains { $0.value > 0x7F })
  }

  @Test("random case changes case only")
  func randomCase() {
    let out = apply(.random_case)
    #expect(out.lowercased() == Self.text.lowercased())
    #expect(out != Self.text)
  }

  @Test("text without Latin letters is left alone by letter transforms")
  func nonLatin() {
    for t in ObfuscationTransform.allCases where t != .fullwidth {
      #expect(apply(t, "привет 123 😀") == "привет 123 😀")
    }
    #expect(apply(.leetspeak, "") == "")
  }
}
