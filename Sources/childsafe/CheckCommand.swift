import ArgumentParser
import ChildSafe

struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Classify a message with the grooming-pattern rules.",
    discussion: """
      Prints the verdict with the matched spans highlighted, or one JSON verdict with --json.

      With --jsonl, reads JSON objects from standard input, one per line: {"id", "text", and \
      optionally "sender_age", "recipient_age", "lang", "conversation", "from", "t", "context"}, \
      and writes one verdict per line (with a running "conversation" verdict when "conversation" \
      is given). A bad line yields {"id", "error": {"code", "message"}} and the stream goes on.

      When a verdict calls for it, "interventions" lists what to show the sender (deterrence), the \
      child (a safety prompt) and the guardian, in --locale with --country's helplines; within a \
      conversation they are rate-limited per audience. --context query checks search-box text.
      """
  )

  @Argument(help: "The message (default: standard input).")
  var text: String?

  @Flag(help: "Print one JSON verdict.")
  var json = false

  @Flag(help: "Read JSON lines from standard input and write one verdict per line.")
  var jsonl = false

  @OptionGroup var rules: RulesOptions
  @OptionGroup var message: MessageContextOptions
  @OptionGroup var interventions: InterventionOptions

  func run() throws {
    let engine = try interventions.makeEngine(rules: rules)
    let context = try message.messageContext
    if jsonl {
      var stream = CheckStream(engine: engine, defaults: context)
      forEachInputLine { line in
        guard let line else { return printStreamLine(invalidLineJSON) }
        if let out = stream.process(line: line) { printStreamLine(out) }
      }
      return
    }
    let input: String
    if let text {
      input = text
    } else {
      var bytes = try StandardInput.readAll()
      if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
      guard let decoded = String(validating: bytes, as: UTF8.self) else {
        throw ChildSafeError(.invalidUTF8, "standard input is not valid UTF-8")
      }
      input = decoded
    }
    let result = try engine.check(input, context: context)
    let verdict = result.verdict
    if json {
      print(result.json(id: .null).serialized())
      return
    }
    print(highlighted(input, spans: verdict.matches.map { ($0.start, $0.end) }))
    var summary = "risk \(verdict.risk), score \(formatWeight(verdict.score))"
    summary += verdict.flagged ? ", FLAGGED" : ", not flagged"
    if !verdict.categories.isEmpty { summary += "; signals: " + verdict.categories.map(\.name).joined(separator: ", ") }
    print(summary)
    for m in verdict.matches {
      print("  \(m.category.name)  \(formatWeight(m.weight))  \(m.rule)  bytes \(m.start)..<\(m.end)")
    }
    if let model = verdict.model { print(modelSummary(model)) }
    for i in result.interventions {
      print("\n[\(i.audience) \(i.kind)] \(i.message)")
      if let signpost = i.signpost {
        print("  " + [signpost.name, signpost.phone, signpost.url].filter { !$0.isEmpty }.joined(separator: " · "))
      }
    }
  }
}
