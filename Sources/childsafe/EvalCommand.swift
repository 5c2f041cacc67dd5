#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ArgumentParser
import ChildSafe
import ChildSafeEvaluation
import Synchronization

struct EvalCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "eval",
    abstract: "Measure rules against labelled corpora: precision, recall, per category and per rule.",
    discussion: """
      Reads labelled messages and labelled conversations (JSON Lines, format detected per line; see \
      docs/corpus-formats.md) from --corpus files or directories, or from standard input. A bad line is \
      reported with its line number and the rest is still evaluated. Message text is never printed: \
      mistakes are listed by id.

      Exit status: 0 when every line was evaluated, 1 when some lines had errors (the report is still \
      printed), 2 when nothing could be evaluated (bad rules, unreadable corpus, bad options).
      """
  )

  enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case json, markdown, csv
  }

  @Option(name: .customLong("corpus"), help: "A corpus file or directory of *.jsonl files, '-' for standard input (repeatable; default: standard input).")
  var corpora: [String] = []

  @Option(help: "A rules directory laid over the embedded packs (files with the same path replace them).")
  var rules: String?

  @Flag(help: "Use only the files of --rules and --baseline directories, without the embedded packs.")
  var replaceDefaults = false

  @Option(help: "A second rules directory ('embedded' for the built-in packs) to compare against, side by side with deltas.")
  var baseline: String?

  @Option(name: .customLong("model"), help: ArgumentHelp("A model file from 'childsafe train' combined with the rules (repeatable: one per level). Without --baseline, the same rules without the model are the baseline: rules and rules + model side by side.", valueName: "FILE"))
  var models: [String] = []

  @Flag(help: "Also re-run the messages through the built-in obfuscation transforms.")
  var robustness = false

  @Option(help: "Seed of the obfuscation transforms.")
  var seed: UInt64 = 1

  @Option(help: "Output format: json, markdown or csv.")
  var format: OutputFormat = .markdown

  @Option(help: "Also write an SVG chart of precision/recall per category and of the threshold sweep to FILE.")
  var plot: String?

  @Option(help: "Threads to use (default: every core). Results do not depend on it.")
  var jobs: Int?

  func validate() throws {
    if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
  }

  func run() throws {
    var corpus = Corpus()
    let sources = corpora.isEmpty ? ["-"] : corpora
    for source in sources {
      if source == "-" {
        if corpora.isEmpty && isatty(0) == 1 {
          printError("error: no corpus: pass --corpus FILE or pipe JSON Lines into standard input")
          throw ExitCode(2)
        }
        do {
          corpus.append(CorpusReader.parse(
              bytes: try StandardInput.readAll(
                limit: FileSystem.maximumFileSize,
                tooLarge: ChildSafeError(
                  .inputTooLarge,
                  "standard input is larger than \(FileSystem.maximumFileSize) bytes; split the corpus into files")),
              source: "<stdin>"))
        } catch {
          printError("\(error)")
          throw ExitCode(2)
        }
      } else {
        corpus.append(CorpusReader.read(path: source))
      }
    }
    corpus = corpus.removingDuplicateIDs()

    var candidate: EngineClassifier
    var reference: EngineClassifier? = nil
    do {
      candidate = try classifier(rules, replacing: replaceDefaults)
      if !models.isEmpty {
        reference = baseline == nil ? candidate : nil
        candidate = EngineClassifier(engine: try candidate.engine.adding(modelFiles: models))
      }
      if let baseline {
        reference = try classifier(baseline == "embedded" && !FileSystem.isDirectory(baseline) ? nil : baseline,
                                   replacing: replaceDefaults)
      }
    } catch {
      for error in corpus.errors { printError("\(error)") }
      printError("\(error)")
      throw ExitCode(2)
    }
    // Labels must name the rules' categories: a typo would otherwise be a new category with no recall.
    corpus = CorpusReader.checkingLabels(corpus, known: candidate.engine.categories.map(\.name))
    for error in corpus.errors { printError("\(error)") }
    if corpus.messages.isEmpty && corpus.conversations.isEmpty {
      printError("error: no labelled messages or conversations to evaluate")
      throw ExitCode(2)
    }

    let options = EvaluationOptions(robustness: robustness, seed: seed, workers: jobs)
    let work = Evaluator.workCount(corpus, options: options) * (reference == nil ? 1 : 2)
    let progress = isatty(2) == 1 ? ProgressBar(total: work) : nil
    var update: (@Sendable (Int) -> Void)? = nil
    if let progress { update = { @Sendable count in progress.advance(by: count) } }
    let baselineReport = reference.map { Evaluator(classifier: $0).evaluate(corpus, options: options, progress: update) }
    var report = Evaluator(classifier: candidate).evaluate(corpus, options: options, progress: update)
    // With --model and no --baseline: the model alone too, for rules / model / both side by side.
    let modelAlone = models.isEmpty || baseline != nil
      ? nil : Evaluator(classifier: ModelOnlyClassifier(hybrid: candidate.engine)).evaluate(corpus, options: options)
    let comparison = modelAlone.flatMap { alone in
      baselineReport.map { EvalModelComparison.rows(rules: $0, model: alone, hybrid: report) }
    }
    progress?.finish()
    // Items the classifier rejected (too large, invalid) are errors too; input errors were printed above.
    for error in report.errors.dropFirst(corpus.errors.count) { printError("\(error)") }
    if let baselineReport {
      for error in baselineReport.errors.dropFirst(corpus.errors.count) { printError("baseline: \(error)") }
    }

    let settings: [(String, JSONValue)] = [
      ("rules", rules.map { .string($0) } ?? .string("embedded")),
      ("replace_defaults", .bool(replaceDefaults)),
      ("robustness", .bool(robustness)),
    ] + (models.isEmpty ? [] : [("models", .array(models.map { .string($0) }))])
    switch format {
    case .json:
      var json = report.json(settings: settings)
      if let baselineReport {
        let baselineSettings: [(String, JSONValue)] = [
          ("rules", .string(baseline ?? "embedded")), ("replace_defaults", .bool(replaceDefaults)),
          ("robustness", .bool(robustness)),
        ]
        json = ReportDelta.comparison(
          candidate: report, baseline: baselineReport, candidateSettings: settings, baselineSettings: baselineSettings)
      }
      if let comparison, case .object(var members) = json {
        members.append(("model_comparison", EvalModelComparison.json(comparison)))
        json = .object(members)
      }
      print(json.prettyPrinted())
    case .markdown:
      if let comparison { print(EvalModelComparison.markdown(comparison), terminator: "") }
      print(MarkdownReport.render(report, baseline: baselineReport), terminator: "")
    case .csv:
      print(CSVReport.render(report, baseline: baselineReport), terminator: "")
    }
    if let plot {
      do {
        try FileSystem.writeFile(plot, Array(SVGPlot.render(report, baseline: baselineReport).utf8))
        // On stderr, so that the report on stdout stays clean; the chart's own note says the same.
        let note = SVGPlot.missingCurveReason(report).map { " (no precision/recall curve: \($0))" } ?? ""
        printError("wrote the chart to \(plot)\(note)")
      } catch {
        printError("\(error)")
        throw ExitCode(2)
      }
    }
    report.errors.removeAll()
    if !corpus.errors.isEmpty || report.messageCount < corpus.messages.count
      || report.conversationCount < corpus.conversations.count
    {
      throw ExitCode(1)
    }
  }

  /// Standard input, up to the size limit of a corpus file.
  func classifier(_ directory: String?, replacing: Bool) throws(ChildSafeError) -> EngineClassifier {
    guard let directory else { return try EngineClassifier(rules: .embedded) }
    try RulesOptions.checkExists(directory, option: directory == rules ? "--rules" : "--baseline")
    return try EngineClassifier(rules: RuleSources.load(directory: directory, replacingDefaults: replacing))
  }
}

/// A progress bar on standard error, redrawn at most once per percent. Only used when stderr is a terminal.
final class ProgressBar: Sendable {
  private let total: Int
  private let state = Mutex<(done: Int, drawn: Int)>((0, -1))

  init(total: Int) { self.total = max(1, total) }

  func advance(by count: Int) {
    state.withLock { state in
      state.done += count
      let percent = min(100, state.done * 100 / total)
      guard percent != state.drawn else { return }
      state.drawn = percent
      let width = 30
      let filled = percent * width / 100
      let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
      let line = "\r[\(bar)] \(percent)% \(min(state.done, total))/\(total)"
      _ = line.withCString { write(2, $0, strlen($0)) }
    }
  }

  func finish() {
    state.withLock { _ in
      let clear = "\r" + String(repeating: " ", count: 60) + "\r"
      _ = clear.withCString { write(2, $0, strlen($0)) }
    }
  }
}
