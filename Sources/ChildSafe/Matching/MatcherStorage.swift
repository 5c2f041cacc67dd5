// The matcher's memory: its compiled tables, owned for its lifetime, and the scratch memory of
// one scan, laid out once (as regex engines hand each search an explicit cache). The hot loops read
// both through plain pointers: no array is borrowed, retained or bounds-checked per message.

extension PatternMatcher {
  /// The compiled tables as built, before ``MatcherStorage`` takes them over.
  struct Tables {
    /// Every program's instructions, one after another (see ``PatternInfo/base``), in the compact
    /// form a run reads (the NFA's jumps are folded into the closures).
    var instructions: [Step] = []
    /// What a run needs of each pattern, in one record.
    var patternInfo: [PatternInfo] = []
    /// Which clauses hold is worked out from the atoms a message has: an ordinary atom lists the
    /// clauses it is in (atomClauses[atomClauseStarts[a]..<atomClauseStarts[a+1]]), and a scan marks
    /// them once per distinct atom. An atom in many clauses (a common word) lists none; instead each
    /// clause names its common atoms (hotAtoms[hotStarts[c]..<hotStarts[c+1]]), looked up only
    /// when a pattern that needs the clause is considered.
    var atomClauseStarts: [Int32] = []
    var atomClauses: [Int32] = []
    var hotStarts: [Int32] = []
    var hotAtoms: [Int32] = []
    /// Pattern p needs clauses patternClauses[clauseStarts[p]..<clauseStarts[p+1]] (rarest first,
    /// its anchor last). Patterns that cannot match are never started.
    var clauseStarts: [Int32] = []
    var patternClauses: [Int32] = []
    /// Per pattern, a 64-bit summary of the atoms it needs (clauses of a single atom, one bit per
    /// atom by ``bloomBit(_:)``): a message whose atoms' summary lacks one of these bits cannot
    /// match it, which rejects most looked-at patterns with one AND.
    var requiredBloom: [UInt64] = []
    /// Per atom set, the summary of its atoms (``bloomBit(_:)``): most tokens are turned away from
    /// a set without searching it.
    var setBlooms: [UInt64] = []
    /// Atom sets of `atomSet` instructions: set k is setAtoms[setStarts[k]..<setStarts[k+1]], sorted.
    var setStarts: [Int32] = []
    var setAtoms: [Int32] = []
    /// Patterns by the atoms of their anchor (rarest necessary) clause: patterns anchored on atom a
    /// are anchoredPatterns[anchorStarts[a]..<anchorStarts[a+1]].
    var anchorStarts: [Int32] = []
    var anchoredPatterns: [Int32] = []
    /// Patterns with no necessary atom (made only of `<any>` and optional parts); always considered.
    var unanchoredPatterns: [Int32] = []
    /// The possible first atoms of the patterns (see ``PatternInfo/firstStart``).
    var firstAtomList: [Int32] = []
    /// Epsilon closures, precomputed: the consuming states (and `match`, stored as its bitwise NOT)
    /// reachable without consuming a token, in the order a depth-first walk first reaches them (the
    /// Pike VM's priority order). A consuming instruction holds where the closure of its successor
    /// is (see ``Instruction``), a pattern its start closure (``PatternInfo/startClosure``). Program
    /// counters in the lists are relative to the pattern's base.
    var closureList: [Int32] = []
    /// Patterns of at most 64 consuming states (nearly all) also in bit-parallel form, which is how
    /// they are run (see ``Scanner/runNarrow(_:tokenBlooms:)``); the others run as a Pike VM.
    var narrow: [NarrowPattern] = []
    /// Each bit-parallel state's successors once it has consumed its token.
    var narrowSuccessors: [UInt64] = []
    /// The atoms a narrow pattern's states consume, each with the mask of those states, as one
    /// small open-addressing hash table per pattern (-1 marks an empty slot).
    var narrowAtoms: [Int32] = []
    var narrowAtomMasks: [UInt64] = []
  }

  /// The compiled tables in memory this object owns, freed with it, or (read from the library's
  /// own compiled packs) in the library's read-only data: the matcher keeps one for its whole
  /// life, so views of it stay valid while the matcher is alive (see ``Tables`` for what each holds).
  final class MatcherStorage: @unchecked Sendable {
    let instructions: UnsafeBufferPointer<Step>
    let patternInfo: UnsafeBufferPointer<PatternInfo>
    let atomClauseStarts: UnsafeBufferPointer<Int32>
    let atomClauses: UnsafeBufferPointer<Int32>
    let hotStarts: UnsafeBufferPointer<Int32>
    let hotAtoms: UnsafeBufferPointer<Int32>
    let clauseStarts: UnsafeBufferPointer<Int32>
    let patternClauses: UnsafeBufferPointer<Int32>
    let requiredBloom: UnsafeBufferPointer<UInt64>
    let setBlooms: UnsafeBufferPointer<UInt64>
    let setStarts: UnsafeBufferPointer<Int32>
    let setAtoms: UnsafeBufferPointer<Int32>
    let anchorStarts: UnsafeBufferPointer<Int32>
    let anchoredPatterns: UnsafeBufferPointer<Int32>
    let unanchoredPatterns: UnsafeBufferPointer<Int32>
    let firstAtomList: UnsafeBufferPointer<Int32>
    let closureList: UnsafeBufferPointer<Int32>
    let narrow: UnsafeBufferPointer<NarrowPattern>
    let narrowSuccessors: UnsafeBufferPointer<UInt64>
    let narrowAtoms: UnsafeBufferPointer<Int32>
    let narrowAtomMasks: UnsafeBufferPointer<UInt64>

    /// The memory this object allocated, freed with it (not the tables it reads in place).
    private let allocations: [UnsafeMutableRawPointer]

    init(_ tables: Tables) {
      var owned: [UnsafeMutableRawPointer] = []
      func own<T>(_ array: [T]) -> UnsafeBufferPointer<T> {
        let buffer = MatcherStorage.own(array)
        owned.append(UnsafeMutableRawPointer(mutating: buffer.baseAddress!))
        return buffer
      }
      instructions = own(tables.instructions)
      patternInfo = own(tables.patternInfo)
      atomClauseStarts = own(tables.atomClauseStarts)
      atomClauses = own(tables.atomClauses)
      hotStarts = own(tables.hotStarts)
      hotAtoms = own(tables.hotAtoms)
      clauseStarts = own(tables.clauseStarts)
      patternClauses = own(tables.patternClauses)
      requiredBloom = own(tables.requiredBloom)
      setBlooms = own(tables.setBlooms)
      setStarts = own(tables.setStarts)
      setAtoms = own(tables.setAtoms)
      anchorStarts = own(tables.anchorStarts)
      anchoredPatterns = own(tables.anchoredPatterns)
      unanchoredPatterns = own(tables.unanchoredPatterns)
      firstAtomList = own(tables.firstAtomList)
      closureList = own(tables.closureList)
      narrow = own(tables.narrow)
      narrowSuccessors = own(tables.narrowSuccessors)
      narrowAtoms = own(tables.narrowAtoms)
      narrowAtomMasks = own(tables.narrowAtomMasks)
      allocations = owned
    }

    /// The tables as ``PatternMatcher/write(to:)`` wrote them: the integer tables and the
    /// bit-parallel records where they lie when the archive is permanent (see
    /// ``ArchiveReader/table(_:allocations:)``); the Pike VM's program, when the archive has one,
    /// read field by field into memory of its own.
    init(reading r: inout ArchiveReader) throws(ChildSafeError) {
      var owned: [UnsafeMutableRawPointer] = []
      // On an error, what was allocated so far is freed here (no object exists to free it).
      var complete = false
      defer { if !complete { for p in owned { p.deallocate() } } }
      func records<T>(
        _ read: (inout ArchiveReader) throws(ChildSafeError) -> T
      ) throws(ChildSafeError) -> UnsafeBufferPointer<T> {
        let n = try r.length()
        let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(1, n))
        owned.append(UnsafeMutableRawPointer(buffer.baseAddress!))
        for k in 0..<n { (buffer.baseAddress! + k).initialize(to: try read(&r)) }
        return UnsafeBufferPointer(rebasing: buffer[0..<n])
      }
      if try r.bool() {
        instructions = try records { r throws(ChildSafeError) in
          let atom = try r.int32()
          let closure = try r.int32()
          guard let closureCount = UInt16(exactly: try r.varint()), let op = Op(rawValue: try r.byte()) else {
            throw r.corrupt("bad instruction")
          }
          return Step(atom: atom, closure: closure, closureCount: closureCount, op: op)
        }
        patternInfo = try records { r throws(ChildSafeError) in
          PatternInfo(
            base: try r.int32(), size: try r.int32(), startClosure: try r.int32(), startClosureCount: try r.int32(),
            firstStart: try r.int32(), firstEnd: try r.int32(), singleToken: try r.bool(), startsWithAny: try r.bool())
        }
        setStarts = try r.table(Int32.self, allocations: &owned)
        setAtoms = try r.table(Int32.self, allocations: &owned)
        setBlooms = try r.table(UInt64.self, allocations: &owned)
        firstAtomList = try r.table(Int32.self, allocations: &owned)
        closureList = try r.table(Int32.self, allocations: &owned)
      } else {
        instructions = UnsafeBufferPointer(start: nil, count: 0)
        patternInfo = UnsafeBufferPointer(start: nil, count: 0)
        setStarts = UnsafeBufferPointer(start: nil, count: 0)
        setAtoms = UnsafeBufferPointer(start: nil, count: 0)
        setBlooms = UnsafeBufferPointer(start: nil, count: 0)
        firstAtomList = UnsafeBufferPointer(start: nil, count: 0)
        closureList = UnsafeBufferPointer(start: nil, count: 0)
      }
      atomClauseStarts = try r.table(Int32.self, allocations: &owned)
      atomClauses = try r.table(Int32.self, allocations: &owned)
      hotStarts = try r.table(Int32.self, allocations: &owned)
      hotAtoms = try r.table(Int32.self, allocations: &owned)
      clauseStarts = try r.table(Int32.self, allocations: &owned)
      patternClauses = try r.table(Int32.self, allocations: &owned)
      anchorStarts = try r.table(Int32.self, allocations: &owned)
      anchoredPatterns = try r.table(Int32.self, allocations: &owned)
      unanchoredPatterns = try r.table(Int32.self, allocations: &owned)
      requiredBloom = try r.table(UInt64.self, allocations: &owned)
      narrow = try r.records(NarrowPattern.self, allocations: &owned)
      narrowSuccessors = try r.table(UInt64.self, allocations: &owned)
      narrowAtoms = try r.table(Int32.self, allocations: &owned)
      narrowAtomMasks = try r.table(UInt64.self, allocations: &owned)
      allocations = owned
      complete = true
    }

    deinit {
      for p in allocations { p.deallocate() }
    }

    /// A copy of `array` in memory of its own (never empty, so its base address is never nil).
    static func own<T>(_ array: [T]) -> UnsafeBufferPointer<T> {
      let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(1, array.count))
      _ = buffer.initialize(fromContentsOf: array)
      return UnsafeBufferPointer(rebasing: buffer[0..<array.count])
    }

    /// The tables that decide which patterns a message wakes.
    var activation: ActivationTables {
      ActivationTables(
        anchorStarts: anchorStarts, anchoredPatterns: anchoredPatterns, clauseStarts: clauseStarts,
        patternClauses: patternClauses, atomClauseStarts: atomClauseStarts, atomClauses: atomClauses,
        hotStarts: hotStarts, hotAtoms: hotAtoms, requiredBloom: requiredBloom, unanchoredPatterns: unanchoredPatterns)
    }

    /// The bit-parallel patterns.
    var narrowTables: NarrowTables {
      NarrowTables(patterns: narrow, successors: narrowSuccessors, atoms: narrowAtoms, masks: narrowAtomMasks)
    }
  }

  /// Borrowed views of the tables that decide which patterns a message wakes (see ``Scanner``):
  /// the hot loops then read them without reloading and bounds-checking the arrays.
  struct ActivationTables {
    var anchorStarts = UnsafeBufferPointer<Int32>(start: nil, count: 0)
    var anchoredPatterns = UnsafeBufferPointer<Int32>(start: nil, count: 0)
    var clauseStarts = UnsafeBufferPointer<Int32>(start: nil, count: 0)
    var patternClauses = UnsafeBufferPointer<Int32>(start: nil, count: 0)
    var atomClauseStarts = UnsafeBufferPointer<Int32>(start: nil, count: 0)
    var atomClauses = UnsafeBufferPointer<Int32>(start: nil, count: 0)
    var hotStarts = UnsafeBufferPointer<Int32>(start: nil, count: 0)
    var hotAtoms = UnsafeBufferPointer<Int32>(start: nil, count: 0)
    var requiredBloom = UnsafeBufferPointer<UInt64>(start: nil, count: 0)
    var unanchoredPatterns = UnsafeBufferPointer<Int32>(start: nil, count: 0)
  }

  /// One scan's scratch memory, carved from a single block of 64-bit words: per pattern, whether
  /// its clauses were checked and whether it can still start (bitsets); per atom, whether the
  /// message has it and whether its anchored patterns were looked at (bitsets); per clause, whether
  /// it holds (bitset); room for every pattern's match; one word per token for its atoms' summary;
  /// then Int32 room for the active patterns. Only the bitsets need zeroing.
  struct ScanMemory {
    let patternWords: Int
    let atomWords: Int
    let clauseWords: Int
    let matchWords: Int
    let activeWords: Int
    let tokens: Int

    init(patterns: Int, atoms: Int, clauses: Int, tokens: Int) {
      patternWords = (patterns + 63) / 64
      atomWords = (atoms + 63) / 64
      clauseWords = (clauses + 63) / 64
      // A match entry takes whole words (3).
      matchWords = (MemoryLayout<Matches.Entry>.stride + 7) / 8 * patterns
      activeWords = (patterns + 1) / 2 + 1
      self.tokens = tokens
    }

    var bitWords: Int { 2 * patternWords + 2 * atomWords + clauseWords }
    /// The size of the block, in 64-bit words.
    var words: Int { bitWords + matchWords + activeWords + tokens }
  }
}
