import ChildSafe
import Testing

@testable import ChildSafeEvaluation

@Suite("Report formats")
struct ReportTests {
  static func report(robustness: Bool = false, classifier: FakeClassifier = FakeClassifier(ruleIDs: ["fake.secrecy", "fake.unused"]))
    -> EvaluationReport
  {
    Evaluator(classifier: classifier).evaluate(
      EvaluatorTests.smallCorpus(), options: EvaluationOptions(robustness: robustness, workers: 1))
  }

  @Test("JSON has the documented keys, rounded ratios, and null for undefined metrics")
  func jsonKeys() throws {
    let json = Self.report(robustness: true).json()
    for key in ["schema", "settings", "corpus", "messages", "rules", "rules_never_fired", "thresholds", "conversations", "robustness", "errors"] {
      #expect(json[key] != nil, "missing \(key)")
    }
    let messages = try #require(json["messages"])
    for key in ["tp", "fp", "fn", "tn", "precision", "recall", "f1", "f05", "categories", "micro", "macro", "false_positives", "false_negatives"] {
      #expect(messages[key] != nil, "missing messages.\(key)")
    }
    #expect(messages["tp"] == .int(2) && messages["fp"] == .int(1))
    #expect(messages["precision"] == .number(0.6667))
    let secrecy = try #require(messages["categories"]?["secrecy"])
    for key in ["precision", "recall", "f1", "support"] { #expect(secrecy[key] != nil) }
    #expect(messages["categories"]?["age_probe"]?["precision"] == .null)  // never predicted
    #expect(messages["false_positives"]?.arrayValue?.first?["rules"] == .array([.string("fake.flattery")]))
    let rule = try #require(json["rules"]?.arrayValue?.first)
    for key in ["id", "hits_pos", "hits_neg", "precision"] { #expect(rule[key] != nil) }
    let conversations = try #require(json["conversations"])
    for key in ["precision", "recall", "false_alarm_rate", "latency_median", "latency_p90"] {
      #expect(conversations[key] != nil)
    }
    #expect(conversations["latency_median"] == .int(1))
    #expect(json["robustness"]?["leetspeak"]?["precision"] != nil)
    #expect(json["robustness"]?["leetspeak"]?["recall"] != nil)
    #expect(json["rules_never_fired"] == .array([.string("fake.unused")]))
    #expect(json["errors"]?.arrayValue?.first?["line"] == .int(9))
  }

  @Test("no conversations key without conversations, no robustness key without --robustness")
  func optionalSections() {
    let corpus = CorpusReader.parse(text: ##"{"id": "m", "text": "#secrecy", "labels": ["secrecy"]}"##, source: "x")
    let json = Evaluator(classifier: FakeClassifier()).evaluate(corpus, options: EvaluationOptions(workers: 1)).json()
    #expect(json["conversations"] == nil)
    #expect(json["robustness"] == nil)
    #expect(json["rules_never_fired"] == .null)
  }

  @Test("no output format prints message text")
  func privacy() {
    let report = Self.report(robustness: true)
    let outputs = [
      report.json().prettyPrinted(), MarkdownReport.render(report), CSVReport.render(report), SVGPlot.render(report),
      MarkdownReport.render(report, baseline: report), CSVReport.render(report, baseline: report),
    ]
    for output in outputs {
      #expect(!output.contains("zebra") && !output.contains("keep it quiet") && !output.contains("what grade"))
    }
  }

  @Test("markdown lists mistakes by id and rules that never fired")
  func markdown() {
    let text = MarkdownReport.render(Self.report())
    #expect(text.contains("| m3 | flattery | fake.flattery |"))
    #expect(text.contains("| m4 | age_probe |"))
    #expect(text.contains("### Rules that never fired (1)"))
    #expect(text.contains("| fake | 1 | unused |"))
    #expect(text.contains("| precision | 0.6667 |"))
    #expect(text.contains("small.jsonl:9:1: error:"))
  }

  @Test("rules that never fired are a table grouped by id prefix, not one paragraph")
  func neverFiredTable() {
    let ids = ["de.sexual.mehr", "en.age.school", "de.sexual.arousal", "loose", "en.age.grade", "de.age.alter"]
    let classifier = FakeClassifier(ruleIDs: ["fake.secrecy"] + ids)
    let text = MarkdownReport.render(Self.report(classifier: classifier))
    #expect(text.contains("### Rules that never fired (6)"))
    let rows = text.split(separator: "\n").filter { $0.hasPrefix("| ") && $0.hasSuffix(" |") }.map(String.init)
    #expect(rows.contains("| de.age | 1 | alter |"))
    #expect(rows.contains("| de.sexual | 2 | arousal, mehr |"))
    #expect(rows.contains("| en.age | 2 | grade, school |"))
    #expect(rows.contains("| – | 1 | loose |"))
    #expect(!text.contains("de.sexual.arousal"))
  }

  @Test("an all-benign corpus: no empty sections, a note on undefined metrics, a chart that says why it has no curve")
  func allBenign() {
    let corpus = CorpusReader.parse(
      text: """
        {"id": "b1", "text": "see you at practice", "labels": []}
        {"id": "b2", "text": "lunch?", "labels": []}
        """, source: "benign.jsonl")
    let report = Evaluator(classifier: FakeClassifier(ruleIDs: ["fake.secrecy"])).evaluate(
      corpus, options: EvaluationOptions(workers: 1))
    let text = MarkdownReport.render(report)
    #expect(text.contains("No message is labelled: recall is undefined"))
    #expect(!text.contains("## Categories") && text.contains("No category was labelled or detected in any message."))
    #expect(!text.contains("## False positives") && !text.contains("## False negatives"))
    #expect(!text.contains("| rule | category |") && text.contains("No rule fired on any message."))
    #expect(SVGPlot.missingCurveReason(report) == "no message is labelled, so recall is undefined")
    let svg = SVGPlot.render(report)
    #expect(svg.contains("No precision/recall curve:") && svg.contains("no message is labelled, so recall is undefined"))
    #expect(!svg.contains("polyline"))
    // A corpus with positives has a curve and no such note; its empty categories are named, not tabled.
    let mixed = Self.report()
    #expect(SVGPlot.missingCurveReason(mixed) == nil && !SVGPlot.render(mixed).contains("No precision/recall curve"))
    let mixedText = MarkdownReport.render(mixed)
    #expect(!mixedText.contains("| coercion |") && mixedText.contains("No message labelled or detected: "))
    #expect(mixedText.contains("## False positives (1)") && mixedText.contains("## False negatives (1)"))
  }

  @Test("CSV: one row per measurement, empty cells for undefined values, quoted when needed")
  func csv() {
    let text = CSVReport.render(Self.report())
    let lines = text.split(separator: "\n").map(String.init)
    #expect(lines.first == "section,name,metric,value")
    #expect(lines.contains("messages,all,precision,0.6667"))
    #expect(lines.contains("category,age_probe,precision,"))
    #expect(lines.contains("false_positive,m3,rules,fake.flattery"))
    #expect(lines.contains("conversations,all,latency_median,1"))
    #expect(CSVReport.escape("a,b") == "\"a,b\"" && CSVReport.escape("say \"hi\"") == "\"say \"\"hi\"\"\"")
  }

  @Test("a baseline adds side-by-side values and deltas per metric and per category")
  func comparison() throws {
    // The baseline misses meeting and gifts: its recall is lower.
    struct Blind: Classifying {
      let inner = FakeClassifier()
      func classify(_ text: String, context: MessageContext) throws(ChildSafeError) -> MessageVerdict {
        try inner.classify(text.replacing("#meeting", with: "").replacing("#gifts", with: ""), context: context)
      }
      func classifyConversation(_ c: LabelledConversation) throws(ChildSafeError) -> ConversationVerdict {
        try inner.classifyConversation(c)
      }
    }
    let corpus = EvaluatorTests.smallCorpus()
    let candidate = Self.report()
    let baseline = Evaluator(classifier: Blind()).evaluate(corpus, options: EvaluationOptions(workers: 1))
    #expect(baseline.messages.overall == Confusion(tp: 1, fp: 1, fn: 2, tn: 1))
    let json = ReportDelta.comparison(candidate: candidate, baseline: baseline)
    #expect(json["baseline"]?["messages"]?["recall"] == .number(0.3333))
    #expect(json["delta"]?["messages"]?["recall"] == .number(0.3333))  // 2/3 - 1/3
    #expect(json["delta"]?["messages"]?["tp"] == .int(1))
    #expect(json["delta"]?["messages"]?["categories"]?["meeting"]?["recall"] == .int(1))
    #expect(json["delta"]?["messages"]?["categories"]?["age_probe"]?["precision"] == .null)
    #expect(json["delta"]?["messages"]?["false_positives"] == nil)
    #expect(json["delta"]?["thresholds"]?["score"]?.arrayValue?.first?["threshold"] == .number(0.05))
    let markdown = MarkdownReport.render(candidate, baseline: baseline)
    #expect(markdown.contains("| recall | 0.3333 | 0.6667 | +0.3333 |"))
    #expect(markdown.contains("| meeting | 1 | – | 1.0000 | – | 0.0000 | 1.0000 | +1 "))
    let csv = CSVReport.render(candidate, baseline: baseline)
    #expect(csv.hasPrefix("section,name,metric,value,baseline,delta\n"))
    #expect(csv.contains("\nmessages,all,recall,0.6667,0.3333,+0.3333\n"))
  }

  @Test("the SVG chart is one well-formed document with escaped labels")
  func svg() {
    let corpus = CorpusReader.parse(text: ##"{"id": "m", "text": "#a<b&c #x", "labels": ["a<b&c"]}"##, source: "x")
    let report = Evaluator(classifier: FakeClassifier()).evaluate(corpus, options: EvaluationOptions(workers: 1))
    let svg = SVGPlot.render(report, baseline: report)
    #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
    #expect(svg.hasSuffix("</svg>\n"))
    #expect(svg.contains("a&lt;b&amp;c") && !svg.contains("a<b&c"))
    #expect(svg.ranges(of: "<svg").count == 1)
    #expect(svg.contains("polyline") && svg.contains("flagged"))
  }

  @Test("number formatting without Foundation")
  func formatting() {
    #expect(Format.fixed(0.5, decimals: 4) == "0.5000")
    #expect(Format.fixed(2.0 / 3, decimals: 4) == "0.6667")
    #expect(Format.fixed(-0.25, decimals: 2) == "-0.25")
    #expect(Format.ratio(nil) == "–")
    #expect(Format.delta(0.75, 0.5) == "+0.2500" && Format.delta(1, 3) == "-2" && Format.delta(0.5, 0.5) == "0")
    #expect(Format.delta(nil, 0.5) == "–")
  }
}
