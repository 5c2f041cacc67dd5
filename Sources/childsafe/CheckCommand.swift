import ArgumentParser
import ChildSafe

struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Classify a message with the grooming-pattern rules.",
    discussion: """
      Prints the verdict with the matched spans highlighted, or one JSON verdict with --json.

      With --jsonl, reads JSON objects from standard input, one per line: {"id", "text", and \
      optionally "sender_age", "recipient_age", "sender_trusted", "lang", "conversation", "from", \
      "t", "context"}, and writes one verdict per line (with a running "conversation" verdict when \
      "conversation" is given). "sender_trusted": true (or --sender-trusted for every line) marks \
      a contact a parent approved: their meeting plans, compliments and questions about home are \
      not signals; secrets and sexual content still are. A bad line yields {"id", "error": \
      {"code", "message"}} (a syntax error names its line in the stream, as <input>:LINE:COLUMN) \
      and the stream goes on.

      When a verdict calls for it, "interventions" lists what to show the sender (deterrence), the \
      child (a safety prompt) and the guardian, in --locale with --country's helplines; within a \
      conversation they are rate-limited per audience. A line's "locale" words its interventions; \
      without one, its "lang" does when there are messages in that language. --context query \
      checks search-box text.

      Exit status with --jsonl (as for eval): 0 when every line got a verdict, 1 when some lines \
      were answered with an error (every line is still answered), 2 when nothing could be checked \
      (bad rules, policy or options). A message given as an argument must be valid UTF-8, as \
      standard input must.
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
    if jsonl { return try runStream() }
    let engine = try interventions.makeEngine(rules: rules)
    let context = try message.messageContext
    let input: String
    if let text {
      // The shell hands arguments over as bytes; Swift would quietly replace invalid UTF-8.
      guard CommandLineArguments.areValidUTF8 else {
        throw ChildSafeError(.invalidUTF8, "the message argument is not valid UTF-8")
      }
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

  /// `--jsonl`: answers go into one buffer, written out whenever the input read so far is
  /// answered (before waiting for more), so that a pipe gets large writes and an interactive
  /// reader still sees each answer before the next line is read.
  func runStream() throws {
    let stream: CheckStream
    do {
      stream = CheckStream(engine: try interventions.makeEngine(rules: rules), defaults: try message.messageContext)
    } catch let error as ChildSafeError {
      printError("\(error)")
      throw ExitCode(2)
    }
    var checker = stream
    var output = StreamOutput()
    var lineNumber = 0
    var failedLines = 0
    StandardInput.forEachLine(
      { bytes, _ in
        lineNumber += 1
        var bytes = bytes[...]
        if bytes.last == UInt8(ascii: "\r") { bytes = bytes.dropLast() }
        let outcome = bytes.withUnsafeBufferPointer { line in
          checker.process(utf8: line, lineNumber: lineNumber, into: &output.buffer)
        }
        switch outcome {
        case .blank, .answered: break
        case .failed: failedLines += 1
        case .invalidUTF8:
          failedLines += 1
          output.append(invalidLineJSON(bytes, lineNumber: lineNumber))
        }
        output.flushIfFull()
      },
      beforeReading: { output.flush() })
    output.flush()
    if failedLines > 0 { throw ExitCode(1) }
  }
}
