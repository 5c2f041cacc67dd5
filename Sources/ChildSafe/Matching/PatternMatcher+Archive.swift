// A compiled matcher written out and read back as it is (see ``CompiledRulesArchive``): reading
// it compiles nothing. Records field by field, so the form does not depend on how Swift lays out
// a struct; the integer tables fixed-width, read in place from the library's own archive
// (``MatcherStorage/init(reading:)``).

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
    for list in [
      s.atomClauseStarts, s.atomClauses, s.hotStarts, s.hotAtoms, s.clauseStarts, s.patternClauses, s.setStarts,
      s.setAtoms, s.anchorStarts, s.anchoredPatterns, s.unanchoredPatterns, s.firstAtomList, s.closureList,
      s.narrowAtoms,
    ] {
      writer.table(list)
    }
    writer.table(s.requiredBloom)
    writer.table(s.setBlooms)
    writer.table(s.narrowAtomMasks)
    writer.varint(UInt64(s.narrow.count))
    for n in s.narrow {
      writer.bool(n.isNarrow)
      writer.int(Int(n.stateStart))
      writer.varint(n.startMask)
      writer.varint(n.anyMask)
      writer.int(Int(n.atomStart))
      writer.int(Int(n.atomSlots))
      writer.varint(n.atomBloom)
      writer.bool(n.startBloom != nil)
      if let bloom = n.startBloom { writer.varint(bloom) }
    }
    writer.varint(UInt64(s.narrowStates.count))
    for state in s.narrowStates {
      writer.varint(state.successors)
      writer.bool(state.reachesMatch)
    }
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
