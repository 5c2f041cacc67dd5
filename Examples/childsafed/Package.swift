// swift-tools-version:6.2
//
// childsafed: an example Linux daemon that puts ChildSafe behind a small HTTP/JSON API.
// A separate package so that the root package's `swift build` / `swift test` never pay for
// Hummingbird and SwiftNIO. Build it with
//   swift build -c release --package-path Examples/childsafed
import PackageDescription

let swiftSettings: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
  name: "childsafed",
  products: [
    .executable(name: "childsafed", targets: ["childsafed"]),
  ],
  dependencies: [
    .package(name: "ChildSafe", path: "../.."),
    // No default traits: they pull in swift-configuration and full Foundation, which the daemon does not use.
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    // Already in Hummingbird's graph; named because the daemon adds a channel handler of its own.
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
    .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    // Tests only: openapi.yaml is decoded and validated as an OpenAPI 3.1 document.
    .package(url: "https://github.com/mattpolzin/OpenAPIKit", from: "6.4.0", traits: []),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
  ],
  targets: [
    // Everything but `main`: configuration, the service core, HTTP routes. Tested without a network.
    .target(
      name: "ChildSafeDaemon",
      dependencies: [
        .product(name: "ChildSafe", package: "ChildSafe"),
        .product(name: "ChildSafeAssessment", package: "ChildSafe"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdCore", package: "hummingbird"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
        .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Metrics", package: "swift-metrics"),
        .product(name: "Prometheus", package: "swift-prometheus"),
      ],
      swiftSettings: swiftSettings
    ),
    .executableTarget(
      name: "childsafed",
      dependencies: ["ChildSafeDaemon"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "ChildSafeDaemonTests",
      dependencies: [
        "ChildSafeDaemon",
        .product(name: "ChildSafe", package: "ChildSafe"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOEmbedded", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "OpenAPIKit", package: "OpenAPIKit"),
        .product(name: "Yams", package: "Yams"),
      ],
      swiftSettings: swiftSettings
    ),
  ]
)
