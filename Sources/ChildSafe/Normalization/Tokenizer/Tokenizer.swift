/// Splits folded text into tokens and repairs evasions (see ``Normalizer``).
///
/// It works on borrowed buffers (the folded scalars, their spans, scratch space, the token list)
/// that the caller keeps alive for the whole run, so the hot loops do no reference counting, and
/// tokens are written to the caller's ``TokenList`` with their texts in its arena: only the rarer
/// repairs (leetspeak, stretching, textspeak) build Strings. Helpers that only read are
/// `mutating` too: calling a non-mutating method from a mutating one copies the whole struct on
/// every call.
struct Tokenizer {
  /// Borrowed for the run without retaining it: the caller's ``Lexicon`` keeps it alive.
  let lexicon: BorrowedLexicon
  /// The folded scalars.
  let s: UnsafeBufferPointer<UInt32>
  /// True while scalar i comes from byte i of the input (then `starts`/`ends` are empty).
  let identity: Bool
  let starts: UnsafeBufferPointer<UInt32>
  let ends: UnsafeBufferPointer<UInt32>
  /// The output: the caller's, moved in for the run and handed back.
  var tokens: TokenList
  /// For each token, whether it was a whole whitespace-separated chunk of a single character
  /// (a candidate for rejoining "s e c r e t"). Holds at least `s.count + 1` entries: every token
  /// covers at least one scalar of its own.
  let singles: UnsafeMutableBufferPointer<Bool>
  /// Tokens in a row so far that were single-character chunks, and whether three ever stood in a
  /// row: without that, ``joinSpacedLetters()`` has nothing to do (``readLeetChunks()`` only
  /// replaces tokens or inserts ones that are not single, so it never makes such a row).
  var singlesInRow = 0
  var threeSinglesInRow = false
  /// Scratch for the characters of one word piece (at least `s.count` entries).
  let work: UnsafeMutableBufferPointer<UInt32>
  /// Scratch for the UTF-8 of one token's text (at least `4 * s.count` bytes).
  let utf8: UnsafeMutableBufferPointer<UInt8>
  /// Whether the text is mostly Latin; computed only when a look-alike letter is seen.
  var latinDominance: Bool? = nil
  /// Leetspeak context (see ``readLeetChunks()``): indices of tokens that are words written with leet
  /// digits or symbols ("c4n", "m0m"), in increasing order.
  var leetWords: [Int] = []
  /// Whether the last ``repaired(_:start:end:)`` word mixed letters with leet digits or symbols.
  var leetRead = false
  /// Standalone digit or symbol chunks that may be a word with every letter replaced ("70", "!"):
  /// the index of their number token (or, when `inserted`, where the dropped symbols stood) and the
  /// word they read as.
  var leetChunks: [(index: Int, inserted: Bool, token: Token)] = []
  /// Work done, in scalar visits: lets tests check that cost grows linearly with input.
  var cost = WorkCounter()
  let tables = ScalarLookup.shared

  init(
    scalars: UnsafeBufferPointer<UInt32>, identity: Bool, starts: UnsafeBufferPointer<UInt32>,
    ends: UnsafeBufferPointer<UInt32>, singles: UnsafeMutableBufferPointer<Bool>,
    work: UnsafeMutableBufferPointer<UInt32>, utf8: UnsafeMutableBufferPointer<UInt8>, lexicon: Lexicon,
    tokens: TokenList
  ) {
    self.tokens = tokens
    self.utf8 = utf8
    self.s = scalars
    self.identity = identity
    self.starts = starts
    self.ends = ends
    self.singles = singles
    self.work = work
    self.lexicon = BorrowedLexicon(lexicon.storage)
  }

  /// Tokenises `scalars` into `tokens` with scratch space of its own (on the stack for ordinary
  /// messages); returns the work done.
  static func run(
    scalars: UnsafeBufferPointer<UInt32>, identity: Bool, starts: UnsafeBufferPointer<UInt32>,
    ends: UnsafeBufferPointer<UInt32>, lexicon: Lexicon, into tokens: inout TokenList
  ) -> Int {
    // The tokenizer borrows the lexicon's storage unretained: keep it alive for the whole run.
    return withExtendedLifetime(lexicon) {
      tokenize(scalars: scalars, identity: identity, starts: starts, ends: ends, lexicon: lexicon, into: &tokens)
    }
  }

  private static func tokenize(
    scalars: UnsafeBufferPointer<UInt32>, identity: Bool, starts: UnsafeBufferPointer<UInt32>,
    ends: UnsafeBufferPointer<UInt32>, lexicon: Lexicon, into tokens: inout TokenList
  ) -> Int {
    let n = scalars.count
    return withScratch(of: Bool.self, capacity: n + 1) { singles in
      withScratch(of: UInt32.self, capacity: n + 1) { work in
        withScratch(of: UInt8.self, capacity: 4 * n + 4) { utf8 in
          var tokenizer = Tokenizer(
            scalars: scalars, identity: identity, starts: starts, ends: ends, singles: singles, work: work,
            utf8: utf8, lexicon: lexicon, tokens: tokens)
          tokenizer.tokenize()
          tokens = tokenizer.tokens
          return tokenizer.cost.value
        }
      }
    }
  }

  @inline(__always)
  func start(_ i: Int) -> Int { identity ? i : Int(starts[i]) }

  @inline(__always)
  func end(_ i: Int) -> Int { identity ? i + 1 : Int(ends[i]) }

  mutating func tokenize() {
    cost.add(s.count)
    let n = s.count
    var i = 0
    while i < n {
      if isSpace(s[i]) {
        i += 1
        continue
      }
      // Find the chunk's end, noting on the way whether it is only lowercase ASCII letters with
      // none three times in a row: then it is its own token, as ``plainWord(_:_:)`` would say.
      var j = i
      var plain = true
      while j < n {
        let c = s[j]
        if c &- 0x61 < 26 {
          // A letter three times in a row (only letters so far, so these are letters too).
          if j - i >= 2 && c == s[j - 1] && c == s[j - 2] { plain = false }
        } else if isSpace(c) {
          break
        } else {
          // Not plain: only the chunk's end is left to find.
          plain = false
          j += 1
          while j < n && !isSpace(s[j]) { j += 1 }
          break
        }
        j += 1
      }
      if plain {
        cost.add(j - i)
        append(asciiToken(i, j), single: j - i == 1)
      } else if !plainWord(i, j) && !letterWord(i, j) {
        chunk(i, j)
      }
      // s[j] is the whitespace that ended the chunk (or j is the end): no need to test it again.
      i = j + 1
    }
    readLeetChunks()
    joinSpacedLetters()
  }

  @inline(__always)
  func isSpace(_ c: UInt32) -> Bool {
    c < 0x80 ? (c == 0x20 || (c >= 0x09 && c <= 0x0D)) : tables.charClass(c) == .space
  }

  /// Whether token `index` was a whole chunk of one character (see `singles`).
  @inline(__always)
  func isSingle(_ index: Int) -> Bool { index < singles.count && singles[index] }

  @inline(__always)
  mutating func append(_ token: RawToken, single: Bool) {
    // Never out of range (a token covers at least one scalar of its own); checked, not trapped.
    if tokens.count < singles.count {
      singles[tokens.count] = single
      singlesInRow = single ? singlesInRow + 1 : 0
      if singlesInRow >= 3 { threeSinglesInRow = true }
    } else {
      singlesInRow = 0
    }
    tokens.append(token)
  }

  @inline(__always)
  func slice(_ a: Int, _ b: Int) -> UnsafeBufferPointer<UInt32> { UnsafeBufferPointer(rebasing: s[a..<b]) }
}
