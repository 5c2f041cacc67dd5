import ChildSafe
import Foundation
import Testing

@testable import ChildSafeDaemon

/// A reload reaches conversations that are already going: their next message is classified by the
/// new rules, with the evidence they gathered kept.
@Suite("Reload and live conversations")
struct ReloadRebindingTests {
  static let secrecy = "rule t.secret secrecy 0.7\n  match: dont tell anyone\n"
  static let urgent = "rule t.urgent meeting 0.9\n  match: purple zeppelin at noon\n"

  func line(_ id: Int, _ text: String, conversation: String, t: Int) -> String {
    #"{"id":\#(id),"text":"\#(text)","conversation":"\#(conversation)","from":"adult-1","sender_age":35,"recipient_age":11,"t":\#(t)}"#
  }

  @Test func theNextMessageOfEveryConversationUsesTheNewRules() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let grooming = dir.appendingPathComponent("grooming")
    try FileManager.default.createDirectory(at: grooming, withIntermediateDirectories: true)
    let pack = grooming.appendingPathComponent("reload-test.rules")
    try ("@pack en\n" + Self.secrecy).write(to: pack, atomically: true, encoding: .utf8)
    var options = DaemonOptions()
    options.rulesDirectory = dir.path
    let service = try ChildSafeService(options: options, logger: LogCapture().logger)

    // Two conversations start under generation 1; the urgent rule does not exist yet.
    #expect(service.classify(line(1, "dont tell anyone", conversation: "c1", t: 0)).status == 200)
    let before = try #require(service.classify(line(2, "purple zeppelin at noon", conversation: "c1", t: 60)).json)
    #expect(before["matches"]?.arrayValue?.compactMap { $0["rule"]?.stringValue }.contains("t.urgent") == false)
    #expect(service.classify(line(1, "hello", conversation: "c2", t: 0)).status == 200)
    #expect(service.conversations.generations == ["c1": 1, "c2": 1])

    try ("@pack en\n" + Self.secrecy + Self.urgent).write(to: pack, atomically: true, encoding: .utf8)
    #expect(service.reload(trigger: "test").status == 200)
    // Every conversation held was moved at the reload, not only those that speak next.
    #expect(service.conversations.generations == ["c1": 2, "c2": 2])

    let after = try #require(service.classify(line(3, "purple zeppelin at noon", conversation: "c1", t: 120)).json)
    #expect(after["matches"]?.arrayValue?.compactMap { $0["rule"]?.stringValue } == ["t.urgent"])
    // The evidence of the messages before the reload is kept: the running verdict spans all three.
    let running = try #require(after["conversation"])
    #expect(running["messages"] == .int(3))
    #expect(running["stages"]?.arrayValue?.compactMap(\.stringValue).sorted() == ["meeting", "secrecy"])
    let other = try #require(service.classify(line(2, "purple zeppelin at noon", conversation: "c2", t: 60)).json)
    #expect(other["conversation"]?["messages"] == .int(2))
    #expect(other["matches"]?.arrayValue?.count == 1)
  }

  @Test func aSessionBoundToAnOlderGenerationIsMovedWhenItsNextMessageArrives() throws {
    let old = SafetyEngine(classifier: try ClassifierEngine(rules: RuleFiles(files: [(path: "grooming/t.rules", text: "@pack en\n" + Self.secrecy)])))
    let new = SafetyEngine(
      classifier: try ClassifierEngine(rules: RuleFiles(files: [(path: "grooming/t.rules", text: "@pack en\n" + Self.secrecy + Self.urgent)])))
    let store = ConversationStore(capacity: 4, idleTTL: 60)
    let context = MessageContext(conversationID: "c1")
    func add(_ text: String, generation: Int, engine: SafetyEngine) throws -> CheckResult {
      try store.withConversation(
        "c1", now: 0, generation: generation, make: { engine.makeSession() }, rebind: { $0.rebinding(to: engine) }
      ) { (session) throws(ChildSafeError) in try session.add(text, context: context) }
    }
    _ = try add("dont tell anyone", generation: 1, engine: old)
    let moved = try add("purple zeppelin at noon", generation: 2, engine: new)
    #expect(moved.verdict.matches.map(\.rule) == ["t.urgent"])
    #expect(moved.conversation?.messageCount == 2)
    // A request that read the configuration before the reload does not move it back.
    let late = try add("purple zeppelin at noon", generation: 1, engine: old)
    #expect(late.verdict.matches.map(\.rule) == ["t.urgent"])
    #expect(store.generations == ["c1": 2])
  }
}
