import Testing

@testable import ChildSafe

/// Deeply nested JSON is refused at the depth limit with a clear, located error, by the parser and
/// by every JSON input built on it; the stream keeps going after such a line.
@Suite("Hardening: deeply nested JSON")
struct JSONDepthTests {
  static let limit = JSONValue.ParseLimits().maximumDepth

  static func nested(_ depth: Int, open: String = "[", close: String = "]") -> String {
    String(repeating: open, count: depth) + String(repeating: close, count: depth)
  }

  @Test(arguments: [100_000, 65, 1_000_000])
  func arraysDeeperThanTheLimitAreRefused(_ depth: Int) {
    #expect {
      try JSONValue.parse(JSONDepthTests.nested(depth))
    } throws: { error in
      let error = error as? ChildSafeError
      return error?.code == .syntax && error?.message.contains("deeper than \(JSONDepthTests.limit) levels") == true
        && error?.location != nil
    }
  }

  @Test func objectsDeeperThanTheLimitAreRefused() {
    let text = String(repeating: "{\"a\":", count: 100_000) + "1" + String(repeating: "}", count: 100_000)
    #expect(throws: ChildSafeError.self) { try JSONValue.parse(text) }
  }

  @Test func nestingAtTheLimitIsAccepted() throws {
    let value = try JSONValue.parse(JSONDepthTests.nested(JSONDepthTests.limit))
    // Writing it back is recursive too: it must work at the deepest accepted level.
    #expect(try JSONValue.parse(value.serialized()) == value)
    _ = value.prettyPrinted()
  }

  @Test func checkStreamAnswersADeepLineWithAnErrorAndGoesOn() {
    var stream = CheckStream(engine: .defaults)
    let deep = "{\"id\":1,\"text\":\"hi\",\"x\":" + JSONDepthTests.nested(100_000) + "}"
    let answer = stream.process(line: deep)
    #expect(answer?["error"]?["message"]?.stringValue?.contains("deeper than") == true)
    let next = stream.process(line: "{\"id\":2,\"text\":\"how old r u\"}")
    #expect(next?["id"] == .int(2) && next?["error"] == nil)
  }

  @Test func conversationLineDeeperThanTheLimitIsAnError() {
    let deep = "{\"id\":\"c\",\"messages\":" + JSONDepthTests.nested(100_000) + "}"
    let answer = ConversationEvaluation.evaluate(line: deep, engine: .defaults)
    #expect(answer?["error"]?["code"]?.stringValue == "syntax")
  }
}

/// Regressions found by fuzz-json: every value the reader accepts is written back as JSON that reads
/// the same; numbers beyond Double's range are an error, not infinity.
@Suite("Hardening: JSON numbers out of range")
struct JSONNumberRangeTests {
  @Test(arguments: ["1e999", "-1e999", "[9999999999999999999998e99999999]", "{\"t\":1E400}"])
  func overflowingNumbersAreRefused(_ text: String) {
    #expect {
      try JSONValue.parse(text)
    } throws: { error in
      let error = error as? ChildSafeError
      return error?.code == .syntax && error?.message.contains("out of range") == true
    }
  }

  @Test func largeFiniteAndTinyNumbersRoundTrip() throws {
    for text in ["1.7976931348623157e308", "-1e308", "1e-400", "5e-324", "123456789012345678901234567890"] {
      let value = try JSONValue.parse(text)
      #expect(try JSONValue.parse(value.serialized()) == value, "\(text)")
    }
  }

  @Test func checkStreamAnswersAnOverflowingTimeWithAnError() {
    var stream = CheckStream(engine: .defaults)
    let answer = stream.process(line: "{\"id\":1,\"text\":\"hi\",\"t\":1e999}")
    #expect(answer?["error"]?["message"]?.stringValue?.contains("out of range") == true)
  }
}
