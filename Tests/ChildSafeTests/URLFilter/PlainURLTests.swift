import Testing

@testable import ChildSafe

/// Common URLs (`http(s)://` and a plain lowercase host) are canonicalised in one pass; the result
/// must be exactly the general path's for every URL the pass takes, and the pass must decline the rest.
@Suite("URL canonicalisation: the common-form shortcut")
struct PlainURLTests {
  /// Random URL-like strings: heads that are and are not the common form's, then pieces with the
  /// bytes that matter (dots, digits, "/.", "%", "@", ":", "\\", blanks, upper case, non-ASCII, quotes).
  static func randomURLs(_ count: Int) -> [String] {
    let heads = ["http://", "https://", "HTTP://", "http:/", "https:///", "ftp://", "http://a@", "ws://", "http:\\\\", " http://", ""]
    let pieces = [
      "a", "b", "z", "x", "n", "0", "9", "-", "_", ".", "..", "/", "//", "/.", "/..", "?", "#", "%", "%2e", "%3F", "%41",
      "@", ":", ":80", "\\", "Z", " ", "\t", "&", "=", "[", "]", "é", "xn--", "0x", "1.2.3.4", "example.com", "~", "'", "\"",
      "a.example", "xn--80ak6aa92e.com",
    ]
    let hostPieces = ["a", "b", "z", "x", "n", "0", "9", "-", ".", "xn--", "example.com", "a.example", "/", "?"]
    var random = SystemRandomNumberGenerator()
    return (0..<count).map { _ in
      var text = heads.randomElement(using: &random)!
      // A host-like start most of the time, so that the shortcut is taken often enough to be tested.
      for _ in 0..<Int.random(in: 0...4, using: &random) { text += hostPieces.randomElement(using: &random)! }
      for _ in 0..<Int.random(in: 0...8, using: &random) { text += pieces.randomElement(using: &random)! }
      return text
    }
  }

  /// The WPT URL inputs, and hosts of its IDNA data in URLs.
  static func wptInputs() throws -> [String] {
    var inputs: [String] = []
    for entry in try WPTConformanceTests.cases("urltestdata.json") {
      if let input = entry["input"]?.stringValue { inputs.append(input) }
    }
    for file in ["toascii.json"] {
      for entry in try WPTConformanceTests.cases(file) {
        guard let host = entry["input"]?.stringValue else { continue }
        inputs += ["http://" + host + "/", "https://" + host + "/a?b", "http://" + host]
      }
    }
    return inputs
  }

  /// The shortcut's result and the general path's for `input`, as the canonicaliser calls them.
  static func bothWays(_ input: [UInt8]) -> (common: (url: CanonicalURL, isInput: Bool)?, general: CanonicalURL?) {
    input.withUnsafeBufferPointer { buffer in
      let common = PlainURL.parse(buffer).map { ($0.canonical(buffer), $0.isCanonical) }
      let general = try? URLCanonicalizer.canonicalizeNotingInput(utf8: buffer, commonForm: false).url
      return (common, general)
    }
  }

  /// Checks one input; returns whether the shortcut took it.
  @discardableResult
  static func check(_ input: [UInt8]) -> Bool {
    let text = String(decoding: input, as: UTF8.self)
    let (common, general) = bothWays(input)
    // Through the public entry point (which trims and drops tabs first) the result is the general one.
    let viaEntry = try? URLCanonicalizer.canonicalize(text)
    #expect(viaEntry == general, "\(text)")
    guard let common else { return false }
    #expect(common.url == general, "\(text)")
    #expect(common.isInput == (general?.description == text), "\(text)")
    #expect(common.url.browserHost == general?.browserHost, "\(text)")
    return true
  }

  @Test func agreesWithTheGeneralPathOnRandomURLs() {
    var taken = 0
    for text in PlainURLTests.randomURLs(30_000) where PlainURLTests.check(Array(text.utf8)) {
      taken += 1
    }
    #expect(taken > 500)  // the shortcut is exercised, not only declined
  }

  @Test func takesCommonURLsAndDeclinesTheRest() {
    for text in [
      "http://example.com/", "https://www.example.co.uk/a/b.html?x=1&y=2", "http://example.com", "https://a.b?q",
      "http://xn--nxasmq6b.com/", "https://cdn.a7f0d760lr.net/", "http://1a.b2/c", "https://a-b.c/d?e?f/..//",
    ] {
      #expect(PlainURLTests.check(Array(text.utf8)), "\(text)")
    }
    for text in [
      "http://Example.com/", "HTTP://example.com/", "http://example.com./", "http://.example.com/", "http://a..b/",
      "http://1.2.3.4/", "http://a.0x1f/", "http://a.b:80/", "http://u@a.b/", "http://a.b/%41", "http://a.b/./c",
      "http://a.b//c", "http://a.b/c\\d", "http://a.b/c d", "http://a.b/?q%20", "http://a_b.c/", "http://a.b/é",
      "http:///a.b/", "ftp://a.b/", "http://a", "http://a.b/?q#",
    ] {
      #expect(!PlainURLTests.check(Array(text.utf8)), "\(text)")
    }
  }

  @Test(.enabled(if: WPTConformanceTests.present, "../shared/conformance/wpt-url/ is absent: shortcut not checked on it"))
  func agreesWithTheGeneralPathOnWPTInputs() throws {
    var taken = 0
    for input in try PlainURLTests.wptInputs() where PlainURLTests.check(Array(input.utf8)) {
      taken += 1
    }
    #expect(taken > 50)  // 73 of its inputs have the common form
  }

  /// Filters of domain entries only (where `url --jsonl` takes the common form's verdict line), with
  /// and without homograph blocking and enabled categories.
  static func filters() throws -> (lists: TemporaryLists, filters: [URLFilter]) {
    let lists = TemporaryLists()
    let adult = lists.write("adult.list", "a.example\nb.a.example\nxn--80ak6aa92e.com\nexample.com\nz\n")
    let allow = lists.write("allow.list", "#! kind: allow\nok.a.example\n")
    let gambling = lists.write("gambling.list", "#! category: gambling\nab.example\n")
    var filters: [URLFilter] = []
    for categories in [nil, Set(["gambling"])] as [Set<String>?] {
      for homographs in [true, false] {
        filters.append(
          try URLFilter(lists: [adult, allow, gambling], categories: categories, includeDefaults: false, blockHomographs: homographs))
      }
    }
    return (lists, filters)
  }

  /// The verdict line written from the URL's bytes is the verdict's JSON.
  static func checkVerdictLines(_ urls: [String]) throws {
    let (lists, filters) = try PlainURLTests.filters()
    _ = lists
    VerdictLineChecks.expectVerdictJSON(of: filters, for: urls)
  }

  @Test func verdictLinesAgreeOnRandomURLs() throws {
    var urls = PlainURLTests.randomURLs(5_000)
    for host in ["a.example", "b.a.example", "ok.a.example", "x.ok.a.example", "ab.example", "xn--80ak6aa92e.com", "example.com", "y.z"] {
      for rest in ["", "/", "/p\"q", "?x", "/a/b?c=d"] { urls += ["http://" + host + rest, "https://www." + host + rest] }
    }
    try PlainURLTests.checkVerdictLines(urls)
  }

  /// Bytes that are not UTF-8 are no URL: an `invalid` verdict saying where, never a verdict on a
  /// repaired string.
  @Test func invalidUTF8BytesAreAnInvalidVerdict() throws {
    let (lists, filters) = try PlainURLTests.filters()
    _ = lists
    let inputs: [[UInt8]] = [
      Array("http://a.example/".utf8) + [0xFF], Array("http://a.exa".utf8) + [0xC3] + Array("mple/".utf8), [0x80],
    ]
    for filter in filters {
      for input in inputs {
        for allowInvalid in [false, true] {
          var out: [UInt8] = []
          input.withUnsafeBufferPointer { filter.appendVerdictJSON(utf8: $0, allowInvalid: allowInvalid, to: &out) }
          let verdict = try JSONValue.parse(String(decoding: out, as: UTF8.self))
          #expect(verdict["reason"] == .string("invalid"))
          #expect(verdict["blocked"] == .bool(!allowInvalid))
          guard case .string(let error) = verdict["error"] else {
            Issue.record("no error: \(verdict)")
            continue
          }
          #expect(error.contains("not valid UTF-8"))
        }
      }
    }
  }

  @Test(.enabled(if: WPTConformanceTests.present, "../shared/conformance/wpt-url/ is absent: verdict lines not checked on it"))
  func verdictLinesAgreeOnWPTInputs() throws {
    try PlainURLTests.checkVerdictLines(try PlainURLTests.wptInputs())
  }
}
