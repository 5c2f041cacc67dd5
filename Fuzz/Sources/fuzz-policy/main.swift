import ChildSafe
import FuzzSupport

/// A fixed day, so that runs are reproducible.
let referenceDate = try! CalendarDate(year: 2026, month: 11, day: 29)

/// Any bytes as a family policy: lint and parse must agree (a policy exists exactly when lint finds no
/// error), every diagnostic of an error is located, and a parsed policy yields settings for each child.
@_cdecl("fuzz_policy_main")
func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
  runFuzzer(argc, argv) { data, size in
    guard let text = String(validating: fuzzInput(data, size), as: UTF8.self) else { return 0 }
    let diagnostics = FamilyPolicy.lint(text, file: "fuzz.policy", on: referenceDate)
    let hasErrors = diagnostics.contains { $0.severity == .error }
    let policy = try? FamilyPolicy.parse(text, file: "fuzz.policy", on: referenceDate)
    precondition((policy == nil) == hasErrors, "parse and lint disagree")
    guard let policy else { return 0 }
    for child in policy.children {
      guard let settings = try? policy.effectiveSettings(forChild: child.name) else {
        preconditionFailure("a parsed policy must give settings for every child")
      }
      let keys = Set(SafetySettings.settingKeys + ["allowed_domains"])
      precondition(settings.loosened.allSatisfy(keys.contains), "unknown key in loosened")
      _ = settings.json.serialized()
    }
    return 0
  }
}
