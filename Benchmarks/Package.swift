// swift-tools-version:6.2
//
// ChildSafe benchmarks: each executable prints figures. They never fail on time; run them with
//   swift run -c release --package-path Benchmarks <name>
import PackageDescription

let package = Package(
  name: "ChildSafeBenchmarks",
  dependencies: [
    .package(name: "ChildSafe", path: ".."),
  ],
  targets: [
    .target(name: "BenchmarkSupport"),
    .executableTarget(
      name: "normalize-bench",
      dependencies: ["BenchmarkSupport", .product(name: "ChildSafe", package: "ChildSafe")]
    ),
    .executableTarget(name: "url-bench", dependencies: ["BenchmarkSupport", .product(name: "ChildSafe", package: "ChildSafe")]),
    .executableTarget(name: "lists-bench", dependencies: ["BenchmarkSupport", .product(name: "ChildSafe", package: "ChildSafe")]),
    .executableTarget(
      name: "classify-bench",
      dependencies: ["BenchmarkSupport", .product(name: "ChildSafe", package: "ChildSafe")]
    ),
    .executableTarget(
      name: "interventions-bench",
      dependencies: ["BenchmarkSupport", .product(name: "ChildSafe", package: "ChildSafe")]
    ),
  ]
)
