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
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
  ],
  targets: [
    // MARK: - System ICU and its C shim
    .systemLibrary(
      name: "CICU",
      pkgConfig: "icu-i18n",
      providers: [.apt(["libicu-dev"]), .yum(["libicu-devel"]), .brew(["icu4c"])]
    ),
    .target(name: "CChildSafeICU", dependencies: ["CICU"]),

    // MARK: - Core library (no Foundation)
    .target(
      name: "ChildSafe",
      dependencies: ["CChildSafeICU"],
      swiftSettings: swiftSettings
    ),

    // MARK: - Command-line tool
    .executableTarget(
      name: "childsafe",
      dependencies: [
        "ChildSafe",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: swiftSettings
    ),

    // MARK: - Tests
    .testTarget(
      name: "ChildSafeTests",
      dependencies: ["ChildSafe"],
      exclude: ["Fixtures"],
      swiftSettings: swiftSettings
    ),
  ]
)
