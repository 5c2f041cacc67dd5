import ArgumentParser
import ChildSafe

struct ConversationCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "conversation",
    abstract: "Score whole conversations, one JSON object per line on standard input.",
    discussion: """
      Each line: {"id", "lang", "participants": {"A": {"age": 31}, "B": {"age": null}}, \
      "messages": [{"from": "A", "t": 0, "text": "..."}]}. A participant with "trusted": true is a \
      contact a parent approved (as "sender_trusted" in check --jsonl).

      Writes one line per conversation: {"id", "flagged", "flagged_at", "risk", "score", "stages", \
      "messages", "risky_sender", "pairing", "age_conflict", "participants"}: each participant's role \
      (minor, adult, unknown) with the cues behind it and the grooming stages they reached, as message \
      indexes and byte spans. Messages are fed in order; the tracker never looks ahead and keeps no \
      text. With --explain, prints the same readably.
      """
  )

  @Flag(help: "Read JSON lines (the only input format; accepted for symmetry with check).")
  var jsonl = false

  @Flag(help: "Print each verdict readably (roles, evidence, stages) instead of JSON.")
  var explain = false

  @OptionGroup var rules: RulesOptions

  func run() throws {
    let engine = try rules.makeEngine()
    forEachInputLine { line in
      guard let line else { return printStreamLine(invalidLineJSON) }
      guard explain else {
        if let out = ConversationEvaluation.evaluate(line: line, engine: engine) { printStreamLine(out) }
        return
      }
      switch ConversationEvaluation.verdict(line: line, engine: engine) {
      case nil: break
      case .success(let (id, verdict))?: print(ConversationExplain.text(id: id, verdict))
      case .failure(let failure)?: printStreamLine(VerdictJSON.error(id: failure.id, failure.error))
      }
    }
  }
}
