import ChildSafe
import Foundation
import Testing

@testable import ChildSafeDaemon

@Suite("ChildSafeService")
struct ChildSafeServiceTests {
  func makeService(_ configure: (inout DaemonOptions) -> Void = { _ in }, capture: LogCapture = LogCapture()) throws
    -> ChildSafeService
  {
    var options = DaemonOptions()
    configure(&options)
    return try ChildSafeService(options: options, logger: capture.logger)
  }

  @Test func classifyAnswersWithTheCheckJSONLShape() throws {
    let service = try makeService()
    let answer = service.classify(#"{"id":"m1","text":"hi, how was school?","sender_age":14,"recipient_age":13}"#)
    #expect(answer.status == 200)
    let json = try #require(answer.json)
    #expect(json.objectValue?.map(\.0) == ["id", "flagged", "risk", "score", "categories", "matches"])
    #expect(json["id"] == .string("m1"))
    #expect(json["conversation"] == nil)
  }

  /// "sender_trusted": a parent-approved contact's meeting plan is no signal, in the message or
  /// in its conversation; a secret they ask the child to keep still flags.
  @Test func aTrustedContactsFamilyTalkIsNotFlagged() throws {
    let service = try makeService()
    func answer(_ text: String, _ extra: String) throws -> JSONValue {
      let reply = service.classify(
        #"{"text":"\#(text)","sender_age":41,"recipient_age":13,"conversation":"fam","from":"mum"\#(extra)}"#)
      #expect(reply.status == 200)
      return try #require(reply.json)
    }
    let trusted = try answer("I'll pick you up at 5 after practice", #","sender_trusted":true"#)
    #expect(trusted["flagged"] == .bool(false) && trusted["matches"] == .array([]))
    #expect(trusted["interventions"] == nil && trusted["conversation"]?["stages"] == .array([]))
    let secret = try answer("this is our little secret, dont tell your dad", #","sender_trusted":true"#)
    #expect(secret["flagged"] == .bool(true))
    let untrusted = try answer("I'll pick you up at 5 after practice", "")
    #expect(untrusted["flagged"] == .bool(true))
    let bad = service.classify(#"{"id":"b","text":"hi","sender_trusted":1}"#)
    #expect(bad.status == 400 && bad.json?["error"]?["code"] == .string("invalid_value"))
  }

  /// A request's "locale" words its interventions, as a `check --jsonl` line's does.
  @Test func aRequestsLocaleWordsItsInterventions() throws {
    let service = try makeService()
    let text = "this is our secret, dont tell your mom. send me a pic"
    func messages(_ extra: String) throws -> [String] {
      let answer = service.classify(#"{"id":"m","text":"\#(text)","sender_age":34,"recipient_age":12\#(extra)}"#)
      #expect(answer.status == 200)
      return try #require(answer.json?["interventions"]?.arrayValue).compactMap { $0["message"]?.stringValue }
    }
    let english = try messages("")
    let spanish = try messages(#","locale":"es""#)
    #expect(!english.isEmpty && english.count == spanish.count)
    #expect(english != spanish)
    // The library words them the same way.
    let library = try SafetyEngine().worded(in: "es").check(
      text, context: MessageContext(senderAge: 34, recipientAge: 12))
    #expect(spanish == library.interventions.map(\.message))
    #expect(service.classify(#"{"id":"m","text":"hi","locale":"not a locale!"}"#).status == 400)
  }

  @Test func classifyKeepsARunningConversationVerdict() throws {
    let service = try makeService()
    for n in 1...3 {
      let answer = service.classify(#"{"id":\#(n),"text":"message \#(n)","conversation":"c-42","from":"u1","t":\#(n * 60)}"#)
      #expect(answer.status == 200)
      let conversation = try #require(answer.json?["conversation"])
      #expect(conversation["messages"] == .int(n))
      #expect(
        conversation.objectValue?.map(\.0) == [
          "flagged", "flagged_at", "risk", "score", "stages", "messages", "risky_sender", "pairing", "age_conflict",
          "participants",
        ])
    }
    #expect(service.conversations.counts.live == 1)
  }

  @Test(arguments: [
    (#"{"text": "#, "syntax"),
    (#"["text"]"#, "invalid_argument"),
    (#"{"id": 7}"#, "invalid_argument"),
    (#"{"text": 5}"#, "invalid_value"),
    (#"{"text": "hi", "sender_age": -1}"#, "invalid_value"),
    (#"{"text": "hi", "sender_age": 12.5}"#, "invalid_value"),
    (#"{"text": "hi", "context": "email"}"#, "invalid_value"),
    (#"{"text": "hi", "conversation": ""}"#, "invalid_value"),
    (#"{"text": "hi", "t": "noon"}"#, "invalid_value"),
  ])
  func classifyRefusesBadRequestsWithAJSONError(_ body: String, _ code: String) throws {
    let answer = try makeService().classify(body)
    #expect(answer.status == 400)
    #expect(answer.json?["error"]?["code"] == .string(code))
    #expect(answer.json?["error"]?["message"]?.stringValue?.isEmpty == false)
  }

  @Test func classifyErrorEchoesTheID() throws {
    let answer = try makeService().classify(#"{"id": "m9", "text": 1}"#)
    #expect(answer.json?["id"] == .string("m9"))
  }

  @Test func longConversationIDsAreRefused() throws {
    let id = String(repeating: "x", count: ClassifyRequest.maximumIDBytes + 1)
    #expect(try makeService().classify(#"{"text": "hi", "conversation": "\#(id)"}"#).status == 400)
  }

  @Test func urlAnswersWithTheURLVerdict() throws {
    let service = try makeService()
    let answer = service.checkURL(#"{"url": "https://example.org/page"}"#)
    #expect(answer.status == 200)
    #expect(answer.json?.objectValue?.map(\.0) == ["canonical", "host", "blocked", "category", "list", "rule", "reason"])
    #expect(answer.json?["host"] == .string("example.org"))
    let invalid = service.checkURL(#"{"url": "http://[::1"}"#)
    #expect(invalid.json?["blocked"] == .bool(true) && invalid.json?["reason"] == .string("invalid"))
    #expect(service.checkURL(#"{"link": "x"}"#).status == 400)
    #expect(service.checkURL("nope").status == 400)
  }

  @Test func defaultsValidateTheAge() throws {
    let service = try makeService()
    #expect(service.defaults(ageText: "9").status == 200)
    #expect(service.defaults(ageText: "9").json == AgeDefaults.settings(forAge: 9).json)
    #expect(service.defaults(ageText: nil).json == AgeDefaults.settings(forAge: nil).json)
    for bad in ["", "nine", "-3", "400", "9.5"] { #expect(service.defaults(ageText: bad).status == 400) }
  }

  @Test func reloadSwapsRulesAndAFailedReloadKeepsServing() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let grooming = dir.appendingPathComponent("grooming")
    try FileManager.default.createDirectory(at: grooming, withIntermediateDirectories: true)
    let pack = grooming.appendingPathComponent("en.rules")
    try "@pack en\n".write(to: pack, atomically: true, encoding: .utf8)
    let capture = LogCapture()
    let service = try makeService({ $0.rulesDirectory = dir.path }, capture: capture)
    let firstVersion = try #require(service.health().json?["rules"]?["version"])

    try "@pack en\n# edited\n".write(to: pack, atomically: true, encoding: .utf8)
    let good = service.reload(trigger: "test")
    #expect(good.status == 200)
    #expect(good.json?["generation"] == .int(2))
    let secondVersion = try #require(service.health().json?["rules"]?["version"])
    #expect(secondVersion != firstVersion)

    // A file the loader cannot read (invalid UTF-8) fails the reload; generation 2 keeps serving.
    try Data([0x40, 0x70, 0xFF, 0xFE, 0x0A]).write(to: pack)
    let bad = service.reload(trigger: "test")
    #expect(bad.status == 422)
    #expect(bad.json?["reloaded"] == .bool(false))
    #expect(bad.json?["error"]?["code"] != nil)
    let health = try #require(service.health().json)
    #expect(health["status"] == .string("degraded"))
    #expect(health["generation"] == .int(2))
    #expect(health["rules"]?["version"] == secondVersion)
    #expect(health["last_reload_error"]?["message"]?.stringValue?.contains("en.rules") == true)
    #expect(service.classify(#"{"text":"still serving"}"#).status == 200)
    #expect(capture.text.contains("reload failed"))

    // Fixing the file clears the error.
    try "@pack en\n".write(to: pack, atomically: true, encoding: .utf8)
    #expect(service.reload(trigger: "test").status == 200)
    #expect(service.health().json?["status"] == .string("ok"))
    #expect(service.health().json?["last_reload_error"] == .null)
  }

  @Test func startingWithAMissingRulesDirectoryFails() {
    #expect(throws: ChildSafeError.self) { try makeService({ $0.rulesDirectory = "/nonexistent/childsafe-rules" }) }
  }

  @Test func policyIsLoadedAndReportedAndAMissingOneFailsTheReload() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let policy = dir.appendingPathComponent("family.policy")
    try "[family]\nlocale = de\ncountry = DE\n".write(to: policy, atomically: true, encoding: .utf8)
    let service = try makeService { $0.policyFile = policy.path }
    #expect(service.health().json?["policy"]?["source"] == .array([.string(policy.path)]))
    #expect(service.configuration.current.engine.interventions.configuration.locale == "de")
    try FileManager.default.removeItem(at: policy)
    #expect(service.reload(trigger: "test").status == 422)
    #expect(service.health().json?["policy"]?["source"] == .array([.string(policy.path)]))
  }

  @Test func aBrokenPolicyFailsTheReloadWithItsPositionAndTheOldOneKeepsServing() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let policy = dir.appendingPathComponent("family.policy")
    try "[family]\nlocale = de\n".write(to: policy, atomically: true, encoding: .utf8)
    let service = try makeService { $0.policyFile = policy.path }
    try "[family]\nlocale de\n".write(to: policy, atomically: true, encoding: .utf8)
    let answer = service.reload(trigger: "test")
    #expect(answer.status == 422)
    #expect(answer.json?["error"]?["line"] == .int(2))
    #expect(answer.json?["error"]?["file"]?.stringValue?.hasSuffix("family.policy") == true)
    #expect(service.configuration.current.engine.interventions.configuration.locale == "de")
    #expect(service.configuration.current.generation == 1)
  }

  @Test func aRuleSyntaxErrorFailsTheReloadWithItsPosition() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let grooming = dir.appendingPathComponent("grooming")
    try FileManager.default.createDirectory(at: grooming, withIntermediateDirectories: true)
    let pack = grooming.appendingPathComponent("en.rules")
    try "@pack en\n".write(to: pack, atomically: true, encoding: .utf8)
    let service = try makeService { $0.rulesDirectory = dir.path }
    try "@pack en\nrule broken_rule_without_category\n  match: (unclosed\n".write(to: pack, atomically: true, encoding: .utf8)
    let answer = service.reload(trigger: "test")
    #expect(answer.status == 422)
    #expect(answer.json?["error"]?["code"] == .string("syntax"))
    #expect(answer.json?["error"]?["file"]?.stringValue?.hasSuffix("en.rules") == true)
    #expect(answer.json?["error"]?["line"]?.intValue.map { $0 >= 2 } == true)
  }

  @Test func neitherLogsNorMetricsContainTextsOrURLs() throws {
    let capture = LogCapture()
    let service = try makeService(capture: capture)
    let secrets = ["zebra-umbrella-7431", "dont tell your mum about quartz-lantern", "https://private.example/q=peach-kite"]
    _ = service.classify(#"{"id":"p1","text":"\#(secrets[0])","conversation":"c1"}"#)
    _ = service.classify(#"{"id":"p2","text":"\#(secrets[1])","sender_age":40,"recipient_age":12}"#)
    _ = service.classify(#"{"id":"p3","text":"\#(secrets[0])","sender_age":"x"}"#)
    _ = service.checkURL(#"{"url":"\#(secrets[2])"}"#)
    _ = service.reload(trigger: "test")
    let everything = capture.text + service.metricsText().body
    #expect(!capture.text.isEmpty)
    for secret in secrets + ["zebra", "quartz", "peach", "private.example"] {
      #expect(!everything.contains(secret), "found \(secret)")
    }
  }

  @Test func metricsCountRequestsVerdictsAndReloads() throws {
    let service = try makeService()
    _ = service.classify(#"{"text":"hello"}"#)
    service.metrics.recordRequest(.classify, status: 200, nanoseconds: 300_000)
    service.metrics.recordRequest(.classify, status: 200, nanoseconds: 2_000_000)
    _ = service.reload(trigger: "test")
    let text = service.metricsText().body
    let lines = Set(text.split(separator: "\n").map(String.init))
    #expect(lines.contains(#"childsafed_requests_total{endpoint="classify",status="200"} 2"#))
    // Latency is a histogram: cumulative buckets, sum and count.
    #expect(lines.contains("# TYPE childsafed_request_duration_seconds histogram"))
    #expect(lines.contains(#"childsafed_request_duration_seconds_bucket{endpoint="classify",le="0.00025"} 0"#))
    #expect(lines.contains(#"childsafed_request_duration_seconds_bucket{endpoint="classify",le="0.0005"} 1"#))
    #expect(lines.contains(#"childsafed_request_duration_seconds_bucket{endpoint="classify",le="0.0025"} 2"#))
    #expect(lines.contains(#"childsafed_request_duration_seconds_bucket{endpoint="classify",le="+Inf"} 2"#))
    #expect(lines.contains(#"childsafed_request_duration_seconds_count{endpoint="classify"} 2"#))
    #expect(lines.contains(#"childsafed_request_duration_seconds_sum{endpoint="classify"} 0.0023"#))
    #expect(lines.contains(#"childsafed_message_verdicts_total{risk="none"} 1"#))
    #expect(lines.contains(#"childsafed_message_verdicts_total{risk="critical"} 0"#))  // there from the start
    #expect(lines.contains(#"childsafed_reloads_total{result="success"} 1"#))
    #expect(lines.contains(#"childsafed_reloads_total{result="failure"} 0"#))
    #expect(lines.contains("childsafed_config_generation 2.0"))
    #expect(lines.contains("# TYPE childsafed_conversations gauge"))
    #expect(lines.contains(#"childsafed_conversation_evictions_total{reason="lru"} 0"#))
  }
}

@Suite("Interventions in classify answers")
struct InterventionsTests {
  static let grooming = "hey you seem really mature, keep this between us ok lanternfish"

  func line(_ id: Int, _ text: String, conversation: String? = "c1", t: Int) -> String {
    let conv = conversation.map { #","conversation":"\#($0)","from":"adult-1""# } ?? ""
    return #"{"id":\#(id),"text":"\#(text)"\#(conv),"sender_age":35,"recipient_age":11,"t":\#(t)}"#
  }

  @Test func anAdultGroomingAChildGetsInterventionsForEachAudienceWithoutTheText() throws {
    let service = try ChildSafeService(options: DaemonOptions(), logger: LogCapture().logger)
    let json = try #require(service.classify(line(1, Self.grooming, t: 60)).json)
    #expect(json["flagged"] == .bool(true))
    #expect(json["categories"]?.arrayValue?.contains(.string("secrecy")) == true)
    let interventions = try #require(json["interventions"]?.arrayValue)
    #expect(interventions.compactMap { $0["audience"]?.stringValue } == ["sender", "recipient", "guardian"])
    for intervention in interventions {
      #expect(intervention["message"]?.stringValue?.isEmpty == false)
      #expect(intervention["conversation"] == .string("c1"))
      #expect(!intervention.serialized().contains("lanternfish"))
    }
  }

  @Test func answersAreThoseOfCheckJSONLAndInterventionsAreRateLimitedPerConversation() throws {
    let service = try ChildSafeService(options: DaemonOptions(), logger: LogCapture().logger)
    var stream = CheckStream(engine: service.configuration.current.engine)
    let lines = [
      line(1, Self.grooming, t: 60), line(2, Self.grooming, t: 90), line(3, "see you at practice", t: 100),
      line(4, Self.grooming, conversation: "c2", t: 110), line(5, Self.grooming, conversation: nil, t: 120),
      line(6, Self.grooming, conversation: nil, t: 130),
    ]
    var answers: [JSONValue] = []
    for input in lines {
      let answer = service.classify(input)
      // Byte for byte what `check --jsonl` writes for the line.
      var written: [UInt8] = []
      var line = input
      _ = line.withUTF8 { stream.process(utf8: $0, into: &written) }
      #expect(answer.body == String(decoding: written, as: UTF8.self))
      answers.append(try #require(answer.json))
    }
    // The second grooming message of c1, 30 s later, is rate-limited; another conversation is not, and
    // messages outside any conversation are checked one by one.
    #expect(answers[0]["interventions"] != nil)
    #expect(answers[1]["flagged"] == .bool(true) && answers[1]["interventions"] == nil)
    #expect(answers[3]["interventions"] != nil)
    #expect(answers[4]["interventions"] != nil && answers[5]["interventions"] != nil)
  }

  @Test func theRateLimitOptionsSetHowOftenAnAudienceIsInterrupted() throws {
    // By message time only: 20 s after the last delivered intervention, whatever the messages.
    var options = DaemonOptions()
    options.rateLimit = RateLimit(minimumSeconds: 20, minimumMessages: 0)
    let byTime = try ChildSafeService(options: options, logger: LogCapture().logger)
    let timed = try [60, 70, 90].enumerated().map { k, t in try #require(byTime.classify(line(k + 1, Self.grooming, t: t)).json) }
    #expect(timed.map { $0["interventions"] != nil } == [true, false, true])
    // By messages only: every second message.
    options.rateLimit = RateLimit(minimumSeconds: 0, minimumMessages: 2)
    let byCount = try ChildSafeService(options: options, logger: LogCapture().logger)
    let counted = try (1...4).map { k in try #require(byCount.classify(line(k, Self.grooming, t: 60 + k)).json) }
    #expect(counted.map { $0["interventions"] != nil } == [true, false, true, false])
    // None: every flagged message of the conversation.
    options.rateLimit = .none
    let unlimited = try ChildSafeService(options: options, logger: LogCapture().logger)
    let all = try (1...3).map { k in try #require(unlimited.classify(line(k, Self.grooming, t: 60 + k)).json) }
    #expect(all.allSatisfy { $0["flagged"] == .bool(true) && $0["interventions"] != nil })
  }

  @Test func theLocaleAndCountryFlagsChooseTheMessagesAndHelplines() throws {
    var options = DaemonOptions()
    options.locale = "de"
    options.country = "DE"
    let service = try ChildSafeService(options: options, logger: LogCapture().logger)
    let german = try #require(service.classify(line(1, Self.grooming, conversation: nil, t: 60)).json)
    let english = try #require(
      ChildSafeService(options: DaemonOptions(), logger: LogCapture().logger).classify(
        line(1, Self.grooming, conversation: nil, t: 60)
      ).json)
    let recipient = { (json: JSONValue) in json["interventions"]?.arrayValue?.first { $0["audience"] == .string("recipient") } }
    #expect(recipient(german)?["message"] != nil)
    #expect(recipient(german)?["message"] != recipient(english)?["message"])
  }

  @Test func aCleanMessageGetsNone() throws {
    let service = try ChildSafeService(options: DaemonOptions(), logger: LogCapture().logger)
    let json = try #require(service.classify(line(1, "see you at practice tomorrow", t: 60)).json)
    #expect(json["flagged"] == .bool(false))
    #expect(json["categories"] == .array([]))
    // No "interventions" member, like `childsafe check --jsonl`.
    #expect(json["interventions"] == nil)
  }
}
