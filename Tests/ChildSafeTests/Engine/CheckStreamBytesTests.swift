import Foundation
import Testing

@testable import ChildSafe

/// `process(utf8:lineNumber:into:)` (how `childsafe check --jsonl` runs) must answer every line
/// byte for byte as `process(line:lineNumber:)` does, conversation state and errors included.
@Suite("check --jsonl from bytes")
struct CheckStreamBytesTests {
  static let engine = SafetyEngine(classifier: TestPack.engine)

  /// Both streams' output for `lines`, in order, and the byte path's outcomes.
  static func outputs(_ lines: [[UInt8]], engine: SafetyEngine = engine, defaults: MessageContext = MessageContext())
    -> (reference: [UInt8], bytes: [UInt8], outcomes: [CheckStream.LineOutcome])
  {
    var byString = CheckStream(engine: engine, maximumConversations: 3, defaults: defaults)
    var byBytes = CheckStream(engine: engine, maximumConversations: 3, defaults: defaults)
    var reference: [UInt8] = []
    var written: [UInt8] = []
    var outcomes: [CheckStream.LineOutcome] = []
    for (k, line) in lines.enumerated() {
      if let text = String(validating: line, as: UTF8.self), let answer = byString.process(line: text, lineNumber: k + 1) {
        answer.serialize(into: &reference)
        reference.append(UInt8(ascii: "\n"))
      }
      outcomes.append(line.withUnsafeBufferPointer { byBytes.process(utf8: $0, lineNumber: k + 1, into: &written) })
    }
    return (reference, written, outcomes)
  }

  static let lines: [String] = [
    #"{"id": "m1", "text": "dont tell anyone", "sender_age": 30, "recipient_age": 12}"#,
    #"{"id": 2, "text": "are ur parents home", "conversation": "c1", "from": "A", "t": 0, "recipient_age": 12}"#,
    #"{"id": 3, "text": "dont tell anyone", "conversation": "c1", "from": "A", "t": 30.5}"#,
    #"{"id": 4, "text": "hi", "conversation": "c2", "from": 7}"#,
    #"{"id": 5, "text": "ur so mature", "conversation": 9, "from": "B", "t": 60}"#,
    #"{"id": 6, "text": "send me a pic", "conversation": "c4", "recipient_age": 9}"#,
    #"{"id": 7, "text": "dont tell anyone", "conversation": "c1", "from": "A", "t": 90}"#,
    #"{"id": [8], "text": "dont tell \u0061nyone \ud83d\ude00", "locale": "fr", "recipient_age": 11}"#,
    #"{"id": 9, "text": "dont tell anyone", "lang": "de", "recipient_age": 8}"#,
    #"{"id": 10, "text": "dont tell anyone", "locale": "not a locale!!"}"#,
    #"{"id": 11, "text": "dont tell anyone", "context": "query"}"#,
    #"{"id": 12, "text": "hi", "context": "shout"}"#,
    #"{"id": 13, "text": "hi", "sender_age": "old"}"#,
    #"{"id": 14, "text": 14}"#,
    #"{"id": 15}"#,
    #"{"id": 16, "text": "#,
    "[1, 2]",
    "",
    "  \t ",
    #"{"id": 17, "text": "dont tell anyone", "text": "hi", "labels": ["secrecy", {"x": null}]}"#,
    #"{"id": 18, "te\u0078t": "dont tell anyone", "recipient_age": 12.0}"#,
    #"{"id": 19, "text": "hi", "t": 1e999}"#,
    #"{"id": 20, "text": "\#(String(repeating: "x", count: Normalizer.defaultMaximumInputBytes + 1))"}"#,
    #"{"id": 21, "text": "dont tell anyone", "conversation": "c5", "t": "soon"}"#,
    #"{"id": 22, "text": "dont tell anyone", "conversation": "c1", "from": "A", "t": 120, "sender_age": 40}"#,
  ]

  @Test func answersAreThoseOfTheStringPath() {
    let out = Self.outputs(Self.lines.map { Array($0.utf8) })
    #expect(out.bytes == out.reference)
    #expect(String(decoding: out.bytes, as: UTF8.self).contains("\"interventions\""))
    #expect(out.outcomes[0] == .answered)
    #expect(out.outcomes[11] == .failed)
    #expect(out.outcomes[15] == .failed)
    #expect(out.outcomes[17] == .blank)
    #expect(out.outcomes[18] == .blank)
  }

  @Test func theStreamsDefaultsApplyAlike() {
    var defaults = MessageContext()
    defaults.senderAge = 35
    defaults.recipientAge = 12
    defaults.context = .query
    let out = Self.outputs(Self.lines.map { Array($0.utf8) }, defaults: defaults)
    #expect(out.bytes == out.reference)
  }

  @Test func invalidUTF8IsLeftToTheCaller() {
    var written: [UInt8] = []
    var stream = CheckStream(engine: Self.engine)
    let line: [UInt8] = Array(#"{"id": 1, "text": "bad "#.utf8) + [0xFF] + Array(#""}"#.utf8)
    let outcome = line.withUnsafeBufferPointer { stream.process(utf8: $0, into: &written) }
    #expect(outcome == .invalidUTF8)
    #expect(written.isEmpty)
  }

  @Test func aSyntaxErrorNamesItsLineInTheStream() throws {
    var written: [UInt8] = []
    var stream = CheckStream(engine: Self.engine)
    let outcome = Array(#"{"id": "m2", "text": "#.utf8).withUnsafeBufferPointer {
      stream.process(utf8: $0, lineNumber: 7, into: &written)
    }
    #expect(outcome == .failed)
    let answer = try JSONValue.parse(String(decoding: written.dropLast(), as: UTF8.self))
    #expect(answer["error"]?["message"]?.stringValue?.hasPrefix("<input>:7:") == true)
  }

  /// The development corpus (read from ../shared beside the clone, never copied), as each line is
  /// and with ages, locales and conversations added.
  @Test(.enabled(if: QualityCorpus.devIsPresent, QualityTests.devNote))
  func theDevelopmentCorpusIsAnsweredAlike() throws {
    let text = try String(contentsOfFile: QualityCorpus.devPath("dev-messages.jsonl"), encoding: .utf8)
    let lines = text.split(separator: "\n").map(String.init)
    var variants: [[UInt8]] = lines.map { Array($0.utf8) }
    for (k, line) in lines.enumerated() {
      guard case .object(var members) = try JSONValue.parse(line) else { continue }
      members.append(("recipient_age", .int(6 + k % 12)))
      if k % 3 == 0 { members.append(("sender_age", .int(30))) }
      if k % 4 == 1 { members.append(("locale", .string(["pt-BR", "fr", "es-MX", "de"][k % 4]))) }
      if k % 5 == 2 { members.append(("conversation", .string("c\(k % 7)"))) }
      variants.append(Array(JSONValue.object(members).serialized().utf8))
    }
    let out = Self.outputs(variants, engine: .defaults)
    #expect(out.bytes == out.reference)
  }
}
