// swift-tools-version:6.2
//
// libFuzzer targets for ChildSafe's parsers and normaliser. Build and run them with scripts/fuzz.sh:
//   scripts/fuzz.sh --list
//   scripts/fuzz.sh normalize 60
// The script passes -sanitize=fuzzer,address to every module, so the library is instrumented too.
import PackageDescription

let targets = ["normalize", "json", "policy", "rules", "url", "lists", "index", "check-line", "model"]

let package = Package(
  name: "ChildSafeFuzz",
  dependencies: [.package(name: "ChildSafe", path: "..")],
  targets: [.target(name: "FuzzSupport")]
    + targets.map { name in
      .executableTarget(
        name: "fuzz-\(name)",
        dependencies: ["FuzzSupport", .product(name: "ChildSafe", package: "ChildSafe")],
        path: "Sources/fuzz-\(name)"
      )
    }
)
