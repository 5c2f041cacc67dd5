import ChildSafe
import ChildSafeEvaluation

/// One labelled unit of a corpus as the trainer sees it: a message, or a conversation as each
/// sender's messages' features in order. It keeps features (hashed numbers), never text.
public struct TrainingUnit: Sendable {
  public var isPositive: Bool
  /// The corpus file it came from.
  public var source: String
  /// Per sender, per message in order, the features read from the message.
  public var senders: [[[HashedFeature]]]
  /// Whether the rules alone flag it (the message, or the conversation by its end).
  public var rulesFlagged: Bool
  /// The rules' own risk (the message's, or the conversation's by its end).
  public var rulesRisk: RiskLevel
  /// The language its host declares (a primary subtag such as "de"), when it does.
  public var language: String?

  public init(
    isPositive: Bool, source: String, senders: [[[HashedFeature]]], rulesFlagged: Bool, rulesRisk: RiskLevel? = nil,
    language: String? = nil
  ) {
    self.language = language.flatMap(LanguageThreshold.code(of:))
    self.isPositive = isPositive
    self.source = source
    self.senders = senders
    self.rulesFlagged = rulesFlagged
    self.rulesRisk = rulesRisk ?? (rulesFlagged ? .medium : .none)
  }

  /// The units of a corpus at `level`: its messages, or its conversations.
  public static func units(
    of corpus: Corpus, level: LinearModel.Level, engine: ClassifierEngine, settings: FeatureSettings,
    progress: (Int, Int) -> Void = { _, _ in }
  ) throws(ChildSafeError) -> [TrainingUnit] {
    let rules = engine.rulesOnly
    var units: [TrainingUnit] = []
    switch level {
    case .message:
      for (k, message) in corpus.messages.enumerated() {
        let context = MessageContext(language: message.language)
        let features = try rules.modelFeatures(message.text, context: context, settings: settings)
        let verdict = try rules.classify(message.text, context: context)
        units.append(
          TrainingUnit(
            isPositive: message.isPositive, source: sourceName(message.origin), senders: [[features]],
            rulesFlagged: verdict.flagged, rulesRisk: verdict.risk))
        if k % 500 == 0 { progress(k, corpus.messages.count) }
      }
    case .conversation:
      for (k, conversation) in corpus.conversations.enumerated() {
        var tracker = rules.makeConversation()
        var senderIndex: [String: Int] = [:]
        var senders: [[[HashedFeature]]] = []
        for (i, message) in conversation.messages.enumerated() {
          let context = conversation.context(of: i)
          _ = try tracker.add(message.text, context: context)
          let features =
            try rules.modelFeatures(message.text, context: context, settings: settings)
            + tracker.participantFeatures(settings: settings)
          let s = senderIndex[message.from] ?? senders.count
          if s == senders.count {
            senderIndex[message.from] = s
            senders.append([])
          }
          senders[s].append(features)
        }
        units.append(
          TrainingUnit(
            isPositive: conversation.isGrooming, source: sourceName(conversation.origin), senders: senders,
            rulesFlagged: tracker.verdict.flagged, rulesRisk: tracker.verdict.risk, language: conversation.language))
        if k % 50 == 0 { progress(k, corpus.conversations.count) }
      }
    }
    return units
  }

  /// Message-level units cut from a conversation corpus, each weakly labelled by its
  /// conversation: every message is cut into pieces of at most `words` words (the PAN-12 windows
  /// run a whole chat into one message), and a grooming conversation's pieces count as positive,
  /// the other side's lines included. Such labels are too loose to measure by, so the trainer
  /// learns from these units without scoring them (``ModelTrainer/train(_:learningAlsoFrom:trainedOn:progress:)``).
  public static func weaklyLabelledPieces(
    of corpus: Corpus, words: Int, engine: ClassifierEngine, settings: FeatureSettings
  ) throws(ChildSafeError) -> [TrainingUnit] {
    guard words > 0 else { throw ChildSafeError(.invalidArgument, "pieces need at least one word, not \(words)") }
    let rules = engine.rulesOnly
    var units: [TrainingUnit] = []
    for conversation in corpus.conversations {
      for (i, message) in conversation.messages.enumerated() {
        let context = conversation.context(of: i)
        let tokens = message.text.split(whereSeparator: \.isWhitespace)
        var start = 0
        while start < tokens.count {
          let end = min(tokens.count, start + words)
          let piece = tokens[start..<end].joined(separator: " ")
          let features = try rules.modelFeatures(piece, context: context, settings: settings)
          units.append(
            TrainingUnit(
              isPositive: conversation.isGrooming, source: sourceName(conversation.origin), senders: [[features]],
              rulesFlagged: false, language: conversation.language))
          start = end
        }
      }
    }
    return units
  }

  static func sourceName(_ origin: SourceLocation?) -> String {
    guard let file = origin?.file else { return "-" }
    return file.split(separator: "/").last.map(String.init) ?? file
  }

  /// The examples to learn from: each sender's messages in windows of `window` (half overlapping).
  func examples(window: Int, group: Int) -> [TrainingExample] {
    var out: [TrainingExample] = []
    for messages in senders where !messages.isEmpty {
      let step = max(1, window / 2)
      var start = 0
      while true {
        let end = min(messages.count, start + window)
        let vector = SparseVector(occurrences: messages[start..<end].joined())
        out.append(TrainingExample(vector: vector, isPositive: isPositive, group: group, source: source))
        if end == messages.count { break }
        start = end == messages.count ? end : min(start + step, messages.count - window)
      }
    }
    return out
  }

  /// The unit's score under `weights`, as the library computes it: the highest over every sender's
  /// window ending at each of its messages.
  func score(weights: [Float], bias: Float, window: Int) -> Float {
    var best: Float = 0
    for messages in senders {
      var sums: [(Float, Int)] = []
      sums.reserveCapacity(messages.count)
      for features in messages {
        var s: Float = 0
        for f in features { s += f.sign * weights[Int(f.index)] }
        sums.append((s, features.count))
      }
      var sum: Float = 0
      var count = 0
      for (i, (s, n)) in sums.enumerated() {
        sum += s
        count += n
        if i >= window {
          sum -= sums[i - window].0
          count -= sums[i - window].1
        }
        let z = bias + (count > 0 ? sum / Float(count).squareRoot() : 0)
        best = max(best, 1 / (1 + expf(-z)))
      }
    }
    return best
  }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif
