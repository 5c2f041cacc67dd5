// PLACEHOLDER: the classifier issue replaces this file with the real engine. The public API below
// is the contract other parts (C API, daemon, evaluation, interventions) build against.

/// The grooming-pattern classifier: compiled rule packs, immutable and shareable across threads.
public struct ClassifierEngine: Sendable {
  /// Builds an engine from rule files (the embedded defaults unless given).
  public init(rules: RuleFiles = .embedded) throws(ChildSafeError) {}

  /// An engine over the embedded default packs.
  public static let defaults: ClassifierEngine = {
    do { return try ClassifierEngine() } catch { fatalError("embedded rules are invalid: \(error)") }
  }()

  /// Classifies one message.
  public func classify(_ text: String, context: MessageContext = MessageContext()) throws(ChildSafeError)
    -> MessageVerdict
  {
    _ = try Normalizer().normalize(text)
    return .clean
  }

  /// Starts a conversation that is fed messages in order.
  public func makeConversation() -> ConversationTracker { ConversationTracker(engine: self) }
}

/// The running state of one conversation: scores and categories only, never message text.
public struct ConversationTracker: Sendable {
  let engine: ClassifierEngine
  public private(set) var verdict = ConversationVerdict(
    flagged: false, flaggedAt: nil, risk: .none, score: 0, stages: [], riskySender: nil, messageCount: 0)

  init(engine: ClassifierEngine) { self.engine = engine }

  /// Adds the next message; returns its own verdict. `verdict` then holds the running verdict.
  public mutating func add(_ text: String, context: MessageContext) throws(ChildSafeError) -> MessageVerdict {
    let v = try engine.classify(text, context: context)
    verdict.messageCount += 1
    return v
  }
}
