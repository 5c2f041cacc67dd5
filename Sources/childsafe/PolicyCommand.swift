import ArgumentParser
import ChildSafe

struct PolicyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "policy",
    abstract: "Check a family policy file and show a child's effective settings.",
    discussion: "The format is described in docs/policy.md; Rules/family.policy is a complete example.",
    subcommands: [PolicyLintCommand.self, PolicyShowCommand.self]
  )
}

/// The reference date shared by the policy subcommands.
struct PolicyDateOption: ParsableArguments {
  @Option(help: "Check ages on this date, YYYY-MM-DD (default: today).")
  var on: String?

  func date() throws -> CalendarDate { try on.map { try CalendarDate.parse($0) } ?? CalendarDate.today() }
}

struct PolicyLintCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lint",
    abstract: "Report every error and warning in a policy file (exit status 1 on errors)."
  )

  @Argument(help: "The policy file.")
  var file: String

  @OptionGroup var date: PolicyDateOption

  func run() throws {
    let text = try FileSystem.readText(file)
    let today = try date.date()
    let diagnostics = FamilyPolicy.lint(text, file: file, on: today)
    for diagnostic in diagnostics { printError(diagnostic.description) }
    let errors = diagnostics.filter { $0.severity == .error }.count
    let warnings = diagnostics.count - errors
    if errors > 0 {
      printError("\(file): \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s"); the file would not be applied")
      throw ExitCode(1)
    }
    let policy = try FamilyPolicy.parse(text, file: file, on: today)
    let children = policy.children.map { child in
      let band = (try? policy.effectiveSettings(forChild: child.name).settings.band) ?? "?"
      return "\(child.name) (\(band))"
    }
    print(
      "\(file): OK, \(children.count) child\(children.count == 1 ? "" : "ren")"
        + (children.isEmpty ? "" : ": \(children.joined(separator: ", "))")
        + (warnings > 0 ? ", \(warnings) warning\(warnings == 1 ? "" : "s")" : ""))
  }
}

struct PolicyShowCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show",
    abstract: "Show a child's effective settings: band defaults plus the policy's changes, with what was loosened."
  )

  @Argument(help: "The policy file.")
  var file: String

  @Option(help: "The child's name (default: every child).")
  var child: String?

  @Flag(help: "Print the effective settings as JSON.")
  var json = false

  @OptionGroup var date: PolicyDateOption

  func run() throws {
    let today = try date.date()
    let policy: FamilyPolicy
    do { policy = try FamilyPolicy.load(path: file, on: today) } catch {
      printError("\(error)")
      printError("run `childsafe policy lint \(file)` to see every problem")
      throw ExitCode(1)
    }
    let names = child.map { [$0] } ?? policy.children.map(\.name)
    var results: [EffectiveSettings] = []
    for name in names {
      do { results.append(try policy.effectiveSettings(forChild: name, on: today)) } catch {
        printError("\(error)")
        throw ExitCode(1)
      }
    }
    if json {
      print((child != nil ? results[0].json : .array(results.map(\.json))).prettyPrinted())
      return
    }
    print(results.map { describe($0, policy: policy) }.joined(separator: "\n\n"))
  }

  func describe(_ effective: EffectiveSettings, policy: FamilyPolicy) -> String {
    let settings = effective.settings
    var lines: [String] = []
    let age = settings.age.map { "age \($0), " } ?? ""
    let assured = settings.ageAssured ? "" : ", age not assured"
    lines.append("\(effective.child): \(age)band \(settings.band)\(assured)")
    if effective.agedOut {
      lines.append("  18 or older: parental controls have ended; adult defaults apply and the policy's changes do not.")
    }
    if !effective.loosened.isEmpty {
      lines.append("  Loosened from the band defaults: \(effective.loosened.joined(separator: ", ")) (the child and parent are told)")
    }
    lines.append("")
    var rows: [[String]] = [["Setting", "Effective", "Note"]]
    let defaults = effective.defaults
    for row in settings.settingRows where row.key != "locked" {
      let before = defaults.value(of: row.key)
      var note = ""
      if effective.overridden.contains(row.key) {
        note = "LOOSENED with ! (\(SettingsTable.change(from: before, to: row.value)))"
      } else if effective.loosened.contains(row.key) {
        note = "LOOSENED (\(SettingsTable.change(from: before, to: row.value)))"
      } else if before != row.value {
        note = "tightened (\(SettingsTable.change(from: before, to: row.value)))"
      } else if settings.isLocked(row.key) {
        note = "locked"
      }
      rows.append([row.label, row.value.description, note])
    }
    lines.append(SettingsTable.format(rows).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
    lines.append("")
    lines.append("  Blocked sites:  \(effective.blockedDomains.isEmpty ? "none" : effective.blockedDomains.joined(separator: ", "))")
    lines.append("  Allowed sites:  \(effective.allowedDomains.isEmpty ? "none" : effective.allowedDomains.joined(separator: ", "))")
    lines.append("  Messages in:    locale \(effective.locale ?? "default"), country \(effective.country ?? "not set")")
    for signpost in effective.signposts {
      let contact = [signpost.phone, signpost.url].compactMap { $0 }.joined(separator: ", ")
      let who =
        switch signpost.service {
        case .children: "children"
        case .parents: "parents"
        case .deterrence: "adults (deterrence)"
        }
      lines.append("  Help for \(who): \(signpost.name): \(contact)")
    }
    return lines.joined(separator: "\n")
  }
}
