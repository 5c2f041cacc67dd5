import Testing

@testable import ChildSafe

/// Hostile inputs: each is handled in linear time or rejected with a clear error. Linearity is
/// checked by the normaliser's own count of scalar visits at two sizes, never by wall-clock time.
@Suite("Normaliser on hostile input")
struct HostileInputTests {
  struct Shape: CustomTestStringConvertible, Sendable {
    let name: String
    let unit: String
    var testDescription: String { name }
  }

  static let shapes: [Shape] = [
    Shape(name: "plain words", unit: "hello there "),
    Shape(name: "combining marks", unit: "\u{0301}\u{0302}\u{0303}\u{0304}"),
    Shape(name: "letter drowned in marks", unit: "a\u{0301}\u{0302}\u{0303}\u{0304}\u{0305}\u{0306}\u{0307}\u{0308}\u{0309}\u{030A}\u{030B}\u{030C}\u{030D}\u{030E}\u{030F}"),
    Shape(name: "zero-width only", unit: "\u{200B}\u{200C}\u{200D}\u{2060}"),
    Shape(name: "separators only", unit: " .-_*~,;:!?"),
    Shape(name: "spaced single letters", unit: "s e c r e t "),
    Shape(name: "dotted letters without end", unit: "a.b."),
    Shape(name: "one long word", unit: "abcdefgh"),
    Shape(name: "one long leet word", unit: "1!|1!|0"),
    Shape(name: "stretched letters", unit: "aaaab"),
    Shape(name: "apostrophes in a word", unit: "a'b'"),
    Shape(name: "look-alikes mixed", unit: "aа"),
    Shape(name: "look-alike words in Latin text", unit: "hi ѕех "),
    Shape(name: "CJK run", unit: "東京都に住んでいます"),
    Shape(name: "Thai run", unit: "สวัสดีครับ"),
    Shape(name: "emoji with modifiers", unit: "👍🏽👨‍👩‍👧"),
    Shape(name: "URL-like chunk", unit: "a.com/"),
    Shape(name: "fullwidth", unit: "ＳＥＣＲＥＴ"),
  ]

  func cost(_ shape: Shape, bytes: Int) throws -> Int {
    let repeats = max(1, bytes / shape.unit.utf8.count)
    let text = String(repeating: shape.unit, count: repeats)
    var copy = text
    return copy.withUTF8 { Normalizer().normalizeCounting($0).cost } / repeats
  }

  @Test(arguments: shapes)
  func costPerUnitIsFlat(_ shape: Shape) throws {
    let small = try cost(shape, bytes: 16_000)
    let large = try cost(shape, bytes: 256_000)
    // Work per repeated unit must not grow with size (allowing rounding at the edges).
    #expect(Double(large) <= Double(small) * 1.25 + 8, "cost per unit \(small) at 16 kB, \(large) at 256 kB")
  }

  @Test func tenMegabyteMessageIsRejectedClearly() {
    let big = String(repeating: "a", count: 10 * 1024 * 1024)
    #expect {
      try Normalizer().normalize(big)
    } throws: { error in
      (error as? ChildSafeError)?.code == .inputTooLarge
    }
  }

  @Test func millionCombiningMarksWithinTheLimitComeThrough() throws {
    // 500,000 two-byte marks fill the 1 MiB limit; the base letter survives, the junk is dropped.
    let text = "x" + String(repeating: "\u{0301}", count: 500_000) + " ok"
    #expect(try Normalizer().normalize(text).text == "x ok")
  }
}
