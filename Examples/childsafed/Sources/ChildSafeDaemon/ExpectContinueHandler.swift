import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Answers `Expect: 100-continue` with `100 Continue` as the request head arrives, so that a client
/// that waits for it (curl does, for a second, before every body over 1 KiB) sends its body at once.
/// A request that declares a body over the limit gets no `100 Continue`: the responder answers 413
/// from its `Content-Length` before any of the body is sent.
final class ExpectContinueHandler: ChannelInboundHandler, RemovableChannelHandler {
  typealias InboundIn = HTTPRequestPart
  typealias InboundOut = HTTPRequestPart
  typealias OutboundOut = HTTPResponsePart

  let maxBodyBytes: Int

  init(maxBodyBytes: Int) { self.maxBodyBytes = maxBodyBytes }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    if case .head(let head) = unwrapInboundIn(data), Self.shouldContinue(head, limit: maxBodyBytes) {
      context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil)
    }
    context.fireChannelRead(data)
  }

  /// The client asked for `100 Continue`, and its declared length (if any: a chunked body is
  /// checked as it is read) is within the limit.
  static func shouldContinue(_ head: HTTPRequest, limit: Int) -> Bool {
    guard let expect = head.headerFields[.expect], expect.lowercased() == "100-continue" else { return false }
    guard let length = head.headerFields[.contentLength] else { return true }
    guard let declared = Int(length) else { return false }
    return declared <= limit
  }
}
