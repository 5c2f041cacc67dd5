import ChildSafe
import ChildSafeEvaluation

/// A classifier whose verdicts are written into the test text, so metric tests do not depend on the rules:
/// every word `#name` is a signal of category `name`, fired by rule `fake.name`. Risk grows with the number
/// of signals (1 low, 2 medium, 3+ high), score is 0.3 per signal, and two or more signals are flagged.
/// A conversation is flagged at the first message containing `#flag`. Text containing `BOOM` is rejected.
struct FakeClassifier: Classifying {
  var ruleIDs: [String]? = nil
  /// Match `#name` case-insensitively (to test transforms that only change case).
  var ignoreCase = false

  func classify(_ text: String, context: MessageContext) throws(ChildSafeError) -> MessageVerdict {
    if text.contains("BOOM") { throw ChildSafeError(.inputTooLarge, "message is larger than the test limit") }
    var matches: [RuleMatch] = []
    var categories: [Category] = []
    for word in text.split(separator: " ") where word.hasPrefix("#") && word.count > 1 && word != "#flag" {
      let name = String(ignoreCase ? word.dropFirst().lowercased() : String(word.dropFirst()))
      let category = Category(name)
      if !categories.contains(category) {
        categories.append(category)
        matches.append(RuleMatch(rule: "fake.\(name)", category: category, weight: 0.5, start: 0, end: 1))
      }
    }
    let risk: RiskLevel = categories.isEmpty ? .none : categories.count == 1 ? .low : categories.count == 2 ? .medium : .high
    return MessageVerdict(
      flagged: categories.count >= 2, risk: risk, score: min(1, 0.3 * Double(categories.count)),
      categories: categories, matches: matches)
  }

  func classifyConversation(_ conversation: LabelledConversation) throws(ChildSafeError) -> ConversationVerdict {
    if conversation.messages.contains(where: { $0.text.contains("BOOM") }) {
      throw ChildSafeError(.inputTooLarge, "conversation is larger than the test limit")
    }
    let at = conversation.messages.firstIndex(where: { $0.text.contains("#flag") })
    return ConversationVerdict(
      flagged: at != nil, flaggedAt: at, risk: at == nil ? .none : .high, score: at == nil ? 0 : 0.9, stages: [],
      riskySender: nil, messageCount: conversation.messages.count)
  }
}
