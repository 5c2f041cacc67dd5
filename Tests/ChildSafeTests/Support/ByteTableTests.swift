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

  /// The prefix table says of every prefix of every key whether it is a key and whether a longer
  /// key starts with it, as comparing the byte strings does; it grows past its first size.
  @Test func prefixTable() {
    let keys = ByteTableTests.keys + (0..<400).map { "word\($0 * 7919 % 1000)" }
    let table = ByteTable(keys.map { (key: $0, value: 0) }).prefixTable()
    let spellings = Set(keys.map { Array($0.utf8) })
    var probes = Set<[UInt8]>()
    for key in spellings {
      for n in 0...key.count { probes.insert(Array(key.prefix(n))) }
      probes.insert(key + [0x21])
    }
    for probe in probes where !probe.isEmpty {
      let flags = probe.withUnsafeBufferPointer { table.value(for: $0) }.map(ByteTable.PrefixFlags.init(rawValue:)) ?? []
      #expect(flags.contains(.key) == spellings.contains(probe), "\(probe)")
      let longer = spellings.contains { $0.count > probe.count && $0.starts(with: probe) }
      #expect(flags.contains(.startsLongerKey) == longer, "\(probe)")
    }
  }
}
