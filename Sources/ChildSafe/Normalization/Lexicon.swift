/// Words the normaliser may aim for when an evasion is ambiguous: "he11o" could be "heiio" or
/// "hello", "cooool" could be "col" or "cool". The classifier passes the vocabulary of its rules,
/// so repairs land on the words the rules are written in.
public struct Lexicon: Sendable {
  var words: Set<String>

  public init<S: Sequence>(_ words: S) where S.Element == String {
    self.words = Set(words)
  }

  public var isEmpty: Bool { words.isEmpty }
  public var count: Int { words.count }

  public func contains(_ word: String) -> Bool { words.contains(word) }

  /// A new lexicon with the words of both.
  public func union(_ other: Lexicon) -> Lexicon {
    var copy = self
    copy.words.formUnion(other.words)
    return copy
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
