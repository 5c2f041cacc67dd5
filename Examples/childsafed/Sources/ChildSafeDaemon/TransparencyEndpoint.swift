import ChildSafe
import ChildSafeAssessment
import Synchronization

/// The daemon's transparency counters and the methodology of the configuration serving, for
/// GET /v1/transparency. The counters belong to the service, not to a configuration, so a reload
/// keeps them; they hold counts only (see `TransparencyCounts`), never text, ids or URLs.
public final class DaemonTransparency: Sendable {
  public let counters: TransparencyCounters
  /// The methodology of the last generation asked about (rule files are read once per generation).
  private let methodology = Mutex<(generation: Int, value: TransparencyMethodology)?>(nil)

  public init(counters: TransparencyCounters = TransparencyCounters()) {
    self.counters = counters
  }

  func methodology(for configuration: ServiceConfiguration, rulesDirectory: String?) -> TransparencyMethodology {
    if let cached = methodology.withLock({ $0 }), cached.generation == configuration.generation { return cached.value }
    // A rules directory that cannot be read now lists no files rather than the embedded ones it
    // does not serve; `rulesVersion` below still names what is serving.
    let files = rulesDirectory.map { (try? ClassifierEngine.ruleFiles(directory: $0)) ?? RuleFiles(files: []) } ?? RuleFiles.embedded
    var value = TransparencyMethodology.of(files)
    // The fingerprint taken when the configuration was loaded (as /healthz shows it): it identifies
    // the rules in force even if the files changed on disk since.
    value.rulesVersion = configuration.rules.version
    let models = [configuration.engine.classifier.models.message, configuration.engine.classifier.models.conversation]
      .compactMap { $0?.description }
    if !models.isEmpty { value.model = models.joined(separator: "; ") }
    methodology.withLock { $0 = (configuration.generation, value) }
    return value
  }
}

extension ChildSafeService {
  /// GET /v1/transparency?period=&format=&threshold=: the report for a period (default: the one in
  /// progress), as JSON (default), Markdown or HTML; counts under the threshold (at least 10) suppressed.
  public func transparencyReport(period: String?, format: String?, threshold: String?) -> APIResponse {
    var minimum = TransparencyReport.defaultSuppressionThreshold
    if let threshold {
      guard let n = Int(threshold), n >= minimum, n <= 1_000_000 else {
        return rejected(.transparency, ChildSafeError(.invalidValue, "threshold must be a whole number from \(minimum) to 1000000"))
      }
      minimum = n
    }
    let counters = transparency.counters
    let counts: TransparencyCounts
    if let period {
      guard let found = counters.counts(for: period) else {
        let known = ([counters.current()] + counters.finished.reversed()).map(\.period)
        return .error(404, code: ChildSafeError.Code("not_found"), "no counts for period '\(period.prefix(32))'; kept: \(known.joined(separator: ", "))")
      }
      counts = found
    } else {
      counts = counters.current()
    }
    let current = configuration.current
    let report = TransparencyReport(
      service: "childsafed", counts: counts,
      methodology: transparency.methodology(for: current, rulesDirectory: configuration.options.rulesDirectory),
      suppressionThreshold: minimum)
    switch format ?? "json" {
    case "json": return .json(200, report.json)
    case "markdown": return APIResponse(status: 200, body: report.markdown, contentType: "text/markdown; charset=utf-8")
    case "html": return APIResponse(status: 200, body: report.html, contentType: "text/html; charset=utf-8")
    default: return rejected(.transparency, ChildSafeError(.invalidValue, "format must be json, markdown or html"))
    }
  }
}
