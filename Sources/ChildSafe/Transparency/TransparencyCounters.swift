/// Privacy-preserving counters for transparency reports, kept per period: when a record arrives in a
/// new period, the finished period is kept (the last `retainedPeriods`) and counting starts again
/// from zero. Thread-safe: share one across threads and sessions. Holds counts only (see
/// `TransparencyCounts`); it never sees message text or URLs, only verdicts.
public final class TransparencyCounters: Sendable {
  public let granularity: TransparencyGranularity
  public let retainedPeriods: Int
  private let state: Locked<(current: TransparencyCounts, finished: [TransparencyCounts])>

  public init(granularity: TransparencyGranularity = .month, retainedPeriods: Int = 12, today: CalendarDate = .today()) {
    self.granularity = granularity
    self.retainedPeriods = max(0, retainedPeriods)
    state = Locked((TransparencyCounts(period: granularity.period(of: today), granularity: granularity), []))
  }

  /// Counts a checked message (see `TransparencyCounts.record(_:context:)`) on `date`'s period.
  public func record(_ result: CheckResult, context: MessageContext, on date: CalendarDate = .today()) {
    update(on: date) { $0.record(result, context: context) }
  }

  /// Counts a checked URL on `date`'s period.
  public func record(_ verdict: URLVerdict, on date: CalendarDate = .today()) {
    update(on: date) { $0.record(verdict) }
  }

  /// The period in progress on `date` (starting a new one if `date` is in a later period).
  public func current(on date: CalendarDate = .today()) -> TransparencyCounts {
    update(on: date) { _ in }
  }

  /// Finished periods, oldest first.
  public var finished: [TransparencyCounts] { state.withLock { $0.finished } }

  /// The counts of a period by id, the current one or a finished one kept.
  public func counts(for period: String, on date: CalendarDate = .today()) -> TransparencyCounts? {
    let current = current(on: date)
    if current.period == period { return current }
    return finished.last { $0.period == period }
  }

  @discardableResult
  private func update(on date: CalendarDate, _ body: (inout TransparencyCounts) -> Void) -> TransparencyCounts {
    let period = granularity.period(of: date)
    return state.withLock { state in
      // Ids sort by time ("2026-12" < "2027-01"); a clock set back does not reopen a finished period.
      if period > state.current.period {
        state.finished.append(state.current)
        if state.finished.count > retainedPeriods { state.finished.removeFirst(state.finished.count - retainedPeriods) }
        state.current = TransparencyCounts(period: period, granularity: granularity)
      }
      body(&state.current)
      return state.current
    }
  }
}
