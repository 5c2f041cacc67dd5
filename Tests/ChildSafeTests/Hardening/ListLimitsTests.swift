#if canImport(Glibc)
import Glibc
#endif
import Testing

@testable import ChildSafe

/// Huge list files: parsing, compiling and loading grow linearly with the number of lines, bad lines
/// cost no more than good ones, and an overlong line is skipped with a located warning. The 10M-line
/// case runs as a benchmark (`swift run -c release --package-path Benchmarks lists-bench`, figures
/// in docs/fuzzing.md); here two sizes of a generated file in a temporary directory are compared.
@Suite("Hardening: huge list files")
struct ListLimitsTests {
  /// `lines` lines mixing every format (domains, hosts, adblock, URL prefixes, hashes) and, every
  /// 10th line, something malformed.
  static func listText(lines: Int) -> String {
    var text = ""
    text.reserveCapacity(lines * 28)
    for k in 0..<lines {
      switch k % 10 {
      case 0, 1, 2, 3: text += "site\(k).example\n"
      case 4: text += "0.0.0.0 ads\(k).example tracker\(k).example\n"
      case 5: text += "||ad\(k).example^\n"
      case 6: text += "example.org/p\(k)/\n"
      case 7: text += "#! category: cat\(k % 50)\n"
      case 8: text += "\(String(k, radix: 16).leftPadded(to: 8))\n"  // a hashed prefix
      default: text += "not a domain \(k)\n"
      }
    }
    return text
  }

  /// Writes the list to a file in a fresh temporary directory and loads it like `--lists FILE` does.
  static func loadFromFile(_ text: String) throws -> URLFilter {
    var template = Array("/tmp/childsafe-lists-XXXXXX".utf8CString)
    guard let directory = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }).map({ String(cString: $0) })
    else { throw ChildSafeError(.io, "mkdtemp failed") }
    let path = directory + "/huge.list"
    defer {
      unlink(path)
      rmdir(directory)
    }
    try FileSystem.writeFile(path, Array(text.utf8))
    return try URLFilter(lists: [path], categories: nil, includeDefaults: false)
  }

  @Test func loadingGrowsLinearlyWithLines() throws {
    let small = ListLimitsTests.listText(lines: 20_000)
    let large = ListLimitsTests.listText(lines: 200_000)
    var warnings = 0
    let growth = try Scaling.perUnitGrowth(small: 20_000, large: 200_000) { lines in
      let filter = try ListLimitsTests.loadFromFile(lines == 20_000 ? small : large)
      warnings = filter.warnings.count
    }
    #expect(warnings == 20_000, "every 10th line is malformed and reported")
    // Linear work gives about 1 (sorting adds a log factor); quadratic work would give about 10.
    #expect(growth < 3, "time per line grew \(growth)x from 20k to 200k lines")
  }

  @Test func entriesOfAHugeListAreFound() throws {
    let filter = try ListLimitsTests.loadFromFile(ListLimitsTests.listText(lines: 200_000))
    #expect(filter.check("http://www.site199990.example/").blocked)
    #expect(filter.check("http://tracker199994.example/").blocked)
    #expect(filter.check("https://x.ad199995.example/a").blocked)
    #expect(filter.check("http://example.org/p199996/deeper").blocked)
    #expect(!filter.check("http://example.org/p199996x").blocked)
    #expect(filter.warnings.last?.location?.description.hasSuffix(":200000:1") == true)
  }

  @Test func overlongLineIsSkippedWithALocatedWarning() throws {
    let text = "ok.example\n" + String(repeating: "a", count: 1_000_000) + ".example\nalso.example\n"
    let filter = try ListLimitsTests.loadFromFile(text)
    #expect(filter.entryCount == 2)
    #expect(filter.warnings.count == 1)
    #expect(filter.warnings.first?.location?.line == 2)
    #expect(filter.warnings.first?.message.contains("longer than \(ListParser.maximumLineLength)") == true)
  }
}

extension String {
  func leftPadded(to width: Int) -> String {
    String(repeating: "0", count: max(0, width - count)) + self
  }
}
