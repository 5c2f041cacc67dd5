import CChildSafeRules
import Testing

@testable import ChildSafe

@Suite("Embedded scalar tables")
struct EmbeddedScalarTablesTests {
  /// The library's embedded bytes.
  static var embeddedBytes: UnsafeBufferPointer<UInt8> {
    var length = 0
    let start = csrules_scalar_tables(&length)
    return UnsafeBufferPointer(start: start, count: length)
  }

  /// Copies `bytes` to memory aligned like the library's array, plus `shift` bytes, and reads them.
  func read(_ bytes: [UInt8], shift: Int = 0, icuVersion: String = CompiledRulesArchive.icuVersion) -> Bool {
    let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count + shift, alignment: 16)
    defer { memory.deallocate() }
    let start = memory.baseAddress! + shift
    start.copyMemory(from: bytes, byteCount: bytes.count)
    let buffer = UnsafeBufferPointer(start: start.assumingMemoryBound(to: UInt8.self), count: bytes.count)
    guard let tables = EmbeddedScalarTables.tables(in: buffer, icuVersion: icuVersion) else { return false }
    return same(tables)
  }

  /// Whether `tables` hold what this machine's ICU answers.
  func same(_ tables: EmbeddedScalarTables.Tables) -> Bool {
    for (index, (first, end)) in EmbeddedScalarTables.foldRanges.enumerated() {
      let built = FoldTable.build(first, end)
      if Array(UnsafeBufferPointer(start: tables.folds[index], count: built.count)) != built { return false }
    }
    for (index, (first, end)) in EmbeddedScalarTables.scalarRanges.enumerated() {
      let built = ScalarTable.build(first, end)
      if Array(UnsafeBufferPointer(start: tables.scalars[index], count: built.count)) != built { return false }
    }
    return true
  }

  @Test func theEmbeddedTablesAreWhatThisICUAnswers() {
    let bytes = Self.embeddedBytes
    let icu = CompiledRulesArchive.icuVersion
    let builtWith = bytes.count > 17 ? String(decoding: bytes[17..<(17 + Int(bytes[16]))], as: UTF8.self) : "none"
    guard builtWith == icu else {
      // Another ICU may answer differently: the tables must be refused and built here instead.
      print("note: the embedded scalar tables were made with ICU \(builtWith), this machine has \(icu); checking the fallback")
      #expect(EmbeddedScalarTables.embedded == nil)
      #expect(Array(UnsafeBufferPointer(start: ScalarTable.low, count: 0xA000 - 0x80)) == ScalarTable.build(0x80, 0xA000))
      return
    }
    #expect(
      Array(bytes) == EmbeddedScalarTables.encode(),
      "the embedded scalar tables differ from those built from ICU: run scripts/embed-rules")
    guard let tables = EmbeddedScalarTables.embedded else {
      Issue.record("the embedded scalar tables were refused")
      return
    }
    #expect(same(tables))
    // The normaliser uses them where they lie.
    #expect(ScalarTable.low == tables.scalars[0])
    #expect(FoldTable.latin == tables.folds[0])
  }

  @Test func encodedTablesReadBack() {
    #expect(read(EmbeddedScalarTables.encode()))
  }

  @Test func damagedForeignOrMisplacedTablesAreRefused() {
    let good = EmbeddedScalarTables.encode()
    var damaged = good
    damaged[good.count - 100] ^= 1
    #expect(!read(damaged), "a checksum mismatch")
    #expect(!read(Array(good.dropLast(8))), "truncated")
    #expect(!read(good + [0, 0, 0, 0, 0, 0, 0, 0]), "too long")
    #expect(!read(good, icuVersion: "1.0"), "made with another ICU")
    #expect(!read(EmbeddedScalarTables.encode(icuVersion: "1.0")), "made with another ICU")
    var otherVersion = good
    otherVersion[0] &+= 1
    #expect(!read(otherVersion), "another format version")
    #expect(!read(good, shift: 1), "misaligned")
    #expect(!read([]), "empty")
  }
}
