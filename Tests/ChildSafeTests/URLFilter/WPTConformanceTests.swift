import Testing

@testable import ChildSafe

/// The WHATWG URL conformance data browsers are tested with (web-platform-tests), read at run time
/// from ../shared/conformance/wpt-url/ beside the repository; nothing of it is copied here. Where the
/// data is absent the tests are skipped (the trait says so).
@Suite("URL conformance with browsers (web-platform-tests)")
struct WPTConformanceTests {
  /// The repository's parent directory, from this file's path (Tests/ChildSafeTests/URLFilter/...).
  static let dataDirectory: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(4)
    return parts.joined(separator: "/") + "/../shared/conformance/wpt-url"
  }()
  static let present = FileSystem.exists(dataDirectory + "/urltestdata.json")

  static func cases(_ file: String) throws -> [JSONValue] {
    let text = try FileSystem.readText(dataDirectory + "/" + file)
    return (try JSONValue.parse(text).arrayValue ?? []).filter { $0.objectValue != nil }
  }

  /// The scheme of an input as the URL Standard reads it (after trimming C0 controls and spaces and
  /// removing tabs and newlines), and what follows its ":".
  static func scheme(of input: String) -> (String, Substring)? {
    var bytes = Array(input.utf8)
    while let first = bytes.first, first <= 0x20 { bytes.removeFirst() }
    while let last = bytes.last, last <= 0x20 { bytes.removeLast() }
    bytes.removeAll { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    let text = String(decoding: bytes, as: UTF8.self)
    guard let colon = text.firstIndex(of: ":"), let first = text.first, first.isASCII, first.isLetter else { return nil }
    let name = text[..<colon]
    guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }) else { return nil }
    return (name.lowercased(), text[text.index(after: colon)...])
  }

  /// Cases a filter without a base reads as a browser does: an absolute http, https, ws or wss input
  /// whose base is absent or irrelevant (another scheme, or an authority after two slashes of any kind).
  static func absoluteWebCases() throws -> [(input: String, hostname: String?)] {
    try cases("urltestdata.json").compactMap { entry in
      guard let input = entry["input"]?.stringValue, let (name, rest) = scheme(of: input),
        ["http", "https", "ws", "wss"].contains(name)
      else { return nil }
      if let base = entry["base"]?.stringValue, scheme(of: base)?.0 == name {
        let slashes = rest.prefix(2)
        guard slashes.count == 2, slashes.allSatisfy({ $0 == "/" || $0 == "\\" }) else { return nil }
      }
      if entry["failure"]?.boolValue == true { return (input, nil) }
      guard let hostname = entry["hostname"]?.stringValue else { return nil }
      return (input, hostname)
    }
  }

  /// Safe Browsing's form of a browser's host: leading and trailing dots trimmed, runs collapsed.
  static func trimmedDots(_ host: String) -> String {
    host.split(separator: ".", omittingEmptySubsequences: true).joined(separator: ".")
  }

  func check(_ input: String, expected hostname: String?) {
    let result = Result { () throws(ChildSafeError) in try URLCanonicalizer.canonicalize(input) }
    switch (result, hostname) {
    case (.failure, nil): break
    case (.success(let url), nil):
      Issue.record("\(input.debugDescription): browsers refuse it; the filter read host \(url.browserHost.debugDescription)")
    case (.failure(let error), .some(let hostname)):
      // The documented difference: a domain that trimming its dots would leave empty (".") or turn
      // into a number ("1..") is invalid, since the filter could not look up what a browser opens.
      let trimmed = Self.trimmedDots(hostname)
      if !hostname.hasPrefix("["), trimmed != hostname, trimmed.isEmpty || URLHost.endsInANumber(Array(trimmed.utf8)) {
        return
      }
      // Characters UTS #46 made valid in Unicode 15.1 are refused by older ICU data: the filter fails
      // closed on them (invalid, blocked), it does not check another host.
      if input.utf8.contains(where: { $0 >= 0x80 }) && error.message.contains("UTS #46") {
        withKnownIssue("the system ICU's UTS #46 data predates Unicode 15.1") {
          Issue.record("\(input.debugDescription): browsers read host \(hostname.debugDescription); ICU refused it")
        }
        return
      }
      Issue.record("\(input.debugDescription): browsers read host \(hostname.debugDescription); the filter failed: \(error.message)")
    case (.success(let url), .some(let hostname)):
      #expect(url.browserHost == hostname, "\(input.debugDescription)")
      #expect(url.host == Self.trimmedDots(hostname), "\(input.debugDescription)")
      let verdict = URLFilter.defaults.check(input)
      #expect(verdict.host == url.host && verdict.reason != "invalid", "\(input.debugDescription)")
    }
  }

  @Test(.enabled(if: present, "../shared/conformance/wpt-url/ is absent: conformance with browsers not checked"))
  func absoluteWebURLsHaveTheBrowsersHost() throws {
    let cases = try Self.absoluteWebCases()
    #expect(cases.count > 300)
    for (input, hostname) in cases { check(input, expected: hostname) }
  }

  @Test(.enabled(if: present, "../shared/conformance/wpt-url/ is absent: conformance with browsers not checked"))
  func hostsToASCII() throws {
    let cases = try Self.cases("toascii.json")
    #expect(cases.count > 50)
    for entry in cases {
      guard let input = entry["input"]?.stringValue else { continue }
      check("https://" + input + "/x", expected: entry["output"]?.stringValue)
    }
  }
}
