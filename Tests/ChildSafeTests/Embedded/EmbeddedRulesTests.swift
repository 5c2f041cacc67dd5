import Foundation
import Testing

@testable import ChildSafe

@Suite("Embedded rules")
struct EmbeddedRulesTests {
  /// The library must carry exactly the files of Rules/ (run scripts/embed-rules after editing them).
  @Test func embeddedCopyMatchesRulesDirectory() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Rules").path
    let onDisk = try RuleFiles.load(directory: root)
    let suffixes = [".rules", ".txt", ".conf", ".policy", ".list", ".catalog", ".defaults", ".md", ".hosts", ".json", ".words"]
    let expected = onDisk.files.filter { file in suffixes.contains { file.path.hasSuffix($0) } }
    let embedded = RuleFiles.embedded.files
    #expect(embedded.map(\.path) == expected.map(\.path), "run scripts/embed-rules")
    for (a, b) in zip(embedded, expected) {
      #expect(a.text == b.text, "\(a.path) differs from Rules/; run scripts/embed-rules")
    }
  }
}
