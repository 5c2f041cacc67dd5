#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// A learnt linear model over hashed features: logistic regression whose score is
/// `1 / (1 + e^-(bias + Σ sign·w[index] / √n))` over the `n` feature occurrences it reads.
///
/// Dividing by `√n` makes scores of short and long texts comparable, and keeps a conversation's
/// score over a window of messages exactly computable from per-message sums: the model's state
/// about a conversation is two numbers per message, never text (see ``ConversationTracker``).
///
/// Immutable and `Sendable`: load it once and share it. See `docs/model.md` for the file format.
public struct LinearModel: Sendable {
  /// What a model judges.
  public enum Level: UInt8, Sendable, Hashable, CustomStringConvertible {
    /// One message at a time: its score can flag a message that no rule flagged.
    case message = 1
    /// A sliding window of each sender's latest messages: its score can escalate a conversation.
    case conversation = 2

    public var description: String { self == .message ? "message" : "conversation" }

    public init?(name: String) {
      switch name {
      case "message": self = .message
      case "conversation": self = .conversation
      default: return nil
      }
    }
  }

  public let level: Level
  public let settings: FeatureSettings
  public let bias: Float
  /// The score at which the model acts on its own (chosen when training, from measured curves).
  public let threshold: Float
  /// The score below which the model finds a text clearly ordinary: there the rules' own decision
  /// to act is withheld (their signals are still reported). 0 leaves the rules as they are.
  public let confirm: Float
  /// Messages per sender in a conversation window (conversation level).
  public let window: Int
  /// Conversation level: thresholds for conversations whose host declares a language (its primary
  /// subtag, lowercase), each at most ``threshold``; other conversations use ``threshold``.
  public let languageThresholds: [LanguageThreshold]
  /// Message level: the threshold for a message to a known minor (the rules' evidence acts there
  /// too: docs/rules.md, "What acts alone"), between ``confirm`` and ``threshold``; nil where the
  /// model has none and ``threshold`` applies to every message.
  public let minorThreshold: Float?
  /// What the model was trained on and how (corpora, seed, settings, figures), for people.
  public let description: String
  let weights: [Float]

  public static let maximumDescriptionBytes = 64 * 1024
  public static let windowRange = 1...256
  public static let maximumLanguageThresholds = 64

  public init(
    level: Level, settings: FeatureSettings, bias: Float, threshold: Float, confirm: Float = 0, window: Int = 32,
    languageThresholds: [LanguageThreshold] = [], minorThreshold: Float? = nil,
    description: String,
    weights: [Float]
  ) throws(ChildSafeError) {
    if let problem = settings.problem { throw ChildSafeError(.invalidValue, problem) }
    guard weights.count == settings.weightCount else {
      throw ChildSafeError(
        .invalidArgument, "a model with \(settings.hashBits) hash bits has \(settings.weightCount) weights, not \(weights.count)")
    }
    guard LinearModel.windowRange.contains(window) else {
      throw ChildSafeError(.invalidValue, "window must be in \(LinearModel.windowRange) messages, not \(window)")
    }
    guard !settings.participants || level == .conversation else {
      throw ChildSafeError(.invalidValue, "participant features are read from a conversation: a message-level model cannot have them")
    }
    guard description.utf8.count <= LinearModel.maximumDescriptionBytes else {
      throw ChildSafeError(.inputTooLarge, "a model description is limited to \(LinearModel.maximumDescriptionBytes) bytes")
    }
    guard bias.isFinite, threshold.isFinite, threshold > 0, threshold < 1, confirm.isFinite, confirm >= 0,
      confirm <= threshold, weights.allSatisfy(\.isFinite)
    else {
      throw ChildSafeError(
        .invalidValue, "a model's bias and weights must be finite, its threshold in (0, 1) and its confirm level in [0, threshold]")
    }
    guard languageThresholds.isEmpty || level == .conversation else {
      throw ChildSafeError(.invalidValue, "thresholds per language are for conversation-level models")
    }
    guard languageThresholds.count <= LinearModel.maximumLanguageThresholds,
      Set(languageThresholds.map(\.language)).count == languageThresholds.count
    else {
      throw ChildSafeError(
        .invalidValue, "a model has at most \(LinearModel.maximumLanguageThresholds) thresholds per language, one per language")
    }
    for entry in languageThresholds {
      guard LanguageThreshold.isCode(entry.language) else {
        throw ChildSafeError(.invalidValue, "a language threshold needs a 2- or 3-letter lowercase language code, not \"\(entry.language)\"")
      }
      guard entry.threshold.isFinite, entry.threshold >= confirm, entry.threshold <= threshold else {
        throw ChildSafeError(.invalidValue, "the threshold for \(entry.language) must lie between the confirm level and the threshold")
      }
    }
    if let minorThreshold {
      guard level == .message else {
        throw ChildSafeError(.invalidValue, "a threshold toward a known minor is for message-level models")
      }
      guard minorThreshold.isFinite, minorThreshold >= confirm, minorThreshold <= threshold else {
        throw ChildSafeError(.invalidValue, "the threshold toward a known minor must lie between the confirm level and the threshold")
      }
    }
    self.minorThreshold = minorThreshold
    self.level = level
    self.settings = settings
    self.languageThresholds = languageThresholds
    self.bias = bias
    self.threshold = threshold
    self.confirm = confirm
    self.window = window
    self.description = description
    self.weights = weights
  }

  /// The threshold for a conversation whose host declares `language` (a tag such as "de" or "en-GB").
  /// Called for every message of a conversation: compares bytes, allocates nothing.
  public func threshold(forLanguage language: String?) -> Float {
    guard let language, !languageThresholds.isEmpty else { return threshold }
    return languageThresholds.first { $0.matches(language) }?.threshold ?? threshold
  }

  /// The threshold for a message, toward a known minor or not.
  @inline(__always)
  public func threshold(towardKnownMinor: Bool) -> Float {
    towardKnownMinor ? minorThreshold ?? threshold : threshold
  }

  /// The probability the model gives to a feature sum over `count` occurrences.
  @inline(__always)
  func probability(sum: Float, count: Int) -> Float {
    let z = bias + (count > 0 ? sum / Float(count).squareRoot() : 0)
    return 1 / (1 + expf(-z))
  }

  /// Whether two optional models are the same model (same header and weights).
  static func same(_ a: LinearModel?, _ b: LinearModel?) -> Bool {
    switch (a, b) {
    case (nil, nil): return true
    case let (a?, b?):
      return a.level == b.level && a.settings == b.settings && a.bias == b.bias && a.threshold == b.threshold && a.confirm == b.confirm
        && a.minorThreshold == b.minorThreshold && a.languageThresholds == b.languageThresholds && a.window == b.window && a.description == b.description && a.weights == b.weights
    default: return false
    }
  }

  /// The weight of a feature with its hash sign.
  @inline(__always)
  func contribution(_ feature: HashedFeature) -> Float { feature.sign * weights[Int(feature.index)] }
}

/// A conversation-level model's threshold for one declared language.
public struct LanguageThreshold: Sendable, Hashable {
  /// A primary language subtag: 2 or 3 lowercase ASCII letters ("de").
  public var language: String
  public var threshold: Float

  public init(language: String, threshold: Float) {
    self.language = language
    self.threshold = threshold
  }

  /// Whether a language tag's primary subtag is this language, ignoring case ("en-GB" is "en").
  func matches(_ tag: String) -> Bool {
    var own = language.utf8.makeIterator()
    for b in tag.utf8 {
      if b == UInt8(ascii: "-") || b == UInt8(ascii: "_") { break }
      let lower = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(b) ? b + 32 : b
      guard own.next() == lower else { return false }
    }
    return own.next() == nil
  }

  static func isCode(_ s: String) -> Bool {
    (2...3).contains(s.utf8.count) && s.utf8.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) }
  }

  /// The primary subtag of a language tag, lowercase ("de-AT" gives "de"); nil when it is none.
  public static func code(of tag: String) -> String? {
    var code: [UInt8] = []
    for b in tag.utf8 {
      if b == UInt8(ascii: "-") || b == UInt8(ascii: "_") { break }
      guard code.count < 3 else { return nil }
      switch b {
      case UInt8(ascii: "a")...UInt8(ascii: "z"): code.append(b)
      case UInt8(ascii: "A")...UInt8(ascii: "Z"): code.append(b + 32)
      default: return nil
      }
    }
    guard code.count >= 2 else { return nil }
    return String(decoding: code, as: UTF8.self)
  }
}

/// A model's sums over one message: what a conversation keeps of it (two numbers, no text).
struct ModelTerms: Sendable, Hashable {
  var sum: Float = 0
  var count: Int32 = 0
}

/// One feature that pushed a model's score up, and where it was read.
public struct ModelContribution: Sendable, Hashable {
  public var kind: ModelFeatureKind
  /// UTF-8 byte span `[start, end)` of the ORIGINAL text (for a word pair, both words).
  public var start: Int
  public var end: Int
  /// Its share of the score before the logistic function.
  public var weight: Double

  public init(kind: ModelFeatureKind, start: Int, end: Int, weight: Double) {
    self.kind = kind
    self.start = start
    self.end = end
    self.weight = weight
  }
}

/// What a message-level model made of a message.
public struct ModelAssessment: Sendable, Hashable {
  /// The model's probability that the message is grooming, in [0, 1].
  public var score: Double
  /// The score reached the model's threshold.
  public var acts: Bool
  /// The threshold that applied: the model's own, or its threshold toward a known minor.
  public var threshold: Double
  /// The features that raised the score most (at most three), strongest first; given when the
  /// score is at least ``explainedFrom``.
  public var features: [ModelContribution]

  /// The score from which a verdict names the features behind it.
  public static let explainedFrom = 0.5

  public init(score: Double, acts: Bool, features: [ModelContribution], threshold: Double = 0) {
    self.score = score
    self.acts = acts
    self.threshold = threshold
    self.features = features
  }
}

/// Sums a model's weights over a message's features, keeping the few that raised it most.
struct ModelScoringSink: FeatureSink {
  static let topCount = 3

  /// One of the strongest contributions so far (weight 0: none yet).
  struct Slot {
    var weight: Float = 0
    var kind = ModelFeatureKind.word
    var start: Int32 = 0
    var end: Int32 = 0
  }

  let weights: UnsafeBufferPointer<Float>
  var terms = ModelTerms()
  /// Strongest first; plain values (no optionals, no arrays) so that the hot path stays a compare.
  var top = (Slot(), Slot(), Slot())
  let keepsTop: Bool

  @inline(__always)
  mutating func add(_ feature: HashedFeature, kind: ModelFeatureKind, start: Int, end: Int) {
    let c = feature.sign * weights[Int(feature.index)]
    terms.sum += c
    terms.count += 1
    // Most features do not beat the third strongest: one compare.
    guard keepsTop, c > top.2.weight else { return }
    let new = Slot(weight: c, kind: kind, start: Int32(truncatingIfNeeded: start), end: Int32(truncatingIfNeeded: end))
    if c > top.0.weight {
      top = (new, top.0, top.1)
    } else if c > top.1.weight {
      top = (top.0, new, top.1)
    } else {
      top.2 = new
    }
  }

  /// The strongest contributions, scaled as the score scales them.
  func contributions() -> [ModelContribution] {
    guard top.0.weight > 0, terms.count > 0 else { return [] }
    let scale = 1 / Double(terms.count).squareRoot()
    var out: [ModelContribution] = []
    out.reserveCapacity(ModelScoringSink.topCount)
    for slot in [top.0, top.1, top.2] where slot.weight > 0 {
      out.append(
        ModelContribution(
          kind: slot.kind, start: Int(slot.start), end: Int(slot.end),
          weight: ModelRounding.round(Double(slot.weight) * scale)))
    }
    return out
  }
}

/// Feeds every feature to a message model's sink and a conversation model's sums.
struct PairScoringSink: FeatureSink {
  var message: ModelScoringSink
  let conversationWeights: UnsafeBufferPointer<Float>
  var conversation = ModelTerms()

  @inline(__always)
  mutating func add(_ feature: HashedFeature, kind: ModelFeatureKind, start: Int, end: Int) {
    message.add(feature, kind: kind, start: start, end: end)
    conversation.sum += feature.sign * conversationWeights[Int(feature.index)]
    conversation.count += 1
  }
}

extension LinearModel {
  /// A message-level model's assessment and a conversation-level model's sums over one pass of
  /// the featuriser; the models' settings must read the same features.
  static func assess(
    _ tokens: TokenView, rules: [RuleMatch], message: LinearModel, conversation: LinearModel, towardKnownMinor: Bool
  ) -> (assessment: ModelAssessment, conversationTerms: ModelTerms)
  {
    message.weights.withUnsafeBufferPointer { weights in
      conversation.weights.withUnsafeBufferPointer { conversationWeights in
        var sink = PairScoringSink(
          message: ModelScoringSink(weights: weights, keepsTop: true), conversationWeights: conversationWeights)
        Featurizer.visit(tokens, rules: rules, settings: message.settings, into: &sink)
        return (message.assessment(of: sink.message, towardKnownMinor: towardKnownMinor), sink.conversation)
      }
    }
  }

  /// The assessment of a message-level sink's sums.
  func assessment(of sink: ModelScoringSink, towardKnownMinor: Bool) -> ModelAssessment {
    let p = probability(sum: sink.terms.sum, count: Int(sink.terms.count))
    // Features are named where the score matters (half-way up or more), not for every ordinary message.
    let threshold = threshold(towardKnownMinor: towardKnownMinor)
    return ModelAssessment(
      score: ModelRounding.round(Double(p)), acts: p >= threshold,
      features: Double(p) >= ModelAssessment.explainedFrom ? sink.contributions() : [],
      threshold: ModelRounding.round(Double(threshold)))
  }

  /// Scores a message's tokens.
  func assess(_ tokens: TokenView, rules: [RuleMatch], towardKnownMinor: Bool = false)
    -> (assessment: ModelAssessment, terms: ModelTerms)
  {
    weights.withUnsafeBufferPointer { weights in
      var sink = ModelScoringSink(weights: weights, keepsTop: level == .message)
      Featurizer.visit(tokens, rules: rules, settings: settings, into: &sink)
      return (assessment(of: sink, towardKnownMinor: towardKnownMinor), sink.terms)
    }
  }
}

/// Scores and weights are reported with four decimals, like the rules' (stable, readable JSON).
enum ModelRounding {
  static func round(_ x: Double) -> Double { (x * 10000).rounded() / 10000 }
}
