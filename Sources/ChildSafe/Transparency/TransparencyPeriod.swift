/// The reporting period counters are kept for: a calendar day or month. Its `id` ("2026-12" or
/// "2026-12-06") names the period in reports.
public enum TransparencyGranularity: String, Sendable, Hashable, CaseIterable {
  case day, month

  /// The id of the period containing `date`.
  public func period(of date: CalendarDate) -> String {
    switch self {
    case .day: date.description
    case .month: CalendarDate.pad(date.year, 4) + "-" + CalendarDate.pad(date.month, 2)
    }
  }
}
