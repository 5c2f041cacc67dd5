// A compiled matcher written out and read back as it is (see ``CompiledRulesArchive``): reading
// it compiles nothing. The integer tables are fixed-width and the bit-parallel patterns written as
// they lie in memory, their layout beside them (``ArchiveRecord``), so that the library's own
// archive is read in place (``MatcherStorage/init(reading:)``); the Pike VM's program, present
// only when a pattern runs in it, field by field.

extension PatternMatcher {
  func write(to writer: inout ArchiveWriter) {
    writer.int(clauseCount)
    wordTable.write(to: &writer)
    stems.write(to: &writer)
    writer.bool(mayMatchDictionaryScripts)
    writer.varint(UInt64(numberAtoms.count))
    for (range, atom) in numberAtoms {
      writer.bool(range != nil)
      if let range {
        writer.int(range.lowerBound)
        writer.int(range.upperBound)
      }
      writer.int(Int(atom))
    }
    writer.int32s(kindAtoms)
    writer.int(atomCount)
    let s = storage
    // The Pike VM's program only when a pattern runs in it: the default packs all run
    // bit-parallel, and their engine then neither reads nor keeps it.
    let runsPikeVM = s.narrow.contains { !$0.isNarrow }
    writer.bool(runsPikeVM)
    if runsPikeVM {
      writer.varint(UInt64(s.instructions.count))
      for step in s.instructions {
        writer.int(Int(step.atom))
        writer.int(Int(step.closure))
        writer.varint(UInt64(step.closureCount))
        writer.byte(step.op.rawValue)
      }
      writer.varint(UInt64(s.patternInfo.count))
      for info in s.patternInfo {
        for v in [info.base, info.size, info.startClosure, info.startClosureCount, info.firstStart, info.firstEnd] {
          writer.int(Int(v))
        }
        writer.bool(info.singleToken)
        writer.bool(info.startsWithAny)
      }
      writer.table(s.setStarts)
      writer.table(s.setAtoms)
      writer.table(s.setBlooms)
      writer.table(s.firstAtomList)
      writer.table(s.closureList)
    }
    for list in [
      s.atomClauseStarts, s.atomClauses, s.hotStarts, s.hotAtoms, s.clauseStarts, s.patternClauses, s.anchorStarts,
      s.anchoredPatterns, s.unanchoredPatterns,
    ] {
      writer.table(list)
    }
    writer.table(s.requiredBloom)
    writer.records(s.narrow)
    writer.table(s.narrowSuccessors)
    writer.table(s.narrowAtoms)
    writer.table(s.narrowAtomMasks)
  }

  /// Reads a matcher written by ``write(to:)``.
  static func read(from reader: inout ArchiveReader) throws(ChildSafeError) -> PatternMatcher {
    let clauseCount = try reader.int()
    let wordTable = try ByteTable(reading: &reader)
    let stems = try StemTrie(reading: &reader)
    let mayMatchDictionaryScripts = try reader.bool()
    var numberAtoms: [(range: ClosedRange<Int>?, atom: Int32)] = []
    for _ in 0..<(try reader.length()) {
      var range: ClosedRange<Int>? = nil
      if try reader.bool() {
        let low = try reader.int()
        let high = try reader.int()
        guard low <= high else { throw reader.corrupt("bad number range") }
        range = low...high
      }
      numberAtoms.append((range, try reader.int32()))
    }
    let kindAtoms = try reader.int32s()
    let atomCount = try reader.int()
    let storage = try MatcherStorage(reading: &reader)
    return PatternMatcher(
      parts: Parts(
        clauseCount: clauseCount, wordTable: wordTable, stems: stems, mayMatchDictionaryScripts: mayMatchDictionaryScripts,
        numberAtoms: numberAtoms, kindAtoms: kindAtoms, atomCount: atomCount, storage: storage))
  }
}

extension PatternMatcher.NarrowPattern: ArchiveRecord {
  static let fieldLayout: [ArchiveField] = [
    .of(\Self.startMask), .of(\Self.anyMask), .of(\Self.atomBloom), .of(\Self.startBloom), .of(\Self.matchMask),
    .of(\Self.stateStart), .of(\Self.atomStart), .of(\Self.atomSlots), .of(\Self.isNarrow), .of(\Self.startsOnAtoms),
  ]

  var fields: [UInt64] {
    [
      startMask, anyMask, atomBloom, startBloom, matchMask, UInt64(UInt32(bitPattern: stateStart)),
      UInt64(UInt32(bitPattern: atomStart)), UInt64(UInt32(bitPattern: atomSlots)), isNarrow ? 1 : 0,
      startsOnAtoms ? 1 : 0,
    ]
  }

  init?(fields f: [UInt64]) {
    guard f.count == 10, f[8] <= 1, f[9] <= 1 else { return nil }
    self.init(
      startMask: f[0], anyMask: f[1], atomBloom: f[2], startBloom: f[3], matchMask: f[4],
      stateStart: Int32(truncatingIfNeeded: f[5]), atomStart: Int32(truncatingIfNeeded: f[6]),
      atomSlots: Int32(truncatingIfNeeded: f[7]), isNarrow: f[8] == 1, startsOnAtoms: f[9] == 1)
  }
}
