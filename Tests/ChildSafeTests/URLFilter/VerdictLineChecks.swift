import Testing

@testable import ChildSafe

/// The verdict lines `url --jsonl` writes without making the verdict (from a String, and from the
/// URL's bytes) must be the verdict's own JSON, whatever the filter and the URL.
enum VerdictLineChecks {
  static func expectVerdictJSON(of filters: [URLFilter], for urls: [String]) {
    for filter in filters {
      for url in urls {
        for allowInvalid in [false, true] {
          var expected: [UInt8] = [0x41]
          filter.check(url, allowInvalid: allowInvalid).appendJSON(url: url, to: &expected)
          var fromString: [UInt8] = [0x41]
          filter.appendVerdictJSON(url: url, allowInvalid: allowInvalid, to: &fromString)
          #expect(fromString == expected, "\(url)")
          var fromBytes: [UInt8] = [0x41]
          Array(url.utf8).withUnsafeBufferPointer { filter.appendVerdictJSON(utf8: $0, allowInvalid: allowInvalid, to: &fromBytes) }
          #expect(fromBytes == expected, "\(url)")
        }
      }
    }
  }
}
