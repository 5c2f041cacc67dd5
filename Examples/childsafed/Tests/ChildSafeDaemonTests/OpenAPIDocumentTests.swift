import Foundation
import OpenAPIKit
import Testing
import Yams

@testable import ChildSafeDaemon

/// openapi.yaml is a valid OpenAPI 3.1 document and describes exactly the routes the daemon registers.
@Suite("openapi.yaml is valid and matches the routes")
struct OpenAPIDocumentTests {
  static func document() throws -> OpenAPI.Document {
    let url = OpenAPIAgreementTests.package.appendingPathComponent("openapi.yaml")
    return try YAMLDecoder().decode(OpenAPI.Document.self, from: try String(contentsOf: url, encoding: .utf8))
  }

  @Test func validates() throws {
    let document = try Self.document()
    try document.validate()
    #expect(document.openAPIVersion.rawValue.hasPrefix("3.1"))
  }

  @Test func pathsAndMethodsAreTheRegisteredRoutes() throws {
    var documented: Set<String> = []
    for (path, item) in try Self.document().paths {
      let pathItem = try #require(item.pathItemValue, "\(path.rawValue) is a reference")
      for endpoint in pathItem.endpoints {
        documented.insert("\(endpoint.method.rawValue.uppercased()) /\(path.components.joined(separator: "/"))")
      }
    }
    let registered = Set(DaemonRoutes.all.map { "\($0.method.rawValue) \($0.path)" })
    #expect(documented == registered, "openapi.yaml only: \(documented.subtracting(registered)); routes only: \(registered.subtracting(documented))")
    #expect(registered.count == DaemonRoutes.all.count, "two routes share a method and path")
  }
}
