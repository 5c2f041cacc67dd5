/// How a model turns a message into features. Fixed when the model is trained and stored in its
/// file, so that inference computes exactly the features training saw.
///
/// Features are read from the normaliser's tokens (leetspeak, look-alike letters, zero-width
/// characters and spaced-out words are undone before any feature is formed) and hashed into
/// `2^hashBits` weights with a sign bit, so a model's size is fixed whatever its vocabulary.
public struct FeatureSettings: Sendable, Hashable {
  /// Weights in the model: `2^hashBits` (12...22).
  public var hashBits: Int
  /// Length in bytes of the character n-grams read inside each word (0 for none, else 3...6).
  public var characterGrams: Int
  /// Whether adjacent word pairs are features.
  public var wordPairs: Bool
  /// Whether the categories of the rules that fired are features.
  public var ruleCategories: Bool
  /// Whether who talks to whom is a feature of every message (conversation level only): the
  /// pairing the conversation shows for its sender (adult to minor, adults, minors, unknown) and
  /// the sender's own inferred role, as ``ConversationTracker`` reads them from the host's ages and
  /// the conversation's own disclosures.
  public var participants: Bool

  public init(
    hashBits: Int = 18, characterGrams: Int = 4, wordPairs: Bool = true, ruleCategories: Bool = true,
    participants: Bool = false
  ) {
    self.hashBits = hashBits
    self.characterGrams = characterGrams
    self.wordPairs = wordPairs
    self.ruleCategories = ruleCategories
    self.participants = participants
  }

  public static let `default` = FeatureSettings()

  public static let hashBitsRange = 12...22
  public static let characterGramsRange = 3...6

  /// Nil when valid, else what is wrong.
  public var problem: String? {
    if !FeatureSettings.hashBitsRange.contains(hashBits) {
      return "hash bits must be in \(FeatureSettings.hashBitsRange), not \(hashBits)"
    }
    if characterGrams != 0 && !FeatureSettings.characterGramsRange.contains(characterGrams) {
      return "character n-grams must be 0 or in \(FeatureSettings.characterGramsRange), not \(characterGrams)"
    }
    return nil
  }

  var weightCount: Int { 1 << hashBits }

  /// Whether the featuriser reads the same features from a message under both settings
  /// (participant features are added by the conversation tracker, not read from the message).
  func readsSameFeatures(as other: FeatureSettings) -> Bool {
    hashBits == other.hashBits && characterGrams == other.characterGrams && wordPairs == other.wordPairs
      && ruleCategories == other.ruleCategories
  }
}

/// What kind of feature a model weight was learnt for (what an explanation points at).
public enum ModelFeatureKind: UInt8, Sendable, Hashable, CustomStringConvertible {
  /// A word (normalised).
  case word = 1
  /// Two adjacent words.
  case wordPair = 2
  /// A run of characters inside a word.
  case characters = 3
  /// A rule category that fired.
  case ruleCategory = 4
  /// Who talks to whom (see ``FeatureSettings/participants``).
  case participants = 5

  public var description: String {
    switch self {
    case .word: "word"
    case .wordPair: "word_pair"
    case .characters: "characters"
    case .ruleCategory: "rule_category"
    case .participants: "participants"
    }
  }
}

/// One hashed feature occurrence: a weight index and the sign the hash gave it.
public struct HashedFeature: Sendable, Hashable {
  public var index: UInt32
  /// +1 or -1 (feature hashing's sign, which keeps collisions from biasing the score).
  public var sign: Float

  public init(index: UInt32, sign: Float) {
    self.index = index
    self.sign = sign
  }
}
