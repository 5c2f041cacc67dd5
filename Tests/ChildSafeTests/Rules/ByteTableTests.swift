import Testing

@testable import ChildSafe

@Suite("Byte table")
struct ByteTableTests {
  /// Keys of every length from 0 to 40 (across the eight-byte steps of the hash), non-ASCII keys,
  /// and keys that differ only in their last byte.
  static let keys: [String] = {
    var keys: [String] = []
    for n in 0...40 {
      var bytes: [UInt8] = []
      for k in 0..<n { bytes.append(UInt8(97 + (k * 7 + n) % 26)) }
      keys.append(String(decoding: bytes, as: UTF8.self))
    }
    keys += ["über", "ñandú", "привет", "学校", "emoji😀", "abcdefgh", "abcdefgi", "abcdefghx", "abcdefghy"]
    return keys
  }()

  @Test("finds every key with its value, and nothing else")
  func lookups() {
    let table = ByteTable(ByteTableTests.keys.enumerated().map { (key: $0.element, value: Int32($0.offset)) })
    for (k, key) in ByteTableTests.keys.enumerated() {
      #expect(table.value(for: key) == Int32(k), "\(key)")
    }
    let known = Set(ByteTableTests.keys)
    var misses = ["abcdefgj", "abcdefghz", "uber", "学", "emoji", "zzzzzzzzzzzzzzzzzz"]
    // Every key with its last byte changed, one byte longer and one shorter.
    for key in ByteTableTests.keys where key.allSatisfy(\.isASCII) && !key.isEmpty {
      misses.append(String(key.dropLast()) + "#")
      misses.append(key + "q")
      misses.append(String(key.dropLast()))
    }
    for miss in misses where !known.contains(miss) {
      #expect(table.value(for: miss) == nil, "\(miss)")
    }
  }

  @Test("an empty table finds nothing")
  func empty() {
    #expect(ByteTable([]).value(for: "a") == nil)
    #expect(ByteTable([]).value(for: "") == nil)
  }
}
