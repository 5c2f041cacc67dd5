// swift-tools-version:6.2
//
// ChildSafe: an embeddable, on-device child-safety filter.
// The core library (`ChildSafe`) imports no Foundation; its only system dependency is ICU,
// reached through the C shim `CChildSafeICU` so that no Swift module ever sees ICU's headers.

import PackageDescription

let swiftSettings: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
  name: "ChildSafe",
  products: [
    .library(name: "ChildSafe", targets: ["ChildSafe"]),
    .executable(name: "childsafe", targets: ["childsafe"]),
    // The C API as a shared library. Not named "childsafe" (that is the CLI); `make` links it as
    // libchildsafe.so.1 with a version script and a static Swift runtime (scripts/build-capi.sh).
    .library(name: "ChildSafeC", type: .dynamic, targets: ["ChildSafeCAPI"]),
    // Risk registers and transparency reports; the daemon renders its reports with it.
    .library(name: "ChildSafeAssessment", targets: ["ChildSafeAssessment"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    // `swift package generate-documentation --target ChildSafe` (scripts/docs.sh); a plugin only,
    // nothing of it is linked.
    .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
  ],
  targets: [
    // MARK: - System ICU and its C shim
    .systemLibrary(
      name: "CICU",
      pkgConfig: "icu-i18n",
      providers: [.apt(["libicu-dev"]), .yum(["libicu-devel"]), .brew(["icu4c"])]
    ),
    .target(name: "CChildSafeICU", dependencies: ["CICU"]),
    // The embedded rule packs compiled at build time, as a constant byte array (scripts/embed-rules).
    .target(name: "CChildSafeRules"),

    // MARK: - Core library (no Foundation)
    .target(
      name: "ChildSafe",
      dependencies: ["CChildSafeICU", "CChildSafeRules"],
      // Work counters for the tests of linear cost exist only in debug builds (`swift test`);
      // release builds, which apps, the C library and the benchmarks use, carry none.
      swiftSettings: swiftSettings + [.define("CHILDSAFE_COUNTERS", .when(configuration: .debug))]
    ),

    // MARK: - C API (hand-written header in CChildSafe, Swift bodies checked against it)
    .target(name: "CChildSafe"),
    .target(
      name: "ChildSafeCAPI",
      dependencies: ["CChildSafe", "ChildSafe"],
      exclude: ["childsafe.map"],
      swiftSettings: swiftSettings
    ),

    // MARK: - Researcher tooling: evaluate rules against labelled corpora
    .target(name: "ChildSafeEvaluation", dependencies: ["ChildSafe"], swiftSettings: swiftSettings),
    // Researcher tooling: learn a statistical model (`childsafe train`) from labelled corpora
    .target(
      name: "ChildSafeTraining", dependencies: ["ChildSafe", "ChildSafeEvaluation"], swiftSettings: swiftSettings),

    // MARK: - Safety-by-design risk assessment and transparency reports (not imported by the core)
    .target(name: "ChildSafeAssessment", dependencies: ["ChildSafe"], swiftSettings: swiftSettings),

    // MARK: - Command-line tool
    .executableTarget(
      name: "childsafe",
      dependencies: [
        "ChildSafe",
        "ChildSafeEvaluation",
        "ChildSafeAssessment",
        "ChildSafeTraining",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: swiftSettings
    ),

    // MARK: - The README's Swift snippet, compiled and run by scripts/tests.d/doc-snippets.sh
    .executableTarget(
      name: "childsafe-quickstart",
      dependencies: ["ChildSafe"],
      path: "Examples/swift-quickstart",
      swiftSettings: swiftSettings
    ),

    // MARK: - The Swift snippets of docs/, compiled (and run where they can) by doc-snippets.sh
    .executableTarget(
      name: "doc-snippet-interventions", dependencies: ["ChildSafe"], path: "Examples/doc-snippets/interventions",
      swiftSettings: swiftSettings),
    .executableTarget(
      name: "doc-snippet-policy", dependencies: ["ChildSafe"], path: "Examples/doc-snippets/policy",
      swiftSettings: swiftSettings),
    .executableTarget(
      name: "doc-snippet-url-filter", dependencies: ["ChildSafe"], path: "Examples/doc-snippets/url-filter",
      swiftSettings: swiftSettings),
    .executableTarget(
      name: "doc-snippet-transparency", dependencies: ["ChildSafe"], path: "Examples/doc-snippets/transparency",
      swiftSettings: swiftSettings),

    // MARK: - Tests
    .testTarget(
      name: "ChildSafeTests",
      dependencies: ["ChildSafe"],
      exclude: ["Fixtures"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "ChildSafeAssessmentTests",
      dependencies: ["ChildSafeAssessment", "ChildSafe"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "ChildSafeTrainingTests",
      dependencies: ["ChildSafeTraining", "ChildSafeEvaluation", "ChildSafe"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "ChildSafeEvaluationTests",
      dependencies: ["ChildSafeEvaluation", "ChildSafe"],
      swiftSettings: swiftSettings
    ),
  ]
)
