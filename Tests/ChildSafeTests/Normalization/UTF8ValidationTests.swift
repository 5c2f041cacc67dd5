import Testing

@testable import ChildSafe

@Suite("UTF-8 validation")
struct UTF8ValidationTests {
  /// The offset of the first ill-formed sequence according to the standard library's UTF-8 parser.
  static func referenceOffset(_ bytes: [UInt8]) -> Int? {
    var iterator = bytes.makeIterator()
    var parser = Unicode.UTF8.ForwardParser()
    var offset = 0
    while true {
      switch parser.parseScalar(from: &iterator) {
      case .valid(let encoded): offset += encoded.count
      case .error: return offset
      case .emptyInput: return nil
      }
    }
  }

  /// Every lead byte with every second byte, and third and fourth bytes at the edges of the
  /// continuation range, whole and truncated, after an ASCII letter and after a two-byte letter.
  @Test func agreesWithTheStandardLibraryOnEveryShortSequence() {
    let edges: [UInt8] = [0x7F, 0x80, 0xBF, 0xC0]
    var checked = 0
    for prefix in [[0x61] as [UInt8], [0xC3, 0xA9]] {
      for lead in UInt8(0x80)...UInt8(0xFF) {
        for second in UInt8(0)...UInt8(0xFF) {
          for third in edges {
            for fourth in edges {
              let sequence = prefix + [lead, second, third, fourth]
              for length in (prefix.count + 1)...sequence.count {
                let bytes = Array(sequence[..<length])
                let offset = bytes.withUnsafeBufferPointer { UTF8Validation.firstInvalidOffset($0) }
                if offset != Self.referenceOffset(bytes) {
                  Issue.record("\(bytes): \(String(describing: offset)), expected \(String(describing: Self.referenceOffset(bytes)))")
                  return
                }
                checked += 1
              }
            }
          }
        }
      }
    }
    #expect(checked == 2 * 128 * 256 * 16 * 4)
  }
}
