import ChildSafe
import HTTPTypes
import NIOCore
import NIOEmbedded
import NIOHTTP1
import NIOHTTPTypes
import Testing

@testable import ChildSafeDaemon

/// `EventLoopRoutes` answers `POST /v1/classify` and `POST /v1/url` on the event loop exactly as the
/// router would, and passes everything else on in order.
@Suite("Routes answered on the event loop")
struct EventLoopRoutesTests {
  struct Answer {
    var head: HTTPResponse
    var body: String
  }

  final class Harness {
    let service: ChildSafeService
    let responder: DaemonResponder
    let channel: EmbeddedChannel

    init(_ configure: (inout DaemonOptions) -> Void = { _ in }) throws {
      var options = DaemonOptions()
      configure(&options)
      service = try ChildSafeService(options: options, logger: LogCapture().logger)
      responder = DaemonResponder(service: service, options: options)
      channel = EmbeddedChannel(handler: EventLoopRoutes(responder: responder))
    }

    func send(_ method: HTTPRequest.Method = .post, _ path: String = "/v1/classify", _ fields: HTTPFields = [:], body: [String]) throws {
      try channel.writeInbound(HTTPRequestPart.head(HTTPRequest(method: method, scheme: nil, authority: "x", path: path, headerFields: fields)))
      for chunk in body { try channel.writeInbound(HTTPRequestPart.body(ByteBuffer(string: chunk))) }
      try channel.writeInbound(HTTPRequestPart.end(nil))
    }

    /// The next answer written, or nil when none was.
    func answer() throws -> Answer? {
      guard case .head(let head)? = try channel.readOutbound(as: HTTPResponsePart.self) else { return nil }
      guard case .body(let body)? = try channel.readOutbound(as: HTTPResponsePart.self),
        case .end? = try channel.readOutbound(as: HTTPResponsePart.self)
      else {
        Issue.record("an answer without its body and end")
        return nil
      }
      return Answer(head: head, body: String(buffer: body))
    }

    /// The request parts passed on to the router.
    func forwarded() throws -> [HTTPRequestPart] {
      var parts: [HTTPRequestPart] = []
      while let part = try channel.readInbound(as: HTTPRequestPart.self) { parts.append(part) }
      return parts
    }
  }

  static let request = #"{"id":"m1","text":"this is our secret, dont tell your mom","sender_age":34,"recipient_age":12}"#

  @Test func answersWhatTheServiceAnswersWithTheRoutersHeaders() throws {
    let harness = try Harness()
    // The body split across reads, as a slow client sends it.
    try harness.send(body: [String(Self.request.prefix(20)), String(Self.request.dropFirst(20))])
    let answer = try #require(try harness.answer())
    let expected = try ChildSafeService(options: DaemonOptions(), logger: LogCapture().logger).classify(Self.request)
    #expect(answer.head.status.code == 200)
    #expect(answer.body == expected.body)
    #expect(answer.head.headerFields[.contentType] == "application/json")
    #expect(answer.head.headerFields[.contentLength] == String(answer.body.utf8.count))
    #expect(answer.head.headerFields[.connection] == nil)
    let date = try #require(answer.head.headerFields[.date])
    #expect(date.hasSuffix(" GMT") && date.count == 29)
    #expect(try harness.forwarded().isEmpty)
    #expect(harness.service.metrics.render(conversations: .init(), capacity: 0, generation: 1, lastReloadFailed: false)
      .contains(#"childsafed_requests_total{endpoint="classify",status="200"} 1"#))
    // The connection stays open for the next request, answered the same way.
    try harness.send(body: [#"{"text":"hi"}"#])
    #expect(try harness.answer()?.head.status.code == 200)
    _ = try harness.channel.finish()
  }

  @Test func aBadRequestGetsTheServicesError() throws {
    let harness = try Harness()
    try harness.send(body: [#"{"id":"m3"}"#])
    let answer = try #require(try harness.answer())
    #expect(answer.head.status.code == 400)
    #expect(try JSONValue.parse(answer.body)["error"]?["code"] == .string("invalid_argument"))
    _ = try harness.channel.finish()
  }

  struct RouterRequest: Sendable, CustomTestStringConvertible {
    var method: HTTPRequest.Method
    var path: String
    var fields: HTTPFields = [:]
    var testDescription: String { "\(method) \(path) \(fields)" }
  }

  @Test(arguments: [
    RouterRequest(method: .get, path: "/v1/classify"),  // the router answers 405
    RouterRequest(method: .post, path: "/v1/classifyx"),
    RouterRequest(method: .post, path: "/v1/reload"),  // needs the peer's address: the router's
    RouterRequest(method: .post, path: "/v1/defaults"),  // the router answers 405
    RouterRequest(method: .post, path: "/v1/classify", fields: [.connection: "close"]),  // the router closes after its answer
  ])
  func otherRequestsGoToTheRouter(_ request: RouterRequest) throws {
    let (method, path, fields) = (request.method, request.path, request.fields)
    let harness = try Harness()
    try harness.send(method, path, fields, body: ["{}"])
    #expect(try harness.answer() == nil)
    let parts = try harness.forwarded()
    #expect(parts.count == 3)
    guard case .head(let head)? = parts.first else {
      Issue.record("the head was not passed on")
      return
    }
    #expect(head.path == path)
    _ = try harness.channel.finish()
  }

  @Test func aQueryStringIsIgnoredAsTheRouterIgnoresIt() throws {
    let routes = try Harness()
    let handler = EventLoopRoutes(responder: routes.responder)
    #expect(handler.route(for: "/v1/classify")?.endpoint == .classify)
    #expect(handler.route(for: "/v1/classify?trace=1")?.endpoint == .classify)
    #expect(handler.route(for: "/v1/url?")?.endpoint == .url)
    #expect(handler.route(for: "/v1/classify/") == nil)
    #expect(handler.route(for: "/v1/classif") == nil)
    #expect(handler.route(for: "/healthz") == nil)
    #expect(handler.route(for: nil) == nil)
    #expect(Set(DaemonRoutes.answeredOnEventLoop.map(\.path)) == ["/v1/classify", "/v1/url"])
  }

  @Test func aURLIsCheckedAsTheServiceChecksIt() throws {
    let harness = try Harness()
    let request = #"{"id":"u1","url":"HTTP://Example.ORG/a/../b"}"#
    try harness.send(.post, "/v1/url", body: [request])
    let answer = try #require(try harness.answer())
    let expected = try ChildSafeService(options: DaemonOptions(), logger: LogCapture().logger).checkURL(request)
    #expect(answer.head.status.code == 200)
    #expect(answer.body == expected.body)
    #expect(harness.service.metrics.render(conversations: .init(), capacity: 0, generation: 1, lastReloadFailed: false)
      .contains(#"childsafed_requests_total{endpoint="url",status="200"} 1"#))
    _ = try harness.channel.finish()
  }

  /// Pipelined requests are answered in order: while the router owes an answer, classify requests
  /// queue behind it in the router too.
  @Test func pipelinedRequestsKeepTheirOrder() throws {
    let harness = try Harness()
    try harness.send(.get, "/healthz", body: [])
    try harness.send(body: [#"{"text":"hi"}"#])
    #expect(try harness.answer() == nil)
    #expect(try harness.forwarded().count == 5)  // both requests: head and end, head, body and end
    // The router answers both.
    for _ in 0..<2 {
      try harness.channel.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .ok)))
      try harness.channel.writeOutbound(HTTPResponsePart.end(nil))
    }
    while try harness.channel.readOutbound(as: HTTPResponsePart.self) != nil {}
    // Owed nothing now: the next classify request is answered here.
    try harness.send(body: [#"{"text":"hi"}"#])
    #expect(try harness.answer()?.head.status.code == 200)
    #expect(try harness.forwarded().isEmpty)
    _ = try harness.channel.finish()
  }

  @Test func aDeclaredBodyOverTheLimitIsRefusedBeforeItArrives() throws {
    let harness = try Harness { $0.maxBodyBytes = 100 }
    try harness.channel.writeInbound(
      HTTPRequestPart.head(HTTPRequest(method: .post, scheme: nil, authority: "x", path: "/v1/classify", headerFields: [.contentLength: "101"])))
    let answer = try #require(try harness.answer())
    #expect(answer.head.status.code == 413)
    #expect(answer.head.headerFields[.connection] == "close")
    #expect(try JSONValue.parse(answer.body)["error"]?["code"] == .string("input_too_large"))
    // The body that follows anyway is dropped.
    try harness.channel.writeInbound(HTTPRequestPart.body(ByteBuffer(string: String(repeating: "a", count: 101))))
    try harness.channel.writeInbound(HTTPRequestPart.end(nil))
    #expect(try harness.answer() == nil)
    #expect(try harness.forwarded().isEmpty)
    _ = try harness.channel.finish()
  }

  @Test func aStreamedBodyOverTheLimitIsRefusedOnceItPassesIt() throws {
    let harness = try Harness { $0.maxBodyBytes = 100 }
    try harness.send(body: [String(repeating: "a", count: 60), String(repeating: "a", count: 60), "more"])
    let answer = try #require(try harness.answer())
    #expect(answer.head.status.code == 413)
    #expect(answer.head.headerFields[.connection] == "close")
    #expect(try harness.answer() == nil)
    _ = try harness.channel.finish()
  }

  @Test func aBodyThatComesTooLateGets408() throws {
    let harness = try Harness { $0.requestTimeout = 2 }
    try harness.channel.writeInbound(
      HTTPRequestPart.head(HTTPRequest(method: .post, scheme: nil, authority: "x", path: "/v1/classify", headerFields: [:])))
    try harness.channel.writeInbound(HTTPRequestPart.body(ByteBuffer(string: #"{"text":"#)))
    harness.channel.embeddedEventLoop.advanceTime(by: .milliseconds(1900))
    #expect(try harness.answer() == nil)
    harness.channel.embeddedEventLoop.advanceTime(by: .milliseconds(200))
    let answer = try #require(try harness.answer())
    #expect(answer.head.status.code == 408)
    #expect(answer.head.headerFields[.connection] == "close")
    #expect(try JSONValue.parse(answer.body)["error"]?["code"] == .string("request_timeout"))
    _ = try harness.channel.finish()
  }

  @Test func aBodyInTimeCancelsItsDeadline() throws {
    let harness = try Harness { $0.requestTimeout = 2 }
    try harness.channel.writeInbound(
      HTTPRequestPart.head(HTTPRequest(method: .post, scheme: nil, authority: "x", path: "/v1/classify", headerFields: [:])))
    try harness.channel.writeInbound(HTTPRequestPart.body(ByteBuffer(string: #"{"text":"hi"}"#)))
    try harness.channel.writeInbound(HTTPRequestPart.end(nil))
    #expect(try harness.answer()?.head.status.code == 200)
    harness.channel.embeddedEventLoop.advanceTime(by: .seconds(5))
    #expect(try harness.answer() == nil)
    _ = try harness.channel.finish()
  }

  @Test func aBrokenBodyGetsTheRoutersAnswerAndTheErrorStopsHere() throws {
    let harness = try Harness()
    try harness.channel.writeInbound(
      HTTPRequestPart.head(HTTPRequest(method: .post, scheme: nil, authority: "x", path: "/v1/classify", headerFields: [:])))
    harness.channel.pipeline.fireErrorCaught(HTTPParserError.invalidChunkSize)
    let answer = try #require(try harness.answer())
    #expect(answer.head.status.code == 400)
    #expect(answer.head.headerFields[.connection] == "close")
    #expect(try JSONValue.parse(answer.body)["error"]?["message"] == .string("the request body could not be read"))
    try harness.channel.throwIfErrorCaught()
    _ = try harness.channel.finish()
  }

  @Test func aClientGoneInTheMiddleOfABodyIsCountedAsTheRouterCountsIt() throws {
    let harness = try Harness()
    try harness.channel.writeInbound(
      HTTPRequestPart.head(HTTPRequest(method: .post, scheme: nil, authority: "x", path: "/v1/classify", headerFields: [:])))
    try harness.channel.writeInbound(HTTPRequestPart.body(ByteBuffer(string: #"{"text":"#)))
    harness.channel.pipeline.fireChannelInactive()
    #expect(try harness.answer() == nil)
    #expect(harness.service.metrics.render(conversations: .init(), capacity: 0, generation: 1, lastReloadFailed: false)
      .contains(#"childsafed_requests_total{endpoint="classify",status="400"} 1"#))
    _ = try? harness.channel.finish()
  }

  @Test func theDateHeaderIsIMFFixdate() {
    #expect(HTTPDate.format(784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
    #expect(HTTPDate.format(0) == "Thu, 01 Jan 1970 00:00:00 GMT")
  }
}
