import Testing

@testable import ChildSafe

/// List lines that are plain lowercase domains skip host parsing; the result must be exactly what
/// parsing gives, for every line the shortcut takes (and the shortcut must decline anything else).
@Suite("List domains: the plain-name shortcut")
struct ListDomainFastPathTests {
  static let alphabet = Array("ab-_.0x9nZ*é%/".utf8)

  @Test func agreesWithParsingOnEveryShortName() {
    // Every string of up to 4 bytes over an alphabet with the interesting bytes (dots, digits,
    // "0x", "xn", upper case, non-ASCII, '*', '%', '/'), then random longer ones.
    var inputs: [[UInt8]] = [[]]
    var frontier: [[UInt8]] = [[]]
    for _ in 0..<4 {
      frontier = frontier.flatMap { prefix in ListDomainFastPathTests.alphabet.map { prefix + [$0] } }
      inputs += frontier
    }
    var random = SystemRandomNumberGenerator()
    for _ in 0..<20_000 {
      let count = Int.random(in: 5...40, using: &random)
      inputs.append((0..<count).map { _ in ListDomainFastPathTests.alphabet.randomElement(using: &random)! })
    }
    inputs += [
      Array("example.com".utf8), Array("xn--nxasmq6b.com".utf8), Array("a.xn--".utf8), Array("1.2.3.4".utf8),
      Array("host.0x1f".utf8), Array("host.0xg".utf8), Array("under_score.net".utf8), Array(String(repeating: "a", count: 253).utf8),
      Array(String(repeating: "a", count: 254).utf8), Array("a..b".utf8), Array(".a".utf8), Array("a.".utf8),
    ]
    var taken = 0
    for input in inputs {
      guard let plain = ListParser.plainDomain(input[...]) else { continue }
      taken += 1
      #expect(plain == ListParser.parsedDomain(input[...]), "\(String(decoding: input, as: UTF8.self))")
    }
    #expect(taken > 1000)  // the shortcut is taken for ordinary names
    #expect(ListParser.plainDomain(Array("Example.com".utf8)[...]) == nil)
    #expect(ListParser.plainDomain(Array("xn--nxasmq6b.com".utf8)[...]) == nil)
    #expect(ListParser.plainDomain(Array("10.0.0.1".utf8)[...]) == nil)
  }
}

/// A list file's plain-name lines are keyed in one pass, without the parser; every line the pass
/// takes must get the entry the parser gives it, with no warning, under the formats it runs for.
@Suite("List lines: the plain-name line shortcut")
struct ListLineKeyTests {
  static let alphabet = Array("ab-_.0x9nfZ*é/ \t\r#|@!;[".utf8) + [0xEF, 0xBB, 0xBF]

  /// What the parser makes of one line: its entries and whether it warned.
  static func parsed(_ line: [UInt8], format: ListFormat) -> (entries: [ListEntry], warned: Bool) {
    var parser = ListParser(file: "f", declaration: ListDeclaration(list: "l", category: "c", allow: false, format: format))
    var entries: [ListEntry] = []
    parser.parse(line: line[...], 1) { entry, _, _ in entries.append(entry) }
    return (entries, !parser.warnings.isEmpty)
  }

  @Test func agreesWithTheParserOnEveryShortLine() {
    var inputs: [[UInt8]] = [[]]
    var frontier: [[UInt8]] = [[]]
    for _ in 0..<3 {
      frontier = frontier.flatMap { prefix in ListLineKeyTests.alphabet.map { prefix + [$0] } }
      inputs += frontier
    }
    var random = SystemRandomNumberGenerator()
    let nameBytes = Array("abfnx09-_.".utf8)
    for _ in 0..<20_000 {
      // Mostly name bytes (so that many lines are names), now and then any byte of the alphabet.
      let count = Int.random(in: 4...40, using: &random)
      inputs.append((0..<count).map { _ in
        Int.random(in: 0..<8, using: &random) == 0
          ? ListLineKeyTests.alphabet.randomElement(using: &random)! : nameBytes.randomElement(using: &random)!
      })
    }
    inputs += [
      "example.com", "example.com\r", "example.com \t\r", " example.com", "\u{FEFF}example.com", "a.xn--nxasmq6b.com",
      "x.xn-", "1.2.3.4", "a.0x1f", "a.0xg", "deadbeef", "deadbeef.a", "localhost", "a..b", ".a", "a.", "a.b#c", "a.b #c",
      String(repeating: "a", count: 251) + ".b", String(repeating: "a", count: 252) + ".b",
      "a.b" + String(repeating: " ", count: 8190), "a.b" + String(repeating: " ", count: 8189),
    ].map { Array($0.utf8) }
    var taken = 0
    for format in [ListFormat.auto, .domains, .hosts, .adblock, .urls, .hashed] {
      for input in inputs {
        let key = input.withUnsafeBufferPointer { ListParser.plainDomainLineKey($0, format: format) }
        guard let key else { continue }
        taken += 1
        let (entries, warned) = ListLineKeyTests.parsed(input, format: format)
        let line = String(decoding: input, as: UTF8.self)
        #expect(!warned, "\(format) \(line)")
        #expect(entries == [.domainKey(key)], "\(format) \(line)")
      }
    }
    #expect(taken > 3000)  // the shortcut is taken for ordinary names
    for (line, format) in [("example.com", ListFormat.auto), ("example.com\r", .auto), ("localhost", .domains)] {
      #expect(Array(line.utf8).withUnsafeBufferPointer { ListParser.plainDomainLineKey($0, format: format) } != nil, "\(line)")
    }
    for (line, format) in [("localhost", ListFormat.auto), ("deadbeef", .auto), ("example.com", .hosts), ("Example.com", .auto)] {
      #expect(Array(line.utf8).withUnsafeBufferPointer { ListParser.plainDomainLineKey($0, format: format) } == nil, "\(line)")
    }
  }

  /// Files of random lines (names, directives that change the list, category, kind and format,
  /// comments, blanks, CRLF, other formats, bad lines) load to the index and warnings of their text.
  @Test func filesOfMixedLinesLoadAsTheirText() throws {
    let pool = [
      "a.example", "b.example\r", "c.example  ", "sub.a.example", "#! category: gambling", "#! category: none",
      "#! kind: allow", "#! kind: block", "#! list: other", "#! format: domains", "#! format: auto", "#! format: hosts",
      "#! format: hashed", "# comment", "", "\r", "0.0.0.0 h.example", "||ad.example^", "x.example/p/", "deadbeef",
      "Upper.Example", "bücher.example", "bad name!", "1.2.3.4", "localhost", "xn--nxasmq6b.com", "#! bogus: 1",
    ]
    let lists = TemporaryLists()
    var random = SystemRandomNumberGenerator()
    for round in 0..<40 {
      let text = (0..<Int.random(in: 1...60, using: &random)).map { _ in pool.randomElement(using: &random)! }
        .joined(separator: "\n")
      let path = lists.write("list\(round).list", text)
      var streamed = URLListBuilder()
      try streamed.add(file: path, list: "list", category: "adult", blockSize: Int.random(in: 1...64, using: &random))
      var whole = URLListBuilder()
      whole.add(text: text, file: path, list: "list", category: "adult")
      #expect(try streamed.build() == whole.build(), "\(text)")
      #expect(streamed.warnings == whole.warnings, "\(text)")
    }
  }
}

/// URL hosts that are plain lowercase names skip decoding and mapping; the result must be what the
/// full host parser gives, for every host the shortcut takes.
@Suite("URL hosts: the plain-name shortcut")
struct URLHostFastPathTests {
  static let alphabet = Array("ab-_.0x9Z%4é[]:@ \u{7F}".utf8)

  @Test func agreesWithTheFullParserOnEveryShortHost() {
    var inputs: [[UInt8]] = [[]]
    var frontier: [[UInt8]] = [[]]
    for _ in 0..<4 {
      frontier = frontier.flatMap { prefix in URLHostFastPathTests.alphabet.map { prefix + [$0] } }
      inputs += frontier
    }
    var random = SystemRandomNumberGenerator()
    for _ in 0..<20_000 {
      let count = Int.random(in: 5...30, using: &random)
      inputs.append((0..<count).map { _ in URLHostFastPathTests.alphabet.randomElement(using: &random)! })
    }
    inputs += ["example.com", "a.b.", "a.1", "a.1.", "a.0x1f", "a.x1", ".", "..", "1a.b", "b.1a", "xn--nxasmq6b.com"].map { Array($0.utf8) }
    var taken = 0
    for input in inputs {
      guard let plain = URLHost.plainDomain(input[...]) else { continue }
      taken += 1
      let full = Result { () throws(ChildSafeError) -> URLHost in try URLHost.parseInFull(input[...]) }
      #expect((try? full.get()) == .domain(plain), "\(String(decoding: input, as: UTF8.self))")
    }
    #expect(taken > 1000)
    #expect(URLHost.plainDomain(Array("a.1".utf8)[...]) == nil)
    #expect(URLHost.plainDomain(Array("Example.com".utf8)[...]) == nil)
  }
}

/// Most list lines are one name: their format is decided in one pass; it must be the full detection's.
@Suite("List lines: format detection shortcut")
struct ListFormatDetectionTests {
  @Test func agreesWithTheFullDetection() {
    let alphabet = Array("|@ \t/.af09gx:#".utf8)
    var inputs: [[UInt8]] = [[]]
    var frontier: [[UInt8]] = [[]]
    for _ in 0..<4 {
      frontier = frontier.flatMap { prefix in alphabet.map { prefix + [$0] } }
      inputs += frontier
    }
    var random = SystemRandomNumberGenerator()
    for _ in 0..<20_000 {
      inputs.append((0..<Int.random(in: 5...70, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
    }
    inputs += ["0123abcd", "0123abc", "0123abcd/x", "a.example", "a.example/p", "||a^", "@@||a^", "0.0.0.0 a.example", "::1 a"]
      .map { Array($0.utf8) }
    for input in inputs {
      #expect(ListParser.detect(input[...]) == ListParser.detectInFull(input[...]), "\(String(decoding: input, as: UTF8.self))")
    }
  }
}

/// Byte tests of the URL parser written as bit sets and packed numbers; they must be the plain ones.
@Suite("URL parsing: byte-level shortcuts")
struct URLByteShortcutTests {
  @Test func forbiddenOrUppercaseIsBothTests() {
    for b in UInt8.min...UInt8.max {
      #expect(URLHost.isForbiddenOrUppercase(b) == (URLHost.isForbiddenDomainByte(b) || (b >= 0x41 && b <= 0x5A)), "\(b)")
    }
  }

  @Test func wordTestFindsEveryByteAtEveryPosition() {
    var random = SystemRandomNumberGenerator()
    for needle: UInt8 in [0x09, 0x0A, 0x0D, UInt8(ascii: "#")] {
      for _ in 0..<2000 {
        let bytes = (0..<8).map { _ in UInt8.random(in: 0...255, using: &random) }
        let word = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        #expect(URLCanonicalizer.hasByte(word, needle) == bytes.contains(needle), "\(bytes) \(needle)")
      }
      for position in 0..<8 {
        for other in UInt8.min...UInt8.max where other != needle {
          var bytes = [UInt8](repeating: other, count: 8)
          #expect(!URLCanonicalizer.hasByte(bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }, needle))
          bytes[position] = needle
          #expect(URLCanonicalizer.hasByte(bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }, needle))
        }
      }
    }
  }

  @Test func specialSchemesInAnyCase() {
    for scheme in ["http", "https", "ws", "wss", "ftp", "file"] {
      #expect(URLParser.specialScheme(Array(scheme.utf8)[...]) == scheme)
      #expect(URLParser.specialScheme(Array(scheme.uppercased().utf8)[...]) == scheme)
    }
    for name in ["", "h", "htt", "httpss", "htp", "wsss", "fil", "files", "ftps", "http0", "hTTp+", "ftp.", "w", "data", "sw"] {
      #expect(URLParser.specialScheme(Array(name.utf8)[...]) == nil, "\(name)")
    }
  }

  /// The earlier form, over the String's UTF-8 view: after "x" at a label's start the next three
  /// bytes are read whatever they are.
  /// The definition: some dot-separated label begins with "xn--".
  static func hasPunycodeLabelReference(_ host: String) -> Bool {
    host.split(separator: ".", omittingEmptySubsequences: false).contains { $0.hasPrefix("xn--") }
  }

  @Test func punycodeLabelsFoundByDefinition() {
    let alphabet = Array("xn-.a".utf8)
    var inputs: [[UInt8]] = [[]]
    var frontier: [[UInt8]] = [[]]
    for _ in 0..<6 {
      frontier = frontier.flatMap { prefix in alphabet.map { prefix + [$0] } }
      inputs += frontier
    }
    var found = 0
    for input in inputs {
      let host = String(decoding: input, as: UTF8.self)
      let expected = URLByteShortcutTests.hasPunycodeLabelReference(host)
      if expected { found += 1 }
      #expect(HomographCheck.hasPunycodeLabel(host) == expected, "\(host)")
    }
    #expect(found > 20)  // hosts with an "xn--" label were among them
    #expect(HomographCheck.hasPunycodeLabel("a.xn--80ak6aa92e.com"))
    // A one-letter "x" label right before the punycode label once hid it.
    #expect(HomographCheck.hasPunycodeLabel("x.xn--80ak6aa92e.com"))
    #expect(HomographCheck.hasPunycodeLabel("xn.x.xn--80ak6aa92e.com"))
    #expect(!HomographCheck.hasPunycodeLabel("example.com"))
  }
}
