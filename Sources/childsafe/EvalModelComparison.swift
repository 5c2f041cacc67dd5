import ChildSafe
import ChildSafeEvaluation

/// The model of a hybrid engine judging alone: a message is flagged when the message-level model
/// acts, a conversation when a sender's window reaches the conversation model's threshold. Used by
/// `eval --model` to print rules, model and both side by side.
struct ModelOnlyClassifier: Classifying {
  let hybrid: ClassifierEngine

  func classify(_ text: String, context: MessageContext) throws(ChildSafeError) -> MessageVerdict {
    var verdict = try hybrid.classify(text, context: context)
    verdict.flagged = verdict.model?.acts ?? false
    return verdict
  }

  func classifyConversation(_ conversation: LabelledConversation) throws(ChildSafeError) -> ConversationVerdict {
    var tracker = hybrid.makeConversation()
    var flaggedAt: Int? = nil
    let threshold = hybrid.models.conversation.map { Double($0.threshold(forLanguage: conversation.language)) } ?? 2
    for index in conversation.messages.indices {
      _ = try tracker.add(conversation.messages[index].text, context: conversation.context(of: index))
      if flaggedAt == nil, (tracker.verdict.modelScore ?? 0) >= threshold { flaggedAt = index }
    }
    var verdict = tracker.verdict
    verdict.flagged = flaggedAt != nil
    verdict.flaggedAt = flaggedAt
    return verdict
  }
}

/// Recall and false alarms of rules, model and both, for `eval --model`.
enum EvalModelComparison {
  struct Row {
    var name: String
    var messages: Confusion
    var conversations: Confusion?
  }

  static func rows(rules: EvaluationReport, model: EvaluationReport, hybrid: EvaluationReport) -> [Row] {
    [("rules", rules), ("model", model), ("rules + model", hybrid)].map {
      Row(name: $0.0, messages: $0.1.messages.flagged, conversations: $0.1.conversations?.confusion)
    }
  }

  static func markdown(_ rows: [Row]) -> String {
    func cell(_ c: Confusion?) -> String {
      guard let c, c.tp + c.fp + c.fn + c.tn > 0 else { return "–" }
      let positives = c.tp + c.fn
      let negatives = c.fp + c.tn
      let recall = positives == 0 ? "–" : percent(Double(c.tp) / Double(positives))
      let alarms = negatives == 0 ? "–" : percent(Double(c.fp) / Double(negatives))
      return "\(recall) / \(alarms)"
    }
    var lines = [
      "## Rules, model and both", "",
      "| | messages flagged: recall / false alarms | conversations: recall / false alarms |",
      "| --- | --- | --- |",
    ]
    for row in rows { lines.append("| \(row.name) | \(cell(row.messages)) | \(cell(row.conversations)) |") }
    return lines.joined(separator: "\n") + "\n\n"
  }

  static func json(_ rows: [Row]) -> JSONValue {
    func counts(_ c: Confusion?) -> JSONValue {
      guard let c else { return .null }
      return .object([("tp", .int(c.tp)), ("fp", .int(c.fp)), ("fn", .int(c.fn)), ("tn", .int(c.tn))])
    }
    return .array(
      rows.map {
        .object([("name", .string($0.name)), ("messages", counts($0.messages)), ("conversations", counts($0.conversations))])
      })
  }

  static func percent(_ x: Double) -> String {
    let r = (x * 1000).rounded() / 10
    return "\(r) %"
  }
}
