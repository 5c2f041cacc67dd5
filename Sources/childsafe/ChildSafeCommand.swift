import ArgumentParser
import ChildSafe

@main
struct ChildSafeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "childsafe",
    abstract: "On-device child-safety filter: grooming-pattern classifier, URL filter, age-appropriate defaults.",
    // Examples keep their line breaks (each is shorter than a terminal line); prose is one line a
    // paragraph, which ArgumentParser wraps to the terminal's width.
    discussion: """
      Examples:
        childsafe check "dont tell ur mom ok?"       # verdict and matched spans
        childsafe check --sender-age 34 --recipient-age 12 --json "..."
        childsafe check --jsonl < messages.jsonl     # a verdict per line
        childsafe explain "are ur parents home rn?"  # the rules that matched
        childsafe conversation --explain < conversations.jsonl
        childsafe url "http://www.example.com/"      # blocked or not, and why
        childsafe defaults --age 14                  # settings for age 14
        childsafe policy lint family.policy          # every problem in a policy
        childsafe lint my-rules/                     # check rule files
        childsafe eval --corpus Examples/corpus      # precision and recall

      Every classifying command takes --rules DIR to extend the embedded rule packs. The guides are \
      in docs/ (rules.md, policy.md, url-filtering.md, evaluation.md).
      """,
    version: ChildSafeVersion.string,
    subcommands: [
      NormalizeCommand.self, CheckCommand.self, ConversationCommand.self, ExplainCommand.self, LintCommand.self,
      URLCommand.self, ListsCommand.self, EvalCommand.self, TrainCommand.self, DefaultsCommand.self, PolicyCommand.self,
      AssessCommand.self, TransparencyCommand.self, CompileEmbeddedRulesCommand.self,
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
