import Testing

@testable import ChildSafe

@Suite("Family policy to interventions")
struct PolicyInterventionsTests {
  @Test func childHelplinesLocaleAndCountryReachTheInterventionConfiguration() throws {
    let policy = try parsePolicy(
      """
      [family]
      locale = en-GB
      country = GB
      child_helpline = Childline | 0800 1111 | https://www.childline.org.uk
      adult_helpline = Stop It Now | 0808 1000 900 | https://www.stopitnow.org.uk
      [child Ana]
      age = 12
      locale = es
      country = ES
      child_helpline = ANAR | 900 20 20 10
      """)
    let ana = try policy.effectiveSettings(forChild: "Ana")
    let configuration = ana.interventionConfiguration()
    #expect(configuration.locale == "es")
    #expect(configuration.country == "ES")
    #expect(configuration.signposts[.children] == Signpost(name: "ANAR", phone: "900 20 20 10"))
    #expect(configuration.signposts[.deterrence]?.url == "https://www.stopitnow.org.uk")
    #expect(configuration.signposts[.parents] == nil)
  }

  @Test func noPolicyValuesKeepTheBase() throws {
    let policy = try parsePolicy("[child Ana]\nage = 12\n")
    let base = InterventionConfiguration(locale: "fr", country: "FR")
    let configuration = try policy.effectiveSettings(forChild: "Ana").interventionConfiguration(base: base)
    #expect(configuration == base)
  }
}

extension PolicyInterventionsTests {
  @Test func familyWideConfigurationForServicesThatDoNotKnowTheChild() throws {
    let policy = try parsePolicy(
      "[family]\nlocale = de\ncountry = DE\nparent_helpline = Elterntelefon | 0800 111 0 550\nparent_helpline = Second | 0800 222\n")
    let configuration = policy.interventionConfiguration()
    #expect(configuration.locale == "de" && configuration.country == "DE")
    #expect(configuration.signposts == [.parents: Signpost(name: "Elterntelefon", phone: "0800 111 0 550")])
  }
}
