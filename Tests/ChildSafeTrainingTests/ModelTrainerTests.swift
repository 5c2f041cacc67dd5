import ChildSafe
import ChildSafeEvaluation
import Testing

@testable import ChildSafeTraining

/// `childsafe train`'s trainer: deterministic, out-of-fold figures, a threshold that holds the
/// false-alarm rate, and a model file the library reads back.
@Suite("Model trainer")
struct ModelTrainerTests {
  /// Positives mention a topic benign messages never do; both vary their wording.
  static func corpus() -> Corpus {
    let topics = ["camera", "webcam", "cam", "pics", "photos"]
    let benign = ["homework", "lunch", "football", "the bus", "my sister", "a movie", "dinner", "the game"]
    var messages: [LabelledMessage] = []
    for i in 0..<60 {
      messages.append(
        LabelledMessage(id: "p\(i)", text: "turn on your \(topics[i % topics.count]) for me \(i % 7)", labels: [.sexual]))
    }
    for i in 0..<240 {
      messages.append(
        LabelledMessage(id: "b\(i)", text: "did you finish \(benign[i % benign.count]) today \(i % 11)", labels: []))
    }
    return Corpus(messages: messages)
  }

  static let options = ModelTrainer.Options(
    level: .message, settings: FeatureSettings(hashBits: 14, characterGrams: 4), folds: 3,
    regression: LogisticRegression.Options(epochs: 5, seed: 7), maxFalseAlarms: 0.01)

  func train(seed: UInt64 = 7) throws -> ModelTrainer.Report {
    var options = ModelTrainerTests.options
    options.regression.seed = seed
    let units = try TrainingUnit.units(
      of: ModelTrainerTests.corpus(), level: .message, engine: .defaults, settings: options.settings)
    return try ModelTrainer(options: options).train(units, trainedOn: "a test corpus")
  }

  @Test func sameCorpusAndSeedGiveTheSameModel() throws {
    let a = try train()
    let b = try train()
    #expect(a.model.encoded() == b.model.encoded())
    #expect(a.model.description.contains("seed 7"))
    #expect(a.model.description.contains("trained on a test corpus"))
  }

  @Test func learnsASeparableTopicOutOfFoldAndHoldsTheFalseAlarmRate() throws {
    let report = try train()
    #expect(report.auc > 0.95)
    let all = try #require(report.comparisons.first)
    #expect(all.source == "all")
    #expect(all.model.positives == 60 && all.model.negatives == 240)
    #expect(all.model.recall > 0.8)
    #expect(all.model.falseAlarms <= 0.01)
    // The model file works in the library: an unseen phrasing of the topic, and ordinary chat.
    let hybrid = ClassifierEngine.defaults.adding(report.model)
    #expect(try hybrid.classify("turn on your webcam for me").model?.acts == true)
    #expect(try hybrid.classify("did you finish the bus today").model?.acts == false)
  }

  @Test func aMinorThresholdLiesBetweenConfirmAndThresholdAndHoldsItsRate() throws {
    let report = try train()
    let minor = try #require(report.minor)
    #expect(report.model.minorThreshold == minor.threshold)
    #expect(minor.threshold >= report.model.confirm && minor.threshold <= report.model.threshold)
    #expect(minor.model.negatives == 240 && minor.model.falseAlarms <= ModelTrainer.defaultMinorFalseAlarms)
    #expect(minor.model.recall >= report.comparisons[0].model.recall)
    // None asked for: the model has none, and its file stays readable by older libraries.
    var options = ModelTrainerTests.options
    options.minorFalseAlarms = nil
    let units = try TrainingUnit.units(
      of: ModelTrainerTests.corpus(), level: .message, engine: .defaults, settings: options.settings)
    let plain = try ModelTrainer(options: options).train(units, trainedOn: "a test corpus")
    #expect(plain.minor == nil && plain.model.minorThreshold == nil && plain.model.encoded()[8] == 2)
    #expect(ModelTrainer.Options(level: .conversation).minorFalseAlarms == nil)
  }

  @Test func weaklyLabelledPiecesAreLearntFromButNeverScored() throws {
    // Two windows run a whole chat into one message: 25 words each, cut into pieces of 10.
    let words = (0..<25).map { "w\($0)" }.joined(separator: " ")
    let corpus = Corpus(conversations: [
      LabelledConversation(
        id: "g", isGrooming: true, onset: nil, messages: [.init(from: "A", text: "turn on your webcam " + words)]),
      LabelledConversation(id: "b", isGrooming: false, onset: nil, messages: [.init(from: "A", text: words)]),
    ])
    let settings = ModelTrainerTests.options.settings
    let pieces = try TrainingUnit.weaklyLabelledPieces(of: corpus, words: 10, engine: .defaults, settings: settings)
    #expect(pieces.map(\.isPositive) == [true, true, true, false, false, false])
    #expect(pieces[0].senders == [[try ClassifierEngine.defaults.modelFeatures(
      "turn on your webcam w0 w1 w2 w3 w4 w5", settings: settings)]])
    let units = try TrainingUnit.units(
      of: ModelTrainerTests.corpus(), level: .message, engine: .defaults, settings: settings)
    let trainer = ModelTrainer(options: ModelTrainerTests.options)
    let plain = try trainer.train(units, trainedOn: "a test corpus")
    let report = try trainer.train(units, learningAlsoFrom: pieces, trainedOn: "a test corpus")
    // The figures and scores are the labelled units' only; the weights learnt from both.
    #expect(report.scores.count == units.count)
    #expect(report.comparisons[0].model.positives == 60 && report.comparisons[0].model.negatives == 240)
    func score(_ model: LinearModel) throws -> Double? {
      try ClassifierEngine.defaults.adding(model).classify("w3 w4 w5 w6").model?.score
    }
    #expect(try score(report.model) != score(plain.model))
    #expect(report.model.description.contains("3 positive and 3 benign weakly labelled units"))
    #expect(throws: ChildSafeError.self) {
      _ = try TrainingUnit.weaklyLabelledPieces(of: corpus, words: 0, engine: .defaults, settings: settings)
    }
  }

  @Test func needsBothClasses() throws {
    let positivesOnly = Corpus(messages: [LabelledMessage(id: "p", text: "turn on your cam", labels: [.sexual])])
    let units = try TrainingUnit.units(
      of: positivesOnly, level: .message, engine: .defaults, settings: ModelTrainerTests.options.settings)
    #expect(throws: ChildSafeError.self) { try ModelTrainer(options: ModelTrainerTests.options).train(units, trainedOn: "x") }
  }

  @Test func aucCountsTiesAsHalf() {
    #expect(ModelTrainer.auc(positives: [0.9, 0.8], negatives: [0.1, 0.2]) == 1)
    #expect(ModelTrainer.auc(positives: [0.5], negatives: [0.5]) == 0.5)
    #expect(ModelTrainer.auc(positives: [0.1], negatives: [0.9]) == 0)
  }

  @Test func conversationWindowsScoreAsTheLibraryDoes() throws {
    // A unit's out-of-fold score is the library's: the best window of any sender.
    let settings = FeatureSettings(hashBits: 12, characterGrams: 0)
    let engine = ClassifierEngine.defaults
    let features = try engine.modelFeatures("pineapple", settings: settings)
    var weights = [Float](repeating: 0, count: 1 << 12)
    for f in features { weights[Int(f.index)] = f.sign * 2 }
    let model = try LinearModel(
      level: .conversation, settings: settings, bias: -1, threshold: 0.99, window: 2, description: "", weights: weights)
    let texts = ["hi", "pineapple", "pineapple", "ok", "hello"]
    var tracker = engine.adding(model).makeConversation()
    for text in texts { _ = try tracker.add(text, context: MessageContext(senderID: "a")) }
    let unit = TrainingUnit(
      isPositive: true, source: "t",
      senders: [try texts.map { try engine.modelFeatures($0, settings: settings) }], rulesFlagged: false)
    let score = unit.score(weights: weights, bias: -1, window: 2)
    #expect(abs(Double(score) - (tracker.verdict.modelScore ?? -1)) < 0.001)
  }

  @Test func participantFeaturesAreLearntAsTheLibraryComputesThem() throws {
    // Training reads who talks to whom from the same tracker inference runs: a model's score of a
    // unit equals the library's, message by message, with ages told and given.
    let settings = FeatureSettings(hashBits: 12, characterGrams: 3, participants: true)
    let engine = ClassifierEngine.defaults
    let conversation = LabelledConversation(
      id: "c", isGrooming: true, onset: nil, ages: ["b": 13],
      messages: [
        .init(from: "a", text: "asl?"), .init(from: "b", text: "13 f u?"), .init(from: "a", text: "im 35 m"),
        .init(from: "b", text: "cool"), .init(from: "a", text: "do your parents check your phone"),
      ])
    let units = try TrainingUnit.units(
      of: Corpus(conversations: [conversation]), level: .conversation, engine: engine, settings: settings)
    let unit = try #require(units.first)
    // Every message carries three participant features beyond its words.
    let plain = try conversation.messages.map { try engine.modelFeatures($0.text, settings: settings).count }
    #expect(unit.senders.joined().map(\.count) == [plain[0], plain[2], plain[4], plain[1], plain[3]].map { $0 + 3 })
    var weights = [Float](repeating: 0, count: 1 << 12)
    for k in weights.indices { weights[k] = Float((k * 7919) % 13) / 13 - 0.5 }
    let model = try LinearModel(
      level: .conversation, settings: settings, bias: -0.5, threshold: 0.99, window: 3, description: "", weights: weights)
    var tracker = engine.adding(model).makeConversation()
    for i in conversation.messages.indices { _ = try tracker.add(conversation.messages[i].text, context: conversation.context(of: i)) }
    let score = unit.score(weights: weights, bias: -0.5, window: 3)
    #expect(abs(Double(score) - (tracker.verdict.modelScore ?? -1)) < 0.001)
  }

  @Test func aCombinationLimitHoldsWhereTheRulesAloneWouldNot() throws {
    // Benign units the rules flag score in the middle: with the limit on the combination, the
    // model withholds enough of them that rules and model together stay within the limit.
    func unit(_ positive: Bool, _ rules: Bool, _ word: String) -> TrainingUnit {
      var hash = [HashedFeature]()
      for (k, byte) in word.utf8.enumerated() { hash.append(HashedFeature(index: UInt32(byte) * 3 + UInt32(k), sign: 1)) }
      return TrainingUnit(isPositive: positive, source: "s", senders: [[hash]], rulesFlagged: rules)
    }
    var units: [TrainingUnit] = []
    for i in 0..<40 { units.append(unit(true, i % 2 == 0, "grooming\(i % 5)")) }
    // Half the benign units the rules flag read exactly like one kind of positive.
    for i in 0..<200 {
      units.append(unit(false, i % 10 == 0, i % 20 == 0 ? "grooming0" : i % 10 == 0 ? "banter\(i % 3)" : "ordinary\(i % 7)"))
    }
    var options = ModelTrainer.Options(
      level: .conversation, settings: FeatureSettings(hashBits: 12, characterGrams: 0), folds: 4,
      regression: LogisticRegression.Options(epochs: 5, seed: 3), maxFalseAlarms: 0.03)
    #expect(options.limit == .combination && options.vetoLoss == 0.02)
    let combined = try ModelTrainer(options: options).train(units, trainedOn: "t").comparisons[0]
    #expect(combined.rules.falseAlarms == 0.1)
    #expect(combined.hybrid.falseAlarms <= 0.03)
    #expect(combined.hybrid.recall >= 0.7)
    options.limit = .model
    let modelOnly = try ModelTrainer(options: options).train(units, trainedOn: "t").comparisons[0]
    #expect(modelOnly.hybrid.falseAlarms > 0.03)
  }

  @Test func aRulesLimitFlagsNoMoreOrdinaryUnitsOfAnySourceThanTheRules() throws {
    // Two ordinary sources: one where the rules never act, one where they act on banter that
    // the model learns to find ordinary. The model may flag only as many ordinary units of a
    // source as it withholds of the rules' false alarms there.
    func unit(_ positive: Bool, _ rules: Bool, _ source: String, _ word: String) -> TrainingUnit {
      var hash = [HashedFeature]()
      for (k, byte) in word.utf8.enumerated() { hash.append(HashedFeature(index: UInt32(byte) * 3 + UInt32(k), sign: 1)) }
      return TrainingUnit(isPositive: positive, source: source, senders: [[hash]], rulesFlagged: rules)
    }
    var units: [TrainingUnit] = []
    for i in 0..<60 { units.append(unit(true, i % 3 == 0, "p", "grooming\(i % 5)")) }
    for i in 0..<200 { units.append(unit(false, false, "quiet", i % 25 == 0 ? "grooming\(i % 5)" : "ordinary\(i % 7)")) }
    for i in 0..<200 { units.append(unit(false, i % 10 == 0, "banter", i % 10 == 0 ? "banter\(i % 3)" : "chat\(i % 9)")) }
    let options = ModelTrainer.Options(
      level: .message, settings: FeatureSettings(hashBits: 12, characterGrams: 0), folds: 4,
      regression: LogisticRegression.Options(epochs: 5, seed: 3))
    #expect(options.limit == .rules)
    let report = try ModelTrainer(options: options).train(units, trainedOn: "t")
    for c in report.comparisons.dropFirst() {
      #expect(c.hybrid.falsePositives <= c.rules.falsePositives, "\(c.source)")
    }
    let banter = try #require(report.comparisons.first { $0.source == "banter" })
    #expect(banter.rules.falsePositives == 20 && banter.hybrid.falsePositives < 20)
    let all = report.comparisons[0]
    #expect(all.hybrid.recall > all.rules.recall)
    #expect(report.model.confirm > 0 && report.model.confirm <= report.model.threshold)
  }

  @Test func aLanguageGetsALowerThresholdOnlyWhereItFlagsNoMoreOfItsOrdinaryChat() throws {
    // German ordinary chat scores high and sets the shared threshold (0.9); English ordinary chat
    // stays below 0.6, where English grooming at 0.7 is missed by the shared threshold.
    func unit(_ positive: Bool, _ language: String) -> TrainingUnit {
      TrainingUnit(isPositive: positive, source: language, senders: [], rulesFlagged: false, language: language)
    }
    var units: [TrainingUnit] = []
    var scores: [Float] = []
    for k in 0..<60 {
      units.append(unit(false, "en-GB"))
      scores.append(0.1 + Float(k) / 120)  // up to 0.59
      units.append(unit(false, "de"))
      scores.append(k == 0 ? 0.89 : 0.3)
      units.append(unit(false, "es"))  // no positives: nothing to gain, no threshold of its own
      scores.append(0.2)
    }
    units.append(unit(true, "en"))
    scores.append(0.7)
    units.append(unit(true, "de"))
    scores.append(0.7)
    let thresholds = ModelTrainer.languageThresholds(units: units, scores: scores, threshold: 0.9, confirm: 0.2)
    #expect(thresholds.map(\.language) == ["en"])
    let en = try #require(thresholds.first)
    #expect(en.threshold > 0.59 && en.threshold <= 0.6)
    #expect(units[0].language == "en")
  }
}
