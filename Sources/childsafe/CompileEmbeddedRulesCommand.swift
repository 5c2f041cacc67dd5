import ArgumentParser
@_spi(EmbeddedRules) import ChildSafe

/// Used by scripts/embed-rules: compiles a copy of Rules/ into the form the library embeds.
struct CompileEmbeddedRulesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compile-embedded-rules",
    abstract: "Compile Rules/ into the library's embedded compiled form (used by scripts/embed-rules).",
    shouldDisplay: false
  )

  @Argument(help: "The Rules/ directory.")
  var rulesDirectory: String

  @Option(name: .shortAndLong, help: "The file to write.")
  var output: String

  @Option(help: "Also write the normaliser's scalar tables, built from this machine's ICU, to this file.")
  var scalarTables: String?

  func run() throws {
    do {
      try FileSystem.writeFile(output, ClassifierEngine.compiledRulesArchive(rulesDirectory: rulesDirectory))
      if let scalarTables { try FileSystem.writeFile(scalarTables, ClassifierEngine.embeddableScalarTables()) }
    } catch {
      printError("\(error)")
      throw ExitCode(2)
    }
  }
}
