import ArgumentParser
import ChildSafe

@main
struct ChildSafeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "childsafe",
    abstract: "On-device child-safety filter: grooming-pattern classifier, URL filter, age-appropriate defaults.",
    version: ChildSafeVersion.string,
    subcommands: [
      NormalizeCommand.self, CheckCommand.self, ConversationCommand.self, ExplainCommand.self, LintCommand.self,
      URLCommand.self, ListsCommand.self, EvalCommand.self, TrainCommand.self, DefaultsCommand.self, PolicyCommand.self,
      AssessCommand.self, TransparencyCommand.self,
    ]
  )

  /// Runs the command. The library's errors already read "error: ..." (after their file:line:column
  /// when they have one), so they are printed as they are, without ArgumentParser's "Error: " prefix.
  static func main() {
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch let error as ChildSafeError {
      printError("\(error)")
      exit(withError: ExitCode.failure)
    } catch {
      exit(withError: error)
    }
  }
}
