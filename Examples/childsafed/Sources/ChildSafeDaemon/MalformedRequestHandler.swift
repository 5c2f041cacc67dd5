import ChildSafe
import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Gives a JSON body to the answer a request gets when the HTTP parser refuses it (a bad
/// `Content-Length`, both `Content-Length` and `Transfer-Encoding`, headers over the limit, an
/// HTTP/2 preface...). Such a request never reaches the responder: the server answers `400` with
/// `Connection: close` and an empty body itself. This handler remembers the parser's error as it
/// passes and fills that answer's body with `{"error": {"code": "bad_request", "message"}}`, like
/// every other error of the API. The message names the problem, never the request's bytes.
final class MalformedRequestHandler: ChannelDuplexHandler, RemovableChannelHandler {
  typealias InboundIn = HTTPRequestPart
  typealias InboundOut = HTTPRequestPart
  typealias OutboundIn = HTTPResponsePart
  typealias OutboundOut = HTTPResponsePart

  private var parserError: HTTPParserError?

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    if parserError == nil, let error = error as? HTTPParserError { parserError = error }
    context.fireErrorCaught(error)
  }

  func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
    guard let error = parserError, case .head(var head) = unwrapOutboundIn(data), head.status == .badRequest,
      head.headerFields[.contentLength] == "0"
    else {
      context.write(data, promise: promise)
      return
    }
    parserError = nil
    let answer = APIResponse.error(400, code: ChildSafeError.Code("bad_request"), Self.message(for: error))
    let body = ByteBuffer(string: answer.body)
    head.headerFields[.contentType] = answer.contentType
    head.headerFields[.contentLength] = String(body.readableBytes)
    context.write(wrapOutboundOut(.head(head)), promise: promise)
    context.write(wrapOutboundOut(.body(body)), promise: nil)
  }

  static func message(for error: HTTPParserError) -> String {
    switch error {
    case .headerOverflow: return "malformed HTTP request: the headers are too large"
    case .invalidContentLength: return "malformed HTTP request: invalid Content-Length"
    case .unexpectedContentLength:
      return "malformed HTTP request: Content-Length where none is allowed (with Transfer-Encoding, or twice)"
    case .invalidChunkSize: return "malformed HTTP request: invalid chunk size"
    case .invalidVersion, .invalidMethod, .paused:
      // `.paused`: the parser stops at an HTTP/2 preface ("PRI * HTTP/2.0") or an upgrade.
      return "malformed HTTP request: expected an HTTP/1.1 request line (HTTP/2 is not served)"
    case .unknown:
      // Among others, an invalid Transfer-Encoding or one beside Content-Length.
      return "malformed HTTP request: invalid framing (Transfer-Encoding or line endings)"
    default: return "malformed HTTP request (\(error))"
    }
  }
}
