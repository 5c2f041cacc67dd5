import ArgumentParser
import ChildSafe

struct ConversationCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "conversation",
    abstract: "Score whole conversations, one JSON object per line on standard input.",
    discussion: """
      Each line: {"id", "lang", "participants": {"A": {"age": 31}, "B": {"age": null}},
      "messages": [{"from": "A", "t": 0, "text": "..."}]}. Writes one line per conversation:
      {"id", "flagged", "flagged_at", "risk", "score", "stages", "messages", "risky_sender"}.
      Messages are fed in order; the tracker never looks ahead and keeps no text.
      """
  )

  @Flag(help: "Read JSON lines (the only input format; accepted for symmetry with check).")
  var jsonl = false

  @OptionGroup var rules: RulesOptions

  func run() throws {
    let engine = try rules.makeEngine()
    forEachInputLine { line in
      guard let line else { return printStreamLine(invalidLineJSON) }
      if let out = ConversationEvaluation.evaluate(line: line, engine: engine) { printStreamLine(out) }
    }
  }
}
