import ChildSafe
import FuzzSupport

/// Any bytes as `childsafe check --jsonl` input: split into lines as the CLI does (a trailing CR
/// dropped; invalid UTF-8 lines are answered by the CLI itself), each line through one
/// CheckStream.process(line:). Every non-blank line gets one answer that is a JSON object whose
/// "id" echoes the input's (or null), written JSON reads back the same, a verdict's spans lie
/// inside its text, its score is in [0, 1], and the stream never tracks more conversations than
/// its limit.
@_cdecl("fuzz_check_line_main")
func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
  runFuzzer(argc, argv) { data, size in
    var stream = CheckStream(engine: .defaults, maximumConversations: 3)
    for rawLine in fuzzInput(data, size).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
      var bytes = Array(rawLine)
      if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
      guard let line = String(validating: bytes, as: UTF8.self) else { continue }
      guard let answer = stream.process(line: line) else {
        precondition(line.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\r" }, "no answer to a non-blank line")
        continue
      }
      guard case .object = answer else { preconditionFailure("an answer that is not an object") }
      precondition(answer["id"] != nil, "an answer without id")
      let written = answer.serialized()
      precondition((try? JSONValue.parse(written)) == answer, "the answer does not read back")
      precondition(stream.trackedConversations <= 3, "more conversations tracked than the limit")
      if answer["error"] != nil { continue }
      guard let request = try? JSONValue.parse(line), let text = request["text"]?.stringValue else {
        preconditionFailure("a verdict for a line without text")
      }
      precondition(answer["id"] == (request["id"] ?? .null), "the id is not echoed")
      guard let score = answer["score"]?.doubleValue, score >= 0, score <= 1 else { preconditionFailure("score out of range") }
      let count = text.utf8.count
      for match in answer["matches"]?.arrayValue ?? [] {
        guard let start = match["start"]?.intValue, let end = match["end"]?.intValue, 0 <= start, start <= end, end <= count
        else { preconditionFailure("span out of range: \(match.serialized())") }
      }
    }
    return 0
  }
}
