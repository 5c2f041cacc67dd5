import ArgumentParser
import ChildSafe
import ChildSafeAssessment

struct AssessCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "assess",
    abstract: "Write a child risk and safety assessment (risk register) for a product description.",
    discussion: """
      The product description format and the risk catalogue are described in docs/assessment.md; \
      Examples/assessment/ has two samples. The built-in catalogue is used unless --replace-catalogue.

      Exit status 1 when the description or a catalogue file has errors (each with file:line:column).
      """
  )

  @Argument(help: "The product description file.")
  var product: String

  @OptionGroup var report: ReportOutput

  @Option(help: "A directory of .risks files to add to the built-in catalogue.")
  var catalogue: String?

  @Flag(help: "With --catalogue: use only that directory's risks.")
  var replaceCatalogue = false

  @Flag(help: "Only check the description: every error with file:line:column.")
  var lint = false

  func run() throws {
    let text = try FileSystem.readText(product)
    let errors = ProductParser.lint(text, file: product)
    if !errors.isEmpty || lint {
      for error in errors { printError("\(error)") }
      if !errors.isEmpty {
        printError("\(product): \(errors.count) error\(errors.count == 1 ? "" : "s")")
        throw ExitCode(1)
      }
      print("\(product): OK")
      return
    }
    let description = try ProductParser.parse(text, file: product)
    if replaceCatalogue && catalogue == nil {
      throw ValidationError("--replace-catalogue needs --catalogue DIR")
    }
    var risks = replaceCatalogue ? RiskCatalogue(entries: [], files: []) : try RiskCatalogue.embedded()
    if let catalogue { risks = try risks.adding(try RiskCatalogue.load(directory: catalogue)) }
    let register = RiskAssessor(catalogue: risks).assess(description)
    switch report.format {
    case .markdown: try report.write(register.markdown)
    case .json: try report.write(register.json.prettyPrinted() + "\n")
    case .html: try report.write(register.html)
    }
  }
}
