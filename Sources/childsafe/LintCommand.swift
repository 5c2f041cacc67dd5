import ArgumentParser
import ChildSafe

struct LintCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lint",
    abstract: "Check rule files: syntax, duplicate ids, unknown categories, shadowed or unreachable rules, slow patterns.",
    discussion: "With no PATH, checks the embedded default packs. Exits non-zero when there are errors."
  )

  @Argument(help: "Rule files or directories of rule files.")
  var paths: [String] = []

  @Flag(help: "Also list every rule with its category, weight and note.")
  var verbose = false

  @OptionGroup var rules: RulesOptions

  func run() throws {
    var sets: [RuleSet] = []
    if paths.isEmpty {
      _ = try rules.validatedMode()
      let files = rules.directory == nil ? RuleFiles.embedded : try ClassifierEngine.ruleFiles(directory: rules.directory!, mode: rules.replaceDefaults ? .replace : .extend)
      sets.append(RuleSetLoader.load(files))
    }
    for path in paths {
      if FileSystem.isDirectory(path) {
        sets.append(RuleSetLoader.load(try RuleFiles.load(directory: path), prefix: ""))
      } else {
        sets.append(RuleSetLoader.load(roots: [path], read: { try? FileSystem.readText($0) }))
      }
    }
    var errors = 0
    var warnings = 0
    var ruleCount = 0
    for set in sets {
      let slow = set.slowPatternWarnings()
      for d in set.diagnostics + slow { print(d.description) }
      errors += set.errors.count
      warnings += set.warnings.count + slow.count
      ruleCount += set.rules.count
      if verbose {
        for (k, rule) in set.rules.enumerated() {
          let langs = set.ruleLanguages[k].isEmpty ? "all" : set.ruleLanguages[k].sorted().joined(separator: ",")
          print("\(rule.id)  \(rule.category.name)  \(formatWeight(rule.weight))  [\(langs)]  \(rule.note ?? "")")
        }
      }
    }
    print("\(ruleCount) rules: \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")")
    if errors > 0 { throw ExitCode(1) }
  }
}
