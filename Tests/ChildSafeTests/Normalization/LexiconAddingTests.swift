import Testing

@testable import ChildSafe

/// Rule words are normalised with the everyday lexicon plus the word itself, built by adding to the
/// everyday table rather than rebuilding it: the result must be exactly the rebuilt lexicon's.
@Suite("Lexicon built by adding words")
struct LexiconAddingTests {
  @Test func aTableWithKeysAddedAnswersLikeOneBuiltWithThemAll() {
    var generator = SystemRandomNumberGenerator()
    let letters = Array("abcdefghijklmnopqrstuvwxyz")
    func word() -> String { String((0..<Int.random(in: 1...9, using: &generator)).map { _ in letters.randomElement(using: &generator)! }) }
    for (baseCount, extraCount) in [(0, 3), (100, 1), (100, 3), (20, 200)] {  // the last one grows the table
      let base = (0..<baseCount).map { k in (key: word() + "\(k)", value: Int32(k)) }
      var extra = (0..<extraCount).map { k in (key: word() + "x\(k)", value: Int32(1000 + k)) }
      if let first = base.first { extra.append((key: first.key, value: 77)) }  // already there: keeps its value
      let added = ByteTable(base).adding(extra)
      let built = ByteTable(base + extra.filter { e in !base.contains { $0.key == e.key } })
      for key in base.map(\.key) + extra.map(\.key) + (0..<200).map({ _ in word() }) {
        #expect(added.value(for: key) == built.value(for: key), "\(key)")
      }
    }
  }

  /// Every literal word of the embedded packs, and spellings the normaliser repairs.
  static var ruleWords: [String] {
    var words: Set<String> = ["t3ll", "cooool", "s.e.c.r.e.t", "don't", "ѕеnd", "\u{212A}iss", "pleeease", "snapchat", "v-bucks"]
    for file in RuleFiles.embedded.under("grooming/") {
      for line in file.text.split(separator: "\n") {
        let trimmed = line.drop { $0 == " " }
        guard ["match:", "all:", "unless:", "lower:"].contains(where: { trimmed.hasPrefix($0) }) else { continue }
        for piece in trimmed.split(whereSeparator: { " ()|?*<>\"#".contains($0) }).dropFirst() {
          words.insert(String(piece))
        }
      }
    }
    return words.sorted()
  }

  @Test func ruleWordsNormaliseExactlyAsWithARebuiltLexicon() throws {
    let words = Self.ruleWords
    #expect(words.count > 1000)
    for text in words {
      let own = text.lowercased().split(separator: " ").map(String.init)
      let rebuilt = Lexicon(Lexicon.everyday.words.union(own), indexPrefixes: false)
      let added = Lexicon(Lexicon.everyday, adding: own)
      #expect(added.words == rebuilt.words)
      for word in rebuilt.words { #expect(added.contains(word), "\(word)") }
      let expected = try Normalizer(lexicon: rebuilt).normalize(text).tokens.map(\.text)
      let actual = try Normalizer(lexicon: added).normalize(text).tokens.map(\.text)
      #expect(actual == expected, "\(text)")
    }
  }
}
