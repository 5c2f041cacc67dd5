import Testing

@testable import ChildSafe

/// A band's blocked categories are the URL filter's enabled categories, with the same names.
@Suite("Band categories in the URL filter")
struct BandCategoriesURLFilterTests {
  func filter(for band: AgeBand) throws -> URLFilter {
    try URLFilter(categories: Set(AgeDefaults.blockedCategories(for: band)))
  }

  @Test func teenBandBlocksTheSampleAdultAndWeaponsLists() throws {
    let teen = try filter(for: .earlyTeens)
    #expect(teen.check("http://adult-example.test/").blocked)
    #expect(teen.check("http://adult-example.test/").category == "adult")
    #expect(teen.check("http://weapon-store-example.test/").blocked)
  }

  @Test func adultsGetNoCategoryBlocks() throws {
    let adult = try filter(for: .adult)
    #expect(!adult.check("http://adult-example.test/").blocked)
  }

  @Test func everySampleListCategoryIsAKnownCategory() {
    // The URL filter's sample categories (other than the always-on "abuse") are names the bands use.
    let known = Set(AgeDefaults.categories)
    for file in RuleFiles.embedded.under("urls/") where file.path.hasSuffix(".list") {
      let name = String(file.path.dropFirst("urls/".count).dropLast(".list".count))
      if name == "allow" || name == "hashed-test" { continue }
      #expect(known.contains(name), "\(name)")
    }
  }
}
