import Testing

@testable import ChildSafe

/// Records held in an archive as they lie in memory (``ArchiveRecord``), as the bit-parallel
/// patterns of the library's compiled packs are.
@Suite("Archive records")
struct ArchiveRecordTests {
  typealias Pattern = PatternMatcher.NarrowPattern

  /// Values that use every field, with bits set high in each (a sign bit, bit 63, both Bools).
  static let patterns: [Pattern] = (0..<5).map { k in
    let w = UInt64(k)
    return Pattern(
      startMask: 1 << (63 - w), anyMask: w * 0x0101, atomBloom: ~w, startBloom: 0x8000_0000_0000_0001 | w,
      matchMask: w << 40, stateStart: Int32(k) * 1000, atomStart: -Int32(k) - 1, atomSlots: Int32.max - Int32(k),
      isNarrow: k % 2 == 0, startsOnAtoms: k % 3 == 0)
  }

  static func same(_ a: Pattern, _ b: Pattern) -> Bool { a.fields == b.fields }

  /// `bytes` in lasting, 8-byte aligned memory, as the archive's payload is; freed by the caller.
  static func lasting(_ bytes: [UInt8]) -> UnsafeMutableRawBufferPointer {
    let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 8)
    memory.copyMemory(from: UnsafeRawBufferPointer(start: bytes, count: bytes.count))
    return memory
  }

  static func read<T: ArchiveRecord>(
    _ type: T.Type, from bytes: [UInt8], permanent: Bool, _ check: (UnsafeBufferPointer<T>, UnsafeRawBufferPointer) -> Void
  ) throws {
    let memory = lasting(bytes)
    defer { memory.deallocate() }
    var reader = try ArchiveReader(UnsafeBufferPointer(memory.bindMemory(to: UInt8.self)), what: "test records", isPermanent: permanent)
    var owned: [UnsafeMutableRawPointer] = []
    defer { for p in owned { p.deallocate() } }
    let records = try reader.records(type, allocations: &owned)
    #expect(reader.isAtEnd)
    check(records, UnsafeRawBufferPointer(memory))
  }

  /// From lasting bytes (as the library's own archive is read) the records are used where they
  /// lie; otherwise they are copied. Both give back every field.
  @Test func readInPlaceFromLastingBytesAndCopiedOtherwise() throws {
    var writer = ArchiveWriter()
    writer.records(Self.patterns)
    let bytes = writer.finish()
    for permanent in [true, false] {
      try Self.read(Pattern.self, from: bytes, permanent: permanent) { records, memory in
        #expect(records.count == Self.patterns.count)
        for (read, written) in zip(records, Self.patterns) { #expect(Self.same(read, written)) }
        let start = UnsafeRawPointer(records.baseAddress!)
        let inside = start >= memory.baseAddress! && start < memory.baseAddress! + memory.count
        #expect(inside == permanent, "permanent: \(permanent)")
      }
    }
  }

  /// The same fields declared in another order: another layout in memory.
  struct Reordered: ArchiveRecord {
    var isNarrow: Bool
    var atomSlots: Int32
    var startMask: UInt64
    var startsOnAtoms: Bool
    var anyMask: UInt64
    var atomStart: Int32
    var atomBloom: UInt64
    var stateStart: Int32
    var startBloom: UInt64
    var matchMask: UInt64

    init(_ p: Pattern) {
      (isNarrow, atomSlots, startMask, startsOnAtoms, anyMask) = (p.isNarrow, p.atomSlots, p.startMask, p.startsOnAtoms, p.anyMask)
      (atomStart, atomBloom, stateStart, startBloom, matchMask) = (p.atomStart, p.atomBloom, p.stateStart, p.startBloom, p.matchMask)
    }

    // Listed in the order the library's pattern lists its fields.
    static let fieldLayout: [ArchiveField] = [
      .of(\Self.startMask), .of(\Self.anyMask), .of(\Self.atomBloom), .of(\Self.startBloom), .of(\Self.matchMask),
      .of(\Self.stateStart), .of(\Self.atomStart), .of(\Self.atomSlots), .of(\Self.isNarrow), .of(\Self.startsOnAtoms),
    ]

    var fields: [UInt64] {
      Pattern(
        startMask: startMask, anyMask: anyMask, atomBloom: atomBloom, startBloom: startBloom, matchMask: matchMask,
        stateStart: stateStart, atomStart: atomStart, atomSlots: atomSlots, isNarrow: isNarrow,
        startsOnAtoms: startsOnAtoms
      ).fields
    }

    init?(fields: [UInt64]) { nil }
  }

  /// Records written by a build that lays the type out otherwise are decoded field by field,
  /// even from lasting bytes: the layout is checked, not assumed.
  @Test func anotherLayoutIsDecodedFieldByField() throws {
    #expect(Reordered.fieldLayout != Pattern.fieldLayout)
    var writer = ArchiveWriter()
    writer.records(Self.patterns.map(Reordered.init))
    let bytes = writer.finish()
    try Self.read(Pattern.self, from: bytes, permanent: true) { records, memory in
      for (read, written) in zip(records, Self.patterns) { #expect(Self.same(read, written)) }
      let start = UnsafeRawPointer(records.baseAddress!)
      #expect(!(start >= memory.baseAddress! && start < memory.baseAddress! + memory.count))
    }
  }

  /// Damaged records are a `corrupt` error when copied: a Bool that is neither 0 nor 1, a field
  /// past the end of its record, a count past the end of the bytes.
  @Test func damagedRecordsAreRefused() throws {
    var writer = ArchiveWriter()
    writer.records(Self.patterns)
    let bytes = writer.finish()
    let isNarrowOffset = Pattern.fieldLayout[8].offset
    let stride = MemoryLayout<Pattern>.stride
    let firstRecord = bytes.count - Self.patterns.count * stride
    var badBool = bytes
    badBool[firstRecord + isNarrowOffset] = 2

    // One record of 8 bytes whose only field, 4 bytes at offset 6, would end past it.
    var badLayout = ArchiveWriter()
    badLayout.varint(1)
    badLayout.varint(8)
    badLayout.varint(1)
    badLayout.varint(6)
    badLayout.varint(4)
    for _ in 0..<16 { badLayout.byte(0) }
    var shortCount = ArchiveWriter()
    shortCount.records(Self.patterns)
    var truncated = shortCount.finish()
    truncated.removeLast(stride)

    for (damaged, problem) in [
      (badBool, "bad record at"), (badLayout.finish(), "bad record layout"), (truncated, "records past the end"),
    ] {
      let memory = Self.lasting(damaged)
      defer { memory.deallocate() }
      var owned: [UnsafeMutableRawPointer] = []
      defer { for p in owned { p.deallocate() } }
      do throws(ChildSafeError) {
        var reader = try ArchiveReader(UnsafeBufferPointer(memory.bindMemory(to: UInt8.self)), what: "test records")
        _ = try reader.records(Pattern.self, allocations: &owned)
        Issue.record("read damaged records without an error (\(problem))")
      } catch {
        #expect(error.code == .corrupt)
        #expect(error.message.contains(problem), "\(error.message)")
      }
    }
  }
}
