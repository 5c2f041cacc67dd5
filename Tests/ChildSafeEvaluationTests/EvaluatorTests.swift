#if canImport(Glibc)
import Glibc
#endif
import ChildSafe
import Testing

@testable import ChildSafeEvaluation

@Suite("Evaluator")
struct EvaluatorTests {
  /// A corpus whose verdicts (through FakeClassifier) are known from the text.
  static func smallCorpus() -> Corpus {
    CorpusReader.parse(
      text: """
        {"id": "m1", "text": "keep it quiet zebra #secrecy", "labels": ["secrecy"]}
        {"id": "m2", "text": "a walk #meeting #gifts", "labels": ["meeting"]}
        {"id": "m3", "text": "nice drawing #flattery", "labels": []}
        {"id": "m4", "text": "what grade", "labels": ["age_probe"]}
        {"id": "m5", "text": "BOOM", "labels": []}
        {"id": "m6", "text": "lunch?", "labels": []}
        {"id": "c1", "label": "grooming", "onset": 1, "messages": [{"from": "A", "text": "hi"}, {"from": "A", "text": "x"}, {"from": "A", "text": "#flag"}]}
        {"id": "c2", "label": "benign", "onset": null, "messages": [{"from": "A", "text": "hi"}]}
        not json
        """, source: "small.jsonl")
  }

  @Test("evaluates through a classifier: counts, mistakes by id, rule stats, rejected items as errors")
  func endToEnd() throws {
    let fake = FakeClassifier(ruleIDs: ["fake.secrecy", "fake.meeting", "fake.unused"])
    let report = Evaluator(classifier: fake).evaluate(Self.smallCorpus(), options: EvaluationOptions(workers: 1))
    #expect(report.messageCount == 5)  // m5 rejected
    #expect(report.messages.overall == Confusion(tp: 2, fp: 1, fn: 1, tn: 1))
    #expect(report.messages.falsePositives.map(\.id) == ["m3"])
    #expect(report.messages.falsePositives.first?.rules.map(\.rule) == ["fake.flattery"])
    #expect(report.messages.falseNegatives.map(\.id) == ["m4"])
    #expect(report.messages.rulesNeverFired == ["fake.unused"])
    #expect(report.errors.count == 2)
    #expect(report.errors.map { $0.location?.line } == [9, 5])  // the bad line, then the rejected item
    #expect(report.errors[1].message.hasPrefix("message m5:"))
    let conversations = try #require(report.conversations)
    #expect(conversations.confusion == Confusion(tp: 1, fp: 0, fn: 0, tn: 1))
    #expect(conversations.latencies == [1])
  }

  /// Many messages and conversations with varied verdicts.
  static func largeCorpus() -> Corpus {
    var lines: [String] = []
    let names = Category.builtIn.map(\.name)
    for i in 0..<700 {
      let label = i % 3 == 0 ? [] : [names[i % names.count]]
      var words = ["msg", String(i)]
      if i % 5 != 0 { words.append("#" + names[(i * 7) % names.count]) }
      if i % 11 == 0 { words.append("#" + names[(i + 1) % names.count]) }
      let labels = label.map { "\"\($0)\"" }.joined(separator: ",")
      lines.append(#"{"id": "m\#(i)", "text": "\#(words.joined(separator: " ")) secret word", "labels": [\#(labels)]}"#)
    }
    for i in 0..<60 {
      let messages = (0..<8).map { j in
        #"{"from": "\#(j % 2 == 0 ? "A" : "B")", "t": \#(j * 10), "text": "\#(j == i % 9 ? "#flag" : "hello")"}"#
      }
      let grooming = i % 2 == 0
      lines.append(
        #"{"id": "c\#(i)", "label": "\#(grooming ? "grooming" : "benign")", "onset": \#(grooming ? String(i % 8) : "null"), "messages": [\#(messages.joined(separator: ","))]}"#
      )
    }
    return CorpusReader.parse(text: lines.joined(separator: "\n"), source: "large.jsonl")
  }

  @Test("all cores give exactly the same report as one core, whatever the chunk size")
  func parallelEqualsSerial() {
    let corpus = Self.largeCorpus()
    #expect(corpus.errors.isEmpty && corpus.messages.count == 700)
    let evaluator = Evaluator(classifier: FakeClassifier(ruleIDs: ["fake.none"]))
    let serial = evaluator.evaluate(corpus, options: EvaluationOptions(robustness: true, seed: 7, workers: 1))
    for (workers, chunk) in [(4, 7), (3, 64), (8, 1)] {
      let parallel = evaluator.evaluate(
        corpus, options: EvaluationOptions(robustness: true, seed: 7, workers: workers, chunkSize: chunk))
      #expect(parallel.messageOutcomes == serial.messageOutcomes)
      #expect(parallel.conversationOutcomes == serial.conversationOutcomes)
      #expect(parallel.json().serialized() == serial.json().serialized())
    }
  }

  @Test("progress reports every classified item exactly once")
  func progressCount() {
    let corpus = Self.largeCorpus()
    let options = EvaluationOptions(robustness: true, workers: 3, chunkSize: 16)
    let counter = Counter()
    _ = Evaluator(classifier: FakeClassifier()).evaluate(corpus, options: options) { counter.add($0) }
    #expect(counter.value == Evaluator.workCount(corpus, options: options))
  }

  @Test("robustness: per transform precision and recall, equal to clean when the classifier ignores the change")
  func robustness() throws {
    let corpus = Self.smallCorpus()
    let options = EvaluationOptions(robustness: true, workers: 1)
    let report = Evaluator(classifier: FakeClassifier(ignoreCase: true)).evaluate(corpus, options: options)
    let results = try #require(report.robustness)
    #expect(results.map(\.transform) == ObfuscationTransform.allCases)
    let randomCase = try #require(results.first { $0.transform == .random_case })
    #expect(randomCase.confusion == report.messages.overall)
    // The fake does not undo fullwidth forms: nothing is detected any more.
    let fullwidth = try #require(results.first { $0.transform == .fullwidth })
    #expect(fullwidth.confusion == Confusion(tp: 0, fp: 0, fn: 3, tn: 2))
    #expect(fullwidth.confusion.recall == 0 && fullwidth.confusion.precision == nil)
    // Conversations are rewritten message by message: the fake no longer sees "#flag".
    #expect(randomCase.conversations != nil)
    #expect(fullwidth.conversations == Confusion(tp: 0, fp: 0, fn: 1, tn: 1))
  }
}

final class Counter: @unchecked Sendable {
  private var total = 0
  private let lock = NSLockLike()
  func add(_ n: Int) { lock.locked { total += n } }
  var value: Int { lock.locked { total } }
}

/// A tiny mutex for the test counter (the test target avoids Foundation).
final class NSLockLike: @unchecked Sendable {
  private var mutex = pthread_mutex_t()
  init() { pthread_mutex_init(&mutex, nil) }
  deinit { pthread_mutex_destroy(&mutex) }
  func locked<T>(_ body: () -> T) -> T {
    pthread_mutex_lock(&mutex)
    defer { pthread_mutex_unlock(&mutex) }
    return body()
  }
}
