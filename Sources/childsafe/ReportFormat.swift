import ArgumentParser
import ChildSafe

/// The formats of the reports `assess` and `transparency` write.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
  case markdown, json, html
}

/// Where a report goes: standard output, or a file.
struct ReportOutput: ParsableArguments {
  @Option(name: .shortAndLong, help: "Format: markdown, json or html (default: markdown).")
  var format: ReportFormat = .markdown

  @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
  var output: String?

  func write(_ text: String) throws {
    if let output {
      try FileSystem.writeFile(output, Array(text.utf8))
    } else {
      print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
    }
  }
}
