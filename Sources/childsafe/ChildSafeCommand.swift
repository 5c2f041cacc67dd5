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
      URLCommand.self, ListsCommand.self, EvalCommand.self, DefaultsCommand.self, PolicyCommand.self,
    ]
  )
}
