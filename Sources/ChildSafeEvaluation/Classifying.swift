import ChildSafe

/// What the evaluator needs from a classifier. `ClassifierEngine` conforms; tests pass a fake so that
/// metric tests do not depend on the real rules.
public protocol Classifying: Sendable {
  /// Classifies one message.
  func classify(_ text: String, context: MessageContext) throws(ChildSafeError) -> MessageVerdict

  /// Feeds a whole conversation in order and returns the final running verdict.
  func classifyConversation(_ conversation: LabelledConversation) throws(ChildSafeError) -> ConversationVerdict

  /// Every rule id the classifier knows, so that rules that never fire can be listed; nil when unknown.
  var ruleIDs: [String]? { get }
}

extension Classifying {
  public var ruleIDs: [String]? { nil }
}

/// The real engine; its rule ids come from the engine itself.
public struct EngineClassifier: Classifying {
  public let engine: ClassifierEngine
  public let ruleIDs: [String]?

  public init(rules: RuleFiles) throws(ChildSafeError) {
    try self.init(engine: ClassifierEngine(rules: rules))
  }

  public init(engine: ClassifierEngine) {
    self.engine = engine
    self.ruleIDs = engine.ruleIDs
  }

  public func classify(_ text: String, context: MessageContext) throws(ChildSafeError) -> MessageVerdict {
    try engine.classify(text, context: context)
  }

  public func classifyConversation(_ conversation: LabelledConversation) throws(ChildSafeError)
    -> ConversationVerdict
  {
    var tracker = engine.makeConversation()
    for index in conversation.messages.indices {
      _ = try tracker.add(conversation.messages[index].text, context: conversation.context(of: index))
    }
    return tracker.verdict
  }
}

/// Rule files for `--rules DIR`, with the same meaning as the other commands' `--rules`
/// (`ClassifierEngine.ruleFiles(directory:mode:)`): laid over the embedded defaults, or used alone.
public enum RuleSources {
  public static func load(directory: String, replacingDefaults: Bool) throws(ChildSafeError) -> RuleFiles {
    try ClassifierEngine.ruleFiles(directory: directory, mode: replacingDefaults ? .replace : .extend)
  }
}
