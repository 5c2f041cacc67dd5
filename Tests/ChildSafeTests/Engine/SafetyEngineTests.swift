import Foundation
import Testing

@testable import ChildSafe

@Suite("Safety engine façade")
struct SafetyEngineTests {
  let adultToChild = MessageContext(senderAge: 34, recipientAge: 12, conversationID: "c1", senderID: "a", timestamp: 0)

  @Test func groomingFromAnAdultCallsForEveryAudience() throws {
    let result = try SafetyEngine.defaults.check(
      "dont tell ur parents about us, its our little secret. are u home alone?", context: adultToChild)
    #expect(result.verdict.flagged)
    #expect(Set(result.interventions.map(\.audience)) == [.sender, .recipient, .guardian])
  }

  @Test func benignChatCallsForNothing() throws {
    let result = try SafetyEngine.defaults.check("did u finish the maths homework? its due tmrw", context: adultToChild)
    #expect(!result.verdict.flagged)
    #expect(result.interventions.isEmpty)
  }

  @Test func queriesUseTheQueryRules() throws {
    let engine = SafetyEngine.defaults
    let query = MessageContext(language: "en", context: .query)
    let help = try engine.check("how to report child abuse", context: query)
    #expect(help.interventions.map(\.kind) == [.help])
    let ordinary = try engine.check("13th birthday party ideas", context: query)
    #expect(ordinary.interventions.isEmpty && ordinary.verdict.categories.isEmpty)
    // The same help-seeking words in chat are not a query.
    let chat = try engine.check("how to report child abuse", context: MessageContext(language: "en"))
    #expect(!chat.interventions.contains { $0.kind == .help })
  }

  @Test func sessionRateLimitsEachAudience() throws {
    var session = SafetyEngine.defaults.makeSession()
    var context = adultToChild
    let first = try session.add("are ur parents home? delete our chat after", context: context)
    context.timestamp = 20
    let second = try session.add("ur so mature, this is our little secret ok", context: context)
    #expect(!first.interventions.isEmpty)
    #expect(second.verdict.flagged)
    #expect(second.interventions.filter { $0.risk <= first.interventions[0].risk }.isEmpty)
    #expect(session.verdict.messageCount == 2)
  }

  @Test func aRateLimitedEngineSetsHowOftenEachAudienceHearsOfIt() throws {
    let text = "are ur parents home? delete our chat after"
    func delivered(_ engine: SafetyEngine) throws -> [Int] {
      var session = engine.makeSession()
      var context = adultToChild
      return try (0..<4).map { k in
        context.timestamp = Double(20 * k)
        return try session.add(text, context: context).interventions.count
      }
    }
    let byDefault = try delivered(SafetyEngine.defaults)
    let unlimited = try delivered(SafetyEngine.defaults.rateLimited(.none))
    let everyMinute = try delivered(SafetyEngine.defaults.rateLimited(RateLimit(minimumSeconds: 40, minimumMessages: 0)))
    #expect(byDefault[0] > 0 && byDefault[1...].allSatisfy { $0 == 0 })
    #expect(unlimited.allSatisfy { $0 == byDefault[0] })
    #expect(everyMinute == [byDefault[0], 0, byDefault[0], 0])
    #expect(SafetyEngine.defaults.rateLimited(.none).rateLimit == .none && SafetyEngine.defaults.rateLimit == RateLimit())
  }

  @Test func localeAndCountryChooseWordingAndHelplines() throws {
    let engine = try SafetyEngine(.init(locale: "fr", country: "FR"))
    let result = try engine.check("dont tell ur parents about us, its our secret. are u alone?", context: adultToChild)
    let prompt = try #require(result.interventions.first { $0.audience == .recipient })
    #expect(prompt.message != (try SafetyEngine.defaults.check(
      "dont tell ur parents about us, its our secret. are u alone?", context: adultToChild
    ).interventions.first { $0.audience == .recipient }?.message))
    #expect(prompt.signpost?.phone == "3018")
  }

  @Test func policyFileSetsLocale() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cs-engine-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("family.policy").path
    try "[family]\nlocale = de\ncountry = DE\n\n[child Mia]\nage = 11\n".write(toFile: path, atomically: true, encoding: .utf8)
    let engine = try SafetyEngine(.init(policyPath: path, child: "Mia"))
    #expect(engine.interventions.configuration.locale == "de")
    #expect(engine.interventions.configuration.country == "DE")
    #expect(throws: ChildSafeError.self) { try SafetyEngine(.init(policyPath: path, child: "Nobody")) }
  }
}

@Suite("check --jsonl stream")
struct CheckStreamTests {
  @Test func streamGoesOnPastBadLinesAndKeepsNoText() throws {
    var stream = CheckStream(engine: .defaults)
    let lines = [
      #"{"id":1,"text":"are ur parents home? delete our chat after","conversation":"c","sender_age":30,"recipient_age":12,"t":0}"#,
      #"{"id":2,"text":42}"#,
      #"not json"#,
      #"{"id":3,"text":"ur so mature, our little secret ok","conversation":"c","sender_age":30,"recipient_age":12,"t":5}"#,
    ]
    let out = lines.compactMap { stream.process(line: $0) }
    #expect(out.count == 4)
    #expect(out[0]["flagged"] == .bool(true))
    #expect(out[0]["interventions"] != nil)
    #expect(out[1]["error"]?["code"] == .string("invalid_argument"))
    #expect(out[2]["error"]?["code"] == .string("syntax"))
    #expect(out[3]["conversation"]?["messages"] == .int(2))
    for line in out {
      let text = line.serialized()
      #expect(!text.contains("parents home") && !text.contains("little secret"))
    }
  }

  @Test func defaultsFillMissingFields() throws {
    var stream = CheckStream(engine: .defaults, defaults: MessageContext(language: "en", context: .query))
    let line = stream.process(line: #"{"id":"q","text":"child abuse helpline"}"#)
    let out = try #require(line)
    #expect((out["interventions"]?.arrayValue?.first?["kind"]) == .string("help"))
  }

  @Test func conversationsAreBounded() throws {
    var stream = CheckStream(engine: .defaults, maximumConversations: 3)
    for k in 0..<10 { _ = stream.process(line: #"{"id":\#(k),"text":"hi","conversation":"c\#(k)"}"#) }
    #expect(stream.trackedConversations == 3)
  }
}

extension SafetyEngineTests {
  @Test func childPolicyShapesTheURLFilter() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cs-engine-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("family.policy").path
    try """
      [family]
      blocked_domains = example-videos.com

      [child Mia]
      age = 11
      allowed_domains = kids.example-videos.com
      """.write(toFile: path, atomically: true, encoding: .utf8)
    let engine = try SafetyEngine(.init(policyPath: path, child: "Mia"))
    let blocked = engine.checkURL("http://www.example-videos.com/watch")
    #expect(blocked.blocked && blocked.category == SafetyEngine.policyCategory)
    #expect(!engine.checkURL("http://kids.example-videos.com/").blocked)
    // The band's categories apply: the sample adult list is blocked for an 11-year-old.
    let adult = try #require(RuleFiles.embedded.text(at: "urls/adult.list")?.split(separator: "\n")
      .first { !$0.hasPrefix("#") && !$0.isEmpty })
    #expect(engine.checkURL("http://\(adult)/").blocked)
  }
}

extension SafetyEngineTests {
  /// One engine shared by many threads gives each the same verdicts as a single thread (run under
  /// ThreadSanitizer by scripts/tests.d/sanitizers.sh).
  @Test func oneEngineSharedAcrossThreads() throws {
    let engine = SafetyEngine.defaults
    let texts = [
      "are ur parents home? delete our chat after", "did u finish the maths homework",
      "ur so mature, our little secret ok", "send me a pic on snap", "happy birthday!!! 🎉",
      "¿cuántos años tienes? no le digas a nadie", "http://example.com is that site",
    ]
    let serial = try texts.map { try engine.check($0, context: adultToChild).json(id: .null).serialized() }
    final class Results: @unchecked Sendable {
      let lock = NSLock()
      var lines: [Int: String] = [:]
    }
    let results = Results()
    DispatchQueue.concurrentPerform(iterations: 64) { i in
      let text = texts[i % texts.count]
      let line = (try? engine.check(text, context: adultToChild).json(id: .null).serialized()) ?? "error"
      _ = engine.checkURL("http://www\(i).example.com/a/../b")
      results.lock.lock()
      results.lines[i] = line
      results.lock.unlock()
    }
    for (i, line) in results.lines { #expect(line == serial[i % texts.count]) }
    #expect(results.lines.count == 64)
  }
}
