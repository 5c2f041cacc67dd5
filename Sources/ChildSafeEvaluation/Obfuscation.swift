/// A small, fast, seeded random number generator (SplitMix64), so that obfuscated corpora are the same
/// on every run and every machine for a given seed.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
  var state: UInt64

  public init(seed: UInt64) { state = seed }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// True with probability `p`.
  mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }

  /// A generator for one item: depends on the seed, the transform and the item id only, so that results do
  /// not depend on the order or the thread in which items are processed.
  static func forItem(seed: UInt64, salt: String, id: String) -> SeededGenerator {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a: stable across runs, unlike Hasher.
    for byte in salt.utf8 + [0] + id.utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x0000_0100_0000_01B3
    }
    var generator = SeededGenerator(seed: seed ^ hash)
    _ = generator.next()
    return generator
  }
}

/// The evasions people use to slip past filters. Each transform changes every word it can (at least one
/// letter or gap per eligible word) and is deterministic for a given seed and item id.
public enum ObfuscationTransform: String, Sendable, Hashable, CaseIterable {
  /// Letters replaced by look-alike digits and symbols: a→4, e→3, i→1, o→0, s→5, t→7.
  case leetspeak
  /// Latin letters replaced by look-alike Cyrillic ones (а е о р с х у ѕ і ...).
  case homoglyphs
  /// Dots or spaces between the letters of longer words: "s.e.c.r.e.t", "s e c r e t".
  case separators
  /// One vowel of a word repeated: "pleeeease".
  case stretched
  /// Zero-width characters inside words.
  case zero_width
  /// ASCII replaced by fullwidth forms: "ｓｅｃｒｅｔ".
  case fullwidth
  /// Vowels and some consonants replaced by accented forms: "sécrét".
  case diacritics
  /// Letters in random upper or lower case: "SeCrEt".
  case random_case

  public var name: String { rawValue }

  /// Applies the transform to `text`; `generator` decides which letters change.
  public func apply(_ text: String, using generator: inout SeededGenerator) -> String {
    switch self {
    case .fullwidth:
      var out = String.UnicodeScalarView()
      for scalar in text.unicodeScalars {
        if scalar.value >= 0x21 && scalar.value <= 0x7E, let wide = Unicode.Scalar(scalar.value + 0xFEE0) {
          out.append(wide)
        } else {
          out.append(scalar)
        }
      }
      return String(out)
    case .leetspeak: return Self.substitute(text, Self.leet, probability: 0.5, &generator)
    case .homoglyphs: return Self.substitute(text, Self.lookAlikes, probability: 0.5, &generator)
    case .diacritics: return Self.substitute(text, Self.accented, probability: 0.5, &generator)
    case .random_case:
      return Self.mapWords(text, &generator) { word, generator in
        var changed = false
        var out = word.map { letter -> Unicode.Scalar in
          guard generator.chance(0.5) else { return letter }
          changed = true
          return Self.toggledCase(letter)
        }
        if !changed, let first = out.first { out[0] = Self.toggledCase(first) }
        return out
      }
    case .zero_width:
      let marks: [Unicode.Scalar] = ["\u{200B}", "\u{200C}", "\u{200D}", "\u{2060}"]
      return Self.mapWords(text, &generator) { word, generator in
        guard word.count >= 2 else { return word }
        let forced = Int(generator.next() % UInt64(word.count - 1)) + 1
        var out: [Unicode.Scalar] = [word[0]]
        for i in 1..<word.count {
          if i == forced || generator.chance(0.3) { out.append(marks[Int(generator.next() % 4)]) }
          out.append(word[i])
        }
        return out
      }
    case .separators:
      var selected = false
      let result = Self.mapWords(text, &generator) { word, generator in
        guard word.count >= 4, generator.chance(0.5) else { return word }
        selected = true
        return Self.separated(word, generator.chance(0.5) ? "." : " ")
      }
      if selected { return result }
      // At least one word is spelt out: the first longest one.
      let lengths = Self.wordLengths(text)
      guard let longest = lengths.max(), longest >= 2, let target = lengths.firstIndex(of: longest) else { return text }
      return Self.rewriteWord(at: target, in: text, &generator) { word, _ in Self.separated(word, ".") }
    case .stretched:
      var selected = false
      let result = Self.mapWords(text, &generator) { word, generator in
        guard word.count >= 3, generator.chance(0.5) else { return word }
        selected = true
        return Self.stretched(word, &generator)
      }
      if selected { return result }
      // At least one word is stretched: the first of 3+ letters, or else the first word.
      let lengths = Self.wordLengths(text)
      guard let target = lengths.firstIndex(where: { $0 >= 3 }) ?? (lengths.isEmpty ? nil : 0) else { return text }
      return Self.rewriteWord(at: target, in: text, &generator, Self.stretched)
    }
  }

  /// Repeats one vowel of the word (or its last letter) 2 to 4 more times.
  static func stretched(_ word: [Unicode.Scalar], _ generator: inout SeededGenerator) -> [Unicode.Scalar] {
    let vowels: Set<Unicode.Scalar> = Set("aeiouyAEIOUY".unicodeScalars)
    let positions = word.indices.filter { vowels.contains(word[$0]) }
    let candidates = positions.isEmpty ? [word.count - 1] : positions
    let at = candidates[Int(generator.next() % UInt64(candidates.count))]
    let extra = 2 + Int(generator.next() % 3)
    return Array(word[...at]) + Array(repeating: word[at], count: extra) + Array(word[(at + 1)...])
  }

  static func wordLengths(_ text: String) -> [Int] {
    var lengths: [Int] = []
    var unused = SeededGenerator(seed: 0)
    _ = mapWords(text, &unused) { word, _ in
      lengths.append(word.count)
      return word
    }
    return lengths
  }

  static func rewriteWord(
    at target: Int, in text: String, _ generator: inout SeededGenerator,
    _ transform: ([Unicode.Scalar], inout SeededGenerator) -> [Unicode.Scalar]
  ) -> String {
    var index = 0
    return mapWords(text, &generator) { word, generator in
      defer { index += 1 }
      return index == target ? transform(word, &generator) : word
    }
  }

  static let leet: [Unicode.Scalar: [Unicode.Scalar]] = [
    "a": ["4", "@"], "e": ["3"], "i": ["1", "!"], "o": ["0"], "s": ["5", "$"], "t": ["7"],
    "A": ["4"], "E": ["3"], "I": ["1"], "O": ["0"], "S": ["5"], "T": ["7"],
  ]

  static let lookAlikes: [Unicode.Scalar: [Unicode.Scalar]] = [
    "a": ["\u{0430}"], "c": ["\u{0441}"], "e": ["\u{0435}"], "o": ["\u{043E}", "\u{03BF}"], "p": ["\u{0440}"],
    "x": ["\u{0445}"], "y": ["\u{0443}"], "s": ["\u{0455}"], "i": ["\u{0456}"], "j": ["\u{0458}"],
    "A": ["\u{0410}"], "B": ["\u{0412}"], "C": ["\u{0421}"], "E": ["\u{0415}"], "H": ["\u{041D}"],
    "K": ["\u{041A}"], "M": ["\u{041C}"], "O": ["\u{041E}"], "P": ["\u{0420}"], "T": ["\u{0422}"],
    "X": ["\u{0425}"],
  ]

  static let accented: [Unicode.Scalar: [Unicode.Scalar]] = [
    "a": ["á", "à", "â", "ä", "ã"], "e": ["é", "è", "ê", "ë"], "i": ["í", "ì", "î", "ï"],
    "o": ["ó", "ò", "ô", "ö", "õ"], "u": ["ú", "ù", "û", "ü"], "n": ["ñ"], "c": ["ç"], "y": ["ý", "ÿ"],
    "A": ["Á", "À", "Ä"], "E": ["É", "È"], "I": ["Í"], "O": ["Ó", "Ö"], "U": ["Ú", "Ü"], "N": ["Ñ"], "C": ["Ç"],
  ]

  static func isLetter(_ s: Unicode.Scalar) -> Bool {
    (s.value >= 0x41 && s.value <= 0x5A) || (s.value >= 0x61 && s.value <= 0x7A)
  }

  static func toggledCase(_ s: Unicode.Scalar) -> Unicode.Scalar {
    if s.value >= 0x41 && s.value <= 0x5A { return Unicode.Scalar(s.value + 32) ?? s }
    if s.value >= 0x61 && s.value <= 0x7A { return Unicode.Scalar(s.value - 32) ?? s }
    return s
  }

  static func separated(_ word: [Unicode.Scalar], _ separator: Unicode.Scalar) -> [Unicode.Scalar] {
    var out: [Unicode.Scalar] = []
    for (i, letter) in word.enumerated() {
      if i > 0 { out.append(separator) }
      out.append(letter)
    }
    return out
  }

  /// Rewrites every word (maximal run of ASCII letters), keeping everything else.
  static func mapWords(
    _ text: String, _ generator: inout SeededGenerator,
    _ transform: ([Unicode.Scalar], inout SeededGenerator) -> [Unicode.Scalar]
  ) -> String {
    var out = String.UnicodeScalarView()
    var word: [Unicode.Scalar] = []
    for scalar in text.unicodeScalars {
      if isLetter(scalar) {
        word.append(scalar)
        continue
      }
      if !word.isEmpty {
        out.append(contentsOf: transform(word, &generator))
        word.removeAll(keepingCapacity: true)
      }
      out.append(scalar)
    }
    if !word.isEmpty { out.append(contentsOf: transform(word, &generator)) }
    return String(out)
  }

  /// Replaces letters by one of their substitutes with probability `probability`, and at least one
  /// letter of every word that has a substitutable letter.
  static func substitute(
    _ text: String, _ table: [Unicode.Scalar: [Unicode.Scalar]], probability: Double,
    _ generator: inout SeededGenerator
  ) -> String {
    mapWords(text, &generator) { word, generator in
      let eligible = word.indices.filter { table[word[$0]] != nil }
      guard !eligible.isEmpty else { return word }
      let forced = eligible[Int(generator.next() % UInt64(eligible.count))]
      var out = word
      for i in eligible where i == forced || generator.chance(probability) {
        if let choices = table[word[i]] { out[i] = choices[Int(generator.next() % UInt64(choices.count))] }
      }
      return out
    }
  }
}
