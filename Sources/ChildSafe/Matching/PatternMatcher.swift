/// Compiled patterns: every distinct pattern of a rule set as a small Thompson NFA over token
/// "atoms" (a known word, a stem, a number range, a token kind), with its epsilon closures
/// precomputed, and indexed by the atoms of its rarest necessary clause.
///
/// Matching is linear in the number of tokens: each token is mapped once to the atoms it
/// satisfies (one hash lookup for the word, a byte-trie walk for stems); the atoms present wake
/// only the patterns whose every necessary clause has an atom in the message; those run together
/// as one Pike VM over the tokens, started at the tokens that can begin them, each state held once
/// per token by the earliest start, so each pattern gets its leftmost match, longest at that
/// start. Runs stop within a pattern's bounded length (gaps are at most 8 tokens, and there is no
/// repetition). Nothing backtracks, and a scan allocates nothing on the heap unless a pattern matches.
final class PatternMatcher: Sendable {
  enum Op: UInt8 {
    /// One token with this atom.
    case atom
    /// One token with any atom of set `atom` (alternatives of single words become one state).
    case atomSet
    case any, split, match, fail
  }

  /// An instruction as compiled (runs read the compact ``Step`` made from it).
  struct Instruction: Sendable {
    var op: Op
    /// For a consuming instruction (atom, atomSet, any): how many states the closure of its
    /// successor has; the closure starts at `alternative` in ``closureList``.
    var closureCount: UInt16 = 0
    var atom: Int32 = -1
    var next: Int32 = -1
    /// The second arm of a split; for a consuming instruction, where its successor's closure starts.
    var alternative: Int32 = -1
  }

  struct Program: Sendable {
    var instructions: [Instruction]
    var start: Int32
  }

  /// A consuming instruction as a run reads it: 12 bytes, so a pattern's states share few cache lines.
  struct Step: Sendable {
    /// The atom (or atom set) it consumes.
    var atom: Int32
    /// Where the closure of its successor starts in ``closureList``, and how many states it has.
    var closure: Int32
    var closureCount: UInt16
    var op: Op
  }
  /// Necessary clauses: sets of atoms, one of which must be in a message for a pattern that
  /// needs the clause to match. Patterns share clauses (the same alternatives recur).
  let clauseCount: Int
  /// Literal words by their UTF-8 bytes.
  let wordTable: ByteTable
  let stems: StemTrie
  /// Whether a word or stem of the patterns could be (the start of) a word of a script segmented
  /// by dictionary: Chinese, Japanese, Thai... (see ``couldMatchDictionaryRun(_:)``). When none
  /// could, how such a run is split into words changes no atom of a message, only how many
  /// tokens carry them.
  let mayMatchDictionaryScripts: Bool
  let numberAtoms: [(range: ClosedRange<Int>?, atom: Int32)]
  /// Atom for each token kind (index = Kind.rawValue), -1 when no pattern uses it.
  let kindAtoms: [Int32]
  let atomCount: Int
  /// The compiled tables (see ``Tables``), in memory the matcher owns for its lifetime. The
  /// buffer views below are valid only while the matcher is alive: code that reads one after its
  /// last use of the matcher (a test over a temporary, say) must keep it with `withExtendedLifetime`.
  let storage: MatcherStorage

  /// What the Pike VM needs of each pattern, in one record (empty when read from an archive
  /// whose patterns all run bit-parallel; see ``write(to:)``).
  var patternInfo: UnsafeBufferPointer<PatternInfo> { storage.patternInfo }
  /// Each pattern's bit-parallel form (see ``NarrowPattern``).
  var narrow: UnsafeBufferPointer<NarrowPattern> { storage.narrow }
  /// How many patterns the matcher has (their ids are 0..<patternCount).
  var patternCount: Int { storage.narrow.count }

  /// A pattern as sets of states (bit i: its i-th consuming instruction). A plain record, which
  /// the library's compiled packs hold as it lies in memory (``ArchiveRecord``).
  struct NarrowPattern: Sendable {
    /// The states it starts in, and those that consume any token.
    var startMask: UInt64
    var anyMask: UInt64
    /// Its atoms, summarised by ``PatternMatcher/bloomBit(_:)``.
    var atomBloom: UInt64
    /// When ``startsOnAtoms``: the summary of the atoms its start states consume, so that a token
    /// whose atoms miss it cannot start the pattern.
    var startBloom: UInt64
    /// The states from which it has matched once they consume their token.
    var matchMask: UInt64
    /// Its states' successors are narrowSuccessors[stateStart...].
    var stateStart: Int32
    /// Its atoms' table: narrowAtoms[atomStart..<atomStart + atomSlots] (a power of two, at most
    /// half full).
    var atomStart: Int32
    var atomSlots: Int32
    /// False when it has more than 64 consuming states (then the rest is unused).
    var isNarrow: Bool
    /// Whether none of its start states consumes any token (then ``startBloom`` applies).
    var startsOnAtoms: Bool

    /// The form of a pattern too wide to run bit-parallel.
    static let wide = NarrowPattern(
      startMask: 0, anyMask: 0, atomBloom: 0, startBloom: 0, matchMask: 0, stateStart: 0, atomStart: 0, atomSlots: 0,
      isNarrow: false, startsOnAtoms: false)
  }

  /// One pattern's program and how it starts.
  struct PatternInfo: Sendable {
    /// Its first instruction in ``instructions`` (its jumps are relative to it), and how many it has.
    var base: Int32
    var size: Int32
    /// Its start closure: closureList[startClosure..<startClosure + startClosureCount].
    var startClosure: Int32
    var startClosureCount: Int32
    /// Its possible first atoms (sorted): firstAtomList[firstStart..<firstEnd].
    var firstStart: Int32
    var firstEnd: Int32
    /// Exactly one token (a word or alternatives of words): its first atoms are the whole pattern,
    /// so no NFA is needed.
    var singleToken: Bool
    /// Whether it can start with any token.
    var startsWithAny: Bool
  }

  /// Builds the matcher for `patterns` (their index is their id). Only the patterns marked in
  /// `indexed` (all when nil) are found through their anchors by a scan of the whole set; the
  /// others are looked for only when a scan names them (see ``Scanner/run(only:)``). Patterns of
  /// at most `narrowStateLimit` (at most 64) consuming states run in bit-parallel form, the others
  /// as a Pike VM (tests lower the limit to compare the two).
  init(patterns: [PatternNode], indexed: [Bool]? = nil, narrowStateLimit: Int = 64) {
    var builder = Builder()
    var tables = Tables()
    var programs: [Program] = []
    for node in patterns { programs.append(builder.compile(PatternMatcher.trimmed(node))) }
    var flat: [Instruction] = []
    var bases: [Int32] = []
    for program in programs {
      bases.append(Int32(flat.count))
      flat.append(contentsOf: program.instructions)
    }
    var fStarts: [Int32] = [0]
    var fAtoms: [Int32] = []
    var cStarts: [Int32] = [0]
    var pClauses: [Int32] = []
    var clauseIDs: [[Int32]: Int32] = [:]
    var anchored = [[Int32]](repeating: [], count: builder.atomCount)
    var unanchored: [Int32] = []
    for (id, node) in patterns.enumerated() {
      let clauses = builder.clauses(PatternMatcher.trimmed(node)).sorted(by: { $0.cost < $1.cost })
      // The rarest clause anchors the pattern: it is considered only when one of its atoms occurs.
      // `viable` then checks the other clauses rarest first (it stops at the first one with no atom
      // in the message) and the anchor, known to be present, last.
      for clause in clauses.dropFirst() + clauses.prefix(1) {
        let atoms = clause.atoms.sorted()
        if let known = clauseIDs[atoms] {
          pClauses.append(known)
        } else {
          let new = Int32(fStarts.count - 1)
          clauseIDs[atoms] = new
          fAtoms.append(contentsOf: atoms)
          fStarts.append(Int32(fAtoms.count))
          pClauses.append(new)
        }
      }
      cStarts.append(Int32(pClauses.count))
      if let indexed, !indexed[id] { continue }
      if let anchor = clauses.first {
        for a in anchor.atoms { anchored[Int(a)].append(Int32(id)) }
      } else {
        unanchored.append(Int32(id))
      }
    }
    tables.requiredBloom = (0..<patterns.count).map { p in
      var bits: UInt64 = 0
      for k in Int(cStarts[p])..<Int(cStarts[p + 1]) {
        let c = Int(pClauses[k])
        if fStarts[c + 1] - fStarts[c] == 1 { bits |= PatternMatcher.bloomBit(fAtoms[Int(fStarts[c])]) }
      }
      return bits
    }
    tables.anchorStarts = [0] + anchored.reduce(into: [Int32]()) { starts, list in
      starts.append((starts.last ?? 0) + Int32(list.count))
    }
    tables.anchoredPatterns = anchored.flatMap { $0 }
    tables.unanchoredPatterns = unanchored
    clauseCount = fStarts.count - 1
    // Atoms in more clauses than this are "hot": marking all their clauses in every message that
    // has them would cost more than looking them up for the few clauses a message asks about.
    let hotLimit = 16
    var clausesOfAtom = [[Int32]](repeating: [], count: builder.atomCount)
    for c in 0..<(fStarts.count - 1) {
      for k in Int(fStarts[c])..<Int(fStarts[c + 1]) { clausesOfAtom[Int(fAtoms[k])].append(Int32(c)) }
    }
    var acStarts: [Int32] = [0]
    var acList: [Int32] = []
    for clauses in clausesOfAtom {
      if clauses.count <= hotLimit { acList.append(contentsOf: clauses) }
      acStarts.append(Int32(acList.count))
    }
    var hStarts: [Int32] = [0]
    var hList: [Int32] = []
    for c in 0..<(fStarts.count - 1) {
      for k in Int(fStarts[c])..<Int(fStarts[c + 1]) where clausesOfAtom[Int(fAtoms[k])].count > hotLimit {
        hList.append(fAtoms[k])
      }
      hStarts.append(Int32(hList.count))
    }
    tables.atomClauseStarts = acStarts
    tables.atomClauses = acList
    tables.hotStarts = hStarts
    tables.hotAtoms = hList
    tables.clauseStarts = cStarts
    tables.patternClauses = pClauses
    tables.setStarts = builder.setStarts
    tables.setBlooms = (0..<(builder.setStarts.count - 1)).map { k in
      var bits: UInt64 = 0
      for j in Int(builder.setStarts[k])..<Int(builder.setStarts[k + 1]) { bits |= PatternMatcher.bloomBit(builder.setAtoms[j]) }
      return bits
    }
    tables.setAtoms = builder.setAtoms
    // In atom order: the same patterns always make the same table (see ``CompiledRulesArchive``).
    wordTable = ByteTable(builder.wordAtoms.map { (key: $0.key, value: $0.value) }.sorted { $0.value < $1.value })
    stems = StemTrie(builder.stemAtoms)
    mayMatchDictionaryScripts =
      builder.wordAtoms.keys.contains(where: PatternMatcher.couldMatchDictionaryRun)
      || builder.stemAtoms.keys.contains(where: PatternMatcher.couldMatchDictionaryRun)
    numberAtoms = builder.numberAtoms
    kindAtoms = builder.kindAtoms
    atomCount = builder.atomCount
    var fs: [Int32] = [0]
    var fl: [Int32] = []
    var anyFirst: [Bool] = []
    for program in programs {
      let (atoms, any) = builder.firstAtoms(program)
      fl.append(contentsOf: atoms.sorted())
      fs.append(Int32(fl.count))
      anyFirst.append(any)
    }
    tables.firstAtomList = fl
    let singleToken = patterns.map { node in
      let t = PatternMatcher.trimmed(node)
      if Builder.isSingleAtom(t) { return true }
      if case .alternatives(let items) = t { return items.allSatisfy(Builder.isSingleAtom) }
      return false
    }
    var list: [Int32] = []
    var startAt: [Int32] = []
    var startCount: [Int32] = []
    for (p, program) in programs.enumerated() {
      // Closures shared by several instructions of a program (e.g. every branch that rejoins) are stored once.
      var known: [Int32: (Int32, Int32)] = [:]
      func closure(_ target: Int32) -> (Int32, Int32) {
        if let range = known[target] { return range }
        let first = Int32(list.count)
        list.append(contentsOf: PatternMatcher.closure(of: target, in: program.instructions))
        let range = (first, Int32(list.count) - first)
        known[target] = range
        return range
      }
      let (a, n) = closure(program.start)
      startAt.append(a)
      startCount.append(n)
      for (pc, ins) in program.instructions.enumerated() where ins.op == .atom || ins.op == .atomSet || ins.op == .any {
        let (b, m) = closure(ins.next)
        flat[Int(bases[p]) + pc].alternative = b
        flat[Int(bases[p]) + pc].closureCount = UInt16(clamping: m)
      }
    }
    tables.instructions = flat.map { Step(atom: $0.atom, closure: $0.alternative, closureCount: $0.closureCount, op: $0.op) }
    tables.closureList = list
    tables.patternInfo = programs.indices.map { p in
      PatternInfo(
        base: bases[p], size: Int32(programs[p].instructions.count), startClosure: startAt[p],
        startClosureCount: startCount[p], firstStart: fs[p], firstEnd: fs[p + 1], singleToken: singleToken[p],
        startsWithAny: anyFirst[p])
    }
    (tables.narrow, tables.narrowSuccessors, tables.narrowAtoms, tables.narrowAtomMasks) = PatternMatcher.narrowForms(
      tables.patternInfo, tables.instructions, tables.closureList, setStarts: tables.setStarts, setAtoms: tables.setAtoms,
      limit: min(64, narrowStateLimit))
    storage = MatcherStorage(tables)
  }


  /// Everything a matcher holds, as ``init(parts:)`` takes it (read from the compiled form of the
  /// embedded packs, see ``CompiledRulesArchive``).
  struct Parts {
    var clauseCount: Int
    var wordTable: ByteTable
    var stems: StemTrie
    var mayMatchDictionaryScripts: Bool
    var numberAtoms: [(range: ClosedRange<Int>?, atom: Int32)]
    var kindAtoms: [Int32]
    var atomCount: Int
    var storage: MatcherStorage
  }

  /// A matcher from tables compiled before (nothing is compiled again).
  init(parts: Parts) {
    clauseCount = parts.clauseCount
    wordTable = parts.wordTable
    stems = parts.stems
    mayMatchDictionaryScripts = parts.mayMatchDictionaryScripts
    numberAtoms = parts.numberAtoms
    kindAtoms = parts.kindAtoms
    atomCount = parts.atomCount
    storage = parts.storage
  }

  /// Where a pattern first matched: token indices (inclusive).
  struct Span: Sendable, Hashable {
    var first: Int
    var last: Int
  }

  /// Finds, for every indexed pattern that matches, its earliest match (longest at that start).
  /// `steps` counts NFA state visits, so tests can check that the cost is linear.
  func scan(_ tokens: TokenView, steps: inout Int) -> [Matches.Entry] {
    withAtoms(of: tokens) { table in
      withScanner(table: table, count: tokens.count, steps: &steps) { scanner in Array(scanner.run(only: nil).entries) }
    }
  }

  /// Calls `body` with a scanner over a message's token atoms. Its runs share what they learn about
  /// the message (which atoms occur, which clauses hold), so a second run, for the conditions of
  /// the rules that matched, costs little more than its own patterns.
  ///
  /// All per-scan state (bitsets, the active list, start positions, NFA thread lists) lives in
  /// scratch memory (see ``ScanMemory``): a scan allocates nothing on the heap unless a pattern matches.
  func withScanner<R>(table: TokenAtoms, count: Int, steps: inout Int, _ body: (inout Scanner) -> R) -> R {
    let layout = ScanMemory(patterns: patternCount, atoms: atomCount, clauses: clauseCount, tokens: count)
    var scanSteps = 0
    let result = withScratch(of: UInt64.self, capacity: layout.words) { memory -> R in
      var scanner = Scanner(matcher: self, table: table, count: count, layout: layout, memory: memory.baseAddress!)
      scanner.notePresentAtoms()
      let result = body(&scanner)
      scanSteps = scanner.steps.value
      return result
    }
    steps += scanSteps
    return result
  }
}
