import ArgumentParser
import ChildSafe

/// `childsafe url`: checks URLs against the lists. URLs are echoed only on standard output, to the
/// user who passed them; they are never logged anywhere else.
struct URLCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "url",
    abstract: "Check URLs against category block lists, allowlists and hashed lists.",
    discussion: """
      Prints one JSON object per URL: {"url","canonical","blocked","category","list","rule","reason"}.
      With no --lists the sample lists built into the library are used.
      """
  )

  @Argument(help: "URLs to check.")
  var urls: [String] = []

  @Flag(help: "Read standard input: one JSON object with \"url\" per line, or one plain URL per line.")
  var jsonl = false

  @Flag(help: "Print only the Safe Browsing canonical form of each URL.")
  var canonical = false

  @Option(name: .customLong("lists"), help: "A list file, UT1-style directory or compiled index (repeatable).")
  var lists: [String] = []

  @Flag(help: "Also use the built-in sample lists when --lists is given.")
  var withDefaults = false

  @Option(help: "Comma-separated categories to enable (default: all).")
  var categories: String?

  @Flag(help: "Do not block homograph host names (mixed-script or look-alike scripts).")
  var allowHomographs = false

  func run() throws {
    if canonical {
      var failed = false
      for url in urls {
        do { print(try URLCanonicalizer.canonicalize(url).description) } catch {
          printError("\(error)")
          failed = true
        }
      }
      if failed { throw ExitCode(1) }
      return
    }
    let enabled = categories.map { Set($0.split(separator: ",").map { $0.trimmingCharacters() }.filter { !$0.isEmpty }) }
    let filter = try URLFilter(
      lists: lists, categories: enabled, includeDefaults: lists.isEmpty || withDefaults, blockHomographs: !allowHomographs)
    for warning in filter.warnings { printError("warning: \(warning)") }
    if jsonl {
      var lineNumber = 0
      while let line = readLine(strippingNewline: true) {
        lineNumber += 1
        let text = line.trimmingCharacters()
        if text.isEmpty { continue }
        var url = text
        if text.hasPrefix("{") {
          do {
            guard let value = try JSONValue.parse(text)["url"]?.stringValue else {
              throw ChildSafeError(.invalidArgument, "expected an object with a string \"url\"")
            }
            url = value
          } catch {
            let message = (error as? ChildSafeError)?.message ?? "\(error)"
            print(JSONValue.object([("line", .int(lineNumber)), ("error", .string(message))]).serialized())
            continue
          }
        }
        printVerdict(url, filter)
      }
      return
    }
    if urls.isEmpty { throw ValidationError("give URLs, or --jsonl to read them from standard input") }
    for url in urls { printVerdict(url, filter) }
  }

  func printVerdict(_ url: String, _ filter: URLFilter) {
    let verdict = filter.check(url)
    print(JSONValue.object([("url", .string(url))] + verdict.jsonMembers).serialized())
  }
}

extension StringProtocol {
  func trimmingCharacters() -> String {
    var s = Substring(self)
    while let f = s.first, f == " " || f == "\t" || f == "\r" { s.removeFirst() }
    while let l = s.last, l == " " || l == "\t" || l == "\r" { s.removeLast() }
    return String(s)
  }
}
