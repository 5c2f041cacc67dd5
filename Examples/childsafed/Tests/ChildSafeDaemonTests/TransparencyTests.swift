import ChildSafe
import Foundation
import Testing

@testable import ChildSafeDaemon

/// GET /v1/transparency: counts kept across reloads, small counts suppressed, nothing but counts.
@Suite("Transparency report")
struct TransparencyTests {
  static let grooming = "ur so mature for ur age. dont tell ur parents about us ok?"

  func message(_ id: Int, _ text: String, conversation: String) -> String {
    #"{"id":"m-\#(id)","text":"\#(text)","conversation":"\#(conversation)","from":"user-private-77","sender_age":34,"recipient_age":12}"#
  }

  @Test func countsSurviveAReloadAndHoldNoTextIdsOrURLs() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let grooming = dir.appendingPathComponent("grooming")
    try FileManager.default.createDirectory(at: grooming, withIntermediateDirectories: true)
    let pack = grooming.appendingPathComponent("t.rules")
    try "@pack en\nrule t.secret secrecy 0.7\n  match: dont tell anyone\n".write(to: pack, atomically: true, encoding: .utf8)
    var options = DaemonOptions()
    options.rulesDirectory = dir.path
    let service = try ChildSafeService(options: options, logger: LogCapture().logger)

    for i in 0..<6 { #expect(service.classify(message(i, Self.grooming, conversation: "chat-secret-\(i % 2)")).status == 200) }
    #expect(service.checkURL(#"{"url":"http://adult-example.test/hidden-page"}"#).status == 200)
    let before = service.transparency.counters.current()
    #expect(before.messagesChecked == 6)

    try "@pack en\nrule t.secret secrecy 0.8\n  match: dont tell anyone\n".write(to: pack, atomically: true, encoding: .utf8)
    #expect(service.reload(trigger: "test").status == 200)
    for i in 6..<12 { #expect(service.classify(message(i, Self.grooming, conversation: "chat-secret-\(i % 2)")).status == 200) }

    let counts = service.transparency.counters.current()
    #expect(counts.messagesChecked == 12)
    #expect(counts.messagesFlagged == before.messagesFlagged * 2)
    #expect(counts.ageBands == ["10-12": 12])
    #expect(counts.urlsBlocked == 1)

    let answer = service.transparencyReport(period: nil, format: nil, threshold: nil)
    #expect(answer.status == 200 && answer.contentType == "application/json")
    let json = try #require(answer.json)
    #expect(json["totals"]?["messages_checked"]?.intValue == 12)
    #expect(json["age_bands"]?["10-12"]?.intValue == 12)
    // One URL and (at most) two escalated conversations: suppressed.
    #expect(json["totals"]?["urls_blocked"]?.isNull == true)
    #expect(json["totals"]?["conversations_escalated"]?.isNull == true)
    #expect(json["methodology"]?["rules_version"]?.stringValue == service.configuration.current.rules.version)
    for format in ["json", "markdown", "html"] {
      let body = service.transparencyReport(period: nil, format: format, threshold: nil).body
      for secret in ["mature", "parents", "chat-secret", "user-private", "m-1", "adult-example", "hidden-page"] {
        #expect(!body.contains(secret), "\(secret) in the \(format) report")
      }
    }
  }

  @Test func periodsFormatsAndThresholds() throws {
    let service = try ChildSafeService(options: DaemonOptions(), logger: LogCapture().logger)
    let current = service.transparency.counters.current().period
    #expect(service.transparencyReport(period: current, format: "html", threshold: nil).contentType == "text/html; charset=utf-8")
    #expect(service.transparencyReport(period: nil, format: "markdown", threshold: "20").body.contains("fewer than 20"))
    #expect(service.transparencyReport(period: "1999-01", format: nil, threshold: nil).status == 404)
    #expect(service.transparencyReport(period: nil, format: "pdf", threshold: nil).status == 400)
    #expect(service.transparencyReport(period: nil, format: nil, threshold: "3").status == 400)
  }

  @Test func theRouteIsRegisteredAndDocumented() throws {
    #expect(DaemonRoutes.byPath["/v1/transparency"]?.endpoint == .transparency)
    let spec = try String(contentsOf: OpenAPIAgreementTests.package.appendingPathComponent("openapi.yaml"), encoding: .utf8)
    #expect(spec.contains("  /v1/transparency:\n    get:"))
  }
}
