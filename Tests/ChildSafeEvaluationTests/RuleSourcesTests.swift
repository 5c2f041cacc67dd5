#if canImport(Glibc)
import Glibc
#endif
import ChildSafe
import Testing

@testable import ChildSafeEvaluation

@Suite("Rule sources")
struct RuleSourcesTests {
  @Test("rule ids come from the engine, each once, sorted")
  func ruleIDs() throws {
    let files = RuleFiles(files: [
      (path: "grooming/en.rules", text: "@pack en\nrule secrecy.tell secrecy 0.7\n  match: dont tell\n# rule commented.out x 1\nrule age.how_old age_probe 0.6\n  match: how old r u\n  note: rule inside a note\n"),
      (path: "grooming/common.rules", text: "@pack common\nrule emoji.kiss sexual 0.3\n  match: kiss\n"),
    ])
    #expect(try EngineClassifier(rules: files).ruleIDs == ["age.how_old", "emoji.kiss", "secrecy.tell"])
  }

  @Test("--rules DIR extends the embedded packs, or replaces them; a flat directory is a grooming/ directory")
  func directory() throws {
    var template = Array("/tmp/childsafe-rules-XXXXXX".utf8CString)
    let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    let root = try #require(made.map { String(cString: $0) })
    defer { _ = system("rm -rf '\(root)'") }
    try FileSystem.writeFile(root + "/mine.rules", Array("@pack en\nrule mine.one secrecy 0.5\n  match: hush\n".utf8))
    try FileSystem.writeFile(root + "/README.txt", Array("notes".utf8))
    let replaced = try RuleSources.load(directory: root, replacingDefaults: true)
    #expect(replaced.files.map(\.path) == ["grooming/mine.rules"])
    let extended = try RuleSources.load(directory: root, replacingDefaults: false)
    #expect(extended.files.count == RuleFiles.embedded.files.count + 1)
    #expect(extended.text(at: "grooming/mine.rules") != nil)
    #expect(throws: ChildSafeError.self) { try RuleSources.load(directory: root + "/missing", replacingDefaults: false) }
  }
}
