import Testing

@testable import ChildSafe

/// `skipValue(depth:)` must accept exactly the documents `parseValue(depth:)` accepts and stop
/// where it stops: a reader that skips the members it does not want must not let through a line
/// the parser would reject (nor reject one it accepts).
@Suite("JSON skipping")
struct JSONSkippingTests {
  /// Whether the parser and the skipper agree on `text`: both fail, or both succeed and end at
  /// the same byte.
  static func agree(_ text: String, maximumDepth: Int = 64) -> Bool {
    var copy = text
    return copy.withUTF8 { bytes in
      var parser = JSONParser(bytes: bytes, file: "<t>", maximumDepth: maximumDepth)
      var skipper = parser
      let parsed = (try? parser.parseValue(depth: 0)) != nil
      let skipped = (try? skipper.skipValue(depth: 0)) != nil
      return parsed == skipped && (!parsed || parser.position == skipper.position)
    }
  }

  @Test(arguments: [
    "null", "true", "false", "0", "-0", "12", "-12.5e3", "1E+2", "0.000001", "1e308", "\"\"", "\"plain\"",
    #""esc \" \\ \/ \b \f \n \r \t \u00e9 \ud83d\ude00""#, "[]", "{}", "[1, [2, [3]], {\"a\": [true, null]}]",
    #"{"a": 1, "a": 2, "": {"b": []}}"#, "\"é€😀\"", "  [ 1 , 2 ]  ", "123abc", "[1]x",
    // Rejected by both.
    "", "nul", "tru", "fals", "-", "1.", ".5", "1e", "1e+", "01x", "\"unterminated", "\"bad \\x escape\"",
    "\"\\u12\"", "\"\\uZZZZ\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud83d\\u0041\"", "\"\\ud83dx\"", "\"ctl \u{01}\"",
    "[1,]", "[1 2]", "{\"a\" 1}", "{\"a\":}", "{1: 2}", "{\"a\": 1,}", "[", "{", "1e999", "-1e999",
    "[1e400]", "{\"k\": 1E309}",
  ])
  func skippingAcceptsWhatParsingAccepts(text: String) {
    #expect(Self.agree(text), "\(text)")
  }

  @Test func longNumbersWithoutAnExponentAreCheckedForRange() {
    #expect(Self.agree(String(repeating: "9", count: 308)))
    #expect(Self.agree(String(repeating: "9", count: 309)))  // about 1e309: out of range for both
    #expect(Self.agree("0." + String(repeating: "0", count: 400) + "1"))
    #expect(Self.agree("-" + String(repeating: "1", count: 320) + ".5"))
  }

  @Test func nestingIsLimitedAtTheSameDepth() {
    for depth in [1, 2, 3, 4, 5] {
      let arrays = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
      let objects = String(repeating: "{\"a\":", count: depth) + "1" + String(repeating: "}", count: depth)
      #expect(Self.agree(arrays, maximumDepth: 3), "\(depth) arrays")
      #expect(Self.agree(objects, maximumDepth: 3), "\(depth) objects")
    }
  }

  @Test func stringsThatAreNotUTF8AreRejectedByBoth() {
    for bytes: [UInt8] in [[0x22, 0xFF, 0x22], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0x5C, 0x6E, 0xC3, 0x22]] {
      bytes.withUnsafeBufferPointer { buffer in
        var parser = JSONParser(bytes: buffer, file: "<t>", maximumDepth: 64)
        var skipper = parser
        #expect((try? parser.parseValue(depth: 0)) == nil)
        #expect((try? skipper.skipValue(depth: 0)) == nil)
      }
    }
  }

  /// Random documents built from valid and broken pieces.
  @Test(arguments: 0..<3)
  func randomDocumentsAgree(seed: UInt64) {
    var random = DifferentialNormalizerTests.SplitMix64(state: seed)
    let pieces = [
      "{", "}", "[", "]", ",", ":", "\"k\"", "\"v\\n\"", "\"\\u00e9\"", "\"\\ud83d\\ude00\"", "\"\\ud83d\"", "1", "-2.5",
      "3e2", "1e999", "true", "null", " ", "\"a\\\"b\"", "\"\\q\"", "0.", "é",
    ]
    for _ in 0..<2_000 {
      var text = ""
      for _ in 0..<random.below(12) { text += pieces[random.below(pieces.count)] }
      #expect(Self.agree(text, maximumDepth: 4), "\(text)")
    }
  }

  /// `stringMember` answers what `parse(...)["name"]?.stringValue` answers, with the same error
  /// message when the document is malformed (how `childsafe url --jsonl` reads its lines).
  @Test(arguments: [
    "{\"url\": \"http://a.example/\"}", "{\"id\": 1, \"url\": \"x\", \"url\": \"y\"}", "{\"url\": 5}",
    "{\"url\": null, \"x\": [1]}", "{\"other\": \"x\"}", "{}", "[\"url\", \"x\"]", "\"url\"", "12",
    "{\"url\": \"\\u00e9\\n\", \"tail\": {\"a\": [true]}}", "{\"u\\u0072l\": \"escaped key\"}",
    "{\"url\": \"a\"} x", "{\"url\": \"a\",}", "{\"url\" \"a\"}", "{\"url\": \"a\"", "",
    "{\"a\": {\"b\": {\"c\": 1}}, \"url\": \"deep\"}"
  ])
  func stringMemberMatchesTheTree(text: String) {
    var copy = text
    copy.withUTF8 { bytes in
      let limits = JSONValue.ParseLimits(maximumDepth: 2)
      let tree = Result { () throws(ChildSafeError) in try JSONValue.parse(bytes: bytes, limits: limits)["url"]?.stringValue }
      let member = Result { () throws(ChildSafeError) in try JSONValue.stringMember("url", of: bytes, limits: limits) }
      switch (tree, member) {
      case (.success(let a), .success(let b)): #expect(a == b, "\(text)")
      case (.failure(let a), .failure(let b)): #expect(a.message == b.message, "\(text)")
      default: Issue.record("\(text): \(tree) against \(member)")
      }
    }
  }

  /// Keys compare as the tree's keys do: as Strings (canonical equivalence), whether they are
  /// written plainly, with escapes or decomposed.
  @Test func stringMemberComparesKeysAsStrings() throws {
    for (text, name) in [
      ("{\"caf\\u00e9\": \"a\"}", "café"), ("{\"cafe\u{301}\": \"b\"}", "café"), ("{\"café\": \"c\"}", "cafe\u{301}"),
      ("{\"url\": \"d\"}", "URL"), ("{\"u\\u0072l\": \"e\"}", "url"),
    ] {
      var copy = text
      let (tree, member) = try copy.withUTF8 { bytes in
        (try JSONValue.parse(bytes: bytes)[name]?.stringValue, try JSONValue.stringMember(name, of: bytes))
      }
      #expect(tree == member, "\(text) \(name)")
      #expect((member == nil) == (name == "URL"), "\(text) \(name)")  // only the case differs there
    }
  }
}

