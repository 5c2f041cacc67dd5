import Testing

@testable import ChildSafe

@Suite("URL canonicalisation (Safe Browsing v4)")
struct CanonicalizationTests {
  func canonical(_ url: String) throws(ChildSafeError) -> String { try URLCanonicalizer.canonicalize(url).description }

  func canonical(bytes: [UInt8]) throws -> String {
    try bytes.withUnsafeBufferPointer { try URLCanonicalizer.canonicalize(utf8: $0) }.description
  }

  /// The example table published with the v4 "URLs and hashing" specification, in full.
  static let specTable: [(String, String)] = [
    ("http://host/%25%32%35", "http://host/%25"),
    ("http://host/%25%32%35%25%32%35", "http://host/%25%25"),
    ("http://host/%2525252525252525", "http://host/%25"),
    ("http://host/asdf%25%32%35asd", "http://host/asdf%25asd"),
    ("http://host/%%%25%32%35asd%%", "http://host/%25%25%25asd%25%25"),
    ("http://www.google.com/", "http://www.google.com/"),
    (
      "http://%31%36%38%2e%31%38%38%2e%39%39%2e%32%36/%2E%73%65%63%75%72%65/%77%77%77%2E%65%62%61%79%2E%63%6F%6D/",
      "http://168.188.99.26/.secure/www.ebay.com/"
    ),
    (
      "http://195.127.0.11/uploads/%20%20%20%20/.verify/.eBaysecure=updateuserdataxplimnbqmn-xplmvalidateinfoswqpcmlx=hgplmcx/",
      "http://195.127.0.11/uploads/%20%20%20%20/.verify/.eBaysecure=updateuserdataxplimnbqmn-xplmvalidateinfoswqpcmlx=hgplmcx/"
    ),
    // ("http://host%23.com/...", "http://host%23.com/...") and the three "leadingspace.com" rows hold
    // a "#" or a space in the host, which browsers refuse: see specRowsBrowsersRefuse.
    ("http://3279880203/blah", "http://195.127.0.11/blah"),
    ("http://www.google.com/blah/..", "http://www.google.com/"),
    ("www.google.com/", "http://www.google.com/"),
    ("www.google.com", "http://www.google.com/"),
    ("http://www.evil.com/blah#frag", "http://www.evil.com/blah"),
    ("http://www.GOOgle.com/", "http://www.google.com/"),
    ("http://www.google.com.../", "http://www.google.com/"),
    ("http://www.google.com/foo\tbar\rbaz\n2", "http://www.google.com/foobarbaz2"),
    ("http://www.google.com/q?", "http://www.google.com/q?"),
    ("http://www.google.com/q?r?", "http://www.google.com/q?r?"),
    ("http://www.google.com/q?r?s", "http://www.google.com/q?r?s"),
    ("http://evil.com/foo#bar#baz", "http://evil.com/foo"),
    ("http://evil.com/foo;", "http://evil.com/foo;"),
    ("http://evil.com/foo?bar;", "http://evil.com/foo?bar;"),
    // ("http://\x01\x80.com/", "http://%01%80.com/") holds a byte that is not UTF-8: see the next test.
    ("http://notrailingslash.com", "http://notrailingslash.com/"),
    ("http://www.gotaport.com:1234/", "http://www.gotaport.com/"),
    ("  http://www.google.com/  ", "http://www.google.com/"),
    ("https://www.securesite.com/", "https://www.securesite.com/"),
    ("http://host.com/ab%23cd", "http://host.com/ab%23cd"),
    ("http://host.com//twoslashes?more//slashes", "http://host.com/twoslashes?more//slashes"),
  ]

  @Test(arguments: specTable)
  func specExampleTable(input: String, expected: String) throws {
    #expect(try canonical(input) == expected)
  }

  /// Rows of the table whose host a browser refuses (the URL Standard forbids "#", space and C0
  /// controls in hosts, and needs UTF-8): the filter reports them invalid rather than check a host no
  /// browser opens, and the filter blocks invalid URLs by default.
  @Test(arguments: [
    "http://host%23.com/%257Ea%2521b%2540c%2523d%2524e%25f%255E00%252611%252A22%252833%252944_55%252B",
    "http:// leadingspace.com/", "http://%20leadingspace.com/", "%20leadingspace.com/",
  ])
  func specRowsBrowsersRefuse(input: String) {
    #expect(throws: ChildSafeError.self) { try canonical(input) }
    #expect(URLFilter.defaults.check(input).blocked)
  }

  @Test func specExampleWithRawNonUTF8BytesIsRefusedAsBrowsersDo() {
    #expect(throws: ChildSafeError.self) { try canonical(bytes: Array("http://".utf8) + [0x01, 0x80] + Array(".com/".utf8)) }
    #expect(throws: ChildSafeError.self) { try canonical(bytes: Array("http://".utf8) + [0x80] + Array(".com/".utf8)) }
  }

  @Test(arguments: [
    ("http://0x12.0x43.0x44.0x01/", "http://18.67.68.1/"),
    ("http://012.034.01.055/", "http://10.28.1.45/"),
    ("http://0x7f.1/", "http://127.0.0.1/"),
    ("http://127.1/", "http://127.0.0.1/"),
    ("http://10.0.258/", "http://10.0.1.2/"),
    ("http://0xb02067cd/", "http://176.32.103.205/"),
    ("http://017700000001/", "http://127.0.0.1/"),
    ("http://1.2.3.4./", "http://1.2.3.4/"),
    ("http://%31%32%37%2E0.0.1/", "http://127.0.0.1/"),
    ("http://0x/", "http://0.0.0.0/"),
    ("http://1.2.3.0x4/", "http://1.2.3.4/"),
  ])
  func ipv4InEveryLegalForm(input: String, expected: String) throws {
    #expect(try canonical(input) == expected)
  }

  /// A host whose last label is a number must be an IPv4 address, or browsers refuse the URL.
  @Test(arguments: [
    "http://1.2.3.4.5/", "http://256.1.1.1/", "http://4294967296/", "http://08.1.1.1/", "http://www.0xb02067cd/",
    "http://example.123/", "http://1.2.3.09/", "http://999999999999999999999/",
  ])
  func hostsEndingInANumberMustBeIPv4(input: String) {
    #expect(throws: ChildSafeError.self) { try canonical(input) }
  }

  @Test(arguments: [
    // Userinfo and port go; the scheme is lowercased.
    ("HTTP://user:pass@Example.COM:8080/a", "http://example.com/a"),
    ("http://a@b@example.com/", "http://example.com/"),
    // Dot segments and slashes in the path, not in the query.
    ("http://go.co/a/b/../c", "http://go.co/a/c"),
    ("http://go.co/a/./b/", "http://go.co/a/b/"),
    ("http://go.co/../../x", "http://go.co/x"),
    ("http://go.co/a/%2E%2E/b", "http://go.co/b"),
    ("http://go.co/a?b/../c//d", "http://go.co/a?b/../c//d"),
    // Uppercase hex on re-escaping; '#' from an escape survives as %23.
    ("http://go.co/%e2%82%ac", "http://go.co/%E2%82%AC"),
    ("http://go.co/a%2523b", "http://go.co/a%23b"),
    // IDN hosts become Punycode (UTS #46), including ideographic full stops and case.
    ("http://www.ümlat.com/", "http://www.xn--mlat-zra.com/"),
    ("http://BÜCHER.example/", "http://xn--bcher-kva.example/"),
    ("http://пример。рф/", "http://xn--e1afmkfd.xn--p1ai/"),
    ("http://faß.de/", "http://xn--fa-hia.de/"),
    // Bracketed IPv6 is serialised as browsers do.
    ("http://[2001:DB8::1]:443/", "http://[2001:db8::1]/"),
    ("http://[2001:db8:0:0:0:0:0:1]/", "http://[2001:db8::1]/"),
    ("http://[::ffff:192.168.0.1]/", "http://[::ffff:c0a8:1]/"),
  ])
  func choicesWhereTheSpecIsSilent(input: String, expected: String) throws {
    #expect(try canonical(input) == expected)
  }

  @Test func invalidURLsGiveClearErrors() {
    #expect(throws: ChildSafeError.self) { try canonical("") }
    #expect(throws: ChildSafeError.self) { try canonical("http://user@/path") }
    #expect(throws: ChildSafeError.self) { try canonical("http://:80/path") }
    #expect(throws: ChildSafeError.self) { try canonical("http://.../") }
    do {
      _ = try canonical("http://example.com/" + String(repeating: "a", count: 70_000))
      Issue.record("an over-long URL was accepted")
    } catch {
      #expect(error.code == .inputTooLarge)
      #expect(error.message.contains("65536"))
    }
  }

  @Test func repeatedUnescapingOfLongInputTerminates() throws {
    // 20,000 nested "%25" layers: a naive loop would be quadratic; the result is still one "%".
    let url = "http://host/%" + String(repeating: "25", count: 20_000)
    #expect(try canonical(url) == "http://host/%25")
  }

  @Test func unescapeEqualsRepeatedSinglePasses() {
    // Reference: unescape one pass at a time until nothing changes.
    func onePass(_ s: [UInt8]) -> [UInt8] {
      var out: [UInt8] = []
      var i = 0
      while i < s.count {
        if s[i] == 0x25, i + 2 < s.count, let h = URLCanonicalizer.hexValue(s[i + 1]), let l = URLCanonicalizer.hexValue(s[i + 2]) {
          out.append(h << 4 | l)
          i += 3
        } else {
          out.append(s[i])
          i += 1
        }
      }
      return out
    }
    var rng = SystemRandomNumberGenerator()
    let alphabet = Array("%253241aF".utf8)
    for _ in 0..<2000 {
      let input = (0..<Int.random(in: 0...12, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
      var reference = input
      while true {
        let next = onePass(reference)
        if next == reference { break }
        reference = next
      }
      #expect(URLCanonicalizer.unescape(input[...]) == reference, "\(String(decoding: input, as: UTF8.self))")
    }
  }
}

@Suite("Lookup expressions")
struct LookupExpressionTests {
  func expressions(_ url: String) throws -> Set<String> {
    Set(LookupExpressions.expressions(try URLCanonicalizer.canonicalize(url)))
  }

  @Test func specExamples() throws {
    #expect(
      try expressions("http://a.b.c/1/2.html?param=1") == [
        "a.b.c/1/2.html?param=1", "a.b.c/1/2.html", "a.b.c/", "a.b.c/1/",
        "b.c/1/2.html?param=1", "b.c/1/2.html", "b.c/", "b.c/1/",
      ])
    #expect(
      try expressions("http://a.b.c.d.e.f.g/1.html") == [
        "a.b.c.d.e.f.g/1.html", "a.b.c.d.e.f.g/", "c.d.e.f.g/1.html", "c.d.e.f.g/", "d.e.f.g/1.html", "d.e.f.g/",
        "e.f.g/1.html", "e.f.g/", "f.g/1.html", "f.g/",
      ])
    #expect(try expressions("http://1.2.3.4/1/") == ["1.2.3.4/1/", "1.2.3.4/"])
  }

  @Test func atMostFourPathPrefixesFromTheRoot() throws {
    let url = try URLCanonicalizer.canonicalize("http://a.b/1/2/3/4/5/6.html?x")
    #expect(LookupExpressions.paths(url) == ["/1/2/3/4/5/6.html?x", "/1/2/3/4/5/6.html", "/", "/1/", "/1/2/", "/1/2/3/"])
    #expect(LookupExpressions.hosts(url) == ["a.b"])
  }
}

@Suite("URL filter on hostile input")
struct HostileURLTests {
  @Test func manySegmentsAndDotDotsResolve() throws {
    let url = "http://a.example/" + String(repeating: "s/", count: 12_000) + String(repeating: "../", count: 12_000) + "end"
    #expect(try URLCanonicalizer.canonicalize(url).description == "http://a.example/end")
  }

  @Test func manySegmentsAgainstURLPrefixListsStillGetAVerdict() throws {
    let lists = TemporaryLists()
    lists.write("violence.list", "a.example/s/s/x/\n")
    let filter = try URLFilter(lists: [lists.path("violence.list")], categories: nil, includeDefaults: false)
    let deep = "http://a.b.c.d.e.f.a.example/" + String(repeating: "s/", count: 15_000) + "%2525" + String(repeating: "%41", count: 5_000)
    let v = filter.check(deep)
    #expect(v.reason == "not_listed")
    #expect(filter.check("http://www.a.example/s/s/x/y").blocked)
  }

  @Test func overLongListLinesAreReportedAndSkipped() throws {
    let lists = TemporaryLists()
    lists.write("adult.list", String(repeating: "a", count: 9000) + ".example\nok.example\n")
    let filter = try URLFilter(lists: [lists.path("adult.list")], categories: nil, includeDefaults: false)
    #expect(filter.warnings.count == 1 && filter.warnings[0].location?.line == 1)
    #expect(filter.check("http://ok.example/").blocked)
  }
}
