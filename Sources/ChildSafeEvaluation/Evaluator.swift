import ChildSafe

/// How an evaluation runs.
public struct EvaluationOptions: Sendable {
  /// Also re-run the messages through every obfuscation transform.
  public var robustness = false
  /// Seed of the obfuscation transforms.
  public var seed: UInt64 = 1
  /// Threads to use; defaults to every online processor.
  public var workers = ParallelMap.processorCount
  /// Items a worker takes at a time.
  public var chunkSize = 64

  public init(robustness: Bool = false, seed: UInt64 = 1, workers: Int? = nil, chunkSize: Int = 64) {
    self.robustness = robustness
    self.seed = seed
    if let workers { self.workers = workers }
    self.chunkSize = chunkSize
  }
}

/// Results of the messages rewritten by one obfuscation transform.
public struct RobustnessResult: Sendable {
  public var transform: ObfuscationTransform
  /// Messages: detected (at least one category) against "has a label".
  public var confusion: Confusion
  /// Conversations (every message rewritten): flagged against grooming; nil when there are none.
  public var conversations: Confusion?
}

/// Everything an evaluation measured. Holds ids, labels and verdict summaries, never message text.
public struct EvaluationReport: Sendable {
  public var messageCount = 0
  public var conversationCount = 0
  public var messages = MessageMetrics()
  /// nil when the corpus has no conversations.
  public var conversations: ConversationMetrics?
  /// nil without `robustness`.
  public var robustness: [RobustnessResult]?
  public var seed: UInt64 = 1
  /// Input lines that could not be read and items the classifier rejected.
  public var errors: [ChildSafeError] = []
  /// The outcomes behind the metrics, in corpus order.
  public var messageOutcomes: [MessageOutcome] = []
  public var conversationOutcomes: [ConversationOutcome] = []

  public init() {}
}

/// Runs a classifier over a labelled corpus and measures it.
public struct Evaluator: Sendable {
  public let classifier: any Classifying

  public init(classifier: any Classifying) { self.classifier = classifier }

  /// The number of classifier calls `evaluate` makes (messages, conversations and obfuscated copies),
  /// for sizing a progress bar.
  public static func workCount(_ corpus: Corpus, options: EvaluationOptions) -> Int {
    let copies = options.robustness ? ObfuscationTransform.allCases.count : 0
    return (corpus.messages.count + corpus.conversations.count) * (1 + copies)
  }

  /// `progress` is called from worker threads with the number of items just finished.
  public func evaluate(
    _ corpus: Corpus, options: EvaluationOptions = EvaluationOptions(),
    progress: (@Sendable (Int) -> Void)? = nil
  ) -> EvaluationReport {
    let classifier = self.classifier
    var report = EvaluationReport()
    report.seed = options.seed
    report.errors = corpus.errors

    let messageResults = ParallelMap.map(
      corpus.messages, workers: options.workers, chunkSize: options.chunkSize, progress: progress
    ) { message -> Result<MessageOutcome, ChildSafeError> in
      Result { () throws(ChildSafeError) in
        MessageOutcome(
          message: message, verdict: try classifier.classify(message.text, context: Evaluator.context(of: message)))
      }
    }
    var outcomes: [MessageOutcome] = []
    for (message, result) in zip(corpus.messages, messageResults) {
      switch result {
      case .success(let outcome): outcomes.append(outcome)
      case .failure(let error): report.errors.append(Evaluator.itemError(error, kind: "message", message.id, message.origin))
      }
    }
    report.messageCount = outcomes.count
    report.messageOutcomes = outcomes
    report.messages = MessageMetrics(outcomes: outcomes, knownRules: classifier.ruleIDs)

    var usableConversations: [LabelledConversation] = []
    if !corpus.conversations.isEmpty {
      let results = ParallelMap.map(
        corpus.conversations, workers: options.workers, chunkSize: max(1, options.chunkSize / 8), progress: progress
      ) { conversation -> Result<ConversationOutcome, ChildSafeError> in
        Result { () throws(ChildSafeError) in
          let verdict = try classifier.classifyConversation(conversation)
          // Flagged at any point counts, even if a tracker were to lower its verdict later.
          let flagged = verdict.flagged || verdict.flaggedAt != nil
          return ConversationOutcome(
            id: conversation.id, isGrooming: conversation.isGrooming, onset: conversation.onset,
            flagged: flagged, flaggedAt: verdict.flaggedAt)
        }
      }
      var conversationOutcomes: [ConversationOutcome] = []
      for (conversation, result) in zip(corpus.conversations, results) {
        switch result {
        case .success(let outcome):
          conversationOutcomes.append(outcome)
          usableConversations.append(conversation)
        case .failure(let error):
          report.errors.append(Evaluator.itemError(error, kind: "conversation", conversation.id, conversation.origin))
        }
      }
      report.conversationCount = conversationOutcomes.count
      report.conversationOutcomes = conversationOutcomes
      report.conversations = ConversationMetrics(outcomes: conversationOutcomes)
    }

    if options.robustness {
      // Only messages the clean run could classify take part, so every transform sees the same items.
      let usable = zip(corpus.messages, messageResults).compactMap { pair -> LabelledMessage? in
        if case .success = pair.1 { return pair.0 }
        return nil
      }
      var results: [RobustnessResult] = []
      for transform in ObfuscationTransform.allCases {
        let seed = options.seed
        let detected = ParallelMap.map(
          usable, workers: options.workers, chunkSize: options.chunkSize, progress: progress
        ) { message -> Bool? in
          var generator = SeededGenerator.forItem(seed: seed, salt: transform.name, id: message.id)
          let text = transform.apply(message.text, using: &generator)
          // A transform can push a message over a size limit; such items do not count.
          guard let verdict = try? classifier.classify(text, context: Evaluator.context(of: message)) else {
            return nil
          }
          return !verdict.categories.isEmpty
        }
        var confusion = Confusion()
        for (message, isDetected) in zip(usable, detected) {
          guard let isDetected else { continue }
          confusion.add(actual: message.isPositive, predicted: isDetected)
        }
        var conversationConfusion: Confusion? = nil
        if !usableConversations.isEmpty {
          let flagged = ParallelMap.map(
            usableConversations, workers: options.workers, chunkSize: max(1, options.chunkSize / 8), progress: progress
          ) { conversation -> Bool? in
            var rewritten = conversation
            for i in rewritten.messages.indices {
              var generator = SeededGenerator.forItem(seed: seed, salt: transform.name, id: "\(conversation.id)#\(i)")
              rewritten.messages[i].text = transform.apply(conversation.messages[i].text, using: &generator)
            }
            return (try? classifier.classifyConversation(rewritten)).map { $0.flagged || $0.flaggedAt != nil }
          }
          var c = Confusion()
          for (conversation, isFlagged) in zip(usableConversations, flagged) {
            guard let isFlagged else { continue }
            c.add(actual: conversation.isGrooming, predicted: isFlagged)
          }
          conversationConfusion = c
        }
        results.append(RobustnessResult(transform: transform, confusion: confusion, conversations: conversationConfusion))
      }
      report.robustness = results
    }
    return report
  }

  static func context(of message: LabelledMessage) -> MessageContext {
    MessageContext(language: message.language, context: .chat)
  }

  static func itemError(_ error: ChildSafeError, kind: String, _ id: String, _ origin: SourceLocation?)
    -> ChildSafeError
  {
    ChildSafeError(error.code, "\(kind) \(id): \(error.message)", at: origin ?? error.location)
  }
}
