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

  /// A table written and read back: in place from lasting bytes (as the library's own archive
  /// is read), or copied; both find what the table they were written from finds.
  @Test func readBackInPlaceOrCopied() throws {
    let table = ByteTable(ByteTableTests.keys.enumerated().map { (key: $0.element, value: Int32($0.offset)) })
    var writer = ArchiveWriter()
    table.write(to: &writer)
    let bytes = writer.finish()
    // Lasting, 8-byte aligned memory, as the archive's payload is.
    let lasting = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 8)
    defer { lasting.deallocate() }
    lasting.copyMemory(from: UnsafeRawBufferPointer(start: bytes, count: bytes.count))
    let inPlace = UnsafeBufferPointer(lasting.bindMemory(to: UInt8.self))
    for permanent in [true, false] {
      var reader = try ArchiveReader(inPlace, what: "test tables", isPermanent: permanent)
      let read = try ByteTable(reading: &reader)
      #expect(reader.isAtEnd)
      for (k, key) in ByteTableTests.keys.enumerated() { #expect(read.value(for: key) == Int32(k), "\(key)") }
      for miss in ["abcdefgj", "uber", "zz"] { #expect(read.value(for: miss) == nil) }
      // Built from a table read back, a larger table keeps every key.
      let larger = read.adding([(key: "zz", value: 99)])
      #expect(larger.value(for: "zz") == 99)
      #expect(larger.value(for: "über") == read.value(for: "über"))
    }
  }

  /// Copied tables are checked: a slot pointing past the key bytes, or a table with no empty slot
  /// (a lookup of a missing key would probe forever), is refused rather than read.
  @Test func damagedCopiesAreRefused() throws {
    func read(_ keys: [UInt8], _ words: [Int32]) -> ChildSafeError? {
      var writer = ArchiveWriter()
      writer.table(keys)
      writer.table(words)
      let bytes = writer.finish()
      return bytes.withUnsafeBufferPointer { buffer -> ChildSafeError? in
        do throws(ChildSafeError) {
          var reader = try ArchiveReader(buffer, what: "test tables")
          _ = try ByteTable(reading: &reader)
          return nil
        } catch { return error }
      }
    }
    let empty: [Int32] = [-1, 0, 0]
    // Two slots: "ab" and an empty one.
    #expect(read(Array("ab".utf8), [2, 0, 7] + empty) == nil)
    #expect(read(Array("ab".utf8), [3, 0, 7] + empty)?.message.contains("out of range") == true)
    #expect(read(Array("ab".utf8), [2, 1, 7] + empty)?.message.contains("out of range") == true)
    #expect(read(Array("ab".utf8), [2, 0, 7, 1, 0, 7])?.message.contains("empty slot") == true)
    #expect(read(Array("ab".utf8), [2, 0, 7] + empty + empty)?.message.contains("power of two") == true)
  }
}
