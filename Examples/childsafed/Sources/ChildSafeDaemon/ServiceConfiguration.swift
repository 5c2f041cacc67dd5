import ChildSafe
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One complete, immutable configuration: rules, lists and policy built together into one
/// `SafetyEngine` (the façade `childsafe check` uses too). Requests read one snapshot, so a reload
/// never shows a request half-old, half-new rules.
public struct ServiceConfiguration: Sendable {
  /// Classifier, query rules, interventions (locale, country, helplines from the policy and flags),
  /// URL filter and family policy.
  public let engine: SafetyEngine
  public let rules: SourceInfo
  public let lists: SourceInfo
  /// The policy file's fingerprint; nil without `--policy`.
  public let policy: SourceInfo?
  /// Where the first skipped list line is (file:line:column), for the log; nil when none was skipped.
  public var firstListWarning: String? {
    engine.urls.warnings.first.map { $0.location?.description ?? $0.code.rawValue }
  }
  /// Where the policy's first warning is (it applies, but probably not as meant), for the log.
  public var firstPolicyWarning: String? {
    engine.policy?.warnings.first.map { $0.location?.description ?? $0.error.code.rawValue }
  }
  /// 1 for the configuration loaded at start, +1 for every successful reload.
  public let generation: Int
  /// Unix time (seconds) it was loaded.
  public let loadedAt: Double

  /// The engine configuration the options describe.
  public static func engineConfiguration(_ options: DaemonOptions) -> SafetyEngine.Configuration {
    SafetyEngine.Configuration(
      rulesDirectory: options.rulesDirectory, lists: options.lists, categories: options.categories,
      policyPath: options.policyFile, child: options.child, locale: options.locale, country: options.country,
      rateLimit: options.rateLimit, models: options.models)
  }

  /// Loads everything the options name; throws the first error with its file and position (a rule
  /// or policy syntax error, an unreadable list...), so a broken file never half-applies.
  public static func load(_ options: DaemonOptions, generation: Int) throws(ChildSafeError) -> ServiceConfiguration {
    // Fingerprints first: if a file changes while the engine is built, the version shown is the
    // older one and the next reload reports the change.
    let rules =
      try options.rulesDirectory.map { (directory) throws(ChildSafeError) in try SourceInfo.of(paths: [directory]) }
      ?? SourceInfo.of(rules: .embedded, source: ["embedded"])
    var lists = try SourceInfo.of(paths: options.lists)
    var policy = try options.policyFile.map { (path) throws(ChildSafeError) in try SourceInfo.of(paths: [path]) }
    let engine = try SafetyEngine(engineConfiguration(options))
    lists.warnings = engine.urls.warnings.count
    policy?.warnings = engine.policy?.warnings.count ?? 0
    return ServiceConfiguration(
      engine: engine, rules: rules, lists: lists, policy: policy, generation: generation, loadedAt: WallClock.now())
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
