import ChildSafe
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One complete, immutable configuration: rules, lists and policy loaded together. Requests read one
/// snapshot, so a reload never shows a request half-old, half-new rules.
public struct ServiceConfiguration: Sendable {
  public let engine: ClassifierEngine
  public let urlFilter: URLFilter
  /// Turns verdicts into interventions (deterrence, safety prompts, guardian notices, help).
  public let interventions: InterventionEngine
  public let policy: DaemonPolicy?
  public let rules: SourceInfo
  public let lists: SourceInfo
  /// Where the first skipped list line is (file:line:column), for the log; nil when none was skipped.
  public var firstListWarning: String? { urlFilter.warnings.first.map { $0.location?.description ?? $0.code.rawValue } }
  /// 1 for the configuration loaded at start, +1 for every successful reload.
  public let generation: Int
  /// Unix time (seconds) it was loaded.
  public let loadedAt: Double

  /// Loads everything the options name; throws the first error with its file and position.
  public static func load(_ options: DaemonOptions, generation: Int) throws(ChildSafeError) -> ServiceConfiguration {
    let ruleFiles: RuleFiles
    let rulesSource: [String]
    if let directory = options.rulesDirectory {
      ruleFiles = try RuleFiles.load(directory: directory)
      rulesSource = [directory]
    } else {
      ruleFiles = .embedded
      rulesSource = ["embedded"]
    }
    let engine = try ClassifierEngine(rules: ruleFiles)
    // DIR/deterrence/ extends the built-in message catalogs and signposts, like the library's own loader.
    // SEAM (family policy): locale, country, signposts and thresholds come from the policy once it is
    // interpreted; until then the engine's defaults apply (English, international signposts).
    let interventions =
      try options.rulesDirectory.map { (directory) throws(ChildSafeError) in try InterventionEngine.load(directory: directory) }
      ?? InterventionEngine.defaults
    let urlFilter = options.lists.isEmpty ? URLFilter.defaults : try URLFilter(lists: options.lists)
    var lists = try SourceInfo.of(listPaths: options.lists)
    lists.warnings = urlFilter.warnings.count
    let policy = try options.policyFile.map { (path) throws(ChildSafeError) in try DaemonPolicy.load(path: path) }
    return ServiceConfiguration(
      engine: engine, urlFilter: urlFilter, interventions: interventions, policy: policy, rules: .of(rules: ruleFiles, source: rulesSource),
      lists: lists, generation: generation, loadedAt: WallClock.now())
  }
}

/// Holds the configuration in force and swaps it atomically on reload. A failed reload leaves the
/// previous configuration serving and is remembered for /healthz until the next successful one.
public final class ConfigurationStore: Sendable {
  public struct ReloadStatus: Sendable {
    public var lastAttemptAt: Double?
    public var lastError: ChildSafeError?
  }

  public let options: DaemonOptions
  private let state: Mutex<(configuration: ServiceConfiguration, status: ReloadStatus)>
  /// Serialises reloads (SIGHUP and POST /v1/reload may race) without blocking readers.
  private let reloadLock = Mutex(())

  public init(options: DaemonOptions) throws(ChildSafeError) {
    self.options = options
    let first = try ServiceConfiguration.load(options, generation: 1)
    state = Mutex((first, ReloadStatus()))
  }

  public var current: ServiceConfiguration { state.withLock { $0.configuration } }
  public var status: ReloadStatus { state.withLock { $0.status } }

  /// Loads a new configuration from the same options and swaps it in; on failure keeps the old one.
  public func reload() -> Result<ServiceConfiguration, ChildSafeError> {
    reloadLock.withLock { _ in
      let generation = state.withLock { $0.configuration.generation } + 1
      let attempt = Result { () throws(ChildSafeError) in try ServiceConfiguration.load(options, generation: generation) }
      let now = WallClock.now()
      state.withLock { state in
        state.status.lastAttemptAt = now
        switch attempt {
        case .success(let configuration):
          state.configuration = configuration
          state.status.lastError = nil
        case .failure(let error):
          state.status.lastError = error
        }
      }
      return attempt
    }
  }
}

enum WallClock {
  /// Unix time in seconds.
  static func now() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
  }
}

public enum MonotonicClock {
  /// Nanoseconds since an arbitrary start; never goes back.
  public static func nanoseconds() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
  }
}

extension ChildSafeError {
  /// `{"code", "message", "file", "line", "column"}` (position members only when known).
  var json: JSONValue {
    var members: [(String, JSONValue)] = [("code", .string(code.rawValue)), ("message", .string(message))]
    if let location {
      members += [("file", .string(location.file)), ("line", .int(location.line)), ("column", .int(location.column))]
    }
    return .object(members)
  }
}
