import ChildSafe
import Hummingbird

/// What a route does with a request: `responder` gives the service and body reading.
public typealias RouteHandler = @Sendable (DaemonResponder, Request, DaemonRequestContext) async -> APIResponse

/// What a POST route whose answer depends on its body alone does with the body.
public typealias BodyHandler = @Sendable (ChildSafeService, UnsafeRawBufferPointer) -> APIResponse

/// One endpoint: its path, its method, the name it has in metrics, and its handler.
public struct Route: Sendable {
  public var path: String
  public var method: HTTPRequest.Method
  public var endpoint: Endpoint
  public var handle: RouteHandler
  /// Set for a POST route answered from its body alone, in microseconds: `EventLoopRoutes` answers
  /// it on the connection's event loop; the router answers it with the same handler otherwise.
  public var bodyHandler: BodyHandler?

  public init(_ method: HTTPRequest.Method, _ path: String, endpoint: Endpoint, handle: @escaping RouteHandler) {
    self.method = method
    self.path = path
    self.endpoint = endpoint
    self.handle = handle
  }

  /// A POST route answered from its body alone (see `bodyHandler`).
  public init(post path: String, endpoint: Endpoint, body: @escaping BodyHandler) {
    self.init(.post, path, endpoint: endpoint) { responder, request, context in
      await responder.withBody(request, context) { body(responder.service, $0) }
    }
    bodyHandler = body
  }
}

/// An endpoint's name in metric labels. Paths that match no route are all "other": a path can carry
/// anything (even a URL), and labels must never hold user data.
public struct Endpoint: RawRepresentable, Hashable, Sendable {
  public let rawValue: String
  public init(rawValue: String) { self.rawValue = rawValue }

  public static let classify = Endpoint(rawValue: "classify")
  public static let url = Endpoint(rawValue: "url")
  public static let defaults = Endpoint(rawValue: "defaults")
  public static let healthz = Endpoint(rawValue: "healthz")
  public static let metrics = Endpoint(rawValue: "metrics")
  public static let reload = Endpoint(rawValue: "reload")
  public static let transparency = Endpoint(rawValue: "transparency")
  public static let other = Endpoint(rawValue: "other")
}

/// Every route the daemon serves: the one place routes are registered. openapi.yaml describes the
/// same paths and methods (OpenAPIDocumentTests checks both ways). To add an endpoint, add its route
/// here (its handler may live in a file of its own) and its path to openapi.yaml.
public enum DaemonRoutes {
  public static let all: [Route] = [
    Route(post: "/v1/classify", endpoint: .classify) { service, body in service.classify(body: body) },
    Route(post: "/v1/url", endpoint: .url) { service, body in service.checkURL(body: body) },
    Route(.get, "/v1/defaults", endpoint: .defaults) { responder, request, _ in
      responder.service.defaults(ageText: request.uri.queryParameters["age"].map(String.init))
    },
    Route(.get, "/healthz", endpoint: .healthz) { responder, _, _ in responder.service.health() },
    Route(.get, "/metrics", endpoint: .metrics) { responder, _, _ in responder.service.metricsText() },
    Route(.post, "/v1/reload", endpoint: .reload) { responder, request, context in
      guard context.peerIsLocal else {
        return .error(403, code: ChildSafeError.Code("forbidden"), "reload is accepted from loopback or the Unix socket only")
      }
      // The body, if any, is not used; reading it keeps the connection reusable.
      return await responder.withBody(request, context) { _ in responder.service.reload(trigger: "http") }
    },
    Route(.get, "/v1/transparency", endpoint: .transparency) { responder, request, _ in
      let query = request.uri.queryParameters
      return responder.service.transparencyReport(
        period: query["period"].map(String.init), format: query["format"].map(String.init),
        threshold: query["threshold"].map(String.init))
    },
  ]

  /// The routes by path (one method per path).
  static let byPath: [String: Route] = Dictionary(uniqueKeysWithValues: all.map { ($0.path, $0) })

  /// The routes `EventLoopRoutes` answers.
  static let answeredOnEventLoop: [Route] = all.filter { $0.bodyHandler != nil }
}
