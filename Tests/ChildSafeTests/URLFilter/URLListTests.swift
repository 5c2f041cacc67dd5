import Testing

@testable import ChildSafe

@Suite("URL lists: formats, semantics, categories")
struct URLListTests {
  func filter(_ lists: TemporaryLists, _ paths: [String], categories: Set<String>? = nil) throws -> URLFilter {
    try URLFilter(lists: paths.map { lists.path($0) }, categories: categories, includeDefaults: false)
  }

  @Test func everyFormatIsDetected() throws {
    let lists = TemporaryLists()
    lists.write(
      "mixed.list",
      """
      # a comment
      ! an adblock comment
      [Adblock Plus 2.0]

      plain.example
      0.0.0.0 hosts-one.example hosts-two.example # trailing comment
      127.0.0.1 localhost
      ||adblock.example^
      @@||allowed.adblock.example^
      prefix.example/dir/
      \(sha256Hex("hashed.example/"))
      """)
    let f = try filter(lists, ["mixed.list"])
    #expect(f.warnings.isEmpty, "\(f.warnings)")
    for url in [
      "http://plain.example/", "http://www.plain.example/x", "http://hosts-one.example/", "http://hosts-two.example/",
      "http://adblock.example/", "http://a.b.adblock.example/", "http://prefix.example/dir/page",
      "http://hashed.example/any/page",
    ] {
      #expect(f.check(url).blocked, "\(url)")
    }
    for url in ["http://localhost/", "http://allowed.adblock.example/", "http://prefix.example/other", "http://example/"] {
      #expect(!f.check(url).blocked, "\(url)")
    }
    #expect(f.check("http://allowed.adblock.example/").reason == "allowlist")
  }

  @Test func badLinesAreReportedWithFileAndLineAndDoNotFailTheLoad() throws {
    let lists = TemporaryLists()
    let path = lists.write(
      "bad.list",
      """
      good.example
      bad domain with spaces.example
      ||rule.example^$third-party
      #! colour: blue
      also-good.example
      """)
    let f = try filter(lists, ["bad.list"])
    #expect(f.warnings.count == 3)
    #expect(f.warnings.map { $0.location?.line } == [2, 3, 4])
    #expect(f.warnings.allSatisfy { $0.location?.file == path })
    #expect(f.warnings[0].description.hasPrefix("\(path):2:1: error: expected a domain name"))
    #expect(f.check("http://good.example/").blocked)
    #expect(f.check("http://also-good.example/").blocked)
    #expect(!f.check("http://rule.example/").blocked)
  }

  @Test func declaredFormatOverridesDetection() throws {
    let lists = TemporaryLists()
    // Declared hashed: an 8-hex-digit line is a 4-byte prefix, never a domain.
    let prefix = String(sha256Hex("short.example/").prefix(8))
    lists.write("h.list", "#! format: hashed\n\(prefix)\nnot-hex.example\n")
    let f = try filter(lists, ["h.list"])
    #expect(f.check("http://short.example/").reason == "hashed")
    #expect(f.check("http://short.example/").rule == "sha256:" + prefix)
    #expect(f.warnings.count == 1 && f.warnings[0].location?.line == 3)
  }

  @Test func domainEntriesCoverSubdomainsButNotLookalikes() throws {
    let lists = TemporaryLists()
    lists.write("adult.list", "bad.example\n")
    let f = try filter(lists, ["adult.list"])
    #expect(f.check("http://bad.example/").blocked)
    #expect(f.check("https://deep.sub.bad.example:8443/a?b").blocked)
    #expect(f.check("http://BAD.EXAMPLE./").blocked)
    #expect(!f.check("http://notbad.example/").blocked)
    #expect(!f.check("http://bad.example.org/").blocked)
    let v = f.check("http://www.bad.example/")
    #expect(v.category == "adult" && v.list == "adult.list" && v.rule == "bad.example" && v.reason == "blocklist")
  }

  @Test func allowedParentWithBlockedChild() throws {
    let lists = TemporaryLists()
    lists.write("allow.list", "site.example\n")
    lists.write("adult.list", "bad.site.example\n")
    let f = try filter(lists, ["allow.list", "adult.list"])
    #expect(!f.check("http://site.example/").blocked)
    #expect(!f.check("http://www.site.example/").blocked)
    #expect(f.check("http://bad.site.example/").blocked)
    #expect(f.check("http://x.bad.site.example/").blocked)
  }

  @Test func blockedParentWithAllowedChild() throws {
    let lists = TemporaryLists()
    lists.write("adult.list", "site.example\n")
    lists.write("allow.list", "kids.site.example\n")
    let f = try filter(lists, ["adult.list", "allow.list"])
    #expect(f.check("http://site.example/").blocked)
    #expect(f.check("http://other.site.example/").blocked)
    let v = f.check("http://kids.site.example/page")
    #expect(!v.blocked && v.reason == "allowlist" && v.rule == "kids.site.example" && v.list == "allow.list")
  }

  @Test func allowBeatsBlockAtEqualSpecificityInEitherLoadOrder() throws {
    let lists = TemporaryLists()
    lists.write("adult.list", "same.example\n")
    lists.write("allow.list", "same.example\n")
    for order in [["adult.list", "allow.list"], ["allow.list", "adult.list"]] {
      #expect(!(try filter(lists, order)).check("http://same.example/").blocked)
    }
  }

  @Test func urlPrefixesMatchAtSegmentBoundariesAndBeatDomains() throws {
    let lists = TemporaryLists()
    lists.write("violence.list", "videos.example/graphic\nvideos.example/watch?v=bad\n")
    lists.write("allow.list", "videos.example\n")
    let f = try filter(lists, ["violence.list", "allow.list"])
    #expect(f.check("http://videos.example/graphic").blocked)
    #expect(f.check("http://videos.example/graphic/clip?x=1").blocked)
    #expect(f.check("http://www.videos.example/graphic/").blocked)
    #expect(!f.check("http://videos.example/graphical").blocked)
    #expect(f.check("http://videos.example/watch?v=bad").blocked)
    #expect(!f.check("http://videos.example/watch?v=good").blocked)
    #expect(f.check("http://videos.example/graphic/a").rule == "videos.example/graphic")
    // The reverse: a blocked domain with an allowed path.
    lists.write("adult.list", "forum.example\n")
    lists.write("allow2.list", "#! kind: allow\nforum.example/help/\n")
    let g = try filter(lists, ["adult.list", "allow2.list"])
    #expect(g.check("http://forum.example/threads").blocked)
    #expect(!g.check("http://forum.example/help/page").blocked)
  }

  @Test func categoriesCanBeEnabled() throws {
    let lists = TemporaryLists()
    lists.write("adult.list", "a.example\n")
    lists.write("gambling.list", "g.example\n")
    lists.write("misc.list", "#! category: dating\nd.example\n")
    let f = try filter(lists, ["adult.list", "gambling.list", "misc.list"], categories: ["gambling", "Dating"])
    #expect(!f.check("http://a.example/").blocked)
    #expect(f.check("http://g.example/").blocked)
    #expect(f.check("http://d.example/").category == "dating")
    let all = try filter(lists, ["adult.list", "gambling.list", "misc.list"])
    #expect(all.availableCategories == ["adult", "gambling", "dating"])
    #expect(all.check("http://a.example/").blocked)
  }

  @Test func ut1DirectoriesUseTheirDirectoryAsCategory() throws {
    let lists = TemporaryLists()
    lists.write("blacklists/adult/domains", "ut1-adult.example\n")
    lists.write("blacklists/adult/urls", "mixed.example/adult/\n")
    lists.write("blacklists/adult/expressions", "(porn|sex)\n")
    lists.write("blacklists/gambling/domains", "ut1-casino.example\n")
    lists.write("blacklists/README", "not a list\n")
    let f = try filter(lists, ["blacklists"])
    let v = f.check("http://www.ut1-adult.example/")
    #expect(v.blocked && v.category == "adult" && v.list == "blacklists/adult/domains")
    #expect(f.check("http://mixed.example/adult/x").category == "adult")
    #expect(!f.check("http://mixed.example/").blocked)
    #expect(f.check("http://ut1-casino.example/").category == "gambling")
    #expect(f.warnings.count == 1 && f.warnings[0].message.contains("regular-expression"))
  }

  @Test func hashedListsMatchLookupExpressionsAndNameOnlyTheHash() throws {
    let lists = TemporaryLists()
    let full = sha256Hex("evil.example/private/page.html")
    lists.write("abuse.list", "#! format: hashed\n\(full)\n")
    let f = try filter(lists, ["abuse.list"], categories: ["adult"])
    let v = f.check("https://www.evil.example/private/page.html?session=1#top")
    #expect(v.blocked && v.reason == "hashed" && v.category == "abuse")  // "abuse" is always on
    #expect(v.rule == "sha256:" + full.prefix(16))
    #expect(!(v.rule ?? "").contains("evil"))
    #expect(!f.check("http://evil.example/private/other.html").blocked)
  }

  @Test func unicodeListEntriesMatchPunycodeURLs() throws {
    let lists = TemporaryLists()
    lists.write("adult.list", "bücher.example\n")
    let f = try filter(lists, ["adult.list"])
    #expect(f.check("http://xn--bcher-kva.example/").blocked)
    #expect(f.check("http://www.BÜCHER.example/").blocked)
  }

  @Test func embeddedDefaultsWork() {
    let f = URLFilter.defaults
    #expect(f.warnings.isEmpty, "\(f.warnings)")
    #expect(f.check("http://www.adult-example.test/").category == "adult")
    #expect(f.check("http://casino-example.test/").category == "gambling")
    #expect(!f.check("http://help.selfharm-forum-example.test/").blocked)
    #expect(f.check("http://selfharm-forum-example.test/").blocked)
    #expect(f.check("http://hashed-block.test/x").reason == "hashed")
    #expect(!f.check("http://www.wikipedia.org/").blocked)
    #expect(f.availableCategories.isSuperset(of: ["adult", "gambling", "violence", "drugs", "weapons", "self-harm", "dating", "proxies"]))
  }

  @Test func invalidURLsAreBlockedUnlessAllowed() {
    let v = URLFilter.defaults.check("http://user@/nohost")
    #expect(v.blocked && v.reason == "invalid" && v.error != nil && v.host == nil)
    #expect(v.jsonMembers.map(\.0) == ["canonical", "host", "blocked", "category", "list", "rule", "reason", "error"])
    let allowed = URLFilter.defaults.check("http://user@/nohost", allowInvalid: true)
    #expect(!allowed.blocked && allowed.reason == "invalid" && allowed.error == v.error)
    // A listed URL is judged by its list whatever allowInvalid says.
    #expect(URLFilter.defaults.check("http://casino-example.test/", allowInvalid: true).blocked)
  }
}

@Suite("Homographs")
struct HomographTests {
  let filter = URLFilter.defaults

  @Test(arguments: [
    "http://аррӏе.com/",  // whole-script Cyrillic look-alike of "apple"
    "http://xn--80ak6aa92e.com/",  // the same in Punycode
    "http://paypaӏ.com/",  // Latin with one Cyrillic letter
    "http://gοοgle.com/",  // Latin with Greek omicrons
    "http://www.аррӏе.com/login",
    "http://x.xn--80ak6aa92e.com/",  // behind a one-letter "x" label (once missed)
    "http://x.аррӏе.com/",
  ])
  func spoofedHostsAreFlagged(url: String) {
    let v = filter.check(url)
    #expect(v.blocked && v.reason == "homograph", "\(url)")
  }

  @Test(arguments: [
    "http://пример.рф/",  // Cyrillic under .рф
    "http://президент.рф/",
    "http://παράδειγμα.ελ/",  // Greek under .ελ
    "http://пример.com/",  // Cyrillic that does not look Latin
    "http://例え.jp/",  // Han + Hiragana is allowed by "highly restrictive"
    "http://bücher.de/",
    "http://example.com/",
  ])
  func legitimateNamesAreNotFlagged(url: String) {
    let v = filter.check(url)
    #expect(!v.blocked && v.reason == "not_listed", "\(url)")
  }

  @Test func homographBlockingCanBeTurnedOff() throws {
    let f = try URLFilter(lists: [], categories: nil, includeDefaults: true, blockHomographs: false)
    #expect(!f.check("http://аррӏе.com/").blocked)
  }
}
