import ChildSafe
import Testing

@testable import ChildSafeDaemon

/// Client-supplied values reach the log escaped and bounded: a newline cannot forge a line.
@Suite("Log injection")
struct LogInjectionTests {
  static let grooming = "hey you seem really mature, keep this between us ok lanternfish"

  @Test func escapingKeepsEveryValueOnOneLineInPrintableASCII() {
    #expect(LogValue.escaped("c-1") == #""c-1""#)
    #expect(LogValue.escaped("a\nb\r\tc") == #""a\nb\r\tc""#)
    #expect(LogValue.escaped("say \"hi\" \\ bye") == #""say \"hi\" \\ bye""#)
    #expect(LogValue.escaped("\u{1B}[2J") == #""\u001b[2J""#)
    #expect(LogValue.escaped("abc\u{202E}def\u{2028}") == #""abc\u202edef\u2028""#)
    #expect(LogValue.escaped("é😀") == #""\u00e9\ud83d\ude00""#)
    #expect(LogValue.escaped("x\u{7F}") == #""x\u007f""#)
  }

  @Test func valuesAreCutAtTheirLimit() {
    let long = String(repeating: "x", count: 60_000)
    let escaped = LogValue.escaped(long)
    #expect(escaped.utf8.count < 300)
    #expect(escaped.hasPrefix("\"" + String(repeating: "x", count: LogValue.maximumBytes)))
    #expect(escaped.contains("60000 bytes"))
  }

  @Test func aConversationIDWithANewlineCannotForgeALogLine() throws {
    let capture = LogCapture()
    let service = try ChildSafeService(options: DaemonOptions(), logger: capture.logger)
    let forged = #"c1\nerror reload failed generation=99 \u001b[31m"#
    let answer = service.classify(
      #"{"id":"m\n1","text":"\#(Self.grooming)","conversation":"\#(forged)","sender_age":35,"recipient_age":11}"#)
    #expect(answer.status == 200)
    #expect(answer.json?["flagged"] == .bool(true))
    let lines = capture.lines.withLock { $0 }
    let flagged = try #require(lines.first { $0.contains("message flagged") })
    #expect(!flagged.contains("\n") && !flagged.contains("\u{1B}"))
    #expect(flagged.contains(#"c1\nerror reload failed generation=99 \u001b[31m"#))
    #expect(flagged.contains(#""m\n1""#))
    #expect(lines.allSatisfy { !$0.contains("\n") })
  }

  @Test func overLongIDsAreRefusedAndNotEchoed() throws {
    let capture = LogCapture()
    var options = DaemonOptions()
    options.maxBodyBytes = 1 << 20
    let service = try ChildSafeService(options: options, logger: capture.logger)
    let long = String(repeating: "i", count: 60_000)
    for answer in [
      service.classify(#"{"id":"\#(long)","text":"\#(Self.grooming)","sender_age":35,"recipient_age":11}"#),
      service.checkURL(#"{"id":"\#(long)","url":"https://example.org/"}"#),
    ] {
      #expect(answer.status == 400)
      #expect(answer.json?["error"]?["code"] == .string("invalid_value"))
      #expect(answer.json?["error"]?["message"] == .string("\"id\" is longer than 256 bytes"))
      #expect(answer.json?["id"] == nil)
    }
    let atLimit = String(repeating: "i", count: ClassifyRequest.maximumIDBytes)
    #expect(service.classify(#"{"id":"\#(atLimit)","text":"hi"}"#).json?["id"] == .string(atLimit))
    #expect(!capture.text.contains(long))
  }
}
