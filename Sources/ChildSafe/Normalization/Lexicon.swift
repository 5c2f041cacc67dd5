/// Words the normaliser may aim for when an evasion is ambiguous: "he11o" could be "heiio" or
/// "hello", "cooool" could be "col" or "cool". The classifier passes the vocabulary of its rules,
/// so repairs land on the words the rules are written in.
public struct Lexicon: Sendable {
  /// One immutable reference: copying a lexicon costs one retain, and a normaliser run borrows it
  /// without any (see ``Tokenizer``).
  final class Storage: Sendable {
    let words: Set<String>
    /// The ASCII spelling of every word that has one, by its UTF-8 bytes: the normaliser asks for
    /// several candidate spellings per repaired word, nearly all ASCII, and hashing bytes is several
    /// times cheaper than hashing a String. Two ASCII strings are equal exactly when their bytes are.
    let asciiTable: ByteTable
    /// ASCII spellings that ``asciiTable`` lacks, looked up after it. Nil but in an engine read
    /// from the library's compiled packs, whose lexicon shares the matcher's word table (the rules'
    /// words, which are nearly all of the lexicon's; asked only about ASCII, that table answers
    /// as the lexicon's own would) and keeps here the few words no rule uses.
    let asciiExtra: ByteTable?
    /// Those ASCII spellings and every proper prefix of them ("se", "sec"... of "secret"), flagged
    /// (``ByteTable/PrefixFlags``), so that a search for words in a run of letters (see
    /// ``Tokenizer/segmented(_:)``) stops extending a candidate as soon as no word starts with it.
    /// Kept apart from ``asciiTable``, which is read per token. Nil in the short-lived lexicons
    /// that rule words are normalised with: the search then tries every candidate length, with
    /// the same result.
    let asciiPrefixes: ByteTable?
    /// The same for the words that are not all ASCII (words of other scripts: the default
    /// lexicon has none, its accents being folded away), by their scalars; nil where
    /// ``asciiPrefixes`` is.
    let otherPrefixes: Set<String>?
    /// Words added to a shared base lexicon (``Lexicon/init(_:adding:)``), looked up after it: the
    /// short-lived lexicons that rule words are normalised with (one per word, thousands per
    /// load) then share the base's tables instead of copying them. Nil in every other lexicon.
    let added: (words: Set<String>, ascii: ByteTable)?

    init(words: Set<String>, ascii: Set<String>, indexPrefixes: Bool) {
      self.words = words
      // Sorted, so that the same words always make the same table (see ``CompiledRulesArchive``);
      // by bytes, which is cheaper than comparing Strings.
      asciiTable = ByteTable(
        ascii.map { (key: $0, value: Int32(0)) }.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) })
      asciiExtra = nil
      added = nil
      guard indexPrefixes else {
        asciiPrefixes = nil
        otherPrefixes = nil
        return
      }
      asciiPrefixes = asciiTable.prefixTable()
      var others = Set<String>()
      for word in words where !word.utf8.allSatisfy({ $0 < 0x80 }) {
        var prefix = String.UnicodeScalarView()
        for scalar in word.unicodeScalars.dropLast() {
          prefix.append(scalar)
          others.insert(String(prefix))
        }
      }
      otherPrefixes = others
    }

    /// Tables built before (see ``CompiledRulesArchive``).
    init(
      words: Set<String>, asciiTable: ByteTable, asciiExtra: ByteTable? = nil, asciiPrefixes: ByteTable?,
      otherPrefixes: Set<String>?
    ) {
      self.words = words
      self.asciiTable = asciiTable
      self.asciiExtra = asciiExtra
      self.asciiPrefixes = asciiPrefixes
      self.otherPrefixes = otherPrefixes
      added = nil
    }

    /// `base`'s words and `added` (none of them in `base`), without a prefix index.
    init(base: Storage, added words: Set<String>, ascii: ByteTable) {
      self.words = base.words
      asciiTable = base.asciiTable
      asciiExtra = base.asciiExtra
      asciiPrefixes = nil
      otherPrefixes = nil
      added = words.isEmpty ? nil : (words, ascii)
    }

    var isEmpty: Bool { words.isEmpty && added == nil }

    /// Every word, the added ones included.
    var allWords: Set<String> {
      guard let added else { return words }
      return words.union(added.words)
    }

    /// Whether the lexicon holds the word spelt by these ASCII bytes.
    func contains(ascii bytes: UnsafeBufferPointer<UInt8>) -> Bool {
      if asciiTable.value(for: bytes) != nil { return true }
      if let asciiExtra, asciiExtra.value(for: bytes) != nil { return true }
      guard let added else { return false }
      return added.ascii.value(for: bytes) != nil
    }

    /// Whether these ASCII bytes spell a word, and whether a longer word starts with them.
    func lookUp(asciiPrefix bytes: UnsafeBufferPointer<UInt8>) -> (isWord: Bool, startsLongerWord: Bool) {
      guard let asciiPrefixes else { return (contains(ascii: bytes), true) }
      let flags = ByteTable.PrefixFlags(rawValue: asciiPrefixes.value(for: bytes) ?? 0)
      return (flags.contains(.key), flags.contains(.startsLongerKey))
    }

    /// Whether some word is longer than `prefix` and starts with it, its scalars compared as
    /// Strings compare (the lexicon's words and the letters searched are both normalised text).
    func hasLongerWord(prefix: String, ascii: Bool) -> Bool {
      guard let otherPrefixes else { return true }
      if otherPrefixes.contains(prefix) { return true }
      guard ascii else { return false }
      var text = prefix
      return text.withUTF8 { lookUp(asciiPrefix: $0).startsLongerWord }
    }

    func contains(_ word: String) -> Bool {
      // ASCII words (nearly all lookups) by their bytes; others with String equality.
      let ascii = word.utf8.withContiguousStorageIfAvailable { bytes -> Bool? in
        for b in bytes where b >= 0x80 { return nil }
        return contains(ascii: bytes)
      }
      if let ascii, let found = ascii { return found }
      return words.contains(word) || (added?.words.contains(word) ?? false)
    }
  }

  let storage: Storage
  var words: Set<String> { storage.allWords }

  public init<S: Sequence>(_ words: S) where S.Element == String {
    self.init(words, indexPrefixes: true)
  }

  /// `indexPrefixes: false` leaves out the prefix index (see ``Storage/asciiPrefixes``), for a
  /// lexicon built to normalise a few words and then dropped.
  init<S: Sequence>(_ words: S, indexPrefixes: Bool) where S.Element == String {
    let words = Set(words)
    var ascii = Set<String>()
    var equivalents: [Unicode.Scalar: UInt8?] = [:]
    for word in words {
      if word.utf8.allSatisfy({ $0 < 0x80 }) {
        ascii.insert(word)
      } else if let spelling = Lexicon.asciiEquivalent(word, cache: &equivalents) {
        ascii.insert(spelling)
      }
    }
    storage = Storage(words: words, ascii: ascii, indexPrefixes: indexPrefixes)
  }

  /// A lexicon over tables built before (see ``CompiledRulesArchive``).
  init(storage: Storage) { self.storage = storage }

  /// `base`'s words and `extra`, without a prefix index: the same lexicon as
  /// `Lexicon(base.words.union(extra), indexPrefixes: false)`, built by sharing `base`'s tables
  /// and holding the few new words beside them rather than hashing every word again.
  init(_ base: Lexicon, adding extra: [String]) {
    var baseStorage = base.storage
    if let nested = baseStorage.added {
      // A base that is itself layered: flatten it, so that lookups stay two tables deep.
      baseStorage = Lexicon(baseStorage.words.union(nested.words), indexPrefixes: false).storage
    }
    var added = Set<String>()
    var ascii: [(key: String, value: Int32)] = []
    var equivalents: [Unicode.Scalar: UInt8?] = [:]
    for word in extra where !baseStorage.words.contains(word) && added.insert(word).inserted {
      if word.utf8.allSatisfy({ $0 < 0x80 }) {
        ascii.append((word, 0))
      } else if let spelling = Lexicon.asciiEquivalent(word, cache: &equivalents) {
        ascii.append((spelling, 0))
      }
    }
    storage = Storage(base: baseStorage, added: added, ascii: ByteTable(ascii))
  }

  /// The ASCII string canonically equivalent to `word` (so equal as Strings), if there is one. Only
  /// singletons such as the Kelvin sign (K) are non-ASCII scalars equivalent to ASCII; nothing
  /// composes into ASCII, so each scalar must be equivalent to an ASCII character on its own.
  static func asciiEquivalent(_ word: String, cache: inout [Unicode.Scalar: UInt8?]) -> String? {
    var bytes: [UInt8] = []
    for scalar in word.unicodeScalars {
      if scalar.isASCII {
        bytes.append(UInt8(scalar.value))
        continue
      }
      let equivalent: UInt8?
      if let known = cache[scalar] {
        equivalent = known
      } else {
        equivalent = asciiEquivalent(of: scalar)
        cache[scalar] = equivalent
      }
      guard let equivalent else { return nil }
      bytes.append(equivalent)
    }
    let spelling = String(decoding: bytes, as: UTF8.self)
    return spelling == word ? spelling : nil
  }

  /// The ASCII character canonically equivalent to `scalar`, if any: 128 String comparisons the
  /// first time a scalar is asked about in the process, remembered after (a load normalises
  /// thousands of rule words, each with its own lexicon).
  static func asciiEquivalent(of scalar: Unicode.Scalar) -> UInt8? {
    if let known = asciiEquivalents.withLock({ $0[scalar] }) { return known }
    let text = String(scalar)
    let equivalent = (UInt8(0)..<UInt8(0x80)).first { String(Unicode.Scalar($0)) == text }
    asciiEquivalents.withLock { $0[scalar] = .some(equivalent) }
    return equivalent
  }

  /// Bounded by the scalars rule words and lexicons use; nothing from messages is asked about.
  static let asciiEquivalents = Locked<[Unicode.Scalar: UInt8?]>([:])

  public var isEmpty: Bool { words.isEmpty }
  public var count: Int { words.count }

  public func contains(_ word: String) -> Bool { storage.contains(word) }

  /// A new lexicon with the words of both.
  public func union(_ other: Lexicon) -> Lexicon {
    Lexicon(words.union(other.words))
  }

  /// A small set of everyday chat words, used when no rule vocabulary is given.
  public static let everyday = Lexicon([
    "hello", "hi", "hey", "please", "pls", "cool", "good", "look", "book", "too", "soon", "see", "meet",
    "keep", "feel", "need", "sweet", "free", "all", "will", "call", "tell", "well", "still", "really",
    "yes", "so", "no", "omg", "lol", "love", "cute", "girl", "boy", "pic", "pics", "photo", "secret",
    "alone", "home", "parents", "mom", "dad", "school", "address", "snap", "insta", "number", "phone",
    "kiss", "sexy", "hot", "baby", "babe", "now", "old", "age", "tell", "anyone", "nobody", "sex",
    "nude", "nudes", "delete", "hide", "trust", "special", "mature", "gift", "money", "send", "cam",
    "video", "live", "where", "what", "when", "who", "you", "your", "are", "live", "little", "kill",
    "off", "stuff", "happy", "sorry", "bitter", "better", "letter", "pretty", "little", "dinner",
  ])
}
