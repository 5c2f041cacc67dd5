import ArgumentParser
import ChildSafe

struct ListsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lists",
    abstract: "Compile and inspect URL lists.",
    subcommands: [Compile.self, Check.self]
  )

  struct Compile: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Compile list files and directories into one memory-mappable index.",
      discussion: "Bad lines are reported as warnings (file:line:column) and skipped."
    )

    @Argument(help: "List files and UT1-style directories.")
    var paths: [String]

    @Option(name: .shortAndLong, help: "The index file to write.")
    var output: String

    func run() throws {
      let result: (index: [UInt8], entries: Int, warnings: [ChildSafeError])
      do {
        result = try URLFilter.compile(lists: paths)
        for warning in result.warnings { printError("warning: \(warning)") }
        try FileSystem.writeFile(output, result.index)
      } catch {
        printError("\(error)")
        throw ExitCode(1)
      }
      printError("wrote \(output): \(result.entries) entries, \(result.index.count) bytes, \(result.warnings.count) warnings")
    }
  }

  struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Load lists or compiled indexes and report entries, categories and warnings."
    )

    @Argument(help: "List files, directories or compiled indexes.")
    var paths: [String]

    func run() throws {
      let filter: URLFilter
      do {
        filter = try URLFilter(lists: paths, categories: nil, includeDefaults: false)
      } catch {
        printError("\(error)")
        throw ExitCode(1)
      }
      for warning in filter.warnings { printError("warning: \(warning)") }
      let summary = JSONValue.object([
        ("entries", .int(filter.entryCount)),
        ("categories", .array(filter.availableCategories.sorted().map { .string($0) })),
        ("warnings", .int(filter.warnings.count)),
      ])
      print(summary.serialized())
      if !filter.warnings.isEmpty { throw ExitCode(1) }
    }
  }
}
