import Testing

@testable import ChildSafe

/// Hostile URLs: very many path segments, escapes, layered escapes and dot segments are either
/// refused at the documented length limit or canonicalised and checked in linear work.
@Suite("Hardening: hostile URLs")
struct URLLimitsTests {
  /// A filter with URL-prefix and hashed entries, so every lookup path runs on each URL.
  static let filter: URLFilter = {
    var builder = URLListBuilder()
    builder.add(
      text: "example.com/a/a/\n#! format: hashed\na8c2d5ea\n", file: "t.list", list: "t.list", category: "adult")
    do {
      return try URLFilter(indexes: [URLIndex(bytes: builder.build())], warnings: [], categories: nil, blockHomographs: true)
    } catch {
      fatalError("\(error)")
    }
  }()

  @Test func hundredThousandPathSegmentsAreRefusedAtTheLengthLimit() {
    let url = "http://example.com" + String(repeating: "/a", count: 100_000)
    #expect {
      try URLCanonicalizer.canonicalize(url)
    } throws: { error in
      let error = error as? ChildSafeError
      return error?.code == .inputTooLarge && error?.message.contains("\(URLCanonicalizer.maximumURLLength)") == true
    }
    // Invalid URLs fail closed unless the caller lets them through.
    let verdict = URLLimitsTests.filter.check(url)
    #expect(verdict.reason == "invalid" && verdict.blocked && verdict.canonical.isEmpty)
    #expect(!URLLimitsTests.filter.check(url, allowInvalid: true).blocked)
  }

  @Test func segmentsUpToTheLimitAreCheckedInLinearWork() throws {
    // 30k segments (60 kB) are under the limit; time per segment must not grow with their number.
    let growth = try Scaling.perUnitGrowth(small: 3_000, large: 30_000) { count in
      let url = "http://example.com" + String(repeating: "/a", count: count) + "/"
      let verdict = URLLimitsTests.filter.check(url)
      #expect(verdict.blocked && verdict.rule == "example.com/a/a/")
      _ = try URLCanonicalizer.canonicalize(url)
    }
    #expect(growth < 3, "time per segment grew \(growth)x from 3k to 30k segments")
  }

  @Test func dotSegmentsCollapseInLinearWork() throws {
    let growth = try Scaling.perUnitGrowth(small: 700, large: 7_000) { count in
      let url = "http://example.com" + String(repeating: "/b/./c/..", count: count) + "/x"
      let path = try URLCanonicalizer.canonicalize(url).path
      #expect(path == String(repeating: "/b", count: count) + "/x")
    }
    #expect(growth < 3, "time per dot segment grew \(growth)x")
  }

  @Test func tenThousandPercentEscapesDecode() throws {
    let url = "http://example.com/" + String(repeating: "%41", count: 10_000)
    let canonical = try URLCanonicalizer.canonicalize(url)
    #expect(canonical.path == "/" + String(repeating: "A", count: 10_000))
    #expect(URLLimitsTests.filter.check(url).reason == "not_listed")
  }

  @Test func layeredEscapesDecodeInLinearWork() throws {
    // "%25" escapes a "%": "%2541" is "%41" is "A" after two rounds. Each unit below needs k rounds;
    // repeated unescaping until nothing changes would cost k passes over the whole input.
    func layered(_ depth: Int) -> String {
      var unit = "A"
      for _ in 0..<depth { unit = unit.replacingAll("%", with: "%25").replacingAll("A", with: "%41") }
      return unit
    }
    let unit = layered(3)  // "%2525252541" style, 6 to 7 bytes
    let growth = try Scaling.perUnitGrowth(small: 900, large: 9_000) { count in
      let url = "http://example.com/" + String(repeating: unit, count: count)
      let path = try URLCanonicalizer.canonicalize(url).path
      #expect(path == "/" + String(repeating: "A", count: count))
    }
    #expect(growth < 3, "time per escape grew \(growth)x")
  }

  @Test func tenThousandEscapesInTheHostAreRefusedClearly() {
    let url = "http://" + String(repeating: "%61", count: 10_000) + ".com/"
    #expect {
      try URLCanonicalizer.canonicalize(url)
    } throws: { error in
      (error as? ChildSafeError)?.code == .inputTooLarge
    }
  }
}

extension String {
  /// Every occurrence of `target` replaced (no Foundation in these tests).
  func replacingAll(_ target: Character, with replacement: String) -> String {
    var out = ""
    for c in self { if c == target { out += replacement } else { out.append(c) } }
    return out
  }
}

/// Regressions found by fuzz-url: canonicalising a canonical URL must give it back with the same
/// host, and the canonical form is printable ASCII.
@Suite("Hardening: canonical URLs are canonical")
struct CanonicalIdempotenceTests {
  /// Delimiters that percent-decoding puts into a host ("%40", "%2F"...) are forbidden host code
  /// points: browsers refuse these URLs, so the filter reports them invalid (and blocks them) rather
  /// than check a host that moved.
  @Test(arguments: ["http://evil%40bank.com/", "http://a%2Fb.com/x", "http://a%3A80/", "http://%5B1%5D.com/", "http://a%3Fb/"])
  func delimitersDecodedIntoAHostAreInvalid(_ input: String) {
    #expect(throws: ChildSafeError.self) { try URLCanonicalizer.canonicalize(input) }
    #expect(URLLimitsTests.filter.check(input).blocked)
  }

  /// `input` canonicalises to `expected`, which canonicalises to itself with the same host.
  func expectCanonicalTwice(_ input: String, _ expected: String) throws {
    let first = try URLCanonicalizer.canonicalize(input)
    #expect(first.description == expected)
    let again = try URLCanonicalizer.canonicalize(first.description)
    #expect(again.description == first.description && again.host == first.host)
  }

  /// UTS #46 maps "％" to "%", and a "%" is forbidden in a host: invalid, as in browsers.
  @Test(arguments: ["http://v68%Γ188.example/", "http://a％31.example/", "http://ab%ΓΓ2e.example/"])
  func percentNextToNonASCIIIsInvalid(_ input: String) {
    #expect(throws: ChildSafeError.self) { try URLCanonicalizer.canonicalize(input) }
  }

  @Test(arguments: [
    ("http://a.example/om/.%3F", "http://a.example/om/?"),
    ("http://a.example/x/..%3Fy", "http://a.example/?y"),
    ("http://a.example/p%3Fq/./r?s", "http://a.example/p?q/./r?s"),
    ("http://a.example/p%3F%2e%2e/x", "http://a.example/p?../x"),
  ])
  func anEscapedQuestionMarkInThePathStartsTheQuery(_ input: String, _ expected: String) throws {
    // Found by fuzz-url: "/om/.%3F" gave "/om/.?", which canonicalised again to "/om/?".
    try expectCanonicalTwice(input, expected)
  }

  @Test func controlBytesInsideBracketsAreInvalid() {
    let bytes = Array("http://[2001:de".utf8) + [0x05, 0x00, 0x80] + Array("b8::1]/x".utf8)
    #expect(throws: ChildSafeError.self) {
      try bytes.withUnsafeBufferPointer { buffer throws(ChildSafeError) in try URLCanonicalizer.canonicalize(utf8: buffer) }
    }
  }
}
