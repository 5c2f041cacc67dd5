import ChildSafe
import Hummingbird

/// What a route does with a request: `responder` gives the service and body reading.
public typealias RouteHandler = @Sendable (DaemonResponder, Request, DaemonRequestContext) async -> APIResponse

/// One endpoint: its path, its method, the name it has in metrics, and its handler.
public struct Route: Sendable {
  public var path: String
  public var method: HTTPRequest.Method
  public var endpoint: Endpoint
  public var handle: RouteHandler

  public init(_ method: HTTPRequest.Method, _ path: String, endpoint: Endpoint, handle: @escaping RouteHandler) {
    self.method = method
    self.path = path
    self.endpoint = endpoint
    self.handle = handle
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
    Route(.post, "/v1/classify", endpoint: .classify) { responder, request, context in
      await responder.withBody(request, context) { responder.service.classify(body: $0) }
    },
    Route(.post, "/v1/url", endpoint: .url) { responder, request, context in
      await responder.withBody(request, context) { responder.service.checkURL(body: $0) }
    },
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
}
