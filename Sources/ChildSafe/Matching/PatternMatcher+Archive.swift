// A compiled matcher written out and read back as it is (see ``CompiledRulesArchive``): reading
// it compiles nothing. Field by field, so the form does not depend on how Swift lays out a struct.

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
      writer.int32s(list)
    }
    writer.uint64s(s.requiredBloom)
    writer.uint64s(s.setBlooms)
    writer.uint64s(s.narrowAtomMasks)
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
    var tables = Tables()
    let stepCount = try reader.length()
    tables.instructions.reserveCapacity(stepCount)
    for _ in 0..<stepCount {
      let atom = try reader.int32()
      let closure = try reader.int32()
      guard let closureCount = UInt16(exactly: try reader.varint()), let op = Op(rawValue: try reader.byte()) else {
        throw reader.corrupt("bad instruction")
      }
      tables.instructions.append(Step(atom: atom, closure: closure, closureCount: closureCount, op: op))
    }
    let infoCount = try reader.length()
    tables.patternInfo.reserveCapacity(infoCount)
    for _ in 0..<infoCount {
      tables.patternInfo.append(
        PatternInfo(
          base: try reader.int32(), size: try reader.int32(), startClosure: try reader.int32(),
          startClosureCount: try reader.int32(), firstStart: try reader.int32(), firstEnd: try reader.int32(),
          singleToken: try reader.bool(), startsWithAny: try reader.bool()))
    }
    tables.atomClauseStarts = try reader.int32s()
    tables.atomClauses = try reader.int32s()
    tables.hotStarts = try reader.int32s()
    tables.hotAtoms = try reader.int32s()
    tables.clauseStarts = try reader.int32s()
    tables.patternClauses = try reader.int32s()
    tables.setStarts = try reader.int32s()
    tables.setAtoms = try reader.int32s()
    tables.anchorStarts = try reader.int32s()
    tables.anchoredPatterns = try reader.int32s()
    tables.unanchoredPatterns = try reader.int32s()
    tables.firstAtomList = try reader.int32s()
    tables.closureList = try reader.int32s()
    tables.narrowAtoms = try reader.int32s()
    tables.requiredBloom = try reader.uint64s()
    tables.setBlooms = try reader.uint64s()
    tables.narrowAtomMasks = try reader.uint64s()
    let narrowCount = try reader.length()
    tables.narrow.reserveCapacity(narrowCount)
    for _ in 0..<narrowCount {
      let isNarrow = try reader.bool()
      let stateStart = try reader.int32()
      let startMask = try reader.varint()
      let anyMask = try reader.varint()
      let atomStart = try reader.int32()
      let atomSlots = try reader.int32()
      let atomBloom = try reader.varint()
      let startBloom: UInt64? = try reader.bool() ? try reader.varint() : nil
      tables.narrow.append(
        NarrowPattern(
          isNarrow: isNarrow, stateStart: stateStart, startMask: startMask, anyMask: anyMask, atomStart: atomStart,
          atomSlots: atomSlots, atomBloom: atomBloom, startBloom: startBloom))
    }
    let stateCount = try reader.length()
    tables.narrowStates.reserveCapacity(stateCount)
    for _ in 0..<stateCount {
      tables.narrowStates.append(NarrowState(successors: try reader.varint(), reachesMatch: try reader.bool()))
    }
    return PatternMatcher(
      parts: Parts(
        clauseCount: clauseCount, wordTable: wordTable, stems: stems, mayMatchDictionaryScripts: mayMatchDictionaryScripts,
        numberAtoms: numberAtoms, kindAtoms: kindAtoms, atomCount: atomCount, tables: tables))
  }
}
