import Foundation
import Testing

@testable import ChildSafe

/// List files are parsed while they are read in blocks, and the index is built in one allocation:
/// the result must be the index (and the warnings, with file:line:column) that parsing the whole
/// text gives, wherever the block boundaries fall.
@Suite("URL lists: streaming load")
struct ListStreamingTests {
  /// Every line kind: domains, hosts lines, adblock block and allow rules, URL prefixes, directives
  /// (list, category, kind, format), duplicates, malformed lines, CRLF, a byte order mark, a line
  /// over the length limit, non-ASCII names, no final newline.
  static let mixedList =
    "\u{FEFF}# comment\r\nexample.com\nexample.com\n  spaced.example  \r\n0.0.0.0 hosts-a.example hosts-b.example\n"
    + "||adblock.example^\n@@||ok.adblock.example^\n||opts.example^$third-party\nprefix.example/some/path/\n"
    + "bad domain!\n#! list: second\n#! category: gambling\nbücher.example\n" + String(repeating: "x", count: 9000)
    + ".example\n#! kind: allow\nallowed.example\n#! kind: nonsense\n#! format: hashed\n"
    + sha256Hex("hashed.example/") + "\n" + String(sha256Hex("p.example/").prefix(10)) + "\nnot-hex\n#! format: bogus\n"
    + "#! format: domains\n*.wild.example\nhttp://\n1.2.3.4\nlast.example"

  func streamed(_ path: String, list: String, category: String?, blockSize: Int) throws -> URLListBuilder {
    var builder = URLListBuilder()
    try builder.add(file: path, list: list, category: category, blockSize: blockSize)
    return builder
  }

  func whole(_ text: String, file: String, list: String, category: String?) -> URLListBuilder {
    var builder = URLListBuilder()
    builder.add(text: text, file: file, list: list, category: category)
    return builder
  }

  @Test func streamedFileGivesTheIndexAndWarningsOfTheWholeText() throws {
    let lists = TemporaryLists()
    let path = lists.write("adult.list", ListStreamingTests.mixedList)
    let expected = whole(ListStreamingTests.mixedList, file: path, list: "adult.list", category: "adult")
    #expect(expected.entryCount > 10)
    #expect(expected.warnings.count >= 6)
    for blockSize in [1, 2, 3, 7, 64, 4096, 1 << 16] {
      let builder = try streamed(path, list: "adult.list", category: "adult", blockSize: blockSize)
      #expect(try builder.build() == expected.build(), "block size \(blockSize)")
      #expect(builder.warnings == expected.warnings, "block size \(blockSize)")
      #expect(builder.entryCount == expected.entryCount)
    }
  }

  @Test func allowlistsAndHashedListsStreamAsTheirTextDoes() throws {
    let lists = TemporaryLists()
    let allow = "ok.example\nsub.ok.example\n"
    let hashed = "#! format: hashed\n\(sha256Hex("h.example/"))\n\(sha256Hex("q.example/a/").prefix(16))\n"
    let allowPath = lists.write("allow.list", allow)
    let hashedPath = lists.write("abuse.list", hashed)
    var streamedBuilder = URLListBuilder()
    try streamedBuilder.add(path: allowPath)
    try streamedBuilder.add(path: hashedPath)
    var wholeBuilder = URLListBuilder()
    wholeBuilder.add(text: allow, file: allowPath, list: "allow.list", category: "allow")
    wholeBuilder.add(text: hashed, file: hashedPath, list: "abuse.list", category: "abuse")
    #expect(try streamedBuilder.build() == wholeBuilder.build())
    let filter = try URLFilter(lists: [allowPath, hashedPath], categories: nil, includeDefaults: false)
    #expect(filter.check("http://sub.ok.example/").reason == "allowlist")
    #expect(filter.check("http://h.example/x").reason == "hashed")
    #expect(filter.check("http://q.example/a/b").blocked)
  }

  @Test func aFileThatIsNotUTF8AddsNothing() throws {
    let lists = TemporaryLists()
    let good = lists.write("adult.list", "a.example\nb.example\n")
    // New names (list, category) and entries come before the bad byte, in a later block.
    let badPath = lists.path("bad.list")
    var bad = Array("#! list: other\n#! category: gambling\nc.example\nd.example/path/\n".utf8)
    bad += [0x65, 0xC3, 0x28, 0x0A] + Array("e.example\n".utf8)
    try FileSystem.writeFile(badPath, bad)
    var reference = URLListBuilder()
    try reference.add(path: good)
    for blockSize in [1, 5, 1 << 16] {
      var builder = URLListBuilder()
      try builder.add(path: good)
      do {
        try builder.add(file: badPath, list: "bad.list", category: "bad", blockSize: blockSize)
        Issue.record("a file with invalid UTF-8 was accepted")
      } catch {
        #expect(error.code == .invalidUTF8)
        #expect(error.message == "\(badPath) is not valid UTF-8")
      }
      #expect(try builder.build() == reference.build(), "block size \(blockSize)")
      #expect(builder.entryCount == reference.entryCount)
      #expect(builder.warnings == reference.warnings)
      // The builder is still usable: a later list gets the next name ids.
      builder.add(text: "f.example\n", file: "more", list: "more", category: "more")
      reference.add(text: "f.example\n", file: "more", list: "more", category: "more")
      #expect(try builder.build() == reference.build())
      reference = URLListBuilder()
      try reference.add(path: good)
    }
  }

  @Test func linesAreValidExactlyWhenTheFileIs() throws {
    let lists = TemporaryLists()
    let path = lists.path("random.list")
    var random = SystemRandomNumberGenerator()
    let alphabet: [UInt8] = [0x0A, 0x61, 0x2E, 0x80, 0xBF, 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0xED, 0xA0, 0xFF]
    for _ in 0..<300 {
      let bytes = (0..<Int.random(in: 0...24, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
      try FileSystem.writeFile(path, bytes)
      var lines = try ListFileLines(path: path, blockSize: 3)
      defer { lines.closeFile() }
      var valid = true
      do { while try lines.next() != nil {} } catch { valid = false }
      #expect(valid == (String(validating: bytes, as: UTF8.self) != nil), "\(bytes)")
    }
  }

  @Test func indexBuiltInPlaceIsTheSerialisedIndex() throws {
    var builder = whole(ListStreamingTests.mixedList, file: "adult.list", list: "adult.list", category: "adult")
    let bytes = try builder.build()
    let count = builder.entryCount
    let index = try builder.buildIndex()
    #expect(Array(UnsafeRawBufferPointer(start: index.storage.base, count: index.storage.count)) == bytes)
    // What is built is not checked again when loaded; it passes the checks any index file gets.
    #expect(try URLIndex(bytes: bytes).domains.count == index.domains.count)
    #expect(builder.entryCount == count)
    #expect(builder.domainEntries.isEmpty && builder.hashedEntries.isEmpty)  // released
    let empty = try URLListBuilder().build()
    #expect(try URLIndex(bytes: empty).domains.count == 0)
  }

  @Test func bucketSortGivesTheSortedOrder() {
    var random = SystemRandomNumberGenerator()
    for count in [0, 1, 2, 5, 100, 3000] {
      for bits in [1, 4, URLIndex.bucketBits(for: count)] {
        // Random keys, repeated keys with other metadata, and a crowd in one bucket (keys made to collide).
        var entries = (0..<count).map { _ in IndexEntry(key: UInt64.random(in: 0...UInt64.max, using: &random), meta: UInt32.random(in: 0...3, using: &random)) }
        for i in stride(from: 0, to: count, by: 7) { entries.append(IndexEntry(key: entries[i].key, meta: UInt32.random(in: 0...3, using: &random))) }
        for i in 0..<(count / 3) { entries.append(IndexEntry(key: UInt64(i % 40) << 20, meta: UInt32(i % 5))) }
        let n = entries.count
        var keys = [UInt64](repeating: 0, count: max(n, 1))
        var metas = [UInt32](repeating: 0, count: max(n, 1))
        var buckets = [UInt32](repeating: 0, count: (1 << bits) + 1)
        entries.withUnsafeBufferPointer { e in
          keys.withUnsafeMutableBufferPointer { k in
            metas.withUnsafeMutableBufferPointer { m in
              buckets.withUnsafeMutableBufferPointer { b in
                URLIndex.sortEntries(e, keys: k.baseAddress!, metas: m.baseAddress!, buckets: b.baseAddress!, bucketBits: bits)
              }
            }
          }
        }
        let sorted = (0..<n).map { IndexEntry(key: keys[$0], meta: metas[$0]) }
        #expect(sorted == entries.sorted(), "\(count) entries, \(bits) bits")
        // The directory: bucket b's entries are those whose key's top bits are b.
        #expect(buckets[0] == 0 && Int(buckets[1 << bits]) == n)
        var below = 0
        for b in 0..<(1 << bits) {
          while below < n && Int(sorted[below].key >> UInt64(64 - bits)) < b { below += 1 }
          #expect(Int(buckets[b]) == below, "bucket \(b) of \(bits) bits, \(count) entries")
        }
      }
    }
  }

  @Test func aMissingFileIsAnErrorAndAddsNothing() throws {
    var builder = URLListBuilder()
    #expect(throws: ChildSafeError.self) { try builder.add(path: "/nonexistent/childsafe/list.txt") }
    #expect(builder.entryCount == 0)
  }
}

/// `url --jsonl` writes verdicts without building JSON values; the bytes must be the same.
@Suite("URL verdict JSON")
struct URLVerdictJSONTests {
  @Test func appendedJSONIsTheSerialisedObject() throws {
    let lists = TemporaryLists()
    let path = lists.write("adult.list", "a.example\nb.example/path/\n")
    let allow = lists.write("allow.list", "ok.a.example\n")
    let filter = try URLFilter(lists: [path, allow], categories: nil, includeDefaults: false)
    let urls = [
      "http://a.example/", "https://x.ok.a.example/q?x=\"y\"", "http://b.example/path/z", "http://none.example/\\u{1}",
      "mailto:x@y", "", "http://[::1]/", "http://xn--80ak6aa92e.com/", "http://é.example/\u{7F}\t", "{\"url\":1}",
      // Canonical as given, with bytes to escape; longer than the stack buffer before and after escaping.
      "http://a.example/\"q\\", "http://a.example/" + String(repeating: "x", count: 2000),
      "http://none.example/" + String(repeating: "\"", count: 600),
    ]
    for url in urls {
      for allowInvalid in [false, true] {
        let verdict = filter.check(url, allowInvalid: allowInvalid)
        var bytes: [UInt8] = [0x41]
        verdict.appendJSON(url: url, to: &bytes)
        let expected = JSONValue.object([("url", .string(url))] + verdict.jsonMembers).serialized()
        #expect(bytes == [0x41] + Array(expected.utf8), "\(url)")
      }
    }
  }

  /// `url --jsonl` writes through `URLFilter.appendVerdictJSON`, which makes no verdict for lists
  /// of domains only; its bytes must be those of the verdict's JSON, for every kind of filter.
  @Test func verdictJSONWithoutTheVerdictIsTheVerdictsJSON() throws {
    let lists = TemporaryLists()
    let adult = lists.write("adult.list", "a.example\nb.a.example\nxn--80ak6aa92e.com\n1.2.3.4\nq\\\"x.example\n")
    let gambling = lists.write("gambling.list", "c.example\nsub.a.example\n")
    let allow = lists.write("allow.list", "ok.a.example\n")
    let prefixes = lists.write("violence.list", "d.example/path/\n")
    let hashed = lists.write("abuse.list", "#! format: hashed\n\(sha256Hex("h.example/"))\n")
    var filters: [URLFilter] = []
    for (paths, categories) in [
      ([adult, gambling, allow], nil), ([adult, gambling, allow], Set(["gambling"])), ([prefixes, adult], nil),
      ([hashed, adult], nil), ([], nil),
    ] as [([String], Set<String>?)] {
      for homographs in [true, false] {
        filters.append(
          try URLFilter(lists: paths, categories: categories, includeDefaults: paths.isEmpty, blockHomographs: homographs))
      }
    }
    var urls: [String] = []
    for host in [
      "a.example", "b.a.example", "www.b.a.example", "ok.a.example", "x.ok.a.example", "sub.a.example", "c.example",
      "d.example", "h.example", "none.example", "xn--80ak6aa92e.com", "www.xn--80ak6aa92e.com", "gооgle.com", "1.2.3.4",
      "[::1]", "A.EXAMPLE", "a.example.", "casino-example.test", "q\\\"x.example", "bücher.example",
    ] {
      for path in ["/", "/path/x", "/a?b=\"c\"#f", ""] {
        urls += ["http://" + host + path, "https://www." + host + path, host + path]
      }
    }
    urls += ["", "mailto:x@y", "http://", "http://a b/", "http://a.example/" + String(repeating: "\"", count: 600)]
    VerdictLineChecks.expectVerdictJSON(of: filters, for: urls)
  }

  @Test func canonicalDescriptionJoinsTheParts() {
    for query in [nil, "", "a=1&b=%20"] as [String?] {
      for host in ["", "example.com", "[::1]"] {
        let url = CanonicalURL(
          scheme: "https", host: host, path: "/a/b.html", query: query, hostIsIPAddress: false, browserHost: host)
        let text = "https://" + host + "/a/b.html" + (query.map { "?" + $0 } ?? "")
        #expect(url.description == text)
        #expect(url.isDescription(of: text))
        for other in [text + "x", String(text.dropLast()), "http" + text.dropFirst(5), text.uppercased(), "", text + "?"]
        where other != text {
          #expect(!url.isDescription(of: other), "\(other)")
        }
      }
    }
  }

  @Test func aURLThatIsCanonicalStandsForItsCanonicalForm() throws {
    let filter = try URLFilter(lists: [], categories: nil, includeDefaults: true)
    for url in [
      "http://a.example/", "http://A.example/", "https://x.example/a/b?c=d", "x.example/a", "http://x.example",
      "http://x.example/a#f", "http://x.example/%41", "http://x.example/?", "http://x.example/a?b#c", "casino-example.test/",
      "http://casino-example.test/", "http://1.2.3.4/", "http://[::1]/", " http://x.example/",
    ] {
      let verdict = filter.check(url)
      let canonical = try URLCanonicalizer.canonicalize(url)
      #expect(verdict == filter.check(canonical: canonical), "\(url)")
      #expect(verdict.canonical == canonical.description)
    }
  }
}
