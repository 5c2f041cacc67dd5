/// Receives the features of one message, in order, with the byte span each was read from.
protocol FeatureSink {
  mutating func add(_ feature: HashedFeature, kind: ModelFeatureKind, start: Int, end: Int)
}

/// Reads a model's features from a message's tokens: words, adjacent word pairs, character
/// n-grams inside words, and the categories of the rules that fired. Links, e-mail addresses and
/// handles count by their kind, not their text. Cost is linear in the tokens' bytes.
enum Featurizer {
  static func visit<Sink: FeatureSink>(
    _ tokens: TokenView, rules: [RuleMatch], settings: FeatureSettings, into sink: inout Sink
  ) {
    let mask = UInt32(settings.weightCount - 1)
    let n = settings.characterGrams
    for i in 0..<tokens.count {
      let raw = tokens[i]
      let bytes = tokens.bytes(raw)
      let start = Int(raw.start)
      let end = Int(raw.end)
      var word = FeatureHash(kind: .word)
      addToken(raw, bytes, to: &word)
      sink.add(word.feature(mask: mask), kind: .word, start: start, end: end)
      if settings.wordPairs && i > 0 {
        let before = tokens[i - 1]
        var pair = FeatureHash(kind: .wordPair)
        addToken(before, tokens.bytes(before), to: &pair)
        pair.add(0)
        addToken(raw, bytes, to: &pair)
        sink.add(pair.feature(mask: mask), kind: .wordPair, start: Int(before.start), end: end)
      }
      if n > 0 && raw.kind == .word {
        // The word between boundary marks: "^cam$" gives "^cam", "cam$" for n = 4.
        let count = bytes.count
        if count + 2 <= n {
          // The whole marked word is one gram.
          var gram = FeatureHash(kind: .characters)
          gram.add(UInt8(ascii: "^"))
          gram.add(bytes)
          gram.add(UInt8(ascii: "$"))
          sink.add(gram.feature(mask: mask), kind: .characters, start: start, end: end)
        } else {
          // First gram "^" + n-1 bytes, inner grams straight from the bytes, last n-1 bytes + "$":
          // the same hashes as reading the marked word, without a branch per byte.
          let base = bytes.baseAddress!
          var first = FeatureHash(kind: .characters)
          first.add(UInt8(ascii: "^"))
          first.add(UnsafeBufferPointer(start: base, count: n - 1))
          sink.add(first.feature(mask: mask), kind: .characters, start: start, end: end)
          var g = 0
          if n == 4 {
            // The default length, unrolled: no loop over each gram's bytes.
            let characters = FeatureHash(kind: .characters)
            while g + 4 <= count {
              var gram = characters
              gram.add(base[g])
              gram.add(base[g + 1])
              gram.add(base[g + 2])
              gram.add(base[g + 3])
              sink.add(gram.feature(mask: mask), kind: .characters, start: start, end: end)
              g += 1
            }
          } else {
            while g + n <= count {
              var gram = FeatureHash(kind: .characters)
              gram.add(UnsafeBufferPointer(start: base + g, count: n))
              sink.add(gram.feature(mask: mask), kind: .characters, start: start, end: end)
              g += 1
            }
          }
          var last = FeatureHash(kind: .characters)
          last.add(UnsafeBufferPointer(start: base + count - (n - 1), count: n - 1))
          last.add(UInt8(ascii: "$"))
          sink.add(last.feature(mask: mask), kind: .characters, start: start, end: end)
        }
      }
    }
    guard settings.ruleCategories && !rules.isEmpty else { return }
    // Each category once, at its first match.
    for (k, rule) in rules.enumerated() where !rules[..<k].contains(where: { $0.category == rule.category }) {
      var category = FeatureHash(kind: .ruleCategory)
      var name = rule.category.name
      name.withUTF8 { category.add($0) }
      sink.add(category.feature(mask: mask), kind: .ruleCategory, start: rule.start, end: rule.end)
    }
  }

  @inline(__always)
  static func addToken(_ raw: RawToken, _ bytes: UnsafeBufferPointer<UInt8>, to hash: inout FeatureHash) {
    switch raw.kind {
    case .word, .number, .emoji:
      hash.add(bytes)
    case .url, .email, .handle:
      hash.add(0xFF)
      hash.add(raw.kind.rawValue)
    }
  }
}

/// Collects the features as a list (what training reads).
struct FeatureListSink: FeatureSink {
  var features: [HashedFeature] = []

  mutating func add(_ feature: HashedFeature, kind: ModelFeatureKind, start: Int, end: Int) {
    features.append(feature)
  }
}
