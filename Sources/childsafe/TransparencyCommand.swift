import ArgumentParser
import ChildSafe
import ChildSafeAssessment

struct TransparencyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "transparency",
    abstract: "Write a transparency report: privacy-preserving counts for a period, small counts suppressed, and the methodology.",
    discussion: """
      Counts come from a counts file a service saved (TransparencyCounts.json, or the "counts" a \
      daemon keeps), or from classifying a stream with --messages: one JSON object a line, as \
      `childsafe check --jsonl` reads ({"text", "sender_age", "recipient_age", "conversation", ...}), \
      or {"url": "..."} for a URL check. Nothing but counts is kept. See docs/assessment.md.
      """
  )

  @Option(help: "A counts file (JSON) to report on.")
  var counts: String?

  @Option(help: "A JSON-lines file of messages and URLs to classify and count.")
  var messages: String?

  @Option(help: "The service's name, for the title.")
  var service = "ChildSafe"

  @Option(help: "With --messages: count on this date's period, YYYY-MM-DD (default: today).")
  var on: String?

  @Option(help: "With --messages: period length, day or month.")
  var granularity: String = "month"

  @Option(help: "Suppress counts from 1 up to this minus one (at least \(TransparencyReport.defaultSuppressionThreshold)).")
  var threshold = TransparencyReport.defaultSuppressionThreshold

  @OptionGroup var rules: RulesOptions

  @OptionGroup var report: ReportOutput

  func run() throws {
    guard (counts == nil) != (messages == nil) else { throw ValidationError("give one of --counts FILE or --messages FILE") }
    guard threshold >= TransparencyReport.defaultSuppressionThreshold else {
      throw ValidationError("--threshold must be at least \(TransparencyReport.defaultSuppressionThreshold)")
    }
    let mode = try rules.validatedMode()
    let ruleFiles = try rules.directory.map { try ClassifierEngine.ruleFiles(directory: $0, mode: mode) } ?? RuleFiles.embedded
    let totals: TransparencyCounts
    if let counts {
      totals = try TransparencyCounts(json: try JSONValue.parse(try FileSystem.readText(counts), file: counts))
    } else {
      guard let period = TransparencyGranularity(rawValue: granularity) else {
        throw ValidationError("--granularity must be day or month")
      }
      totals = try count(messages!, granularity: period, ruleFiles: ruleFiles)
    }
    let result = TransparencyReport(
      service: service, counts: totals, methodology: .of(ruleFiles), suppressionThreshold: threshold)
    switch report.format {
    case .markdown: try report.write(result.markdown)
    case .json: try report.write(result.json.prettyPrinted() + "\n")
    case .html: try report.write(result.html)
    }
  }

  /// Classifies every line of `path` and keeps the counts only. A bad line stops with its line number.
  func count(_ path: String, granularity: TransparencyGranularity, ruleFiles: RuleFiles) throws -> TransparencyCounts {
    let date = try on.map { try CalendarDate.parse($0) } ?? CalendarDate.today()
    var configuration = SafetyEngine.Configuration()
    configuration.rulesDirectory = rules.directory
    configuration.rulesMode = try rules.validatedMode()
    let engine = try SafetyEngine(configuration)
    var stream = CheckStream(engine: engine)
    let counters = TransparencyCounters(granularity: granularity, today: date)
    for (index, line) in try FileSystem.readText(path).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { continue }
      let file = "\(path):\(index + 1)"
      let object = try JSONValue.parse(String(line), file: file)
      if let url = object["url"]?.stringValue, object["text"] == nil {
        counters.record(engine.checkURL(url), on: date)
        continue
      }
      guard let text = object["text"]?.stringValue else {
        throw ChildSafeError(.invalidArgument, "\(file): expected \"text\" (a string) or \"url\"")
      }
      let context = try CheckStream.context(object, defaults: MessageContext())
      counters.record(try stream.check(text, context: context), context: context, on: date)
    }
    return counters.current(on: date)
  }
}
