import Testing

@testable import ChildSafe

/// The filter checks the host a browser opens, whatever the spelling (WHATWG URL Standard). The
/// embedded sample lists block casino-example.test (gambling).
@Suite("URLs read as browsers read them")
struct BrowserParsingTests {
  let filter = URLFilter.defaults

  func host(_ url: String) throws(ChildSafeError) -> String { try URLCanonicalizer.canonicalize(url).host }

  @Test(arguments: [
    "http://casino-example.test\\@good.com/",  // "\" ends the authority: "@good.com/" is path
    "http:casino-example.test/",  // no slashes
    "http:/\\casino-example.test/",  // one slash, one backslash
    "http:\\\\casino-example.test\\x",  // backslashes only
    "http:////casino-example.test/",  // extra slashes
    "HTTPS:\\/casino-example.test/",
    "ht\ttp://casi\nno-exam\rple.test/",  // tabs and newlines go anywhere
    "\u{0}\u{1F} http://casino-example.test/ \u{1}",  // leading and trailing C0 controls and spaces
    "http://good.com@casino-example.test/",  // userinfo ends at the last "@"
    "http://a@b:c@casino-example.test:8080/x",
    "http://casino-example.test#@good.com/",  // "#" ends the authority
    "http://casino-example.test?@good.com/",
    "http://%63asino%2Dexample.test/",  // percent-encoded host
    "http://CASINO-Example.TEST/",
    "http://ｃａｓｉｎｏ-example.test/",  // full-width letters: UTS #46 maps them to ASCII
    "http://casino-example。test/",  // ideographic full stop
    "http://casino-example.test./",
    "ws://casino-example.test/", "wss://casino-example.test/chat",
    "casino-example.test/page",  // no scheme: http
  ])
  func spellingsOfABlockedHostAreBlocked(url: String) throws {
    #expect(try host(url) == "casino-example.test")
    let verdict = filter.check(url)
    #expect(verdict.blocked && verdict.category == "gambling" && verdict.host == "casino-example.test")
  }

  @Test func theBrowsersHostKeepsItsTrailingDot() throws {
    let url = try URLCanonicalizer.canonicalize("http://casino-example.test./")
    #expect(url.browserHost == "casino-example.test." && url.host == "casino-example.test")
  }

  @Test(arguments: [
    ("http://casino-example.test@good.com/", "good.com"),  // casino-example.test is only the user name
    ("http://casino-example.test%2F@good.com/", "good.com"),
    ("http://good.com\\.casino-example.test/", "good.com"),
  ])
  func userNamesAndPathsAreNotHosts(url: String, expected: String) throws {
    #expect(try host(url) == expected)
    #expect(!filter.check(url).blocked)
  }

  @Test(arguments: [
    "http://0x7f000001/", "http://0177.0.0.1/", "http://127.1/", "http://2130706433/", "http://0x7F.0.0.1/",
    "http://127.0.0.1./", "http://%30x7f.1/", "http://①②⑦.0.0.1/",
  ])
  func ipv4FormsAreOneAddress(url: String) throws {
    let canonical = try URLCanonicalizer.canonicalize(url)
    #expect(canonical.host == "127.0.0.1" && canonical.hostIsIPAddress)
  }

  @Test func ipAddressEntriesBlockEverySpellingOfTheAddress() throws {
    let lists = TemporaryLists()
    lists.write("violence.list", "10.1.2.3\n")
    let filter = try URLFilter(lists: [lists.path("violence.list")], categories: nil, includeDefaults: false)
    for url in ["http://10.1.2.3/", "http://0xa.1.2.3/", "http://10.66051/", "http://012.1.2.3/", "http://167838211/"] {
      #expect(filter.check(url).blocked, "\(url)")
    }
    for url in ["http://[2001:DB8:0:0:0::7]/", "http://[2001:db8:0:0:0:0:0:7]:80/"] {
      #expect(try URLCanonicalizer.canonicalize(url).host == "[2001:db8::7]", "\(url)")
    }
  }

  @Test(arguments: [
    "http://user@/x",  // user name without host
    "http:///",  // no host at all
    "http://casino-example.test:99999/",  // port out of range
    "http://casino-example.test:8o/",  // port not a number
    "http://good.com%2F.casino-example.test/",  // "/" in a host once decoded
    "http://casino%00-example.test/", "http://casino example.test/", "http://casino<example.test/",
    "http://[::1/", "http://[1:2:3:4:5:6:7:8:9]/", "http://[::1::2]/",
    "http://1.2.3.4.5/",
    "http://xn--zca.ß%FF.test/",  // not UTF-8 once decoded
    "view-source:http://casino-example.test/", "javascript:alert(1)", "data:text/html,casino",
  ])
  func unparsableURLsAreInvalidAndBlockedByDefault(url: String) {
    let verdict = filter.check(url)
    #expect(verdict.reason == "invalid" && verdict.blocked && verdict.host == nil && verdict.error != nil)
    let allowed = filter.check(url, allowInvalid: true)
    #expect(allowed.reason == "invalid" && !allowed.blocked)
  }

  @Test(arguments: [("http://casino-example.test:0080/", "casino-example.test"), ("http://x.test:/", "x.test"),
                    ("example.com:8080/x", "example.com"), ("foo://Example.com/x", "example.com")])
  func portsAndOtherSchemes(url: String, expected: String) throws {
    #expect(try host(url) == expected)
  }

  @Test func theLengthLimitIsTheCAPIsLimit() throws {
    // 64 KiB, the same as CS_MAX_URL_BYTES in childsafe.h (checked against the header by Tests/capi).
    #expect(URLCanonicalizer.maximumURLLength == 65536)
    let prefix = "http://a.test/"
    let atLimit = prefix + String(repeating: "p", count: 65536 - prefix.utf8.count)
    #expect(try URLCanonicalizer.canonicalize(atLimit).host == "a.test")
    do {
      _ = try URLCanonicalizer.canonicalize(atLimit + "p")
      Issue.record("a URL over the limit was accepted")
    } catch {
      #expect(error.code == .inputTooLarge && error.message.contains("65536"))
    }
    #expect(filter.check(atLimit + "p").blocked)
  }

  @Test func hostileSpellingsStayLinear() throws {
    // Long runs of what the parser scans for: slashes, "@", "[", dots, percent signs.
    let n = 30_000
    #expect(try host("http:" + String(repeating: "\\/", count: n) + "casino-example.test/") == "casino-example.test")
    #expect(try host("http://" + String(repeating: "@", count: n) + "casino-example.test/") == "casino-example.test")
    #expect(throws: ChildSafeError.self) { try host("http://" + String(repeating: "[", count: n) + "/") }
    #expect(throws: ChildSafeError.self) { try host("http://" + String(repeating: "%25", count: n) + "/") }
  }

  @Test(arguments: [
    "http:\\\\casino-example.test\\a\\..\\b?q#f", "http://u:p@[::FFFF:1.2.3.4]:81/", "http://%e4%be%8b.test/x",
    "wss://0x7f.1/", "file:///etc/hosts", "file://server/share", "http://a..b.test/", "http://a.test/x%5Cy%5c..%5Cz",
    "file://C:/x", "foo://a.test/b\\c",
  ])
  func aCanonicalURLReadAgainIsTheSame(url: String) throws {
    let first = try URLCanonicalizer.canonicalize(url)
    let again = try URLCanonicalizer.canonicalize(first.description)
    #expect(again.description == first.description && again.host == first.host)
  }

  @Test func anEscapedBackslashStaysEscapedInThePath() throws {
    #expect(try URLCanonicalizer.canonicalize("http://a.test/x%5Cy").description == "http://a.test/x%5Cy")
    #expect(try URLCanonicalizer.canonicalize("http://a.test/x\\y").description == "http://a.test/x/y")
  }
}
