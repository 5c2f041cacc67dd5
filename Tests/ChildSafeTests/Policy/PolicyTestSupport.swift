@testable import ChildSafe

/// The fixed "today" of the policy tests, so that ages do not drift with the calendar.
let policyTestDate: CalendarDate = (try? CalendarDate(year: 2026, month: 11, day: 29)) ?? CalendarDate(unchecked: 2026, 11, 29)

func parsePolicy(_ text: String) throws(ChildSafeError) -> FamilyPolicy {
  try FamilyPolicy.parse(text, file: "test.policy", on: policyTestDate)
}

func lintPolicy(_ text: String) -> [PolicyDiagnostic] {
  FamilyPolicy.lint(text, file: "test.policy", on: policyTestDate)
}

func errors(_ text: String) -> [PolicyDiagnostic] { lintPolicy(text).filter { $0.severity == .error } }

/// The single error of a policy text (a test fails later if there is not exactly one).
func onlyError(_ text: String) -> PolicyDiagnostic? {
  let found = errors(text)
  return found.count == 1 ? found[0] : nil
}
