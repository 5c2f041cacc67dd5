import ChildSafe
import Testing

@testable import ChildSafeAssessment

@Suite struct TransparencyReportTests {
  static func counts() -> TransparencyCounts {
    var counts = TransparencyCounts(period: "2026-12", granularity: .month)
    counts.messagesChecked = 1234
    counts.messagesFlagged = 31
    counts.flaggedByCategory = ["secrecy": 22, "meeting": 9, "sexual": 1]
    counts.flaggedByRisk = ["high": 30, "critical": 1]
    counts.conversationsEscalated = 10
    counts.interventions = ["sender": ["deterrence": 4]]
    counts.ageBands = ["13-15": 1200, "10-12": 34, "6-9": 0]
    return counts
  }

  let report = TransparencyReport(service: "Chat", counts: counts(), methodology: .of(.embedded))

  @Test func smallCountsAreSuppressedInEveryFormat() throws {
    #expect(report.published(9) == nil && report.published(1) == nil)
    #expect(report.published(0) == 0 && report.published(10) == 10)
    let json = report.json
    #expect(json["suppressed_below"]?.intValue == 10)
    #expect(json["flagged_by_category"]?["secrecy"]?.intValue == 22)
    #expect(json["flagged_by_category"]?["meeting"]?.isNull == true)
    #expect(json["flagged_by_category"]?["sexual"]?.isNull == true)
    #expect(json["interventions"]?["sender/deterrence"]?.isNull == true)
    #expect(json["totals"]?["conversations_escalated"]?.intValue == 10)
    #expect(json["age_bands"]?["6-9"]?.intValue == 0)
    for text in [report.markdown, report.html, json.serialized()] {
      #expect(!text.contains("| 9 |") && !text.contains(">9<") && !text.contains("\"meeting\":9"))
    }
    #expect(report.markdown.contains("| meeting | fewer than 10 |"))
    #expect(report.html.contains("<td>meeting</td><td class=\"num\">fewer than 10</td>"))
  }

  @Test func thresholdCannotBeLoweredBelowTheDocumentedOne() {
    let lower = TransparencyReport(service: "x", counts: Self.counts(), methodology: .of(.embedded), suppressionThreshold: 2)
    #expect(lower.suppressionThreshold == 10)
    let higher = TransparencyReport(service: "x", counts: Self.counts(), methodology: .of(.embedded), suppressionThreshold: 25)
    #expect(higher.published(22) == nil)
  }

  @Test func methodologyNamesPacksWithChecksumsAndQuality() throws {
    let methodology = report.methodology
    #expect(methodology.rulePacks.contains { $0.name == "grooming/en.rules" && $0.sha256.count == 64 })
    #expect(methodology.rulePacks.contains { $0.name == "lexicons" })
    #expect(!methodology.rulePacks.contains { $0.name == "family.policy" })
    // A changed rule file changes its pack's checksum and no other.
    var files = RuleFiles.embedded.files
    let i = try #require(files.firstIndex { $0.path == "grooming/en.rules" })
    files[i].text += "\n"
    let changed = TransparencyMethodology.of(RuleFiles(files: files))
    for (a, b) in zip(methodology.rulePacks, changed.rulePacks) {
      #expect((a.sha256 == b.sha256) == (a.name != "grooming/en.rules"))
    }
    #expect(report.json["methodology"]?["quality"]?["commit"]?.stringValue == QualityFigures.current.commit)
    #expect(report.markdown.contains("### Known limits"))
  }

  @Test func htmlIsSelfContained() {
    var counts = Self.counts()
    counts.flaggedByCategory["<b>custom</b>"] = 50
    let html = TransparencyReport(service: "A & B", counts: counts, methodology: .of(.embedded)).html
    #expect(html.contains("&lt;b&gt;custom&lt;/b&gt;") && html.contains("A &amp; B"))
    #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("href=\"http"))
  }
}
