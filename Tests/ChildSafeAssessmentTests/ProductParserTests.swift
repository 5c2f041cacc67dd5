import ChildSafe
import Testing

@testable import ChildSafeAssessment

@Suite struct ProductParserTests {
  let valid = """
    [product]
    name = Test
    ages = 13-17
    age_assurance = estimation
    childsafe = classifier, age_defaults
    assessed_on = 2026-01-31

    [features]
    stranger_messages = on
    stranger_messages@13-15 = off
    reporting = on
    """

  @Test func readsFeaturesPerBand() throws {
    let product = try ProductParser.parse(valid, file: "p.product")
    #expect(product.bands == [.earlyTeens, .approachingAdulthood])
    #expect(product.isOn(.strangerMessages, for: .approachingAdulthood))
    #expect(!product.isOn(.strangerMessages, for: .earlyTeens))
    #expect(product.has(.strangerMessages) && !product.has(.location))
    #expect(product.ageAssurance == .estimation)
    #expect(product.childSafeParts == [.classifier, .ageDefaults])
    #expect(product.reassessMonths == 12)
  }

  @Test func misspeltFeatureGetsLocationAndSuggestion() {
    let text = valid.replacing("reporting = on", with: "reportng = on")
    let errors = ProductParser.lint(text, file: "p.product")
    #expect(errors.count == 1)
    #expect(errors.first?.description.hasPrefix("p.product:11:1: error: unknown feature 'reportng'; did you mean 'reporting'?") == true)
  }

  @Test func reportsEveryErrorWithItsColumn() {
    let text = """
      [product]
      name = X
      ages = 13-19
      age_asurance = none
      childsafe = clasifier
      assessed_on = 2026-02-30
      [feature]
      location = maybe
      """
    let messages = ProductParser.lint(text, file: "f").map(\.description)
    #expect(messages.contains { $0.hasPrefix("f:3:8: error: ages:") })
    #expect(messages.contains { $0.hasPrefix("f:4:1: error: unknown product key 'age_asurance'; did you mean 'age_assurance'?") })
    #expect(messages.contains { $0.hasPrefix("f:5:13: error: childsafe: unknown part 'clasifier'; did you mean 'classifier'?") })
    #expect(messages.contains { $0.hasPrefix("f:6:15: error: assessed_on:") })
    #expect(messages.contains { $0.hasPrefix("f:7:2: error: unknown section '[feature]'") && $0.contains("did you mean 'features'?") })
    #expect(messages.contains { $0.hasPrefix("f:1:1: error: missing 'age_assurance'") })
  }

  @Test func bandLineForABandNotServedIsAnError() {
    let text = valid + "\nlocation@6-9 = on\n"
    let errors = ProductParser.lint(text, file: "p")
    #expect(errors.map(\.message) == ["location@6-9: the product does not serve 6-9 (ages = 13-15, 16-17)"])
  }

  @Test func duplicateFeatureLineIsAnError() {
    let errors = ProductParser.lint(valid + "\nREPORTING = off\n", file: "p")
    #expect(errors.first?.message == "'REPORTING' is set twice")
  }

  @Test func samplesInExamplesParse() throws {
    for name in ["teen-chat", "kids-game"] {
      let product = try ProductDescription.load(path: TestFiles.root + "/Examples/assessment/\(name).product")
      #expect(!product.features.isEmpty)
    }
  }
}

enum TestFiles {
  /// The repository root, found from this file's path.
  static var root: String {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/")
  }
}
