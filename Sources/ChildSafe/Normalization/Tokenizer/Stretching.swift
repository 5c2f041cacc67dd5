// Stretching: a letter repeated three or more times ("pleeease", "sooo") is collapsed to one or
// two, whichever the lexicon knows. One algorithm over any element type: the bytes of an ASCII
// word (looked up without a String) or the scalars of any other.

extension Tokenizer {
  /// Whether some element comes three or more times in a row.
  @inline(__always)
  static func isStretched<S: Sequence>(_ elements: S) -> Bool where S.Element: Equatable {
    var previous: S.Element? = nil
    var repeats = 0
    for element in elements {
      if element == previous {
        repeats += 1
        if repeats >= 3 { return true }
      } else {
        previous = element
        repeats = 1
      }
    }
    return false
  }

  /// Whether some character of `word` comes three or more times in a row.
  static func isStretched(_ word: String) -> Bool {
    // ASCII (nearly every word): its bytes are its scalars.
    let ascii = word.utf8.withContiguousStorageIfAvailable { bytes -> Bool? in
      for b in bytes where b >= 0x80 { return nil }
      return isStretched(bytes)
    }
    if let ascii, let stretched = ascii { return stretched }
    return isStretched(word.unicodeScalars)
  }

  /// Collapses letters repeated three or more times ("pleeease" -> "please"), choosing between one
  /// and two letters with the lexicon ("cooool" -> "cool") and one when the lexicon does not know.
  mutating func unstretch(_ word: String, guided: Bool = true) -> String {
    // Most words have no letter three times in a row: say so without copying anything.
    if !Tokenizer.isStretched(word) { return word }
    let lexicon = self.lexicon
    // ASCII: candidates built and looked up as bytes on the stack.
    let ascii = word.utf8.withContiguousStorageIfAvailable { bytes -> String?? in
      for b in bytes where b >= 0x80 { return nil }
      return Tokenizer.unstretched(
        bytes, guided: guided, isLetter: { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x41 && $0 <= 0x5A) },
        known: { lexicon.contains(ascii: $0) }, text: { Tokenizer.string($0, ascii: true) })
    }
    if let ascii, let ascii { return ascii ?? word }
    // Other text: the same over its scalars, candidates looked up as Strings.
    let scalars = word.unicodeScalars.map(\.value)
    let result = scalars.withUnsafeBufferPointer { scalars in
      Tokenizer.unstretched(
        scalars, guided: guided, isLetter: { Unicode.Scalar($0)?.properties.isAlphabetic ?? false },
        known: { lexicon.contains(Tokenizer.utf8String($0)) }, text: { Tokenizer.utf8String($0) })
    }
    return result ?? word
  }

  /// The collapsing behind ``unstretch(_:guided:)``: tries keeping two letters for each subset of
  /// the first four runs (when `guided`), returning the first candidate `known` accepts as `text`
  /// makes it, else the one-letter form; nil when `word` has no run of a letter three times.
  static func unstretched<Element: Equatable>(
    _ word: UnsafeBufferPointer<Element>, guided: Bool, isLetter: (Element) -> Bool,
    known: (UnsafeBufferPointer<Element>) -> Bool, text: (UnsafeBufferPointer<Element>) -> String
  ) -> String? {
    // Runs of a letter three or more times (only the first four give choices).
    var runCount = 0
    var k = 0
    while k < word.count {
      var j = k + 1
      while j < word.count && word[j] == word[k] { j += 1 }
      if j - k >= 3 && isLetter(word[k]) { runCount += 1 }
      k = j
    }
    if runCount == 0 { return nil }
    return withScratch(of: Element.self, capacity: word.count) { out in
      /// `word` with each run collapsed to one letter, or two when the run's bit is set in `mask`.
      func build(_ mask: Int) -> UnsafeBufferPointer<Element> {
        var count = 0
        var bit = 0
        var k = 0
        while k < word.count {
          var j = k + 1
          while j < word.count && word[j] == word[k] { j += 1 }
          if j - k >= 3 && isLetter(word[k]) {
            let keep = (bit < 8 && mask & (1 << bit) != 0) ? 2 : 1
            for _ in 0..<keep {
              out[count] = word[k]
              count += 1
            }
            bit += 1
          } else {
            for m in k..<j {
              out[count] = word[m]
              count += 1
            }
          }
          k = j
        }
        return UnsafeBufferPointer(rebasing: out[0..<count])
      }
      let options = guided && runCount <= 4 ? (1 << runCount) : 1
      for mask in 0..<options {
        let candidate = build(mask)
        if known(candidate) { return text(candidate) }
      }
      return text(build(0))
    }
  }
}
