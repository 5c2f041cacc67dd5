import Testing

@testable import ChildSafe

/// Model files, features and how a learnt model combines with the rules (docs/model.md).
@Suite("Learnt models")
struct LinearModelTests {
  static let settings = FeatureSettings(hashBits: 12, characterGrams: 4)
  static let pack = """
    rule t.secret secrecy 0.9
      acts: alone
      match: our secret
    """

  let engine: ClassifierEngine
  init() throws { engine = try TestPack.engine(LinearModelTests.pack) }

  /// A model that gives `weight` to every feature of `word` (with its hash sign) and `bias` elsewhere.
  func model(
    boosting word: String, weight: Float = 8, bias: Float = -6, threshold: Float = 0.9, confirm: Float = 0,
    level: LinearModel.Level = .message, window: Int = 4
  ) throws -> LinearModel {
    var weights = [Float](repeating: 0, count: 1 << LinearModelTests.settings.hashBits)
    for f in try engine.modelFeatures(word, settings: LinearModelTests.settings) {
      weights[Int(f.index)] = f.sign * weight
    }
    return try LinearModel(
      level: level, settings: LinearModelTests.settings, bias: bias, threshold: threshold, confirm: confirm,
      window: window, description: "test model boosting one word", weights: weights)
  }

  @Test func fileRoundTripKeepsEverything() throws {
    let original = try model(boosting: "pineapple", confirm: 0.1, level: .conversation, window: 7)
    let read = try LinearModel(bytes: original.encoded())
    #expect(read.level == .conversation)
    #expect(read.settings == LinearModelTests.settings)
    #expect(read.bias == original.bias && read.threshold == original.threshold && read.confirm == original.confirm)
    #expect(read.window == 7)
    #expect(read.description == "test model boosting one word")
    #expect(read.weights == original.weights)
    #expect(read.encoded() == original.encoded())
  }

  @Test func damagedTruncatedAndForeignFilesAreClearErrors() throws {
    let bytes = try model(boosting: "pineapple").encoded()
    var damaged = bytes
    damaged[200] ^= 0x40
    #expect(throws: ChildSafeError.self) { try LinearModel(bytes: damaged) }
    do {
      _ = try LinearModel(bytes: damaged)
    } catch {
      #expect(error.code == .corrupt)
      #expect(error.message.contains("checksum"))
    }
    do {
      _ = try LinearModel(bytes: Array(bytes.dropLast(100)))
      Issue.record("a truncated file was read")
    } catch {
      #expect(error.code == .corrupt)
    }
    do {
      _ = try LinearModel(bytes: Array("#!/bin/sh\necho not a model\n".utf8))
      Issue.record("a foreign file was read")
    } catch {
      #expect(error.message.contains("signature"))
    }
    var future = bytes
    future[8] = 9
    do {
      _ = try LinearModel(bytes: future)
      Issue.record("an unknown version was read")
    } catch {
      #expect(error.message.contains("version 9"))
    }
  }

  @Test func featuresAreReadFromNormalisedText() throws {
    let plain = try engine.modelFeatures("pineapple party", settings: LinearModelTests.settings)
    // Zero-width characters, look-alike letters and shouting do not change a single feature.
    let evasive = try engine.modelFeatures("PINE\u{200B}APPLE p\u{0430}rty", settings: LinearModelTests.settings)
    #expect(!plain.isEmpty)
    #expect(plain == evasive)
    #expect(try engine.modelFeatures("pineapple pizza", settings: LinearModelTests.settings) != plain)
  }

  @Test func aConfidentModelFlagsAMessageNoRuleFlagsAndSaysWhere() throws {
    let hybrid = engine.adding(try model(boosting: "pineapple"))
    let text = "so about the pineapple thing"
    #expect(try !engine.classify(text).flagged)
    let verdict = try hybrid.classify(text)
    #expect(verdict.flagged)
    #expect(verdict.score == 0)  // the rules' own score
    let assessment = try #require(verdict.model)
    #expect(assessment.acts && assessment.score >= 0.9)
    let top = try #require(assessment.features.first)
    let start = text.utf8.count - "pineapple thing".utf8.count
    #expect(top.start == start && top.end == start + "pineapple".utf8.count)
    // Ordinary text: scored, not flagged.
    let ordinary = try hybrid.classify("see you at lunch")
    #expect(!ordinary.flagged)
    #expect((ordinary.model?.score ?? 1) < 0.01)
    // The verdict's JSON carries the model's score and spans, never text.
    let json = JSONValue.object(verdict.jsonMembers).serialized()
    #expect(json.contains("\"model\":{\"score\":"))
    #expect(!json.contains("pineapple"))
  }

  @Test func aModelReadsChineseWordsAsItLearntThem() throws {
    // Training splits Chinese into words (modelFeatures); no rule here has a Chinese word, so the
    // rules alone leave the run whole. The model must still score the words it learnt.
    let hybrid = engine.adding(try model(boosting: "秘密"))
    let text = "这是我们的秘密"
    #expect(try !engine.classify(text).flagged)
    let verdict = try hybrid.classify(text)
    let assessment = try #require(verdict.model)
    #expect(verdict.flagged && assessment.acts)
    let top = try #require(assessment.features.first)
    #expect(top.end == text.utf8.count && top.start == text.utf8.count - "秘密".utf8.count)
  }

  @Test func aModelThatFindsTextClearlyOrdinaryWithholdsTheRulesDecision() throws {
    let text = "this is our secret ok"
    #expect(try engine.classify(text).flagged)
    // The model finds everything ordinary (score ≈ 0.0025 without "pineapple"), below its confirm level.
    let vetoing = engine.adding(try model(boosting: "pineapple", confirm: 0.05))
    let verdict = try vetoing.classify(text)
    #expect(!verdict.flagged)
    #expect(verdict.categories == [.secrecy])  // the signal is still reported
    // A confirm level of 0 leaves the rules as they are.
    #expect(try engine.adding(try model(boosting: "pineapple", confirm: 0)).classify(text).flagged)
  }

  @Test func aConversationModelEscalatesOnASendersWindowAndKeepsNoText() throws {
    let conversationModel = try model(boosting: "pineapple", weight: 1, bias: -3, threshold: 0.8, level: .conversation)
    let hybrid = engine.adding(conversationModel)
    var tracker = hybrid.makeConversation()
    let a = MessageContext(senderID: "a")
    let b = MessageContext(senderID: "b")
    let first = try tracker.add("pineapple", context: a)
    #expect(first.model == nil && !first.flagged)  // not applied to single messages
    #expect(!tracker.verdict.flagged)
    _ = try tracker.add("hello there how are you doing today", context: b)
    for _ in 0..<3 { _ = try tracker.add("pineapple pineapple", context: a) }
    #expect(tracker.verdict.flagged)
    #expect(tracker.verdict.modelSender == "a")
    #expect((tracker.verdict.modelScore ?? 0) >= 0.8)
    // Only "a"'s window counts toward "a": a second sender's ordinary chat does not dilute it.
    #expect(tracker.senders.allSatisfy { $0.modelWindow.count <= 4 })
    // Rebinding to the same model keeps the windows; to rules only, drops them.
    #expect(tracker.rebinding(to: hybrid).senders.first { $0.sender == "a" }?.modelWindow.isEmpty == false)
    #expect(tracker.rebinding(to: engine).senders.allSatisfy { $0.modelWindow.isEmpty })
  }

  /// `model(boosting:)` at the conversation level with thresholds per language.
  func languageModel(_ thresholds: [LanguageThreshold], threshold: Float = 0.99) throws -> LinearModel {
    let base = try model(boosting: "pineapple", weight: 1, bias: -6, threshold: threshold, level: .conversation)
    return try LinearModel(
      level: .conversation, settings: base.settings, bias: base.bias, threshold: base.threshold, confirm: base.confirm,
      window: base.window, languageThresholds: thresholds, description: base.description, weights: base.weights)
  }

  @Test func aConversationInADeclaredLanguageEscalatesAtThatLanguagesThreshold() throws {
    // Four messages of "pineapple pineapple" score about 0.9.
    let model = try languageModel([LanguageThreshold(language: "en", threshold: 0.6)])
    #expect(model.threshold(forLanguage: "en-GB") == 0.6 && model.threshold(forLanguage: "EN") == 0.6)
    #expect(model.threshold(forLanguage: "de") == 0.99 && model.threshold(forLanguage: nil) == 0.99)
    func flagged(language: String?) throws -> Bool {
      var tracker = engine.adding(model).makeConversation()
      for _ in 0..<4 { _ = try tracker.add("pineapple pineapple", context: MessageContext(language: language, senderID: "a")) }
      return tracker.verdict.flagged
    }
    #expect(try flagged(language: "en-GB"))
    #expect(try !flagged(language: "de"))
    #expect(try !flagged(language: nil))
  }

  @Test func languageThresholdsNeedVersionThreeAndAreCheckedWhenRead() throws {
    // Without them the file stays version 2 (older libraries read it); with them, version 3.
    #expect(try languageModel([]).encoded()[8] == 2)
    let model = try languageModel([
      LanguageThreshold(language: "en", threshold: 0.6), LanguageThreshold(language: "nds", threshold: 0.7),
    ])
    let bytes = model.encoded()
    #expect(bytes[8] == 3)
    let read = try LinearModel(bytes: bytes)
    #expect(read.languageThresholds == model.languageThresholds)
    #expect(read.encoded() == bytes)
    // A threshold above the model's own, or a code that is not a language, is a corrupt file.
    func resealed(_ edit: (inout [UInt8]) -> Void) -> [UInt8] {
      var b = Array(bytes.dropLast(8))
      edit(&b)
      b.appendLittleEndian(ModelFileChecksum.fnv1a64(b[...]))
      return b
    }
    let entries = bytes.count - 8 - 4 * (1 << LinearModelTests.settings.hashBits) - 16
    for edit in [
      { (b: inout [UInt8]) in b[entries + 4..<entries + 8] = ArraySlice(Array(Float(1.5).bitPattern.littleEndianBytes)) },
      { (b: inout [UInt8]) in b[entries] = UInt8(ascii: "E") },
    ] {
      #expect(throws: ChildSafeError.self) { _ = try LinearModel(bytes: resealed(edit)) }
    }
    #expect(throws: ChildSafeError.self) {
      _ = try LinearModel(
        level: .message, settings: model.settings, bias: 0, threshold: 0.9, languageThresholds: [LanguageThreshold(language: "en", threshold: 0.6)],
        description: "", weights: model.weights)
    }
  }

  /// `base` with a threshold toward a known minor.
  func withMinorThreshold(_ base: LinearModel, _ minorThreshold: Float?) throws -> LinearModel {
    try LinearModel(
      level: base.level, settings: base.settings, bias: base.bias, threshold: base.threshold, confirm: base.confirm,
      window: base.window, minorThreshold: minorThreshold, description: base.description, weights: base.weights)
  }

  @Test func aMessageToAKnownMinorIsFlaggedFromTheMinorThreshold() throws {
    let text = "so about the pineapple thing"
    let base = try model(boosting: "pineapple", weight: 1, bias: -3, threshold: 0.99)
    let score = Float(try #require(try engine.adding(base).classify(text).model).score)
    try #require(score > 0.05 && score < 0.9)
    let hybrid = engine.adding(try withMinorThreshold(base, score - 0.01))
    func flagged(sender: Int?, recipient: Int?) throws -> Bool {
      let verdict = try hybrid.classify(text, context: MessageContext(senderAge: sender, recipientAge: recipient))
      #expect(verdict.model?.acts == verdict.flagged)
      return verdict.flagged
    }
    #expect(try flagged(sender: 35, recipient: 13))
    // The assessment says which threshold applied.
    let toward = try hybrid.classify(text, context: MessageContext(senderAge: 35, recipientAge: 13)).model
    #expect(toward?.threshold == ModelRounding.round(Double(score - 0.01)))
    #expect(try hybrid.classify(text).model?.threshold == ModelRounding.round(Double(Float(0.99))))
    // Without ages, between adults and between minors the model's own threshold applies.
    #expect(try !flagged(sender: nil, recipient: nil))
    #expect(try !flagged(sender: 35, recipient: 30))
    #expect(try !flagged(sender: 14, recipient: 13))
    // Ordinary text stays below it, toward a minor too.
    #expect(try !hybrid.classify("see you at lunch", context: MessageContext(senderAge: 35, recipientAge: 13)).flagged)
  }

  @Test func aMinorThresholdNeedsVersionFourAndIsCheckedWhenRead() throws {
    let base = try model(boosting: "pineapple", confirm: 0.1)
    #expect(base.encoded()[8] == 2)
    let model = try withMinorThreshold(base, 0.6)
    let bytes = model.encoded()
    #expect(bytes[8] == 4)
    let read = try LinearModel(bytes: bytes)
    #expect(read.minorThreshold == 0.6 && read.languageThresholds.isEmpty)
    #expect(read.encoded() == bytes)
    // Above the threshold, below the confirm level, or on a conversation model: refused.
    for bad: Float in [0.95, 0.05] { #expect(throws: ChildSafeError.self) { _ = try withMinorThreshold(base, bad) } }
    let conversation = try self.model(boosting: "pineapple", level: .conversation)
    #expect(throws: ChildSafeError.self) { _ = try withMinorThreshold(conversation, 0.5) }
    // A file whose minor threshold lies above its threshold is corrupt.
    var edited = Array(bytes.dropLast(8))
    let at = edited.count - 4 * (1 << LinearModelTests.settings.hashBits) - 4
    edited[at..<at + 4] = ArraySlice(Array(Float(0.95).bitPattern.littleEndianBytes))
    edited.appendLittleEndian(ModelFileChecksum.fnv1a64(edited[...]))
    do {
      _ = try LinearModel(bytes: edited)
      Issue.record("a minor threshold above the threshold was read")
    } catch {
      #expect(error.code == .corrupt && error.message.contains("known minor"))
    }
  }

  /// A conversation model that weighs only one participant feature: `which` (0 pairing, 1 role,
  /// 2 minor shown) with `value`.
  func participantModel(which: UInt8, value: UInt8) throws -> LinearModel {
    var settings = LinearModelTests.settings
    settings.participants = true
    var weights = [Float](repeating: 0, count: 1 << settings.hashBits)
    var hash = FeatureHash(kind: .participants)
    hash.add(which)
    hash.add(value)
    let feature = hash.feature(mask: UInt32(weights.count - 1))
    weights[Int(feature.index)] = feature.sign * 40
    return try LinearModel(
      level: .conversation, settings: settings, bias: -3, threshold: 0.8, window: 4, description: "pairing", weights: weights)
  }

  @Test func aConversationModelReadsWhoTalksToWhom() throws {
    let hybrid = engine.adding(try participantModel(which: 0, value: 0))  // adult to minor
    func run(_ messages: [(String, String)], ages: [String: Int] = [:]) throws -> ConversationVerdict {
      var tracker = hybrid.makeConversation()
      for (from, text) in messages {
        _ = try tracker.add(text, context: MessageContext(senderAge: ages[from], senderID: from))
      }
      return tracker.verdict
    }
    // The same words: an adult to a child who told her age, two adults, nobody's age.
    let child = try run([("a", "asl"), ("b", "im 13 f"), ("a", "im 35 m"), ("a", "hey")])
    #expect(child.flagged && child.modelSender == "a")
    #expect(try !run([("a", "asl"), ("b", "im 40 f"), ("a", "im 35 m"), ("a", "hey")]).flagged)
    #expect(try !run([("a", "asl"), ("b", "hi"), ("a", "hey"), ("a", "hey")]).flagged)
    // Ages the host gives count as told ones.
    #expect(try run([("b", "hi"), ("a", "hey"), ("a", "hey")], ages: ["a": 35, "b": 12]).flagged)
  }

  @Test func participantFeaturesNeedAConversationAndAVersionTwoFile() throws {
    var settings = LinearModelTests.settings
    settings.participants = true
    let weights = [Float](repeating: 0, count: 1 << settings.hashBits)
    #expect(throws: ChildSafeError.self) {
      try LinearModel(level: .message, settings: settings, bias: 0, threshold: 0.5, description: "", weights: weights)
    }
    let model = try participantModel(which: 2, value: 1)
    let bytes = model.encoded()
    #expect(try LinearModel(bytes: bytes).settings.participants)
    // A version 1 file is read (it cannot have participant features)...
    func withHeader(version: UInt8, flags: UInt8, of bytes: [UInt8]) -> [UInt8] {
      var b = Array(bytes.dropLast(8))
      b[8] = version
      b[15] = flags
      b.appendLittleEndian(ModelFileChecksum.fnv1a64(b[...]))
      return b
    }
    let old = try LinearModel(bytes: withHeader(version: 1, flags: 0b011, of: bytes))
    #expect(!old.settings.participants && old.settings.wordPairs && old.settings.ruleCategories)
    // ...and a flag its version cannot have is an error, never ignored.
    for (version, flags) in [(UInt8(1), UInt8(0b111)), (2, 0b1011)] {
      do {
        _ = try LinearModel(bytes: withHeader(version: version, flags: flags, of: bytes))
        Issue.record("flags \(flags) were read from a version \(version) file")
      } catch {
        #expect(error.code == .corrupt && error.message.contains("feature flags"))
      }
    }
  }

  @Test func twoModelsReadingTheSameFeaturesScoreAsEachAlone() throws {
    // With both levels loaded, the features are hashed once for both tables: same results.
    let message = try model(boosting: "pineapple", threshold: 0.6)
    let conversation = try model(boosting: "party", weight: 2, bias: -2, threshold: 0.7, level: .conversation)
    let both = engine.adding(message).adding(conversation)
    let texts = ["pineapple party tonight", "our secret party", "see you at lunch", "party party party"]
    var together = both.makeConversation()
    var alone = engine.adding(conversation).makeConversation()
    for (k, text) in texts.enumerated() {
      let context = MessageContext(senderID: k % 2 == 0 ? "a" : "b")
      #expect(try together.add(text, context: context).model == engine.adding(message).classify(text).model)
      _ = try alone.add(text, context: context)
      #expect(together.verdict.modelScore == alone.verdict.modelScore)
    }
    #expect(together.verdict.modelScore != nil)
  }

  @Test func modelFilesOfOneLevelAreGivenOnce() throws {
    let path = "/tmp/childsafe-model-test-\(getpid()).csm"
    try model(boosting: "pineapple").write(to: path)
    defer { unlink(path) }
    #expect(try engine.adding(modelFiles: [path]).models.message != nil)
    do {
      _ = try engine.adding(modelFiles: [path, path])
      Issue.record("two message-level models were accepted")
    } catch {
      #expect(error.message.contains("second message-level model"))
    }
    do {
      _ = try engine.adding(modelFiles: ["/nonexistent/model.csm"])
      Issue.record("a missing file was accepted")
    } catch {
      #expect(error.code == .io)
    }
  }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The character n-grams are those of the word between boundary marks, for every word length.
@Suite("Model features")
struct FeaturizerTests {
  struct Collect: FeatureSink {
    var characters: [HashedFeature] = []
    mutating func add(_ feature: HashedFeature, kind: ModelFeatureKind, start: Int, end: Int) {
      if kind == .characters { characters.append(feature) }
    }
  }

  /// The reference: every n-byte window of "^" + word + "$" (the whole of it when shorter).
  static func reference(_ word: String, n: Int, mask: UInt32) -> [HashedFeature] {
    let padded = [UInt8(ascii: "^")] + Array(word.utf8) + [UInt8(ascii: "$")]
    let length = min(n, padded.count)
    return (0...(padded.count - length)).map { g in
      var hash = FeatureHash(kind: .characters)
      for b in padded[g..<(g + length)] { hash.add(b) }
      return hash.feature(mask: mask)
    }
  }

  @Test(arguments: [3, 4, 5, 6])
  func characterGramsAreTheMarkedWordsWindows(n: Int) throws {
    let settings = FeatureSettings(hashBits: 16, characterGrams: n, wordPairs: false, ruleCategories: false)
    for word in ["a", "ab", "abc", "abcd", "abcde", "abcdefghij", "straße"] {
      let features = try ClassifierEngine.defaults.normalizer.withTokens(word) { tokens -> [HashedFeature] in
        var sink = Collect()
        Featurizer.visit(tokens, rules: [], settings: settings, into: &sink)
        return sink.characters
      }
      let normalised = try ClassifierEngine.defaults.normalizer.normalize(word).tokens[0].text
      #expect(features == FeaturizerTests.reference(normalised, n: n, mask: UInt32((1 << 16) - 1)), "\(word), n = \(n)")
    }
  }
}

extension UInt32 {
  fileprivate var littleEndianBytes: [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: self >> (8 * $0)) } }
}
