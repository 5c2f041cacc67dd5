// Repairing one word: look-alike letters, numbers with units, textspeak, leetspeak and
// stretching, in that order (each stage in its own file).

extension Tokenizer {
  // MARK: Repairs

  /// Repairs a word (its folded scalars) into a token with the given original byte span.
  /// Its text is written to the arena of ``tokens``; the caller appends the token.
  mutating func repaired(_ input: UnsafeBufferPointer<UInt32>, start: Int, end: Int) -> RawToken {
    cost.add(input.count)
    leetRead = false
    var letters = 0
    var digits = 0
    var symbols = 0
    var lookAlikes = 0
    var latin = 0
    var unmappable = 0
    var allASCII = true
    var stretched = false
    var previous: UInt32 = 0
    var repeatCount = 0
    for c in input {
      if c < 0x80 {
        if c >= 0x61 && c <= 0x7A {
          letters += 1
          latin += 1
        } else if c >= 0x30 && c <= 0x39 {
          digits += 1
        } else if Leet.isSymbol(c) {
          symbols += 1
        }
      } else {
        allASCII = false
        let cls = tables.charClass(c)
        if cls == .letter {
          letters += 1
          if c >= 0x0370 && c <= 0x052F {
            if tables.latin(for: c) != nil { lookAlikes += 1 } else { unmappable += 1 }
          } else if c < 0x0250 {
            latin += 1
          }
        } else if cls == .digit {
          digits += 1
        } else if Leet.isSymbol(c) {
          symbols += 1
        }
      }
      if c == previous {
        repeatCount += 1
        if repeatCount >= 3 { stretched = true }
      } else {
        previous = c
        repeatCount = 1
      }
    }
    // Fast path: plain lowercase ASCII letters, nothing to repair.
    if allASCII && digits == 0 && symbols == 0 && !stretched {
      return asciiToken(input, start: start, end: end)
    }
    // Look-alike letters from Cyrillic or Greek inside Latin text.
    if lookAlikes > 0 && (latin > 0 || (unmappable == 0 && computeLatinDominance())) {
      return withScratch(of: UInt32.self, capacity: input.count) { mapped in
        for k in 0..<input.count {
          let c = input[k]
          if let l = tables.latin(for: c) { mapped[k] = UInt32(l) } else { mapped[k] = c }
        }
        return repairedWord(UnsafeBufferPointer(mapped), start: start, end: end, letters: letters, digits: digits, symbols: symbols)
      }
    }
    return repairedWord(input, start: start, end: end, letters: letters, digits: digits, symbols: symbols)
  }

  /// The rest of ``repaired(_:start:end:)``, after look-alike letters are mapped.
  mutating func repairedWord(
    _ scalars: UnsafeBufferPointer<UInt32>, start: Int, end: Int, letters: Int, digits: Int, symbols: Int
  ) -> RawToken {
    if letters == 0 && symbols == 0 {
      return utf8Token(scalars, start: start, end: end, kind: .number)
    }
    if digits > 0 && symbols == 0, isNumberWithUnit(scalars) {
      // "1s" and "70p" may be leetspeak for "is" and "top": a known word wins over a unit.
      if scalars.count > Tokenizer.maximumGuidedLength || !lexicon.contains(deLeet(scalars)) {
        return utf8Token(scalars, start: start, end: end, kind: .number)
      }
    }
    // Lexicon-guided readings try up to 16 variants of up to 16 stretch choices each; no real word is
    // longer than this, and skipping them keeps cost linear with a small constant.
    let guided = scalars.count <= Tokenizer.maximumGuidedLength
    cost.add(guided ? 256 * scalars.count : 2 * scalars.count)
    // The plain spelling is looked up by its UTF-8 bytes, which are copied as the token's text when
    // they are it; a String is made only to unstretch it.
    if let plain = utf8Bytes(scalars) {
      return wordFromSpelling(
        scalars, plain: plain.bytes, ascii: plain.ascii, start: start, end: end, letters: letters, digits: digits,
        symbols: symbols, guided: guided)
    }
    // (The byte scratch has room for any word; this is only a fallback.)
    let bytes = Array(Tokenizer.utf8String(scalars).utf8)
    return bytes.withUnsafeBufferPointer { plain in
      wordFromSpelling(
        scalars, plain: plain, ascii: !plain.contains { $0 >= 0x80 }, start: start, end: end, letters: letters,
        digits: digits, symbols: symbols, guided: guided)
    }
  }

  /// The end of ``repairedWord(_:start:end:letters:digits:symbols:)``, given the plain spelling as
  /// UTF-8 (`ascii` when every byte is).
  mutating func wordFromSpelling(
    _ scalars: UnsafeBufferPointer<UInt32>, plain: UnsafeBufferPointer<UInt8>, ascii: Bool, start: Int, end: Int,
    letters: Int, digits: Int, symbols: Int, guided: Bool
  ) -> RawToken {
    // Every textspeak spelling has a digit (checked once), so words without one skip the lookup.
    if digits > 0 || !Tokenizer.textspeakAlwaysHasDigits, let expansion = Tokenizer.textspeakTable.value(for: plain) {
      return tokens.token(Tokenizer.textspeakExpansions[Int(expansion)], start: start, end: end, kind: .word)
    }
    if digits > 0 || symbols > 0 {
      // `lexicon.contains(plain)`: ASCII spellings by their bytes, others as Strings.
      let known = lexiconContains(plain, ascii: ascii)
      if !known { return leetWord(scalars, start: start, end: end, letters: letters, guided: guided) }
    }
    // Unstretching leaves a word without a letter three times in a row as it is: the lexicon is
    // asked only about stretched words. `plain` spells `scalars`, whose repeats are cheaper to count.
    guard Tokenizer.isStretched(scalars) else { return tokens.token(bytes: plain, start: start, end: end, kind: .word) }
    var text = Tokenizer.string(plain, ascii: ascii)
    if !lexicon.contains(text) { text = unstretch(text, guided: guided) }
    return tokens.token(text, start: start, end: end, kind: .word)
  }

  /// A word with leet digits or symbols that the lexicon does not know as written: read as letters,
  /// then unstretched when a letter comes three times in a row.
  mutating func leetWord(_ scalars: UnsafeBufferPointer<UInt32>, start: Int, end: Int, letters: Int, guided: Bool) -> RawToken {
    var text = deLeet(scalars, guided: guided)
    leetRead = letters > 0
    if Tokenizer.isStretched(text) && !lexicon.contains(text) { text = unstretch(text, guided: guided) }
    return tokens.token(text, start: start, end: end, kind: .word)
  }

  mutating func isNumberWithUnit(_ scalars: UnsafeBufferPointer<UInt32>) -> Bool {
    var k = 0
    while k < scalars.count && scalars[k] >= 0x30 && scalars[k] <= 0x39 { k += 1 }
    guard k > 0 else { return false }
    let rest = UnsafeBufferPointer(rebasing: scalars[k...])
    guard rest.allSatisfy({ tables.charClass($0) == .letter }) else { return false }
    return Tokenizer.numberSuffixKeys.contains(rest)
  }
}
