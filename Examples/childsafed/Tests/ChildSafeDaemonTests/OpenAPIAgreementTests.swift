import ChildSafe
import Foundation
import Testing

@testable import ChildSafeDaemon

/// The limits openapi.yaml and docs/daemon.md state are the ones the daemon enforces.
@Suite("openapi.yaml agrees with the code")
struct OpenAPIAgreementTests {
  static let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static func lines(_ relativePath: String) throws -> [String] {
    try String(contentsOf: package.appendingPathComponent(relativePath), encoding: .utf8)
      .split(separator: "\n").map(String.init)
  }

  /// The one line of openapi.yaml that starts (after indentation) with `key`.
  static func line(_ key: String) throws -> String {
    let found = try lines("openapi.yaml").filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix(key) }
    try #require(found.count == 1, "\(key) in openapi.yaml: \(found.count) lines")
    return found[0]
  }

  func makeService() throws -> ChildSafeService {
    try ChildSafeService(options: DaemonOptions(), logger: LogCapture().logger)
  }

  @Test func agesAreThoseTheDaemonAccepts() throws {
    let service = try makeService()
    let ages = ChildSafeService.ages
    for field in ["sender_age", "recipient_age"] {
      #expect(try Self.line("\(field):").contains("minimum: \(ages.lowerBound), maximum: \(ages.upperBound) }"))
      #expect(service.classify(#"{"text":"hi","\#(field)":\#(ages.upperBound)}"#).status == 200)
      #expect(service.classify(#"{"text":"hi","\#(field)":\#(ages.upperBound + 1)}"#).status == 400)
      #expect(service.classify(#"{"text":"hi","\#(field)":\#(ages.lowerBound - 1)}"#).status == 400)
    }
    #expect(try Self.line("schema: { type: integer, minimum:").contains("minimum: \(ages.lowerBound), maximum: \(ages.upperBound) }"))
    #expect(try Self.line("description: Age in whole years").contains("(\(ages.lowerBound) to \(ages.upperBound))"))
    #expect(service.defaults(ageText: "\(ages.upperBound)").status == 200)
    #expect(service.defaults(ageText: "\(ages.upperBound + 1)").status == 400)
  }

  @Test func theBadRequestExampleIsWhatTheDaemonAnswers() throws {
    let example = try Self.line("example: { id: \"m-1\", error:")
    let answer = try makeService().classify(#"{"id":"m-1","text":"hi","sender_age":151}"#)
    let message = try #require(answer.json?["error"]?["message"]?.stringValue)
    let quoted = message.replacingOccurrences(of: "\"", with: "\\\"")
    #expect(example.contains("message: \"\(quoted)\""))
  }

  @Test func idAndLanguageLengthsAreThoseTheDaemonAccepts() throws {
    let bound = ClassifyRequest.maximumIDBytes
    for key in ["conversation: { type: [string, integer", "from: {", "oneOf: [{ type: string, maxLength"] {
      #expect(try Self.line(key).contains("maxLength: \(bound)"), "\(key)")
    }
    #expect(try Self.line("lang: {").contains("maxLength: \(ClassifyRequest.maximumLanguageBytes)"))
    let service = try makeService()
    for field in ["id", "conversation", "from"] {
      let ok = String(repeating: "x", count: bound)
      #expect(service.classify(#"{"text":"hi","\#(field)":"\#(ok)"}"#).status == 200, "\(field)")
      #expect(service.classify(#"{"text":"hi","\#(field)":"\#(ok)x"}"#).status == 400, "\(field)")
    }
  }

  @Test func theNestingLimitIsTheOneStated() throws {
    let depth = ChildSafeService.maximumJSONDepth
    let service = try makeService()
    let nested = { (n: Int) in #"{"text":"hi","x":"# + String(repeating: "[", count: n - 1) + String(repeating: "]", count: n - 1) + "}" }
    #expect(service.classify(nested(depth)).status == 200)
    #expect(service.classify(nested(depth + 1)).json?["error"]?["code"] == .string("syntax"))
    let openapi = try Self.lines("openapi.yaml").joined(separator: "\n")
    #expect(openapi.contains("JSON nested at most \(depth) levels deep"))
    let docs = try String(contentsOf: Self.package.appendingPathComponent("../../docs/daemon.md"), encoding: .utf8)
    #expect(docs.contains("nested at most \(depth) levels deep"))
  }
}
