import Testing

@testable import ChildSafe

/// Patterns of at most 64 consuming states run in bit-parallel form, larger ones as a Pike VM. Both
/// must find exactly the same matches (which patterns, and the leftmost-longest span of each), so
/// random packs are compiled both ways and every pattern is looked for in random messages.
@Suite("Bit-parallel and Pike VM matching agree")
struct BitParallelMatchingTests {
  static let words = ["a", "b", "c", "d", "e", "pic", "pics", "send", "now", "tell", "secret", "u", "me"]

  /// A small deterministic generator, so that a failure names a seed that reproduces it.
  struct Generator {
    var state: UInt64
    mutating func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
    mutating func word() -> String { BitParallelMatchingTests.words[next(BitParallelMatchingTests.words.count)] }
  }

  static func element(_ g: inout Generator, depth: Int = 0) -> String {
    switch g.next(10) {
    case 0...3: return g.word()
    case 4: return ["pi*", "se*", "te*"][g.next(3)]
    case 5 where depth < 2: return "(" + (0..<(2 + g.next(3))).map { _ in g.word() }.joined(separator: "|") + ")"
    case 6 where depth < 2:
      return "(" + element(&g, depth: depth + 1) + " " + element(&g, depth: depth + 1) + "|" + element(&g, depth: depth + 1) + ")"
    case 7 where depth < 2: return "(" + element(&g, depth: depth + 1) + " " + element(&g, depth: depth + 1) + ")?"
    case 8: return "<any>"
    default: return g.word()
    }
  }

  /// A pattern; one in five is long, with wide gaps, so that it has more than 64 states.
  static func pattern(_ g: inout Generator) -> String {
    var items = [g.word()]
    let long = g.next(5) == 0
    for _ in 0..<(long ? 8 + g.next(4) : g.next(5)) {
      if long || g.next(2) == 0 { items.append("..\(long ? 6 + g.next(3) : 1 + g.next(8))") }
      items.append(element(&g))
    }
    return items.joined(separator: " ")
  }

  static func pack(seed: UInt64) -> String {
    var g = Generator(state: seed)
    var text = "@pack en\n"
    for r in 0..<25 {
      text += "rule x.r\(r) secrecy 0.5\n"
      for _ in 0...g.next(2) { text += "  match: \(pattern(&g))\n" }
      if g.next(3) == 0 { text += "  unless: \(pattern(&g)) \(g.word())\n" }
    }
    return text
  }

  /// Every pattern's match in `tokens`.
  static func matches(_ matcher: PatternMatcher, _ tokens: TokenView) -> [Int32: PatternMatcher.Span] {
    var steps = 0
    let all = (0..<Int32(matcher.patternCount)).map { $0 }
    return matcher.withAtoms(of: tokens) { table in
      matcher.withScanner(table: table, count: tokens.count, steps: &steps) { scanner in
        all.withUnsafeBufferPointer { list in
          var out: [Int32: PatternMatcher.Span] = [:]
          for entry in scanner.run(only: list).entries { out[entry.pattern] = entry.span }
          return out
        }
      }
    }
  }

  @Test("random packs: the same matches either way", arguments: 1...24)
  func randomPacks(seed: Int) throws {
    let set = TestPack.load([("x.rules", BitParallelMatchingTests.pack(seed: UInt64(seed)))])
    try #require(set.errors.isEmpty, "\(set.errors.first?.message ?? "")")
    let mixed = CompiledRules(set)
    let pikeOnly = CompiledRules(set, narrowStateLimit: 0)
    withExtendedLifetime(pikeOnly) { #expect(pikeOnly.matcher.narrow.allSatisfy { !$0.isNarrow }) }
    let normalizer = Normalizer(lexicon: Lexicon.everyday.union(Lexicon(mixed.vocabulary)))
    var g = Generator(state: UInt64(seed) &* 7919)
    var matched = 0
    for _ in 0..<150 {
      let text = (0..<(1 + g.next(40))).map { _ in g.next(6) == 0 ? ["x", "y", "z"][g.next(3)] : g.word() }
        .joined(separator: " ")
      let (expected, actual) = try normalizer.withTokens(text) { tokens in
        (BitParallelMatchingTests.matches(pikeOnly.matcher, tokens), BitParallelMatchingTests.matches(mixed.matcher, tokens))
      }
      #expect(actual == expected, "seed \(seed): \(text)")
      matched += expected.count
    }
    #expect(matched > 0, "seed \(seed) matched nothing: the comparison would be empty")
  }

  @Test("long patterns run as a Pike VM beside bit-parallel ones")
  func bothFormsAreUsed() {
    var narrow = 0
    var wide = 0
    for seed in 1...24 {
      let set = TestPack.load([("x.rules", BitParallelMatchingTests.pack(seed: UInt64(seed)))])
      // `narrow` is a view of memory the matcher owns: keep the matcher alive while it is read.
      let compiled = CompiledRules(set)
      withExtendedLifetime(compiled) {
        for pattern in compiled.matcher.narrow {
          if pattern.isNarrow { narrow += 1 } else { wide += 1 }
        }
      }
    }
    #expect(narrow > 0 && wide > 0, "narrow \(narrow), wide \(wide)")
  }

  @Test("the default packs run entirely in bit-parallel form")
  func defaultsAreNarrow() {
    let patterns = ClassifierEngine.defaults.compiled.matcher.narrow
    #expect(patterns.allSatisfy { $0.isNarrow })
  }
}
