import Testing

@testable import ChildSafe

@Suite("Compiled URL index")
struct URLIndexTests {
  func compiledFixture(_ lists: TemporaryLists) throws -> [UInt8] {
    lists.write("adult.list", "a.example\nb.example\nc.example/path/\n")
    lists.write("allow.list", "ok.a.example\n")
    lists.write("abuse.list", "#! format: hashed\n\(sha256Hex("h.example/"))\n\(sha256Hex("p.example/").prefix(10))\n")
    return try URLFilter.compile(lists: ["adult.list", "allow.list", "abuse.list"].map { lists.path($0) }).index
  }

  @Test func compiledIndexGivesTheSameVerdictsAsText() throws {
    let lists = TemporaryLists()
    let bytes = try compiledFixture(lists)
    try FileSystem.writeFile(lists.path("lists.idx"), bytes)
    let text = try URLFilter(lists: ["adult.list", "allow.list", "abuse.list"].map { lists.path($0) }, categories: nil, includeDefaults: false)
    let compiled = try URLFilter(lists: [lists.path("lists.idx")], categories: nil, includeDefaults: false)
    #expect(compiled.entryCount == 6)
    for url in [
      "http://a.example/", "http://x.b.example/", "http://ok.a.example/", "http://c.example/path/x", "http://c.example/",
      "http://h.example/q", "http://p.example/", "http://none.example/",
    ] {
      #expect(text.check(url) == compiled.check(url), "\(url)")
    }
    #expect(compiled.check("http://a.example/").list == "adult.list")
    #expect(compiled.check("http://p.example/").reason == "hashed")
  }

  @Test func everyFlippedByteIsRejected() throws {
    let lists = TemporaryLists()
    let bytes = try compiledFixture(lists)
    for position in 0..<bytes.count {
      var damaged = bytes
      damaged[position] ^= 0x5A
      do {
        _ = try URLIndex(bytes: damaged)
        Issue.record("byte \(position) flipped was accepted")
      } catch {
        #expect(error.code == .corrupt)
      }
    }
  }

  @Test func everyTruncationIsRejected() throws {
    let lists = TemporaryLists()
    let bytes = try compiledFixture(lists)
    for length in 0..<bytes.count {
      #expect(throws: ChildSafeError.self) { try URLIndex(bytes: Array(bytes[0..<length])) }
    }
    // Through the file path too: a truncated file named as a list is rejected, not parsed as text.
    try FileSystem.writeFile(lists.path("cut.idx"), Array(bytes[0..<(bytes.count / 2)]))
    do {
      _ = try URLFilter(lists: [lists.path("cut.idx")], categories: nil, includeDefaults: false)
      Issue.record("truncated index accepted")
    } catch {
      #expect(error.code == .corrupt)
      #expect(error.message.contains("truncated"))
    }
  }

  @Test func foreignFilesAreRejected() throws {
    #expect(throws: ChildSafeError.self) { try URLIndex(bytes: Array("not an index at all, just text....................................".utf8)) }
    var wrongVersion = try compiledFixture(TemporaryLists())
    wrongVersion[8] = 99
    do {
      _ = try URLIndex(bytes: wrongVersion)
      Issue.record("wrong version accepted")
    } catch {
      #expect(error.message.contains("version 99"))
    }
  }

  @Test func compilingACompiledIndexIsAnError() throws {
    let lists = TemporaryLists()
    try FileSystem.writeFile(lists.path("x.idx"), try compiledFixture(lists))
    #expect(throws: ChildSafeError.self) { try URLFilter.compile(lists: [lists.path("x.idx")]) }
  }

  @Test func largeGeneratedListRoundTrips() throws {
    let lists = TemporaryLists()
    var text = ""
    for i in 0..<20_000 { text += "site\(i).example\n" }
    lists.write("adult.list", text)
    let result = try URLFilter.compile(lists: [lists.path("adult.list")])
    #expect(result.entries == 20_000)
    #expect(result.index.count <= 20_000 * 16 + 4096)  // under 16 bytes per entry
    try FileSystem.writeFile(lists.path("big.idx"), result.index)
    let f = try URLFilter(lists: [lists.path("big.idx")], categories: nil, includeDefaults: false)
    for i in stride(from: 0, to: 20_000, by: 997) {
      #expect(f.check("http://www.site\(i).example/page").blocked)
      #expect(!f.check("http://site\(i).example.org/").blocked)
    }
  }
}

@Suite("URL filter shared between threads")
struct URLFilterConcurrencyTests {
  @Test func concurrentChecksAgree() async throws {
    let lists = TemporaryLists()
    lists.write("adult.list", (0..<500).map { "site\($0).example" }.joined(separator: "\n"))
    lists.write("abuse.list", "#! format: hashed\n\(sha256Hex("h.example/"))\n")
    let bytes = try URLFilter.compile(lists: [lists.path("adult.list"), lists.path("abuse.list")]).index
    try FileSystem.writeFile(lists.path("x.idx"), bytes)
    let filter = try URLFilter(lists: [lists.path("x.idx")], categories: ["adult"], includeDefaults: false)
    let results = await withTaskGroup(of: Int.self) { group in
      for worker in 0..<4 {
        group.addTask {
          var blocked = 0
          for i in 0..<1000 where filter.check("http://www.site\((i + worker) % 1000).example/a").blocked { blocked += 1 }
          if filter.check("http://h.example/x").reason == "hashed" { blocked += 1 }
          return blocked
        }
      }
      var all: [Int] = []
      for await r in group { all.append(r) }
      return all
    }
    #expect(results.allSatisfy { $0 == 501 })
  }
}
