import Foundation

@testable import ChildSafe

/// The test pack under Tests/ChildSafeTests/Fixtures/rules (not the default packs).
enum TestPack {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/rules").path

  static let engine: ClassifierEngine = {
    do { return try ClassifierEngine(directory: directory, mode: .replace) } catch { fatalError("test pack: \(error)") }
  }()

  /// Loads rule text given inline as (path, text) pairs, rooted at grooming/.
  static func load(_ files: [(String, String)]) -> RuleSet {
    RuleSetLoader.load(RuleFiles(files: files.map { (path: "grooming/" + $0.0, text: $0.1) }))
  }

  /// An engine over one inline English pack.
  static func engine(_ text: String) throws -> ClassifierEngine {
    try ClassifierEngine(rules: RuleFiles(files: [(path: "grooming/t.rules", text: "@pack en\n" + text)]))
  }

  static let adultToChild = MessageContext(senderAge: 34, recipientAge: 12)
  static let peers = MessageContext(senderAge: 13, recipientAge: 13)
}

extension MessageVerdict {
  var ruleIDs: [String] { matches.map(\.rule) }
}
