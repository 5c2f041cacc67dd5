import ChildSafe
import Testing

@testable import ChildSafeAssessment

@Suite struct CatalogueTests {
  @Test func embeddedCopyMatchesRulesAssessment() throws {
    let onDisk = try RuleFiles.load(directory: TestFiles.root + "/Rules").files.filter {
      $0.path.hasPrefix("assessment/") && $0.path.hasSuffix(".risks")
    }
    #expect(onDisk.map(\.path) == EmbeddedCatalogue.files.map(\.path), "run scripts/embed-assessment")
    for (disk, embedded) in zip(onDisk, EmbeddedCatalogue.files) {
      #expect(disk.text == embedded.text, "\(disk.path) differs from the built-in copy: run scripts/embed-assessment")
    }
  }

  @Test func errorsPointAtTheValueAndSuggest() {
    let text = """
      [risk x.one]
      area = contakt
      title = T
      harm = H
      likelihood = 6
      severity = 2
      settings = mesages_from
      classifier = sexual, grooming
      sources = S
      """
    let messages: [String]
    do {
      _ = try RiskCatalogue.parse(files: [("c.risks", text)])
      messages = []
    } catch {
      messages = [error.description]
    }
    #expect(messages == ["c.risks:2:8: error: area: unknown area 'contakt'; did you mean 'contact'? (known: content, contact, conduct, contract, excessive_use, societal)"])
    var all: [ChildSafeError] = []
    _ = CatalogueParser.read(files: [("c.risks", text)], errors: &all)
    let described = all.map(\.description)
    #expect(described.contains { $0.hasPrefix("c.risks:5:14: error: likelihood: expected a whole number from 1 to 5") })
    #expect(described.contains { $0.hasPrefix("c.risks:7:12: error: settings: unknown setting 'mesages_from'; did you mean 'messages_from'?") })
    #expect(described.contains { $0.hasPrefix("c.risks:8:22: error: classifier: unknown classifier category 'grooming'") })
  }

  @Test func duplicateIdsAcrossFilesAreRejected() throws {
    let entry = "[risk a]\narea = content\ntitle = T\nharm = H\nlikelihood = 1\nseverity = 1\nsources = S\n"
    #expect(throws: ChildSafeError.self) { try RiskCatalogue.parse(files: [("1.risks", entry), ("2.risks", entry)]) }
    let extra = try RiskCatalogue.parse(files: [("mine.risks", entry.replacing("[risk a]", with: "[risk org.extra]"))])
    let combined = try RiskCatalogue.embedded().adding(extra)
    #expect(combined.entries.last?.id == "org.extra")
  }
}

@Suite struct QualityFiguresTests {
  /// The figures built in must be the ones docs/quality.md publishes, row by row.
  @Test func figuresMatchDocsQuality() throws {
    let doc = try FileSystem.readText(TestFiles.root + "/docs/quality.md")
    let figures = QualityFigures.current
    // The section that publishes them, up to the next heading of its level.
    let start = try #require(doc.firstRange(of: "## The default engine today\n"))
    let rest = doc[start.upperBound...]
    let section = String(rest[..<(rest.firstRange(of: "\n## ")?.lowerBound ?? rest.endIndex)])
    let rows = section.split(separator: "\n").map(String.init)
    #expect(section.contains("\"current\" is commit \(figures.commit)"))
    for stage in figures.stages {
      #expect(rows.contains("| \(stage.stage) | \(stage.turns) | \(QualityFigures.percent(stage.recall)) |"), "\(stage.stage)")
    }
    for conversation in figures.conversations {
      let row = "| \(conversation.name) | \(QualityFigures.percent(conversation.recall)) | \(QualityFigures.percent(conversation.falseAlarms)) |"
      #expect(rows.contains(row), "\(conversation.name)")
    }
    for benign in figures.benignFlagged {
      #expect(rows.contains("| \(benign.name) | \(QualityFigures.percent(benign.rate)) |"), "\(benign.name)")
    }
    #expect(rows.count { $0.hasPrefix("| ") && !$0.hasPrefix("| ---") } == 3 + figures.stages.count + figures.conversations.count + figures.benignFlagged.count)
    for category in Category.builtIn {
      #expect(figures.recall(for: category.name) != nil, "\(category.name) has no measured stage")
    }
  }
}
