import ArgumentParser
import ChildSafe

struct ExplainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "explain",
    abstract: "Show the normalised tokens and every rule that matched a message, and why."
  )

  @Argument(help: "The message.")
  var text: String

  @OptionGroup var rules: RulesOptions
  @OptionGroup var message: MessageContextOptions

  func run() throws {
    let engine = try rules.makeEngine()
    let context = try message.messageContext
    let explanation = try engine.explain(text, context: context)
    let bytes = Array(text.utf8)
    func original(_ s: Int, _ e: Int) -> String { String(decoding: bytes[s..<e], as: UTF8.self) }

    print("normalised: \(explanation.tokens.map(\.text).joined(separator: " "))")
    print("tokens:")
    for (k, t) in explanation.tokens.enumerated() {
      let source = original(t.start, t.end)
      let note = source == t.text ? "" : "  (from \"\(source)\")"
      print("  \(k)  \(t.text)  [\(t.kind)]  bytes \(t.start)..<\(t.end)\(note)")
    }
    if explanation.evaluations.isEmpty { print("no rule matched") }
    for e in explanation.evaluations {
      let status: String
      switch e.outcome {
      case .fired: status = "FIRED"
      case .cancelled(let p):
        let line = e.rule.unless.contains { $0.node == p } ? "unless" : "except"
        status = "cancelled by \(line): \(e.conditionText ?? p.source)"
      case .missingAll(let p): status = "not fired: all: \(e.conditionText ?? p.source) did not match"
      case .audience: status = "not fired: audience adult_to_minor, and the sender is a minor peer"
      case .trustedSender:
        status = "not fired: trusted: ignore, and the sender is a trusted contact"
      }
      print("")
      print("rule \(e.rule.id)  (\(e.rule.category.name), weight \(formatWeight(e.rule.weight)))  \(status)")
      print("  at \(e.rule.location)")
      print("  matched: \(e.patternText)")
      print("  on: \"\(original(e.start, e.end))\"  tokens \(e.firstToken)-\(e.lastToken), bytes \(e.start)..<\(e.end)")
      for (p, f) in e.lowered { print("  lowered by \(formatWeight(f)): \(p.source)") }
      if e.ageFactor != 1 { print("  age factor \(formatWeight(e.ageFactor)) (sender \(context.senderAge.map(String.init) ?? "unknown"), recipient \(context.recipientAge.map(String.init) ?? "unknown"))") }
      if e.outcome == .fired { print("  effective weight \(formatWeight(e.weight))") }
      if e.outcome == .fired && context.senderTrusted && e.rule.onTrustedContact == .evidence {
        print("  trusted: evidence (from a trusted contact it counts, but does not flag alone)")
      }
      if let note = e.rule.note { print("  note: \(note)") }
    }
    let v = explanation.verdict
    if let model = v.model {
      print("")
      print(modelSummary(model, text: text))
    }
    print("")
    print("verdict: risk \(v.risk), score \(formatWeight(v.score)), \(v.flagged ? "FLAGGED" : "not flagged"); signals: \(v.categories.isEmpty ? "none" : v.categories.map(\.name).joined(separator: ", "))")
  }
}
