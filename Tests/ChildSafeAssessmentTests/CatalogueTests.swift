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
    let rows = doc.split(separator: "\n").map(String.init)
    let names = [
      "sexualisation": "| sexualisation (", "offline, meeting": "| offline, meeting (",
      "secrecy and isolation": "| secrecy and isolation (", "information gathering": "| information gathering (",
      "control and coercion": "| control and coercion (", "trust building": "| trust building (",
    ]
    let figures = QualityFigures.current
    #expect(doc.contains("after\" is commit \(figures.commit)"))
    for stage in figures.stages {
      let prefix = try #require(names[stage.stage])
      // The first table with these rows is the sealed test split; its "after" cell is "no ages / adult to child".
      let row = try #require(rows.first { $0.hasPrefix(prefix) }, "\(stage.stage)")
      #expect(row.hasPrefix(prefix + "\(stage.turns))"), "\(row)")
      #expect(row.contains("/ " + QualityFigures.percent(stage.recall)), "\(row)")
    }
    for category in Category.builtIn {
      #expect(figures.recall(for: category.name) != nil, "\(category.name) has no measured stage")
    }
  }
}
