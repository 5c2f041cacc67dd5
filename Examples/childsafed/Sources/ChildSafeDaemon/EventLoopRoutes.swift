import ChildSafe
import HTTPTypes
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Answers the routes that depend on their body alone (`Route.bodyHandler`: `POST /v1/classify` and
/// `POST /v1/url`) on the connection's event loop, the way `DaemonResponder` does, without the trip
/// every other request takes: into Swift concurrency through `NIOAsyncChannel`, through the router,
/// and back. Classifying a message or checking a URL takes microseconds, so doing it on the event
/// loop costs other connections less than the hops did (docs/daemon.md, "Classify on the event loop").
///
/// Answers are the router's: the same body, status, headers (a `Date` included), limits (413 before or
/// while the body arrives, 408 when it comes too late, 400 when its framing breaks), metrics and trace
/// line. Only a keep-alive POST whose path is exactly such a route's (a query string aside) is
/// answered here, and only while the router owes this connection no answer, so that pipelined
/// answers keep their order. Everything else, `Connection: close` included, goes on to the router.
///
/// It sits after Hummingbird's `HTTPConnectionStateHandler`, which therefore sees its requests and
/// answers: idle timeouts and graceful shutdown treat them like any other (`DaemonHTTP1Channel`).
final class EventLoopRoutes: ChannelDuplexHandler, RemovableChannelHandler {
  typealias InboundIn = HTTPRequestPart
  typealias InboundOut = HTTPRequestPart
  typealias OutboundIn = HTTPResponsePart
  typealias OutboundOut = HTTPResponsePart

  private struct Reading {
    var route: Route
    var start: UInt64
    var body: ByteBuffer?
  }

  private enum State {
    /// Between requests.
    case idle
    /// The current request goes to the router, part by part.
    case forwarding
    /// A request whose body is arriving.
    case reading(Reading)
    /// Answered before the request ended (413, 408, 400, all closing the connection): the rest is dropped.
    case discarding
  }

  private let responder: DaemonResponder
  private let routes: [Route]
  private var state = State.idle
  /// Requests passed to the router whose answers have not ended.
  private var routerRequests = 0
  private var deadline: Scheduled<Void>?
  private var date = HTTPDate()

  init(responder: DaemonResponder, routes: [Route] = DaemonRoutes.answeredOnEventLoop) {
    self.responder = responder
    self.routes = routes
  }

  /// The route answered here whose path `path` is, a query string aside (the router ignores it too).
  func route(for path: String?) -> Route? {
    guard let path else { return nil }
    let end = path.utf8.firstIndex(of: UInt8(ascii: "?")) ?? path.utf8.endIndex
    let bare = path.utf8[..<end]
    return routes.first { $0.path.utf8.elementsEqual(bare) }
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    let part = unwrapInboundIn(data)
    switch state {
    case .idle:
      guard case .head(let head) = part, routerRequests == 0, head.method == .post, let route = route(for: head.path),
        head.headerFields[.connection] != "close"
      else {
        if case .head = part {
          routerRequests += 1
          state = .forwarding
        }
        context.fireChannelRead(data)
        return
      }
      begin(context: context, head: head, route: route)
    case .forwarding:
      if case .end = part { state = .idle }
      context.fireChannelRead(data)
    case .reading(var reading):
      switch part {
      case .head:
        // The decoder never sends a head before the last request's end; were it to, the body is broken.
        refuse(context: context, DaemonResponder.unreadableBody, route: reading.route, start: reading.start)
      case .body(let chunk):
        // Moved out first so that appending does not copy the body.
        state = .idle
        if reading.body == nil {
          reading.body = chunk
        } else {
          reading.body!.writeImmutableBuffer(chunk)
        }
        if reading.body!.readableBytes > responder.maxBodyBytes {
          refuse(context: context, DaemonResponder.tooLarge(responder.maxBodyBytes), route: reading.route, start: reading.start)
        } else {
          state = .reading(reading)
        }
      case .end:
        cancelDeadline()
        state = .idle
        let body = reading.body ?? ByteBuffer()
        let handler = reading.route.bodyHandler!
        let answer = body.withUnsafeReadableBytes { handler(responder.service, $0) }
        write(context: context, answer, route: reading.route, start: reading.start)
      }
    case .discarding:
      if case .end = part { state = .idle }
    }
  }

  private func begin(context: ChannelHandlerContext, head: HTTPRequest, route: Route) {
    let start = MonotonicClock.nanoseconds()
    if let declared = head.headerFields[.contentLength].flatMap({ Int($0) }), declared > responder.maxBodyBytes {
      refuse(context: context, DaemonResponder.tooLarge(responder.maxBodyBytes), route: route, start: start)
      return
    }
    state = .reading(Reading(route: route, start: start, body: nil))
  }

  /// The body usually arrives with the head, in one read: the deadline is set only for one that does not.
  func channelReadComplete(context: ChannelHandlerContext) {
    if case .reading(let reading) = state, deadline == nil {
      let elapsed = Int64(MonotonicClock.nanoseconds() - reading.start)
      let remaining = TimeAmount.nanoseconds(max(0, responder.requestTimeout.nanoseconds - elapsed))
      deadline = context.eventLoop.assumeIsolated().scheduleTask(in: remaining) { [self] in
        deadline = nil
        guard case .reading(let reading) = state else { return }
        refuse(context: context, DaemonResponder.timedOut, route: reading.route, start: reading.start)
      }
    }
    context.fireChannelReadComplete()
  }

  /// An error while a body is read (a broken chunked framing, a reset) gets the router's answer to it;
  /// the error goes no further, since the request is answered.
  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    guard case .reading(let reading) = state else {
      context.fireErrorCaught(error)
      return
    }
    refuse(context: context, DaemonResponder.unreadableBody, route: reading.route, start: reading.start)
  }

  /// Answers before the request has ended; every such answer closes the connection.
  private func refuse(context: ChannelHandlerContext, _ answer: APIResponse, route: Route, start: UInt64) {
    cancelDeadline()
    state = .discarding
    write(context: context, answer, route: route, start: start)
  }

  private func write(context: ChannelHandlerContext, _ answer: APIResponse, route: Route, start: UInt64) {
    responder.recordRequest(route.endpoint, status: answer.status, start: start, logger: responder.service.logger)
    var (head, body) = DaemonResponder.responseParts(answer, allocator: context.channel.allocator)
    head.headerFields[.date] = date.now()
    context.write(wrapOutboundOut(.head(head)), promise: nil)
    context.write(wrapOutboundOut(.body(body)), promise: nil)
    context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
  }

  /// Answers the router writes pass on their way out; each `end` settles one request it was given.
  func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
    if case .end = unwrapOutboundIn(data), routerRequests > 0 { routerRequests -= 1 }
    context.write(data, promise: promise)
  }

  func handlerRemoved(context: ChannelHandlerContext) {
    cancelDeadline()
  }

  func channelInactive(context: ChannelHandlerContext) {
    cancelDeadline()
    // A client gone in the middle of a body: counted as the router counts it, a 400 it cannot deliver.
    if case .reading(let reading) = state {
      state = .discarding
      responder.recordRequest(
        reading.route.endpoint, status: DaemonResponder.unreadableBody.status, start: reading.start,
        logger: responder.service.logger)
    }
    context.fireChannelInactive()
  }

  private func cancelDeadline() {
    deadline?.cancel()
    deadline = nil
  }
}

/// Hummingbird's HTTP/1.1 channel with `EventLoopRoutes` added right after its connection-state
/// handler, and so before the bridge to Swift concurrency that every other request crosses; and
/// `HTTP10ConnectionHandler` where requests still carry their HTTP version.
struct DaemonHTTP1Channel: ServerChildChannel {
  typealias Value = HTTP1Channel.Value

  let base: HTTP1Channel
  let responder: DaemonResponder

  func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
    let responder = self.responder
    return base.setup(channel: channel, logger: logger).flatMapThrowing { value in
      let pipeline = channel.pipeline.syncOperations
      let state = try pipeline.handler(type: HTTPConnectionStateHandler.self)
      try pipeline.addHandler(EventLoopRoutes(responder: responder), position: .after(state))
      let codec = try pipeline.handler(type: HTTP1ToHTTPServerCodec.self)
      try pipeline.addHandler(HTTP10ConnectionHandler(), position: .before(codec))
      return value
    }
  }

  func handle(value: Value, logger: Logger) async {
    await base.handle(value: value, logger: logger)
  }
}

/// The `Date` header's value (RFC 9110's IMF-fixdate), formatted again only when the second changes.
struct HTTPDate {
  private var second = -1
  private var text = ""

  mutating func now() -> String {
    let now = time(nil)
    if now != second {
      second = now
      text = Self.format(now)
    }
    return text
  }

  static func format(_ seconds: Int) -> String {
    var t = seconds
    var parts = tm()
    gmtime_r(&t, &parts)
    let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
    return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
      + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
  }
}
