import ChildSafe
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// The per-request context: Hummingbird's core storage plus the connection, whose peer address
/// decides who may reload.
public struct DaemonRequestContext: RequestContext {
  public var coreContext: CoreRequestContextStorage
  let channel: any Channel

  public init(source: ApplicationRequestContextSource) {
    coreContext = CoreRequestContextStorage(source: source)
    channel = source.channel
  }

  /// True when the peer is on this machine: a Unix socket or a loopback address.
  var peerIsLocal: Bool {
    guard let peer = channel.remoteAddress else { return channel.localAddress?.protocol == .unix }
    return Self.isLocal(peer)
  }

  static func isLocal(_ address: SocketAddress) -> Bool {
    switch address {
    case .unixDomainSocket: return true
    case .v4: return address.ipAddress?.hasPrefix("127.") == true
    case .v6: return address.ipAddress == "::1" || address.ipAddress?.hasPrefix("::ffff:127.") == true
    }
  }
}

/// Routes requests (`DaemonRoutes.all`) to `ChildSafeService`. Owns everything HTTP: methods, body limits and timeouts,
/// status codes, headers, and request metrics. Never logs paths, bodies or query strings.
public struct DaemonResponder: HTTPResponder {
  public typealias Context = DaemonRequestContext

  public let service: ChildSafeService
  let maxBodyBytes: Int
  let requestTimeout: TimeAmount

  public init(service: ChildSafeService, options: DaemonOptions) {
    self.service = service
    maxBodyBytes = options.maxBodyBytes
    requestTimeout = .milliseconds(Int64(options.requestTimeout * 1000))
  }

  public func respond(to request: Request, context: Context) async throws -> Response {
    let start = MonotonicClock.nanoseconds()
    let (endpoint, answer) = await route(request, context: context)
    recordRequest(endpoint, status: answer.status, start: start, logger: context.logger)
    return Self.response(answer)
  }

  /// The request's metrics, and its trace line: endpoint, status and duration, never the path or body.
  func recordRequest(_ endpoint: Endpoint, status: Int, start: UInt64, logger: Logger) {
    let nanoseconds = MonotonicClock.nanoseconds() - start
    service.metrics.recordRequest(endpoint, status: status, nanoseconds: nanoseconds)
    if logger.logLevel <= .trace {
      logger.trace(
        "request", metadata: ["endpoint": "\(endpoint.rawValue)", "status": "\(status)", "seconds": "\(Double(nanoseconds) / 1e9)"])
    }
  }

  func route(_ request: Request, context: Context) async -> (Endpoint, APIResponse) {
    guard let route = DaemonRoutes.byPath[request.uri.path] else {
      return (.other, .error(404, code: ChildSafeError.Code("not_found"), "no such endpoint (see openapi.yaml)"))
    }
    guard request.method == route.method else {
      var answer = APIResponse.error(
        405, code: ChildSafeError.Code("method_not_allowed"), "use \(route.method.rawValue) for this endpoint")
      answer.allow = route.method.rawValue
      // Its body, if any, is not read.
      answer.closeConnection = true
      return (route.endpoint, answer)
    }
    return (route.endpoint, await route.handle(self, request, context))
  }

  /// Reads the body (see `readBody`) and answers with `answer(bytes)`, or with the refusal.
  public func withBody(
    _ request: Request, _ context: Context, _ answer: (UnsafeRawBufferPointer) -> APIResponse
  ) async -> APIResponse {
    switch await readBody(request, channel: context.channel) {
    case .refused(let refusal): return refusal
    case .read(let body): return body.withUnsafeReadableBytes { answer($0) }
    }
  }

  /// The whole body, at most `maxBodyBytes`, within `requestTimeout`. Past either limit the answer
  /// closes the connection rather than reading further.
  ///
  /// The deadline is a timer on the connection's event loop that, when it fires, fails the request's
  /// inbound stream, so the read below ends at once. (Racing the read against `Task.sleep` in a task
  /// group cost two child tasks and a dispatch timer per request: a third of the daemon's CPU time.)
  func readBody(_ request: Request, channel: any Channel) async -> BodyRead {
    let limit = maxBodyBytes
    if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
      return .refused(Self.tooLarge(limit))
    }
    let deadline = BodyDeadline()
    let timer = channel.eventLoop.scheduleTask(in: requestTimeout) {
      if deadline.expire() { channel.pipeline.fireErrorCaught(BodyDeadline.Expired()) }
    }
    let outcome: BodyOutcome
    do {
      let body = try await request.body.collect(upTo: limit)
      outcome = deadline.disarm() ? .body(body) : .timedOut
    } catch is NIOTooManyBytesError {
      outcome = deadline.disarm() ? .tooLarge : .timedOut
    } catch {
      outcome = deadline.disarm() ? .failed : .timedOut
    }
    timer.cancel()
    switch outcome {
    case .body(let buffer): return .read(buffer)
    case .tooLarge: return .refused(Self.tooLarge(limit))
    case .timedOut: return .refused(Self.timedOut)
    case .failed: return .refused(Self.unreadableBody)
    }
  }

  enum BodyRead {
    case read(ByteBuffer)
    case refused(APIResponse)
  }

  enum BodyOutcome: Sendable {
    case body(ByteBuffer)
    case tooLarge
    case timedOut
    case failed
  }

  static func tooLarge(_ limit: Int) -> APIResponse {
    var answer = APIResponse.error(413, ChildSafeError(.inputTooLarge, "request body is larger than \(limit) bytes"))
    answer.closeConnection = true
    return answer
  }

  static let timedOut = {
    var answer = APIResponse.error(408, code: ChildSafeError.Code("request_timeout"), "the request body did not arrive in time")
    answer.closeConnection = true
    return answer
  }()

  static let unreadableBody = {
    var answer = APIResponse.error(400, code: ChildSafeError.Code("bad_request"), "the request body could not be read")
    answer.closeConnection = true
    return answer
  }()

  static func response(_ answer: APIResponse) -> Response {
    let (head, body) = responseParts(answer, allocator: ByteBufferAllocator())
    return Response(status: head.status, headers: head.headerFields, body: ResponseBody(byteBuffer: body))
  }

  /// The head (without `Date`, which the server adds) and body an answer is sent as.
  static func responseParts(_ answer: APIResponse, allocator: ByteBufferAllocator) -> (HTTPResponse, ByteBuffer) {
    var headers: HTTPFields = [.contentType: answer.contentType]
    if answer.closeConnection { headers[.connection] = "close" }
    if let allow = answer.allow { headers[.allow] = allow }
    let buffer = allocator.buffer(string: answer.body)
    headers[.contentLength] = String(buffer.readableBytes)
    return (HTTPResponse(status: HTTPResponse.Status(code: answer.status), headerFields: headers), buffer)
  }
}

/// Who wins between a request body and its deadline: exactly one of `expire` (the timer) and `disarm`
/// (the reader) succeeds first; `disarm` is true when the deadline had not expired.
final class BodyDeadline: Sendable {
  struct Expired: Error {}
  private static let armed: UInt8 = 0, expired: UInt8 = 1, disarmed: UInt8 = 2
  private let state = Atomic<UInt8>(BodyDeadline.armed)

  /// True when the deadline expires now (the body had not arrived).
  func expire() -> Bool {
    state.compareExchange(expected: Self.armed, desired: Self.expired, ordering: .acquiringAndReleasing).exchanged
  }

  /// True when the body is in time (the deadline had not expired).
  func disarm() -> Bool {
    let (exchanged, original) = state.compareExchange(
      expected: Self.armed, desired: Self.disarmed, ordering: .acquiringAndReleasing)
    return exchanged || original == Self.disarmed
  }
}
