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

/// The real engine, plus the rule ids of the files it was built from.
public struct EngineClassifier: Classifying {
  public let engine: ClassifierEngine
  public let ruleIDs: [String]?

  public init(rules: RuleFiles) throws(ChildSafeError) {
    engine = try ClassifierEngine(rules: rules)
    ruleIDs = RuleInventory.ruleIDs(in: rules)
  }

  public init(engine: ClassifierEngine, ruleIDs: [String]?) {
    self.engine = engine
    self.ruleIDs = ruleIDs
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

/// The rule ids declared in rule files. The engine's API does not list its rules yet, so this reads the
/// `rule <id> <category> <weight>` headers of the rule packs (rule format v1); it only needs
/// the first word after `rule`, which a full parse would give the same.
public enum RuleInventory {
  public static func ruleIDs(in rules: RuleFiles) -> [String] {
    var ids: [String] = []
    var seen = Set<String>()
    for file in rules.files where file.path.hasPrefix("grooming/") && file.path.hasSuffix(".rules") {
      for line in file.text.split(separator: "\n", omittingEmptySubsequences: true) {
        // Rule headers start at column 1; indented lines are the rule's body.
        guard line.hasPrefix("rule ") || line.hasPrefix("rule\t") else { continue }
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard words.count >= 2 else { continue }
        let id = String(words[1])
        if seen.insert(id).inserted { ids.append(id) }
      }
    }
    return ids.sorted()
  }
}

/// Rule files for `--rules DIR`, with the same meaning as the other commands' `--rules`: the directory is
/// a rules root (holding `grooming/`) or a directory of `.rules` files; its files are laid over the
/// embedded defaults (a file with the same path replaces the default one, new files add packs), or,
/// when replacing, used alone.
public enum RuleSources {
  public static func load(directory: String, replacingDefaults: Bool) throws(ChildSafeError) -> RuleFiles {
    guard FileSystem.isDirectory(directory) else {
      throw ChildSafeError(.io, "\(directory) is not a directory of rule files")
    }
    let onDisk = try RuleFiles.load(directory: directory)
    let hasRoot = onDisk.files.contains { $0.path.hasPrefix("grooming/") }
    var merged: [String: String] = [:]
    if !replacingDefaults {
      for file in RuleFiles.embedded.files { merged[file.path] = file.text }
    }
    for file in onDisk.files where file.path.hasSuffix(".rules") {
      merged[hasRoot ? file.path : "grooming/" + file.path] = file.text
    }
    return RuleFiles(files: merged.map { (path: $0.key, text: $0.value) })
  }
}
