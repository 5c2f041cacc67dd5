extension PatternMatcher {
  /// Borrowed views of the program and the token atoms for the inner loops (no reference counting).
  struct CodeView {
    let code: UnsafeBufferPointer<Step>
    let atoms: UnsafeBufferPointer<Int32>
    let offsets: UnsafeBufferPointer<Int32>
    let setStarts: UnsafeBufferPointer<Int32>
    let setAtoms: UnsafeBufferPointer<Int32>
    let setBlooms: UnsafeBufferPointer<UInt64>
    let firstAtoms: UnsafeBufferPointer<Int32>
    let closures: UnsafeBufferPointer<Int32>
    let narrow: NarrowTables

    /// Whether token `i` satisfies the consuming instruction `ins`.
    @inline(__always)
    func fits(_ ins: Step, token i: Int) -> Bool {
      let lo = Int(offsets[i])
      let hi = Int(offsets[i + 1])
      switch ins.op {
      case .any: return true
      case .atom:
        var j = lo
        while j < hi {
          if atoms[j] == ins.atom { return true }
          j += 1
        }
        return false
      case .atomSet:
        let setLo = Int(setStarts[Int(ins.atom)])
        let setHi = Int(setStarts[Int(ins.atom) + 1])
        let summary = setBlooms[Int(ins.atom)]
        var j = lo
        while j < hi {
          let value = atoms[j]
          j += 1
          if summary & PatternMatcher.bloomBit(value) == 0 { continue }
          if PatternMatcher.sortedContains(setAtoms, setLo, setHi, value) { return true }
        }
        return false
      default: return false
      }
    }
  }

  /// Binary search in atoms[lo..<hi] (sorted).
  @inline(__always)
  static func sortedContains(_ atoms: UnsafeBufferPointer<Int32>, _ lo: Int, _ hi: Int, _ value: Int32) -> Bool {
    var a = lo
    var b = hi
    while a < b {
      let m = (a + b) >> 1
      let v = atoms[m]
      if v == value { return true }
      if v < value { a = m + 1 } else { b = m }
    }
    return false
  }

  /// The mutable state of a message's scans over borrowed scratch memory (see ``withScanner(table:count:steps:_:)``).
  struct Scanner {
    /// Unowned: a scanner lives only inside ``withScanner(table:count:steps:_:)``, which keeps
    /// the matcher alive (and a retain per scan would cost two atomic operations per message).
    unowned(unsafe) let matcher: PatternMatcher
    let view: CodeView
    let info: UnsafeBufferPointer<PatternInfo>
    let tables: ActivationTables
    let count: Int
    /// What the runs found so far.
    var found: Matches
    /// Per pattern, as bitsets: whether its filter was checked, and whether it can still be
    /// started (its filter atoms occur and it is not active yet).
    let decided: UnsafeMutablePointer<UInt64>
    let startable: UnsafeMutablePointer<UInt64>
    /// Per atom, as bitsets: whether it occurs in the message, and whether its anchored patterns were looked at.
    let present: UnsafeMutablePointer<UInt64>
    let visited: UnsafeMutablePointer<UInt64>
    /// Per clause, as a bitset: whether it holds (set from the message's ordinary atoms when the
    /// scan begins, and when a lookup of its common atoms finds one).
    let clauseTrue: UnsafeMutablePointer<UInt64>
    /// Room for every pattern.
    let active: UnsafeMutablePointer<Int32>
    /// Each token's atoms summarised by ``PatternMatcher/bloomBit(_:)`` (so that most tokens are
    /// turned away from a narrow pattern with one AND), filled in by the first run that needs them.
    let tokenBlooms: UnsafeMutablePointer<UInt64>
    var tokenBloomsReady = false
    /// NFA state visits, counted in test builds (see ``WorkCounter``).
    var steps = WorkCounter()
    /// The message's atoms summarised as ``PatternMatcher/requiredBloom`` is.
    var bloom: UInt64 = 0

    /// A scanner over `table` (the atoms of `count` tokens) whose state lives in `memory`, a block
    /// of `layout.words` words that the caller keeps for the scanner's life.
    init(matcher: PatternMatcher, table: TokenAtoms, count: Int, layout: ScanMemory, memory: UnsafeMutablePointer<UInt64>) {
      let storage = matcher.storage
      self.matcher = matcher
      self.view = CodeView(
        code: storage.instructions, atoms: table.atoms, offsets: table.offsets, setStarts: storage.setStarts,
        setAtoms: storage.setAtoms, setBlooms: storage.setBlooms, firstAtoms: storage.firstAtomList,
        closures: storage.closureList, narrow: storage.narrowTables)
      self.info = storage.patternInfo
      self.tables = storage.activation
      self.count = count
      // The bitsets first (zeroed), then the matches, the active list and the token summaries.
      memory.initialize(repeating: 0, count: layout.bitWords)
      decided = memory
      startable = memory + layout.patternWords
      present = memory + 2 * layout.patternWords
      visited = memory + 2 * layout.patternWords + layout.atomWords
      clauseTrue = memory + 2 * layout.patternWords + 2 * layout.atomWords
      let matches = UnsafeMutableRawPointer(memory + layout.bitWords)
        .bindMemory(to: Matches.Entry.self, capacity: matcher.patternCount)
      found = Matches(storage: matches)
      active = UnsafeMutableRawPointer(memory + layout.bitWords + layout.matchWords)
        .bindMemory(to: Int32.self, capacity: matcher.patternCount)
      tokenBlooms = memory + layout.bitWords + layout.matchWords + layout.activeWords
    }

    /// Marks the message's atoms present, with the clauses of the ordinary ones, and sums them up
    /// in ``bloom`` (before any run).
    mutating func notePresentAtoms() {
      for a in view.atoms {
        let word = Int(a) >> 6
        let bit: UInt64 = 1 << UInt64(a & 63)
        if present[word] & bit != 0 { continue }
        present[word] |= bit
        bloom |= PatternMatcher.bloomBit(a)
        for k in Int(tables.atomClauseStarts[Int(a)])..<Int(tables.atomClauseStarts[Int(a) + 1]) {
          let c = tables.atomClauses[k]
          clauseTrue[Int(c) >> 6] |= 1 << UInt64(c & 63)
        }
      }
    }

    @inline(__always)
    func isPresent(_ a: Int32) -> Bool { present[Int(a) >> 6] & (1 << UInt64(a & 63)) != 0 }
  }

  /// The patterns that matched, with their first spans, in a scanner's scratch memory (room for
  /// every pattern: each matches at most once per message). Few per message, so a list beats a hash.
  struct Matches {
    typealias Entry = (pattern: Int32, span: Span)
    let storage: UnsafeMutablePointer<Entry>
    private(set) var count = 0

    init(storage: UnsafeMutablePointer<Entry>) { self.storage = storage }

    var entries: UnsafeBufferPointer<Entry> { UnsafeBufferPointer(start: storage, count: count) }
    var isEmpty: Bool { count == 0 }

    subscript(_ p: Int32) -> Span? {
      for entry in entries where entry.pattern == p { return entry.span }
      return nil
    }

    mutating func add(_ p: Int32, _ span: Span) {
      storage[count] = (p, span)
      count += 1
    }
  }
}

extension PatternMatcher.Scanner {
  /// Runs every active pattern over the tokens; each reports its leftmost match, longest at that start.
  mutating func runTogether(_ activeList: UnsafeBufferPointer<Int32>) {
    // Patterns in bit-parallel form run one after another; any others together as a Pike VM.
    var wideCount = 0
    for p in activeList where !view.narrow.patterns[Int(p)].isNarrow { wideCount += 1 }
    if wideCount < activeList.count {
      if !tokenBloomsReady {
        for i in 0..<count {
          var summary: UInt64 = 0
          for j in Int(view.offsets[i])..<Int(view.offsets[i + 1]) { summary |= PatternMatcher.bloomBit(view.atoms[j]) }
          tokenBlooms[i] = summary
        }
        tokenBloomsReady = true
      }
      let blooms = UnsafeBufferPointer(start: tokenBlooms, count: count)
      for p in activeList where view.narrow.patterns[Int(p)].isNarrow { runNarrow(p, tokenBlooms: blooms) }
    }
    guard wideCount > 0 else { return }
    withScratch(of: Int32.self, capacity: wideCount) { wide in
      var n = 0
      for p in activeList where !view.narrow.patterns[Int(p)].isNarrow {
        wide[n] = p
        n += 1
      }
      runPikeVM(UnsafeBufferPointer(wide))
    }
  }
}
