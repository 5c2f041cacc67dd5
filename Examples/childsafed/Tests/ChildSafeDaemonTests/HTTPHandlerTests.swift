import ChildSafe
import HTTPTypes
import NIOCore
import NIOEmbedded
import NIOHTTP1
import NIOHTTPTypes
import Testing

@testable import ChildSafeDaemon

@Suite("HTTP handlers")
struct HTTPHandlerTests {
  func head(_ fields: HTTPFields) -> HTTPRequestPart {
    .head(HTTPRequest(method: .post, scheme: nil, authority: "x", path: "/v1/classify", headerFields: fields))
  }

  @Test func expect100ContinueIsAnsweredWhenTheBodyIsWithinTheLimit() throws {
    let channel = EmbeddedChannel(handler: ExpectContinueHandler(maxBodyBytes: 1000))
    try channel.writeInbound(head([.expect: "100-continue", .contentLength: "1000"]))
    guard case .head(let response)? = try channel.readOutbound(as: HTTPResponsePart.self) else {
      Issue.record("no 100 Continue")
      return
    }
    #expect(response.status == .continue)
    // The head goes on to the responder.
    guard case .head? = try channel.readInbound(as: HTTPRequestPart.self) else {
      Issue.record("the head was not passed on")
      return
    }
    _ = try channel.finish()
  }

  @Test(arguments: [
    [HTTPField.Name.expect: "100-continue", .contentLength: "1001"],  // over the limit: the responder answers 413
    [.expect: "100-continue", .contentLength: "many"],
    [.contentLength: "10"],  // not asked for
  ] as [HTTPFields])
  func noContinueWhenNotAskedOrOverTheLimit(_ fields: HTTPFields) throws {
    let channel = EmbeddedChannel(handler: ExpectContinueHandler(maxBodyBytes: 1000))
    try channel.writeInbound(head(fields))
    #expect(try channel.readOutbound(as: HTTPResponsePart.self) == nil)
    _ = try channel.finish()
  }

  @Test func aChunkedBodyAskingToContinueIsAnswered() {
    #expect(ExpectContinueHandler.shouldContinue(
      HTTPRequest(method: .post, scheme: nil, authority: nil, path: "/", headerFields: [.expect: "100-Continue"]), limit: 10))
  }

  @Test func theServersAnswerToAMalformedRequestGetsAJSONBody() throws {
    let channel = EmbeddedChannel(handler: MalformedRequestHandler())
    channel.pipeline.fireErrorCaught(HTTPParserError.invalidContentLength)
    #expect(throws: HTTPParserError.self) { try channel.throwIfErrorCaught() }
    try channel.writeOutbound(
      HTTPResponsePart.head(HTTPResponse(status: .badRequest, headerFields: [.connection: "close", .contentLength: "0"])))
    try channel.writeOutbound(HTTPResponsePart.end(nil))
    guard case .head(let response)? = try channel.readOutbound(as: HTTPResponsePart.self),
      case .body(let body)? = try channel.readOutbound(as: HTTPResponsePart.self),
      case .end? = try channel.readOutbound(as: HTTPResponsePart.self)
    else {
      Issue.record("expected head, body, end")
      return
    }
    #expect(response.status == .badRequest)
    #expect(response.headerFields[.contentType] == "application/json")
    #expect(response.headerFields[.connection] == "close")
    #expect(response.headerFields[.contentLength] == String(body.readableBytes))
    let json = try JSONValue.parse(String(buffer: body))
    #expect(json["error"]?["code"] == .string("bad_request"))
    #expect(json["error"]?["message"] == .string("malformed HTTP request: invalid Content-Length"))
    _ = try channel.finish()
  }

  @Test func otherAnswersPassUnchanged() throws {
    let channel = EmbeddedChannel(handler: MalformedRequestHandler())
    let answer = HTTPResponse(status: .badRequest, headerFields: [.contentLength: "0"])
    try channel.writeOutbound(HTTPResponsePart.head(answer))
    guard case .head(let response)? = try channel.readOutbound(as: HTTPResponsePart.self) else {
      Issue.record("no head")
      return
    }
    #expect(response == answer)
    #expect(try channel.readOutbound(as: HTTPResponsePart.self) == nil)
    _ = try channel.finish()
  }
}

@Suite("HTTP/1.0 connections")
struct HTTP10ConnectionHandlerTests {
  func request(_ version: HTTPVersion, _ headers: HTTPHeaders = [:]) -> HTTPServerRequestPart {
    .head(HTTPRequestHead(version: version, method: .POST, uri: "/v1/classify", headers: headers))
  }

  func passedOn(_ channel: EmbeddedChannel) throws -> HTTPRequestHead? {
    guard case .head(let head)? = try channel.readInbound(as: HTTPServerRequestPart.self) else { return nil }
    return head
  }

  func answer(_ channel: EmbeddedChannel, status: HTTPResponseStatus = .ok) throws -> HTTPResponseHead? {
    try channel.writeOutbound(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: status)))
    guard case .head(let head)? = try channel.readOutbound(as: HTTPServerResponsePart.self) else { return nil }
    return head
  }

  @Test func anHTTP10RequestClosesTheConnectionAfterItsAnswer() throws {
    let channel = EmbeddedChannel(handler: HTTP10ConnectionHandler())
    try channel.writeInbound(request(.http1_0))
    #expect(try passedOn(channel)?.headers["Connection"] == ["close"])
    #expect(try answer(channel)?.headers["Connection"] == [])
    _ = try channel.finish()
  }

  @Test func anHTTP10RequestThatAsksToKeepTheConnectionIsToldItIsKept() throws {
    let channel = EmbeddedChannel(handler: HTTP10ConnectionHandler())
    try channel.writeInbound(request(.http1_0, ["Connection": "keep-alive"]))
    try channel.writeInbound(request(.http1_1))
    #expect(try passedOn(channel)?.headers["Connection"] == ["keep-alive"])
    #expect(try passedOn(channel)?.headers["Connection"] == [])
    // A 100 Continue is not the answer; the answers come in the requests' order.
    #expect(try answer(channel, status: .continue)?.headers["Connection"] == [])
    #expect(try answer(channel)?.headers["Connection"] == ["keep-alive"])
    #expect(try answer(channel)?.headers["Connection"] == [])
    _ = try channel.finish()
  }

  @Test func http11PassesUnchanged() throws {
    let channel = EmbeddedChannel(handler: HTTP10ConnectionHandler())
    try channel.writeInbound(request(.http1_1, ["Connection": "close"]))
    #expect(try passedOn(channel)?.headers["Connection"] == ["close"])
    try channel.writeInbound(request(.http1_1))
    #expect(try passedOn(channel)?.headers["Connection"] == [])
    _ = try channel.finish()
  }
}
