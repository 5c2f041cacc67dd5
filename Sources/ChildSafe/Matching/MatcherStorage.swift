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
    var narrowStates: [NarrowState] = []
    /// The atoms a narrow pattern's states consume, each with the mask of those states, as one
    /// small open-addressing hash table per pattern (-1 marks an empty slot).
    var narrowAtoms: [Int32] = []
    var narrowAtomMasks: [UInt64] = []
  }

  /// The compiled tables in memory this object owns, freed with it: the matcher keeps one for its
  /// whole life, so views of it stay valid while the matcher is alive (see ``Tables`` for what each holds).
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
    let narrowStates: UnsafeBufferPointer<NarrowState>
    let narrowAtoms: UnsafeBufferPointer<Int32>
    let narrowAtomMasks: UnsafeBufferPointer<UInt64>

    init(_ tables: Tables) {
      instructions = MatcherStorage.own(tables.instructions)
      patternInfo = MatcherStorage.own(tables.patternInfo)
      atomClauseStarts = MatcherStorage.own(tables.atomClauseStarts)
      atomClauses = MatcherStorage.own(tables.atomClauses)
      hotStarts = MatcherStorage.own(tables.hotStarts)
      hotAtoms = MatcherStorage.own(tables.hotAtoms)
      clauseStarts = MatcherStorage.own(tables.clauseStarts)
      patternClauses = MatcherStorage.own(tables.patternClauses)
      requiredBloom = MatcherStorage.own(tables.requiredBloom)
      setBlooms = MatcherStorage.own(tables.setBlooms)
      setStarts = MatcherStorage.own(tables.setStarts)
      setAtoms = MatcherStorage.own(tables.setAtoms)
      anchorStarts = MatcherStorage.own(tables.anchorStarts)
      anchoredPatterns = MatcherStorage.own(tables.anchoredPatterns)
      unanchoredPatterns = MatcherStorage.own(tables.unanchoredPatterns)
      firstAtomList = MatcherStorage.own(tables.firstAtomList)
      closureList = MatcherStorage.own(tables.closureList)
      narrow = MatcherStorage.own(tables.narrow)
      narrowStates = MatcherStorage.own(tables.narrowStates)
      narrowAtoms = MatcherStorage.own(tables.narrowAtoms)
      narrowAtomMasks = MatcherStorage.own(tables.narrowAtomMasks)
    }

    deinit {
      UnsafeMutableBufferPointer(mutating: instructions).deallocate()
      UnsafeMutableBufferPointer(mutating: patternInfo).deallocate()
      UnsafeMutableBufferPointer(mutating: atomClauseStarts).deallocate()
      UnsafeMutableBufferPointer(mutating: atomClauses).deallocate()
      UnsafeMutableBufferPointer(mutating: hotStarts).deallocate()
      UnsafeMutableBufferPointer(mutating: hotAtoms).deallocate()
      UnsafeMutableBufferPointer(mutating: clauseStarts).deallocate()
      UnsafeMutableBufferPointer(mutating: patternClauses).deallocate()
      UnsafeMutableBufferPointer(mutating: requiredBloom).deallocate()
      UnsafeMutableBufferPointer(mutating: setBlooms).deallocate()
      UnsafeMutableBufferPointer(mutating: setStarts).deallocate()
      UnsafeMutableBufferPointer(mutating: setAtoms).deallocate()
      UnsafeMutableBufferPointer(mutating: anchorStarts).deallocate()
      UnsafeMutableBufferPointer(mutating: anchoredPatterns).deallocate()
      UnsafeMutableBufferPointer(mutating: unanchoredPatterns).deallocate()
      UnsafeMutableBufferPointer(mutating: firstAtomList).deallocate()
      UnsafeMutableBufferPointer(mutating: closureList).deallocate()
      UnsafeMutableBufferPointer(mutating: narrow).deallocate()
      UnsafeMutableBufferPointer(mutating: narrowStates).deallocate()
      UnsafeMutableBufferPointer(mutating: narrowAtoms).deallocate()
      UnsafeMutableBufferPointer(mutating: narrowAtomMasks).deallocate()
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
      NarrowTables(patterns: narrow, states: narrowStates, atoms: narrowAtoms, masks: narrowAtomMasks)
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
