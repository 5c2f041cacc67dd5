import NIOCore
import NIOHTTP1

/// HTTP/1.0's connection rules, which the layers above read from headers alone: an HTTP/1.0
/// connection closes after each answer unless the request says `Connection: keep-alive`, and then
/// the answer must say it too, or the client waits for a close that never comes.
///
/// Sits where requests still carry their version (before the conversion to `HTTPTypes`). An
/// HTTP/1.0 request that does not ask to keep the connection gets `Connection: close`, which the
/// router honours by closing after its answer (and which sends it there, not to `EventLoopRoutes`);
/// the answer to one that asks gets `Connection: keep-alive`. HTTP/1.1 passes unchanged.
final class HTTP10ConnectionHandler: ChannelDuplexHandler, RemovableChannelHandler {
  typealias InboundIn = HTTPServerRequestPart
  typealias InboundOut = HTTPServerRequestPart
  typealias OutboundIn = HTTPServerResponsePart
  typealias OutboundOut = HTTPServerResponsePart

  /// For each request not yet answered, in order: whether its answer must say `keep-alive`.
  private var keepAliveAnswers = CircularBuffer<Bool>(initialCapacity: 4)

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    guard case .head(var head) = unwrapInboundIn(data) else {
      context.fireChannelRead(data)
      return
    }
    let isHTTP10 = head.version == .http1_0
    keepAliveAnswers.append(isHTTP10 && head.isKeepAlive)
    if isHTTP10 && !head.isKeepAlive && !head.headers[canonicalForm: "connection"].contains("close") {
      head.headers.replaceOrAdd(name: "Connection", value: "close")
      context.fireChannelRead(wrapInboundOut(.head(head)))
      return
    }
    context.fireChannelRead(data)
  }

  func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
    // Informational answers (100 Continue) come before the answer proper.
    guard case .head(var head) = unwrapOutboundIn(data), head.status.code >= 200,
      let keepAlive = keepAliveAnswers.popFirst()
    else {
      context.write(data, promise: promise)
      return
    }
    if keepAlive && !head.headers.contains(name: "connection") {
      head.headers.add(name: "Connection", value: "keep-alive")
      context.write(wrapOutboundOut(.head(head)), promise: promise)
      return
    }
    context.write(data, promise: promise)
  }
}
