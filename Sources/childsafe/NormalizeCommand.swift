import ArgumentParser
import ChildSafe

struct NormalizeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "normalize",
    abstract: "Print the normalised tokens that rules match against.",
    discussion: "Reads TEXT, or standard input when no TEXT is given (one text per line with --lines)."
  )

  @Argument(help: "The text to normalise (default: standard input).")
  var text: String?

  @Flag(help: "Print the tokens as JSON with their UTF-8 byte spans in the original text.")
  var json = false

  @Flag(help: "Treat each line of standard input as a separate text.")
  var lines = false

  func run() throws {
    let normalizer = Normalizer()
    if let text {
      try printOne(text, normalizer)
      return
    }
    if lines {
      var failed = false
      StandardInput.forEachLine { line, terminated in
        // As Swift's readLine: "\r\n" ends a line too; invalid UTF-8 is repaired, not refused.
        var line = line
        if terminated && line.last == UInt8(ascii: "\r") { line.removeLast() }
        do { try printOne(String(decoding: line, as: UTF8.self), normalizer) } catch {
          failed = true
          printError("\(error)")
        }
      }
      if failed { throw ExitCode(1) }
      return
    }
    let input = try StandardInput.readAll()
    var text = input
    if text.last == UInt8(ascii: "\n") { text.removeLast() }
    try printOne(bytes: text, normalizer)
  }

  func printOne(_ text: String, _ normalizer: Normalizer) throws {
    try printOne(bytes: Array(text.utf8), normalizer)
  }

  func printOne(bytes: [UInt8], _ normalizer: Normalizer) throws {
    let result = try bytes.withUnsafeBufferPointer { try normalizer.normalize(utf8: $0) }
    if json {
      let tokens: [JSONValue] = result.tokens.map {
        .object([
          ("text", .string($0.text)), ("kind", .string($0.kind.description)),
          ("start", .int($0.start)), ("end", .int($0.end)),
        ])
      }
      print(JSONValue.object([("normalized", .string(result.text)), ("tokens", .array(tokens))]).serialized())
    } else {
      print(result.text)
    }
  }
}
