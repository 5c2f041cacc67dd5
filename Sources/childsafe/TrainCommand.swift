#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ArgumentParser
import ChildSafe
import ChildSafeEvaluation
import ChildSafeTraining

extension ModelTrainer.Options.Limit: ExpressibleByArgument {}

struct TrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Learn a statistical model from labelled corpora, to combine with the rules.",
    discussion: """
      Reads labelled corpora (the formats of eval, see docs/corpus-formats.md) and learns a logistic \
      regression over the features the library reads from normalised text: words, word pairs, character \
      n-grams inside words and the categories of the rules that fired. At --level message it learns from \
      labelled messages; at --level conversation from labelled conversations, as windows of each sender's \
      latest messages.

      Figures are cross-validated (each unit scored by a model trained without it) and printed for rules \
      alone, the model alone and both combined. The model's threshold is chosen from them so that at most \
      --max-false-alarms of benign units reach it. The same corpora, options and seed give the same model. \
      See docs/model.md.
      """
  )

  enum Level: String, ExpressibleByArgument, CaseIterable {
    case message, conversation
  }

  @Option(name: .customLong("corpus"), help: "A corpus file or directory of *.jsonl files (repeatable).")
  var corpora: [String] = []

  @Option(
    name: .customLong("weak-corpus"),
    help: "Message level: a conversation corpus also learnt from, cut into pieces of --piece-words words each labelled as its conversation (repeatable). Never scored: the figures and the threshold come from --corpus.")
  var weakCorpora: [String] = []

  @Option(help: "Words per piece of a --weak-corpus message.")
  var pieceWords = 60

  @Option(help: "What the model judges: message or conversation.")
  var level: Level

  @Option(help: "Where to write the model file.")
  var out: String

  @OptionGroup var rulesOptions: RulesOptions

  @Option(help: "Cross-validation folds.")
  var folds = 5

  @Option(help: "Seed for the folds and the order of training (same seed, same model).")
  var seed: UInt64 = 1

  @Option(help: "Passes over the training examples.")
  var epochs = 10

  @Option(help: "Weights: 2^N (12...22).")
  var hashBits = FeatureSettings.default.hashBits

  @Option(help: "Length of the character n-grams read inside words (0 for none, 3...6).")
  var characterGrams = FeatureSettings.default.characterGrams

  @Flag(
    inversion: .prefixedNo,
    help: "Conversation level: who talks to whom is a feature of every message (the pairing the conversation shows, the sender's role, whether a minor has shown). On by default at that level.")
  var participants: Bool?

  @Flag(
    inversion: .prefixedNo,
    help: "Conversation level: a lower threshold for each declared language where that flags none of its benign conversations the shared threshold leaves alone. On by default at that level.")
  var languageThresholds: Bool?

  @Option(help: "L2 regularisation.")
  var l2: Float = 1e-5

  @Option(help: "Messages per sender in a conversation window.")
  var window = 32

  @Option(help: "Share of benign units allowed to reach the model's threshold (default 0.002 for messages, 0.03 for conversations).")
  var maxFalseAlarms: Double?

  @Flag(help: "Give every corpus file's positives (and benign units) the same total weight.")
  var balanceSources = false

  @Option(help: "Share of the positives the rules catch that the model may withhold where it finds the text clearly ordinary (0 keeps every rule decision; default 0.01 for messages, 0.02 for conversations).")
  var vetoLoss: Double?

  @Option(help: "What limits false alarms: --max-false-alarms of the model alone (model) or of rules and model combined (combination, the default for conversations), or no more than the rules alone make on each corpus file (rules, the default for messages).")
  var limit: ModelTrainer.Options.Limit?

  @Option(help: "Message level: share of each corpus file's benign messages the model alone may flag when they go to a known minor, from where it acts toward one (0 for no such threshold; default 0.02).")
  var minorFalseAlarms: Double?

  @Option(help: "Also write each unit's out-of-fold score as tab-separated values (source, positive, whether the rules flag it and their risk, score): numbers only, no text, for studying how rules and model combine.")
  var scoresOut: String?

  func validate() throws {
    if let vetoLoss, !(0..<1).contains(vetoLoss) { throw ValidationError("--veto-loss must be in [0, 1)") }
    if corpora.isEmpty { throw ValidationError("pass at least one --corpus") }
    if !(2...20).contains(folds) { throw ValidationError("--folds must be in 2...20") }
    if !(1...1000).contains(epochs) { throw ValidationError("--epochs must be in 1...1000") }
    if let m = maxFalseAlarms, !(0..<1).contains(m) { throw ValidationError("--max-false-alarms must be in [0, 1)") }
    if !LinearModel.windowRange.contains(window) { throw ValidationError("--window must be in \(LinearModel.windowRange)") }
    if languageThresholds == true && level == .message {
      throw ValidationError("--language-thresholds sets thresholds for conversations: use it with --level conversation")
    }
    if let m = minorFalseAlarms {
      if !(0..<1).contains(m) { throw ValidationError("--minor-false-alarms must be in [0, 1)") }
      if level != .message {
        throw ValidationError("--minor-false-alarms sets a message threshold: use it with --level message")
      }
    }
    if !weakCorpora.isEmpty && level != .message {
      throw ValidationError("--weak-corpus adds weakly labelled messages: use it with --level message")
    }
    if !(1...1000).contains(pieceWords) { throw ValidationError("--piece-words must be in 1...1000") }
    if participants == true && level == .message {
      throw ValidationError("--participants reads who talks to whom from a conversation: use it with --level conversation")
    }
  }

  func run() throws {
    let modelLevel: LinearModel.Level = level == .message ? .message : .conversation
    let settings = FeatureSettings(
      hashBits: hashBits, characterGrams: characterGrams, participants: participants ?? (level == .conversation))
    if let problem = settings.problem {
      printError("error: \(problem)")
      throw ExitCode(2)
    }
    var corpus = Corpus()
    for source in corpora { corpus.append(CorpusReader.read(path: source)) }
    corpus = corpus.removingDuplicateIDs()
    let engine: ClassifierEngine
    do {
      engine = try rulesOptions.makeEngine()
    } catch {
      printError("\(error)")
      throw ExitCode(2)
    }
    corpus = CorpusReader.checkingLabels(corpus, known: engine.categories.map(\.name))
    for error in corpus.errors { printError("\(error)") }
    var weakCorpus = Corpus()
    for source in weakCorpora {
      let read = CorpusReader.read(path: source)
      // Pieces are cut from conversations: a file of labelled messages gives none, which would
      // otherwise go unnoticed (its messages belong in --corpus).
      if read.conversations.isEmpty && read.errors.isEmpty {
        printError("error: --weak-corpus \(source) holds no conversations (labelled messages go in --corpus)")
        throw ExitCode(2)
      }
      weakCorpus.append(read)
    }
    weakCorpus = weakCorpus.removingDuplicateIDs()
    for error in weakCorpus.errors { printError("\(error)") }
    let terminal = isatty(2) == 1
    func say(_ line: String) { if terminal { printError(line) } }
    let units: [TrainingUnit]
    let weakUnits: [TrainingUnit]
    do {
      units = try TrainingUnit.units(of: corpus, level: modelLevel, engine: engine, settings: settings) { done, total in
        say("reading features: \(done) of \(total)")
      }
      weakUnits = try TrainingUnit.weaklyLabelledPieces(
        of: weakCorpus, words: pieceWords, engine: engine, settings: settings)
    } catch {
      printError("\(error)")
      throw ExitCode(2)
    }
    let options = ModelTrainer.Options(
      level: modelLevel, settings: settings, window: window, folds: folds,
      regression: LogisticRegression.Options(epochs: epochs, l2: l2, seed: seed), maxFalseAlarms: maxFalseAlarms,
      vetoLoss: vetoLoss, limit: limit, languageThresholds: languageThresholds,
      minorFalseAlarms: minorFalseAlarms == 0 ? nil : minorFalseAlarms ?? ModelTrainer.defaultMinorFalseAlarms)
    var trainerOptions = options
    trainerOptions.regression.balanceSources = balanceSources
    var names = corpora.map { $0.split(separator: "/").last.map(String.init) ?? $0 }.joined(separator: ", ")
    if !weakCorpora.isEmpty {
      names += "; weakly, in pieces of \(pieceWords) words: "
        + weakCorpora.map { $0.split(separator: "/").last.map(String.init) ?? $0 }.joined(separator: ", ")
    }
    let report: ModelTrainer.Report
    do {
      report = try ModelTrainer(options: trainerOptions).train(units, learningAlsoFrom: weakUnits, trainedOn: names) {
        say($0)
      }
      try report.model.write(to: out)
      if let scoresOut { try TrainCommand.writeScores(report.scores, of: units, to: scoresOut) }
    } catch {
      printError("\(error)")
      throw ExitCode(2)
    }
    print(TrainCommand.markdown(report, level: modelLevel, out: out))
    if !corpus.errors.isEmpty || !weakCorpus.errors.isEmpty { throw ExitCode(1) }
  }

  static func writeScores(_ scores: [Float], of units: [TrainingUnit], to path: String) throws(ChildSafeError) {
    var text = "source\tpositive\trules_flagged\trules_risk\tscore\n"
    for (unit, score) in zip(units, scores) {
      text += "\(unit.source)\t\(unit.isPositive ? 1 : 0)\t\(unit.rulesFlagged ? 1 : 0)\t\(unit.rulesRisk)\t\(score)\n"
    }
    guard let file = fopen(path, "w") else { throw ChildSafeError(.io, "\(path): cannot be written") }
    defer { fclose(file) }
    guard fputs(text, file) >= 0 else { throw ChildSafeError(.io, "\(path): cannot be written") }
  }

  static func markdown(_ report: ModelTrainer.Report, level: LinearModel.Level, out: String) -> String {
    func pct(_ x: Double) -> String {
      let r = (x * 1000).rounded() / 10
      return "\(r) %"
    }
    var lines = [
      "# Model trained (\(level) level)", "",
      "Wrote \(out): threshold \((Double(report.model.threshold) * 10000).rounded() / 10000), out-of-fold AUC \((report.auc * 1000).rounded() / 1000).",
    ]
    if !report.model.languageThresholds.isEmpty {
      lines.append(
        "Thresholds per declared language: "
          + report.model.languageThresholds.map { "\($0.language) \((Double($0.threshold) * 10000).rounded() / 10000)" }
          .joined(separator: ", ") + ".")
    }
    if let minor = report.minor {
      lines.append(
        "Toward a known minor: threshold \((Double(minor.threshold) * 10000).rounded() / 10000); the model alone, out of fold, "
          + "reaches it for \(pct(minor.model.recall)) of the positives and \(pct(minor.model.falseAlarms)) of the benign messages.")
    }
    lines += [
      "", "## Out of fold, at the model's threshold", "",
      "| source | positives | benign | rules recall / false alarms | model | rules + model |",
      "| --- | ---: | ---: | --- | --- | --- |",
    ]
    for c in report.comparisons {
      lines.append(
        "| \(c.source) | \(c.rules.positives) | \(c.rules.negatives) | \(pct(c.rules.recall)) / \(pct(c.rules.falseAlarms)) | \(pct(c.model.recall)) / \(pct(c.model.falseAlarms)) | \(pct(c.hybrid.recall)) / \(pct(c.hybrid.falseAlarms)) |"
      )
    }
    lines += ["", "## Model alone: recall at each false-alarm rate (out of fold)", "",
              "| false alarms | threshold | recall |", "| ---: | ---: | ---: |"]
    for point in report.curve {
      lines.append("| \(pct(point.falseAlarms)) | \((Double(point.threshold) * 10000).rounded() / 10000) | \(pct(point.recall)) |")
    }
    return lines.joined(separator: "\n")
  }
}
