import Testing

@testable import ChildSafe

/// The prefilter's contract (Sources/ChildSafe/Matching/Prefilter.swift): it may wake a pattern
/// that does not match, never skip one that does. A scan (anchors, necessary clauses, summaries,
/// then the engines) must find exactly what a plain search of every pattern at every token finds,
/// with the same leftmost-longest span, on random packs and random messages.
@Suite("The prefilter never misses a match")
struct PrefilterContractTests {
  /// Where `node` can end when it starts at token `i` (every way, no prefilter, no cleverness).
  static func ends(_ node: PatternNode, at i: Int, _ tokens: [(text: [UInt8], kind: Token.Kind)]) -> Set<Int> {
    let n = tokens.count
    switch node {
    case .word(let w): return i < n && tokens[i].text == Array(w.utf8) ? [i + 1] : []
    case .prefix(let p): return i < n && tokens[i].text.starts(with: p.utf8) ? [i + 1] : []
    case .anyToken: return i < n ? [i + 1] : []
    case .kind(let k): return i < n && tokens[i].kind == k ? [i + 1] : []
    case .number(let range):
      guard i < n, tokens[i].kind == .number else { return [] }
      guard let range else { return [i + 1] }
      let value = tokens[i].text.withUnsafeBufferPointer { PatternMatcher.leadingInteger($0) }
      return value.map { range.contains($0) } == true ? [i + 1] : []
    case .gap(let g): return Set(i...min(n, i + g))
    case .sequence(let items):
      var current: Set<Int> = [i]
      for item in items { current = Set(current.flatMap { ends(item, at: $0, tokens) }) }
      return current
    case .alternatives(let items): return items.reduce(into: Set<Int>()) { $0.formUnion(ends($1, at: i, tokens)) }
    case .optional(let inner): return ends(inner, at: i, tokens).union([i])
    case .never: return []
    }
  }

  /// Every pattern's leftmost match, longest at that start, by plain search.
  static func plainSearch(_ patterns: [PatternNode], _ tokens: TokenView) -> [Int32: PatternMatcher.Span] {
    let list = (0..<tokens.count).map { (text: Array(tokens.bytes(tokens[$0])), kind: tokens[$0].kind) }
    var found: [Int32: PatternMatcher.Span] = [:]
    for (p, node) in patterns.enumerated() {
      let pattern = PatternMatcher.trimmed(node)
      for i in 0..<list.count {
        if let last = ends(pattern, at: i, list).filter({ $0 > i }).max() {
          found[Int32(p)] = PatternMatcher.Span(first: i, last: last - 1)
          break
        }
      }
    }
    return found
  }

  @Test("random packs: a scan finds what a plain search finds", arguments: 1...24)
  func randomPacks(seed: Int) throws {
    let set = TestPack.load([("x.rules", BitParallelMatchingTests.pack(seed: UInt64(seed)))])
    try #require(set.errors.isEmpty, "\(set.errors.first?.message ?? "")")
    var patterns: [PatternNode] = []
    var seen = Set<PatternNode>()
    for rule in set.rules {
      for p in rule.matches + rule.all + rule.unless + rule.lower.map(\.pattern) where seen.insert(p.node).inserted {
        patterns.append(p.node)
      }
    }
    let matcher = PatternMatcher(patterns: patterns)
    let normalizer = Normalizer(lexicon: Lexicon.everyday.union(Lexicon(set.vocabulary)))
    var g = BitParallelMatchingTests.Generator(state: UInt64(seed) &* 104_729)
    var matched = 0
    for _ in 0..<150 {
      let text = (0..<(1 + g.next(40))).map { _ in g.next(6) == 0 ? ["x", "y", "z"][g.next(3)] : g.word() }
        .joined(separator: " ")
      let (expected, actual) = try normalizer.withTokens(text) { tokens in
        var steps = 0
        let scanned = matcher.scan(tokens, steps: &steps)
        return (
          PrefilterContractTests.plainSearch(patterns, tokens),
          Dictionary(uniqueKeysWithValues: scanned.map { ($0.pattern, $0.span) })
        )
      }
      #expect(actual == expected, "seed \(seed): \(text)")
      matched += expected.count
    }
    #expect(matched > 0, "seed \(seed) matched nothing: the comparison would be empty")
  }
}
