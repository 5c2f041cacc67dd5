import ChildSafe
import Logging

/// A response before it meets HTTP: a status, a body and its content type.
public struct APIResponse: Sendable {
  public var status: Int
  public var body: String
  public var contentType: String
  /// Close the connection after this response (the request was not read to its end).
  public var closeConnection = false
  /// The `Allow` header of a 405.
  public var allow: String?

  public init(status: Int, body: String, contentType: String) {
    self.status = status
    self.body = body
    self.contentType = contentType
  }

  public static func json(_ status: Int, _ value: JSONValue) -> APIResponse {
    APIResponse(status: status, body: value.serialized() + "\n", contentType: "application/json")
  }

  /// `{"error": {"code", "message"}}`, with `"id"` first when the request had one.
  public static func error(_ status: Int, _ error: ChildSafeError, id: JSONValue? = nil) -> APIResponse {
    var members: [(String, JSONValue)] = []
    if let id { members.append(("id", id)) }
    members.append(("error", error.json))
    return .json(status, .object(members))
  }

  public static func error(_ status: Int, code: ChildSafeError.Code, _ message: String) -> APIResponse {
    .error(status, ChildSafeError(code, message))
  }
}

/// The daemon's behaviour, independent of HTTP: each endpoint takes the request's bytes or
/// parameters and returns an `APIResponse`. Shared by every listener; thread-safe.
///
/// Privacy: message texts and URLs are read from the request body and passed to the engines; they
/// are never logged, stored or put in metrics. Logs carry ids, categories, risk levels and codes.
public final class ChildSafeService: Sendable {
  public let configuration: ConfigurationStore
  public let conversations: ConversationStore
  public let metrics: Metrics
  /// Counts for GET /v1/transparency (TransparencyEndpoint.swift); kept across reloads.
  public let transparency = DaemonTransparency()
  let logger: Logger
  let startedAt = MonotonicClock.nanoseconds()

  public init(options: DaemonOptions, logger: Logger) throws(ChildSafeError) {
    configuration = try ConfigurationStore(options: options)
    conversations = ConversationStore(capacity: options.maxConversations, idleTTL: options.conversationTTL)
    metrics = Metrics()
    self.logger = logger
  }

  /// Request bodies nest at most this deep (a request needs 3 levels; the library's default is 64).
  public static let maximumJSONDepth = 16

  var parseLimits: JSONValue.ParseLimits {
    JSONValue.ParseLimits(maximumBytes: configuration.options.maxBodyBytes, maximumDepth: Self.maximumJSONDepth)
  }

  func parseBody(_ body: UnsafeRawBufferPointer) throws(ChildSafeError) -> JSONValue {
    try JSONValue.parse(bytes: body.assumingMemoryBound(to: UInt8.self), file: "<request>", limits: parseLimits)
  }

  // MARK: - POST /v1/classify

  public func classify(body: UnsafeRawBufferPointer) -> APIResponse {
    let json: JSONValue
    let request: ClassifyRequest
    do {
      json = try parseBody(body)
    } catch {
      return rejected(.classify, error)
    }
    let current = configuration.current
    let engine = current.engine
    do {
      request = try ClassifyRequest.parse(json, engine: engine)
    } catch {
      return rejected(.classify, error, id: ClassifyRequest.echoedID(json))
    }
    let result: CheckResult
    var newlyFlagged = false
    do {
      if let conversation = request.conversation {
        // One SafetySession per conversation: running verdict and per-audience rate limiting, exactly
        // as `childsafe check --jsonl` does. A conversation made before a reload is moved to the new
        // engine (evidence and rate limiting kept) before its next message is classified.
        (result, newlyFlagged) = try conversations.withConversation(
          conversation, generation: current.generation, make: { engine.makeSession(handler: Self.deliverAll) },
          rebind: { $0.rebinding(to: engine) }
        ) { (session) throws(ChildSafeError) in
          let wasFlagged = session.verdict.flagged
          let wording = try request.locale.map { (locale) throws(ChildSafeError) in try engine.worded(in: locale) }
          let result = try session.add(request.text, context: request.context, wording: (wording ?? engine).interventions)
          return (result, !wasFlagged && session.verdict.flagged)
        }
      } else {
        let wording = try request.locale.map { (locale) throws(ChildSafeError) in try engine.worded(in: locale) }
        result = try (wording ?? engine).check(request.text, context: request.context)
      }
    } catch {
      return rejected(.classify, error, id: request.id)
    }
    let verdict = result.verdict
    metrics.recordMessage(verdict, newlyFlaggedConversation: newlyFlagged)
    transparency.counters.record(result, context: request.context)
    if verdict.flagged || newlyFlagged {
      logger.notice(
        "message flagged",
        metadata: [
          "id": LogValue.id(request.id), "conversation": request.conversation.map { LogValue.quoted($0) } ?? "-",
          "risk": "\(verdict.risk)", "categories": "\(verdict.categories.map(\.name).joined(separator: ","))",
          "conversation_risk": "\(result.conversation?.risk.description ?? "-")",
          "interventions": "\(result.interventions.map { "\($0.audience)" }.joined(separator: ","))",
        ])
    } else if logger.logLevel <= .debug {
      logger.debug(
        "classified",
        metadata: [
          "conversation": request.conversation.map { LogValue.quoted($0) } ?? "-", "risk": "\(verdict.risk)",
          "categories": "\(verdict.categories.map(\.name).joined(separator: ","))",
        ])
    }
    // Written straight into bytes, as `check --jsonl` writes its answers: building the JSON tree
    // first cost more than writing it.
    var answer: [UInt8] = []
    VerdictJSON.write(result, id: request.id, into: &answer)
    answer.append(UInt8(ascii: "\n"))
    return APIResponse(status: 200, body: String(decoding: answer, as: UTF8.self), contentType: "application/json")
  }

  /// The daemon hands every intervention back in the answer; the service shows them.
  static let deliverAll = ClosureInterventionHandler { _ in .shown }

  // MARK: - POST /v1/url

  public func checkURL(body: UnsafeRawBufferPointer) -> APIResponse {
    let json: JSONValue
    do {
      json = try parseBody(body)
    } catch {
      return rejected(.url, error)
    }
    guard json.objectValue != nil else {
      return rejected(.url, ChildSafeError(.invalidArgument, "expected a JSON object"))
    }
    do {
      _ = try ClassifyRequest.requestID(json)
    } catch {
      return rejected(.url, error)
    }
    guard let url = json["url"]?.stringValue else {
      return rejected(.url, ChildSafeError(.invalidArgument, "missing \"url\" (a string)"), id: json["id"])
    }
    let verdict = configuration.current.engine.checkURL(url)
    metrics.recordURL(verdict)
    transparency.counters.record(verdict)
    logger.debug(
      "url checked",
      metadata: ["blocked": "\(verdict.blocked)", "category": "\(verdict.category ?? "-")", "reason": "\(verdict.reason)"])
    var members: [(String, JSONValue)] = []
    if let id = json["id"] { members.append(("id", id)) }
    members += verdict.jsonMembers
    return .json(200, .object(members))
  }

  // MARK: - GET /v1/defaults?age=N

  /// `ageText` nil: the age is unknown (the cautious defaults).
  /// Ages the API accepts, here as in `sender_age`/`recipient_age` and `childsafe defaults --age`.
  public static let ages = 0...150

  public func defaults(ageText: String?) -> APIResponse {
    var age: Int?
    if let ageText {
      guard let n = Int(ageText), Self.ages.contains(n) else {
        return rejected(
          .defaults,
          ChildSafeError(
            .invalidValue, "age must be a whole number of years from \(Self.ages.lowerBound) to \(Self.ages.upperBound)"))
      }
      age = n
    }
    return .json(200, AgeDefaults.settings(forAge: age).json)
  }

  // MARK: - GET /healthz

  public func health() -> APIResponse {
    let current = configuration.current
    let status = configuration.status
    let counts = conversations.counts
    let uptime = Double(MonotonicClock.nanoseconds() - startedAt) / 1e9
    return .json(
      200,
      .object([
        // Still serving either way; "degraded" tells the operator the last reload was refused.
        ("status", .string(status.lastError == nil ? "ok" : "degraded")),
        ("version", .string(ChildSafeVersion.string)), ("icu", .string(ChildSafeVersion.icu)),
        ("generation", .int(current.generation)), ("loaded_at", .number(current.loadedAt.rounded())),
        ("rules", current.rules.json), ("lists", current.lists.json), ("policy", current.policy?.json ?? .null),
        ("last_reload_at", status.lastAttemptAt.map { .number($0.rounded()) } ?? .null),
        ("last_reload_error", status.lastError?.json ?? .null),
        ("conversations", .object([("live", .int(counts.live)), ("capacity", .int(conversations.capacity))])),
        ("uptime_seconds", .number(uptime.rounded())),
      ]))
  }

  // MARK: - GET /metrics

  public func metricsText() -> APIResponse {
    APIResponse(
      status: 200,
      body: metrics.render(
        conversations: conversations.counts, capacity: conversations.capacity,
        generation: configuration.current.generation, lastReloadFailed: configuration.status.lastError != nil),
      contentType: "text/plain; version=0.0.4; charset=utf-8")
  }

  // MARK: - Reload (POST /v1/reload and SIGHUP)

  /// Reloads rules, lists and policy together. `trigger` ("sighup", "http") is logged.
  public func reload(trigger: String) -> APIResponse {
    switch configuration.reload() {
    case .success(let new):
      metrics.recordReload(succeeded: true)
      // Every conversation held moves to the new engine now (not only when its next message comes),
      // so the old engine's memory is returned at once.
      let engine = new.engine
      conversations.rebind(generation: new.generation) { $0.rebinding(to: engine) }
      logger.notice(
        "configuration reloaded",
        metadata: [
          "trigger": "\(trigger)", "generation": "\(new.generation)", "rules_version": "\(new.rules.version)",
          "lists_version": "\(new.lists.version)", "policy_version": "\(new.policy?.version ?? "-")",
        ])
      Self.logListWarnings(new, logger: logger)
      return .json(
        200,
        .object([
          ("reloaded", .bool(true)), ("generation", .int(new.generation)), ("rules", new.rules.json),
          ("lists", new.lists.json), ("policy", new.policy?.json ?? .null),
        ]))
    case .failure(let error):
      metrics.recordReload(succeeded: false)
      let serving = configuration.current.generation
      logger.error(
        "reload failed; previous configuration still serving",
        metadata: ["trigger": "\(trigger)", "generation": "\(serving)", "error": LogValue.error(error)])
      return .json(
        422,
        .object([("reloaded", .bool(false)), ("generation", .int(serving)), ("error", error.json)]))
    }
  }

  /// Bad list lines are skipped, not fatal: say how many and where the first is. Only the position is
  /// logged, as the warning's message may quote the line.
  static func logListWarnings(_ configuration: ServiceConfiguration, logger: Logger) {
    if let first = configuration.firstListWarning {
      logger.warning(
        "list lines skipped",
        metadata: [
          "count": "\(configuration.lists.warnings)", "first": LogValue.quoted(first, limit: LogValue.maximumErrorBytes),
        ])
    }
    if let first = configuration.firstPolicyWarning, let policy = configuration.policy {
      logger.warning(
        "policy warnings (see childsafe policy lint)",
        metadata: ["count": "\(policy.warnings)", "first": LogValue.quoted(first, limit: LogValue.maximumErrorBytes)])
    }
  }

  /// A 400 for a bad request; the log gets the error code only (a message may quote the input).
  func rejected(_ endpoint: Endpoint, _ error: ChildSafeError, id: JSONValue? = nil) -> APIResponse {
    logger.debug("request rejected", metadata: ["endpoint": "\(endpoint.rawValue)", "code": "\(error.code)"])
    return .error(error.code == .inputTooLarge ? 413 : 400, error, id: id)
  }
}
