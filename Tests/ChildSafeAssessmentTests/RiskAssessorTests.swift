import ChildSafe
import Testing

@testable import ChildSafeAssessment

@Suite struct RiskAssessorTests {
  static func product(_ features: String, parts: String = "age_defaults, classifier, interventions", ages: String = "13-15", assurance: String = "verification", adults: String = "yes") throws -> ProductDescription {
    try ProductParser.parse(
      """
      [product]
      name = P
      ages = \(ages)
      adults = \(adults)
      age_assurance = \(assurance)
      childsafe = \(parts)
      assessed_on = 2026-01-31
      owner = Safety lead
      [features]
      \(features)
      """, file: "p")
  }

  let assessor = RiskAssessor(catalogue: try! RiskCatalogue.embedded())

  @Test func strangerMessagesOnByDefaultIsLooserThanTheBandDefault() throws {
    let register = assessor.assess(try Self.product("stranger_messages = on\nblocking = on\nreporting = on"))
    let keys = register.looser.map { "\($0.feature) \($0.band) \($0.setting) \($0.productValue)>\($0.defaultValue)" }
    #expect(keys == [
      "stranger_messages 13-15 messages_from everyone>connections",
      "stranger_messages 13-15 contact_with_adults allowed>approved_only",
    ])
    // The risk whose protective default was loosened comes first, and names it.
    #expect(register.risks.first?.entry.id == "contact.stranger-grooming")
    #expect(register.risks.first?.looser.isEmpty == false)
    let headings = register.markdown.split(separator: "\n").filter { $0.hasPrefix("## ") }
    #expect(headings.first == "## Defaults looser than ChildSafe's age-band defaults")
  }

  @Test func optInFeatureAtTheDefaultIsNotLooser() throws {
    let register = assessor.assess(try Self.product("stranger_messages = off"))
    #expect(register.looser.isEmpty)
    let grooming = try #require(register.risks.first { $0.entry.id == "contact.stranger-grooming" })
    // Catalogue 4, one lower because it is opt-in; settings in place with verified ages: -2;
    // the classifier's best category (sexual, 56 %) reaches the 50 % floor: -1.
    #expect(grooming.inherent.likelihood == 3)
    #expect(grooming.residual.likelihood == 1)
    // Interventions used with the classifier: severity 5 -> 4 (no blocking or reporting).
    #expect(grooming.residual.severity == 4)
    #expect(grooming.gaps.map(\.name) == ["blocking", "reporting"])
  }

  @Test func weakAgeAssuranceRaisesContactRisksAndHalvesTheSettingsCredit() throws {
    let verified = assessor.assess(try Self.product("stranger_messages = off"))
    let declared = assessor.assess(try Self.product("stranger_messages = off", assurance: "self_declaration"))
    let a = try #require(verified.risks.first { $0.entry.id == "contact.stranger-grooming" })
    let b = try #require(declared.risks.first { $0.entry.id == "contact.stranger-grooming" })
    #expect(b.inherent.likelihood == a.inherent.likelihood + 1)
    // Verified: 3 - 2 (settings) - 1 (classifier), at least 1. Self-declared: 4 - 1 - 1.
    #expect(a.residual.likelihood == 1)
    #expect(b.residual.likelihood == 2)
  }

  @Test func featureInteractionAppliesOnlyWithBothFeatures() throws {
    let one = assessor.assess(try Self.product("stranger_messages = on"))
    let both = assessor.assess(try Self.product("stranger_messages = on\nlocation = on"))
    #expect(!one.risks.contains { $0.entry.id == "interaction.strangers-location" })
    let risk = try #require(both.risks.first { $0.entry.id == "interaction.strangers-location" })
    #expect(risk.entry.isInteraction)
    #expect(risk.looser.contains { $0.setting == "geolocation_sharing" })
  }

  @Test func missingProtectiveFeatureIsARisk() throws {
    let without = assessor.assess(try Self.product("stranger_messages = on"))
    let with = assessor.assess(try Self.product("stranger_messages = on\nreporting = on"))
    #expect(without.risks.contains { $0.entry.id == "societal.no-reporting" })
    #expect(!with.risks.contains { $0.entry.id == "societal.no-reporting" })
    #expect(with.notApplicable.contains { $0.id == "societal.no-reporting" })
  }

  @Test func withoutChildSafeEveryMitigationIsAGapWithAnAction() throws {
    let register = assessor.assess(try Self.product("image_sharing = on", parts: "none"))
    let images = try #require(register.risks.first { $0.entry.id == "content.unsolicited-sexual-images" })
    #expect(images.mitigations.allSatisfy { !$0.inPlace })
    #expect(images.residual == images.inherent)
    #expect(images.actions.allSatisfy { $0.owner == "Safety lead" })
    #expect(images.actions.contains { $0.action == "Use ChildSafe's classifier (category sexual)" })
    // A residual of 10 or more: actions due in a month, reassessment in at most 6 months.
    #expect(images.actions.first?.due.description == "2026-02-28")
    #expect(register.reassessOn.description == "2026-07-31")
  }

  @Test func everyAreaIsCoveredByTheBuiltInCatalogue() throws {
    let catalogue = try RiskCatalogue.embedded()
    #expect(Set(catalogue.entries.map(\.area)) == Set(RiskArea.allCases))
    #expect(catalogue.entries.contains { $0.isInteraction })
    for entry in catalogue.entries {
      #expect(!entry.sources.isEmpty, "\(entry.id)")
    }
  }

  @Test func registerJSONCarriesScoresAndMethodology() throws {
    let register = assessor.assess(try Self.product("stranger_messages = on\nblocking = on\nreporting = on"))
    let json = register.json
    let first = try #require(json["risks"]?.arrayValue?.first)
    #expect(first["id"]?.stringValue == "contact.stranger-grooming")
    #expect(first["inherent"]?["score"]?.intValue == register.risks[0].inherent.value)
    #expect(json["methodology"]?["quality"]?["commit"]?.stringValue == QualityFigures.current.commit)
    #expect(json["looser_than_defaults"]?.arrayValue?.count == 2)
  }

  @Test func htmlIsSelfContainedAndEscaped() throws {
    var product = try Self.product("stranger_messages = on")
    product.name = "<script>alert(1)</script> & co"
    let html = assessor.assess(product).html
    #expect(!html.contains("<script"))
    #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"))
    #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("src="))
  }
}
