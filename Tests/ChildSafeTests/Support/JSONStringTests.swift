import Testing

@testable import ChildSafe

/// The JSON writer and reader copy runs that need no escape whole (eight bytes at a time when
/// writing); every string must still be written and read back exactly as byte by byte.
@Suite("JSON strings")
struct JSONStringTests {
  /// The writer's escapes, one byte at a time.
  static func reference(_ s: String) -> [UInt8] {
    let hex = Array("0123456789abcdef".utf8)
    var out: [UInt8] = [34]
    for byte in s.utf8 {
      switch byte {
      case 0x22: out += [92, 34]
      case 0x5C: out += [92, 92]
      case 0x0A: out += [92, 110]
      case 0x0D: out += [92, 114]
      case 0x09: out += [92, 116]
      case 0..<0x20, 0x7F: out += [92, 117, 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 15)]]
      default: out.append(byte)
      }
    }
    out.append(34)
    return out
  }

  @Test(arguments: 0..<4)
  func randomStringsAreWrittenAndReadBackExactly(seed: UInt64) throws {
    var random = SplitMix(seed: seed)
    // Bytes the escapes care about, their neighbours, and multi-byte characters.
    let pieces: [String] = [
      "a", "Z", " ", "\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{1F}", "\u{20}", "\u{7F}", "\u{80}", "é", "€", "😀",
      "!", "#", "[", "]", "~", "abcdefgh", "\u{21}\u{23}\u{5B}\u{5D}",
    ]
    for _ in 0..<500 {
      var text = ""
      for _ in 0..<Int(random.next() % 40) { text += pieces[Int(random.next() % UInt64(pieces.count))] }
      var written: [UInt8] = []
      JSONValue.string(text).serialize(into: &written)
      #expect(written == Self.reference(text), "\(Array(text.utf8))")
      #expect(try JSONValue.parse(String(decoding: written, as: UTF8.self)) == .string(text))
    }
  }
}

/// A small deterministic generator (SplitMix64).
private struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
