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

  /// Every program's instructions, one after another (see ``PatternInfo/base``), in the compact
  /// form a run reads (the NFA's jumps are folded into the closures).
  let instructions: [Step]

  /// A consuming instruction as a run reads it: 12 bytes, so a pattern's states share few cache lines.
  struct Step: Sendable {
    /// The atom (or atom set) it consumes.
    var atom: Int32
    /// Where the closure of its successor starts in ``closureList``, and how many states it has.
    var closure: Int32
    var closureCount: UInt16
    var op: Op
  }
  /// What a run needs of each pattern, in one record.
  let patternInfo: [PatternInfo]
  /// Necessary clauses: sets of atoms, one of which must be in a message for a pattern that
  /// needs the clause to match. Patterns share clauses (the same alternatives recur).
  let clauseCount: Int
  /// Which clauses hold is worked out from the atoms a message has: an ordinary atom lists the
  /// clauses it is in (atomClauses[atomClauseStarts[a]..<atomClauseStarts[a+1]]), and a scan marks
  /// them once per distinct atom. An atom in many clauses (a common word) lists none; instead each
  /// clause names its common atoms (hotAtoms[hotStarts[c]..<hotStarts[c+1]]), looked up only
  /// when a pattern that needs the clause is considered.
  let atomClauseStarts: [Int32]
  let atomClauses: [Int32]
  let hotStarts: [Int32]
  let hotAtoms: [Int32]
  /// Pattern p needs clauses patternClauses[clauseStarts[p]..<clauseStarts[p+1]] (rarest first,
  /// its anchor last). Patterns that cannot match are never started.
  let clauseStarts: [Int32]
  let patternClauses: [Int32]
  /// Per pattern, a 64-bit summary of the atoms it needs (clauses of a single atom, one bit per
  /// atom by ``bloomBit(_:)``): a message whose atoms' summary lacks one of these bits cannot
  /// match it, which rejects most looked-at patterns with one AND.
  let requiredBloom: [UInt64]
  /// Per atom set, the summary of its atoms (``bloomBit(_:)``): most tokens are turned away from
  /// a set without searching it.
  let setBlooms: [UInt64]
  /// Atom sets of `atomSet` instructions: set k is setAtoms[setStarts[k]..<setStarts[k+1]], sorted.
  let setStarts: [Int32]
  let setAtoms: [Int32]
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
  /// Patterns by the atoms of their anchor (rarest necessary) clause: patterns anchored on atom a
  /// are anchoredPatterns[anchorStarts[a]..<anchorStarts[a+1]].
  let anchorStarts: [Int32]
  let anchoredPatterns: [Int32]
  /// Patterns with no necessary atom (made only of `<any>` and optional parts); always considered.
  let unanchoredPatterns: [Int32]
  /// The possible first atoms of the patterns (see ``PatternInfo/firstStart``).
  let firstAtomList: [Int32]
  /// Epsilon closures, precomputed: the consuming states (and `match`, stored as its bitwise NOT)
  /// reachable without consuming a token, in the order a depth-first walk first reaches them (the
  /// Pike VM's priority order). A consuming instruction holds where the closure of its successor
  /// is (see ``Instruction``), a pattern its start closure (``PatternInfo/startClosure``). Program
  /// counters in the lists are relative to the pattern's base.
  let closureList: [Int32]
  /// Patterns of at most 64 consuming states (nearly all) also in bit-parallel form, which is how
  /// they are run (see ``Scanner/runNarrow(_:tokenBlooms:)``); the others run as a Pike VM.
  let narrow: [NarrowPattern]
  let narrowStates: [NarrowState]
  /// The atoms a narrow pattern's states consume, each with the mask of those states, as one
  /// small open-addressing hash table per pattern (-1 marks an empty slot).
  let narrowAtoms: [Int32]
  let narrowAtomMasks: [UInt64]

  /// A pattern as sets of states (bit i: its i-th consuming instruction).
  struct NarrowPattern: Sendable {
    /// False when it has more than 64 consuming states (then the rest is unused).
    var isNarrow: Bool
    /// Its states' successors are narrowStates[stateStart...].
    var stateStart: Int32
    /// The states it starts in, and those that consume any token.
    var startMask: UInt64
    var anyMask: UInt64
    /// Its atoms' table: narrowAtoms[atomStart..<atomStart + atomSlots] (a power of two, at most
    /// half full); the atoms summarised by ``PatternMatcher/bloomBit(_:)``.
    var atomStart: Int32
    var atomSlots: Int32
    var atomBloom: UInt64
    /// The summary of the atoms its start states consume, when none of them consumes any token:
    /// a token whose atoms miss it cannot start the pattern. Nil when any token can.
    var startBloom: UInt64?
  }

  /// What follows a consuming state once it has consumed a token.
  struct NarrowState: Sendable {
    var successors: UInt64
    var reachesMatch: Bool
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
    requiredBloom = (0..<patterns.count).map { p in
      var bits: UInt64 = 0
      for k in Int(cStarts[p])..<Int(cStarts[p + 1]) {
        let c = Int(pClauses[k])
        if fStarts[c + 1] - fStarts[c] == 1 { bits |= PatternMatcher.bloomBit(fAtoms[Int(fStarts[c])]) }
      }
      return bits
    }
    anchorStarts = [0] + anchored.reduce(into: [Int32]()) { starts, list in
      starts.append((starts.last ?? 0) + Int32(list.count))
    }
    anchoredPatterns = anchored.flatMap { $0 }
    unanchoredPatterns = unanchored
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
    atomClauseStarts = acStarts
    atomClauses = acList
    hotStarts = hStarts
    hotAtoms = hList
    clauseStarts = cStarts
    patternClauses = pClauses
    setStarts = builder.setStarts
    setBlooms = (0..<(builder.setStarts.count - 1)).map { k in
      var bits: UInt64 = 0
      for j in Int(builder.setStarts[k])..<Int(builder.setStarts[k + 1]) { bits |= PatternMatcher.bloomBit(builder.setAtoms[j]) }
      return bits
    }
    setAtoms = builder.setAtoms
    wordTable = ByteTable(builder.wordAtoms.map { (key: $0.key, value: $0.value) })
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
    firstAtomList = fl
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
    instructions = flat.map { Step(atom: $0.atom, closure: $0.alternative, closureCount: $0.closureCount, op: $0.op) }
    closureList = list
    patternInfo = programs.indices.map { p in
      PatternInfo(
        base: bases[p], size: Int32(programs[p].instructions.count), startClosure: startAt[p],
        startClosureCount: startCount[p], firstStart: fs[p], firstEnd: fs[p + 1], singleToken: singleToken[p],
        startsWithAny: anyFirst[p])
    }
    (narrow, narrowStates, narrowAtoms, narrowAtomMasks) = PatternMatcher.narrowForms(
      patternInfo, instructions, closureList, setStarts: setStarts, setAtoms: setAtoms,
      limit: min(64, narrowStateLimit))
  }

  /// The bit-parallel form of every pattern that has at most `limit` (<= 64) consuming states.
  static func narrowForms(
    _ info: [PatternInfo], _ code: [Step], _ closures: [Int32], setStarts: [Int32], setAtoms: [Int32], limit: Int
  ) -> ([NarrowPattern], [NarrowState], [Int32], [UInt64]) {
    var patterns: [NarrowPattern] = []
    var states: [NarrowState] = []
    var atoms: [Int32] = []
    var masks: [UInt64] = []
    for pattern in info {
      // Consuming instructions, numbered in program order.
      var bit = [Int](repeating: -1, count: Int(pattern.size))
      var consuming = 0
      for pc in 0..<Int(pattern.size) {
        switch code[Int(pattern.base) + pc].op {
        case .atom, .atomSet, .any:
          bit[pc] = consuming
          consuming += 1
        default: break
        }
      }
      guard consuming <= limit else {
        patterns.append(
          NarrowPattern(
            isNarrow: false, stateStart: 0, startMask: 0, anyMask: 0, atomStart: 0, atomSlots: 0, atomBloom: 0,
            startBloom: nil))
        continue
      }
      func mask(_ first: Int32, _ count: Int) -> (UInt64, Bool) {
        var m: UInt64 = 0
        var match = false
        for e in Int(first)..<(Int(first) + count) {
          let entry = closures[e]
          if entry < 0 { match = true } else { m |= 1 << UInt64(bit[Int(entry)]) }
        }
        return (m, match)
      }
      let stateStart = Int32(states.count)
      var anyMask: UInt64 = 0
      var atomMask: [Int32: UInt64] = [:]
      for pc in 0..<Int(pattern.size) where bit[pc] >= 0 {
        let step = code[Int(pattern.base) + pc]
        let own: UInt64 = 1 << UInt64(bit[pc])
        let (successors, match) = mask(step.closure, Int(step.closureCount))
        states.append(NarrowState(successors: successors, reachesMatch: match))
        switch step.op {
        case .any: anyMask |= own
        case .atom: atomMask[step.atom, default: 0] |= own
        case .atomSet:
          for k in Int(setStarts[Int(step.atom)])..<Int(setStarts[Int(step.atom) + 1]) {
            atomMask[setAtoms[k], default: 0] |= own
          }
        default: break
        }
      }
      let atomStart = Int32(atoms.count)
      var slots = 2
      while slots < 2 * atomMask.count { slots *= 2 }
      atoms.append(contentsOf: repeatElement(-1, count: slots))
      masks.append(contentsOf: repeatElement(0, count: slots))
      let (startMask, _) = mask(pattern.startClosure, Int(pattern.startClosureCount))
      var bloom: UInt64 = 0
      var startBloom: UInt64? = startMask & anyMask != 0 ? nil : 0
      for (a, m) in atomMask.sorted(by: { $0.key < $1.key }) {
        var h = narrowSlot(a, slots: slots)
        while atoms[Int(atomStart) + h] >= 0 { h = (h + 1) & (slots - 1) }
        atoms[Int(atomStart) + h] = a
        masks[Int(atomStart) + h] = m
        bloom |= bloomBit(a)
        if m & startMask != 0, startBloom != nil { startBloom! |= bloomBit(a) }
      }
      patterns.append(
        NarrowPattern(
          isNarrow: true, stateStart: stateStart, startMask: startMask, anyMask: anyMask, atomStart: atomStart,
          atomSlots: Int32(slots), atomBloom: bloom, startBloom: startBloom))
    }
    return (patterns, states, atoms, masks)
  }

  /// Words found in most chat messages (function words and texting forms of the default packs'
  /// languages). A pattern is not anchored on them when it has a rarer necessary word: anchoring
  /// only decides which patterns are looked at for a message (every necessary clause is still
  /// checked), so this changes speed, never results.
  static let commonWords = Set<String>([  // (an array first: the languages share some words)
    // English and texting
    "a", "an", "the", "i", "im", "me", "my", "you", "u", "ur", "your", "yours", "ya", "yu", "r", "are", "is", "am",
    "be", "was", "were", "do", "dont", "did", "does", "can", "cant", "will", "would", "could", "should", "have",
    "has", "had", "to", "of", "in", "on", "at", "for", "with", "and", "or", "but", "so", "if", "it", "its",
    "that", "this", "what", "wat", "how", "when", "where", "who", "why", "we", "us", "our", "they", "he", "she",
    "not", "no", "yes", "ok", "okay", "just", "like", "get", "go", "got", "now", "rn", "lol", "all", "up",
    "out", "about", "some", "any", "there", "here", "too", "very", "really", "want", "know", "think",
    // Spanish, French, German, Portuguese, Italian
    "de", "la", "el", "en", "y", "que", "es", "un", "una", "los", "las", "por", "con", "no", "te", "tu", "mi",
    "le", "les", "et", "est", "je", "il", "elle", "pas", "pour", "des", "du", "ne", "vous", "toi", "moi",
    "der", "die", "das", "und", "ich", "du", "ist", "nicht", "zu", "mit", "es", "ein", "eine", "dich", "mich",
    "o", "e", "um", "uma", "com", "voce", "eu", "il", "di", "che", "non", "sei", "io", "mi", "ti", "per",
  ])

  /// The states reachable from `pc` without consuming a token, as stored in ``closureList``: the
  /// same depth-first walk (next before alternative) the Pike VM did at run time.
  static func closure(of pc: Int32, in code: [Instruction]) -> [Int32] {
    var out: [Int32] = []
    var seen = Set<Int32>()
    var stack = [pc]
    while let s = stack.popLast() {
      guard s >= 0, seen.insert(s).inserted else { continue }
      let ins = code[Int(s)]
      switch ins.op {
      case .split:
        stack.append(ins.alternative)
        stack.append(ins.next)
      case .match: out.append(~s)
      case .fail: break
      case .atom, .atomSet, .any: out.append(s)
      }
    }
    return out
  }

  @inline(__always)
  static func bloomBit(_ atom: Int32) -> UInt64 {
    1 << ((UInt64(UInt32(bitPattern: atom)) &* 0x9E37_79B9_7F4A_7C15) >> 58)
  }

  /// Leading and trailing gaps add nothing to whether a pattern matches; dropping them keeps
  /// spans tight and avoids starting a pattern at every token.
  static func trimmed(_ node: PatternNode) -> PatternNode {
    guard case .sequence(var items) = node else { return node }
    while items.count > 1, case .gap = items[0] { items.removeFirst() }
    while items.count > 1, case .gap = items[items.count - 1] { items.removeLast() }
    return items.count == 1 ? items[0] : .sequence(items)
  }

  static func firstAtoms(_ program: Program, sets: (Int32) -> [Int32]) -> (Set<Int32>, Bool) {
    var atoms: Set<Int32> = []
    var any = false
    var seen = Set<Int32>()
    var stack = [program.start]
    while let pc = stack.popLast() {
      guard pc >= 0, seen.insert(pc).inserted else { continue }
      let ins = program.instructions[Int(pc)]
      switch ins.op {
      case .atom: atoms.insert(ins.atom)
      case .atomSet: atoms.formUnion(sets(ins.atom))
      case .any: any = true
      case .split:
        stack.append(ins.next)
        stack.append(ins.alternative)
      case .match, .fail: break
      }
    }
    return (atoms, any)
  }

  struct Builder {
    var wordAtoms: [String: Int32] = [:]
    var stemAtoms: [String: Int32] = [:]
    var numberAtoms: [(range: ClosedRange<Int>?, atom: Int32)] = []
    var kindAtoms = [Int32](repeating: -1, count: 8)
    var atomCount = 0
    var instructions: [Instruction] = []
    var setStarts: [Int32] = [0]
    var setAtoms: [Int32] = []

    func firstAtoms(_ program: Program) -> (Set<Int32>, Bool) {
      PatternMatcher.firstAtoms(program) { k in Array(setAtoms[Int(setStarts[Int(k)])..<Int(setStarts[Int(k) + 1])]) }
    }

    static func isSingleAtom(_ node: PatternNode) -> Bool {
      switch node {
      case .word, .prefix, .number, .kind: return true
      default: return false
      }
    }

    mutating func newAtom() -> Int32 {
      atomCount += 1
      return Int32(atomCount - 1)
    }

    mutating func atom(for node: PatternNode) -> Int32 {
      switch node {
      case .word(let w):
        if let a = wordAtoms[w] { return a }
        let a = newAtom()
        wordAtoms[w] = a
        return a
      case .prefix(let p):
        if let a = stemAtoms[p] { return a }
        let a = newAtom()
        stemAtoms[p] = a
        return a
      case .number(let range):
        if let existing = numberAtoms.first(where: { $0.range == range }) { return existing.atom }
        let a = newAtom()
        numberAtoms.append((range, a))
        return a
      case .kind(let kind):
        let index = Int(kind.rawValue)
        if kindAtoms[index] >= 0 { return kindAtoms[index] }
        let a = newAtom()
        kindAtoms[index] = a
        return a
      default:
        return -1
      }
    }

    /// Atoms of which every match contains at least one, chosen to be as rare as possible
    /// (long words before short ones, words before numbers); nil when there is none.
    func filter(_ node: PatternNode) -> (atoms: Set<Int32>, cost: Int)? {
      func cost(_ word: String) -> Int {
        if PatternMatcher.commonWords.contains(word) { return 40 }
        return word.utf8.count <= 3 ? 8 : (word.utf8.count <= 5 ? 3 : 1)
      }
      switch node {
      case .word(let w): return wordAtoms[w].map { ([$0], cost(w)) }
      case .prefix(let p): return stemAtoms[p].map { ([$0], 2 + cost(p)) }
      case .number(let range): return numberAtoms.first(where: { $0.range == range }).map { ([$0.atom], 20) }
      case .kind(let kind):
        let a = kindAtoms[Int(kind.rawValue)]
        return a >= 0 ? ([a], 20) : nil
      case .anyToken, .gap, .optional, .never: return nil
      case .sequence(let items):
        return items.compactMap { filter($0) }.min(by: { $0.cost < $1.cost })
      case .alternatives(let items):
        var atoms: Set<Int32> = []
        var total = 0
        for item in items {
          guard let f = filter(item) else { return nil }
          atoms.formUnion(f.atoms)
          total += f.cost
        }
        return (atoms, total)
      }
    }

    /// Necessary conditions: every required element of a sequence gives a clause (one of its
    /// atoms must occur somewhere in the message); alternatives give one clause from their branches.
    func clauses(_ node: PatternNode) -> [(atoms: Set<Int32>, cost: Int)] {
      switch node {
      case .sequence(let items): return items.flatMap { clauses($0) }
      default: return filter(node).map { [$0] } ?? []
      }
    }

    mutating func emit(_ ins: Instruction) -> Int32 {
      instructions.append(ins)
      return Int32(instructions.count - 1)
    }

    mutating func compile(_ node: PatternNode) -> Program {
      instructions = []
      let match = emit(Instruction(op: .match))
      let start = compile(node, next: match)
      return Program(instructions: instructions, start: start)
    }

    /// Compiles `node` so that it continues at `next`; returns its entry.
    mutating func compile(_ node: PatternNode, next: Int32) -> Int32 {
      switch node {
      case .word, .prefix, .number, .kind:
        return emit(Instruction(op: .atom, atom: atom(for: node), next: next))
      case .anyToken:
        return emit(Instruction(op: .any, next: next))
      case .never:
        return emit(Instruction(op: .fail))
      case .gap(let n):
        var entry = next
        for _ in 0..<n {
          let any = emit(Instruction(op: .any, next: entry))
          entry = emit(Instruction(op: .split, next: any, alternative: next))
        }
        return entry
      case .sequence(let items):
        var entry = next
        for item in items.reversed() { entry = compile(item, next: entry) }
        return entry
      case .alternatives(let items):
        // Single-token branches become one set state; the others are ordinary branches.
        let singles = items.filter(Builder.isSingleAtom)
        var branches = items.filter { !Builder.isSingleAtom($0) }
        var entries: [Int32] = []
        if singles.count >= 2 {
          let atoms = Set(singles.map { atom(for: $0) }).sorted()
          setAtoms.append(contentsOf: atoms)
          setStarts.append(Int32(setAtoms.count))
          entries.append(emit(Instruction(op: .atomSet, atom: Int32(setStarts.count - 2), next: next)))
        } else {
          branches = items
        }
        for item in branches { entries.append(compile(item, next: next)) }
        guard var entry = entries.last else { return next }
        for branch in entries.dropLast().reversed() {
          entry = emit(Instruction(op: .split, next: branch, alternative: entry))
        }
        return entry
      case .optional(let inner):
        let body = compile(inner, next: next)
        return emit(Instruction(op: .split, next: body, alternative: next))
      }
    }
  }

  // MARK: Matching

  /// Where a pattern first matched: token indices (inclusive).
  struct Span: Sendable, Hashable {
    var first: Int
    var last: Int
  }

  /// The atoms each token satisfies, flattened in borrowed memory: atoms of token i are
  /// atoms[offsets[i]..<offsets[i+1]].
  struct TokenAtoms {
    let atoms: UnsafeBufferPointer<Int32>
    let offsets: UnsafeBufferPointer<Int32>
  }

  /// Calls `body` with the atoms of `tokens`, kept in temporary memory (on the stack for
  /// ordinary messages).
  @inline(__always)
  func withAtoms<R>(of tokens: TokenView, _ body: (TokenAtoms) -> R) -> R {
    // A token has at most its word, every stem on one trie path, its kind and every number atom.
    let perToken = 2 + stems.longestChain + numberAtoms.count
    let capacity = tokens.count * (perToken + 1) + 1
    return withScratch(of: Int32.self, capacity: capacity) { memory in
      guard let base = memory.baseAddress else {
        return body(TokenAtoms(atoms: UnsafeBufferPointer(start: nil, count: 0), offsets: UnsafeBufferPointer(start: nil, count: 0)))
      }
      let offsets = base
      let atoms = base + tokens.count + 1
      var count = 0
      offsets[0] = 0
      for i in 0..<tokens.count {
        let token = tokens[i]
        let text = tokens.bytes(token)
        appendWordAtoms(of: text, to: atoms, &count)
        let kindAtom = kindAtoms[Int(token.kind.rawValue)]
        if kindAtom >= 0 {
          atoms[count] = kindAtom
          count += 1
        }
        if token.kind == .number && !numberAtoms.isEmpty {
          let value = PatternMatcher.leadingInteger(text)
          for (range, atom) in numberAtoms {
            if let range {
              guard let value, range.contains(value) else { continue }
            }
            atoms[count] = atom
            count += 1
          }
        }
        offsets[i + 1] = Int32(count)
      }
      return body(
        TokenAtoms(
          atoms: UnsafeBufferPointer(start: atoms, count: count),
          offsets: UnsafeBufferPointer(start: offsets, count: tokens.count + 1)))
    }
  }

  /// The atoms of a token's text: the literal word, then every stem it starts with.
  @inline(__always)
  func appendWordAtoms(of bytes: UnsafeBufferPointer<UInt8>, to atoms: UnsafeMutablePointer<Int32>, _ count: inout Int) {
    if let a = wordTable.value(for: bytes) {
      atoms[count] = a
      count += 1
    }
    if !stems.isEmpty { stems.appendStems(of: bytes, to: atoms, &count) }
  }

  /// Where atom `a` is first looked for in a narrow pattern's table of `slots` slots.
  @inline(__always)
  static func narrowSlot(_ a: Int32, slots: Int) -> Int {
    Int(truncatingIfNeeded: (UInt64(UInt32(bitPattern: a)) &* 0x9E37_79B9_7F4A_7C15) >> 32) & (slots - 1)
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

  /// Whether a scan of a message with these atoms can wake any indexed pattern: some pattern has
  /// no necessary atom, or one of the atoms anchors a pattern. (False lets a caller skip the
  /// scanner's set-up for the many messages that share no word with any rule.)
  func canWakeAnyPattern(_ table: TokenAtoms) -> Bool {
    if !unanchoredPatterns.isEmpty { return true }
    return anchorStarts.withUnsafeBufferPointer { starts in
      for a in table.atoms where starts[Int(a)] != starts[Int(a) + 1] { return true }
      return false
    }
  }

  /// Whether a word of the rules could equal or begin a word cut from a run of a dictionary
  /// script: it has a letter of such a script, or only characters such a run may also hold
  /// (combining marks, the prolonged sound mark, the iteration mark). Errs towards true.
  static func couldMatchDictionaryRun(_ word: String) -> Bool {
    var onlyRunCharacters = true
    for scalar in word.unicodeScalars {
      let c = scalar.value
      if c >= 0x80 && ScalarTable.isDictionaryLetter(c) { return true }
      if !(CharClass.of(c) == .mark || c == 0x30FC || c == 0x3005) { onlyRunCharacters = false }
    }
    return onlyRunCharacters
  }

  /// The integer a number token starts with ("13yo" -> 13), capped to stay in range.
  static func leadingInteger(_ text: UnsafeBufferPointer<UInt8>) -> Int? {
    var value = 0
    var digits = 0
    for byte in text {
      guard byte >= 0x30 && byte <= 0x39 else { break }
      if digits < 9 { value = value * 10 + Int(byte - 0x30) }
      digits += 1
    }
    return digits > 0 ? value : nil
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
  /// scratch memory: a scan allocates nothing on the heap unless a pattern matches.
  func withScanner<R>(table: TokenAtoms, count: Int, steps: inout Int, _ body: (inout Scanner) -> R) -> R {
    let patternWords = (patternInfo.count + 63) / 64
    let atomWords = (atomCount + 63) / 64
    let clauseWords = (clauseCount + 63) / 64
    // Layout in 64-bit words: decided, startable (pattern bitsets); present, visited (atom
    // bitsets); satisfied clauses; the matches; then Int32 room for the active patterns.
    let bitWords = 2 * patternWords + 2 * atomWords + clauseWords
    let int32s = patternInfo.count
    // A match entry takes whole words (3).
    let entryWords = (MemoryLayout<Matches.Entry>.stride + 7) / 8
    let matchWords = entryWords * patternInfo.count
    var scanSteps = 0
    // Then one word per token for its atoms' summary (see ``Scanner/tokenBlooms``).
    let bloomBase = bitWords + matchWords + (int32s + 1) / 2 + 1
    let result = withScratch(of: UInt64.self, capacity: bloomBase + count) { memory -> R in
      let base = memory.baseAddress!
      let matches = UnsafeMutableRawPointer(base + bitWords).bindMemory(to: Matches.Entry.self, capacity: patternInfo.count)
      base.initialize(repeating: 0, count: bitWords)
      let int32Base = UnsafeMutableRawPointer(base + bitWords + matchWords).bindMemory(to: Int32.self, capacity: int32s)
      return instructions.withUnsafeBufferPointer { code in
        patternInfo.withUnsafeBufferPointer { info in
          setStarts.withUnsafeBufferPointer { setStarts in
            setAtoms.withUnsafeBufferPointer { setAtoms in
              setBlooms.withUnsafeBufferPointer { setBlooms in
                firstAtomList.withUnsafeBufferPointer { firstAtoms in
                  closureList.withUnsafeBufferPointer { closures in
                    withActivationTables { tables in
                    withNarrowTables { narrow in
                      let view = CodeView(
                        code: code, atoms: table.atoms, offsets: table.offsets, setStarts: setStarts,
                        setAtoms: setAtoms, setBlooms: setBlooms, firstAtoms: firstAtoms, closures: closures,
                        narrow: narrow)
                      var scanner = Scanner(
                        matcher: self, view: view, info: info, tables: tables, count: count,
                        decided: base, startable: base + patternWords,
                        present: base + 2 * patternWords, visited: base + 2 * patternWords + atomWords,
                        clauseTrue: base + 2 * patternWords + 2 * atomWords, active: int32Base,
                        tokenBlooms: base + bloomBase, found: Matches(storage: matches))
                      for a in table.atoms {
                        let word = Int(a) >> 6
                        let bit: UInt64 = 1 << UInt64(a & 63)
                        if scanner.present[word] & bit != 0 { continue }
                        scanner.present[word] |= bit
                        scanner.bloom |= PatternMatcher.bloomBit(a)
                        for k in Int(tables.atomClauseStarts[Int(a)])..<Int(tables.atomClauseStarts[Int(a) + 1]) {
                          let c = tables.atomClauses[k]
                          scanner.clauseTrue[Int(c) >> 6] |= 1 << UInt64(c & 63)
                        }
                      }
                      let result = body(&scanner)
                      scanSteps = scanner.steps
                      return result
                    }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    steps += scanSteps
    return result
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

  /// Calls `body` with the activation tables borrowed.
  func withActivationTables<R>(_ body: (ActivationTables) -> R) -> R {
    anchorStarts.withUnsafeBufferPointer { anchorStarts in
      anchoredPatterns.withUnsafeBufferPointer { anchoredPatterns in
        clauseStarts.withUnsafeBufferPointer { clauseStarts in
          patternClauses.withUnsafeBufferPointer { patternClauses in
            atomClauseStarts.withUnsafeBufferPointer { atomClauseStarts in
              atomClauses.withUnsafeBufferPointer { atomClauses in
              hotStarts.withUnsafeBufferPointer { hotStarts in
              hotAtoms.withUnsafeBufferPointer { hotAtoms in
                requiredBloom.withUnsafeBufferPointer { requiredBloom in
                unanchoredPatterns.withUnsafeBufferPointer { unanchoredPatterns in
                  body(
                    ActivationTables(
                      anchorStarts: anchorStarts, anchoredPatterns: anchoredPatterns, clauseStarts: clauseStarts,
                      patternClauses: patternClauses, atomClauseStarts: atomClauseStarts, atomClauses: atomClauses,
                      hotStarts: hotStarts, hotAtoms: hotAtoms, requiredBloom: requiredBloom,
                      unanchoredPatterns: unanchoredPatterns))
                }
                }
              }
              }
              }
            }
          }
        }
      }
    }
  }

  /// Borrowed views of the bit-parallel patterns (see ``NarrowPattern``).
  struct NarrowTables {
    let patterns: UnsafeBufferPointer<NarrowPattern>
    let states: UnsafeBufferPointer<NarrowState>
    let atoms: UnsafeBufferPointer<Int32>
    let masks: UnsafeBufferPointer<UInt64>
  }

  func withNarrowTables<R>(_ body: (NarrowTables) -> R) -> R {
    narrow.withUnsafeBufferPointer { patterns in
      narrowStates.withUnsafeBufferPointer { states in
        narrowAtoms.withUnsafeBufferPointer { atoms in
          narrowAtomMasks.withUnsafeBufferPointer { masks in
            body(NarrowTables(patterns: patterns, states: states, atoms: atoms, masks: masks))
          }
        }
      }
    }
  }

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

  /// The state of one active pattern during a run (see ``Scanner/runPikeVM(_:)``).
  struct ActiveRun {
    /// Its states are localBase..<localBase + size in the run's numbering.
    var localBase: Int32
    /// Global instruction index of a state = its local number + delta.
    var delta: Int32
    /// Its match so far (token indices), -1 when none.
    var bestFirst: Int32 = -1
    var bestLast: Int32 = -1
  }

  /// One NFA thread: a state (local numbering), the active pattern it belongs to, and its start token.
  struct Thread {
    var state: Int32
    var pattern: Int32
    var start: Int32
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
    var steps = 0
    /// The message's atoms summarised as ``PatternMatcher/requiredBloom`` is.
    var bloom: UInt64 = 0

    init(
      matcher: PatternMatcher, view: CodeView, info: UnsafeBufferPointer<PatternInfo>, tables: ActivationTables,
      count: Int, decided: UnsafeMutablePointer<UInt64>, startable: UnsafeMutablePointer<UInt64>,
      present: UnsafeMutablePointer<UInt64>, visited: UnsafeMutablePointer<UInt64>,
      clauseTrue: UnsafeMutablePointer<UInt64>,
      active: UnsafeMutablePointer<Int32>, tokenBlooms: UnsafeMutablePointer<UInt64>, found: Matches
    ) {
      self.tokenBlooms = tokenBlooms
      self.found = found
      self.matcher = matcher
      self.view = view
      self.info = info
      self.tables = tables
      self.count = count
      self.decided = decided
      self.startable = startable
      self.present = present
      self.visited = visited
      self.clauseTrue = clauseTrue
      self.active = active
    }

    @inline(__always)
    func isPresent(_ a: Int32) -> Bool { present[Int(a) >> 6] & (1 << UInt64(a & 63)) != 0 }

    /// Whether pattern p can match (every clause has an atom in the message) and is not yet active.
    @inline(__always)
    mutating func viable(_ p: Int) -> Bool {
      let bit: UInt64 = 1 << UInt64(p & 63)
      if decided[p >> 6] & bit != 0 { return startable[p >> 6] & bit != 0 }
      decided[p >> 6] |= bit
      if tables.requiredBloom[p] & ~bloom != 0 { return false }
      var ok = true
      var k = Int(tables.clauseStarts[p])
      let lastClause = Int(tables.clauseStarts[p + 1])
      while k < lastClause && ok {
        ok = clauseSatisfied(Int(tables.patternClauses[k]))
        k += 1
      }
      if ok { startable[p >> 6] |= bit }
      return ok
    }

    /// Whether one of clause c's atoms is in the message.
    @inline(__always)
    mutating func clauseSatisfied(_ c: Int) -> Bool {
      let bit: UInt64 = 1 << UInt64(c & 63)
      if clauseTrue[c >> 6] & bit != 0 { return true }
      var k = Int(tables.hotStarts[c])
      let to = Int(tables.hotStarts[c + 1])
      while k < to {
        if isPresent(tables.hotAtoms[k]) {
          clauseTrue[c >> 6] |= bit
          return true
        }
        k += 1
      }
      return false
    }

    /// Marks pattern p active, so that it is not started twice.
    @inline(__always)
    mutating func activate(_ p: Int32) {
      startable[Int(p) >> 6] &= ~(1 << UInt64(p & 63))
    }

    /// Finds the matches of the indexed patterns (when `only` is nil; do this first, once), or of
    /// exactly the patterns `only` lists (ascending, no repeats), and adds them to ``found``, which
    /// it returns.
    @discardableResult
    mutating func run(only: UnsafeBufferPointer<Int32>?) -> Matches {
      guard count > 0 else { return found }
      // 1. Patterns whose every necessary element has a word in the message.
      var activeCount = 0
      if let only {
        // A short list (the conditions of the rules that matched): check each directly.
        for p in only where viable(Int(p)) {
          activate(p)
          active[activeCount] = p
          activeCount += 1
        }
      } else {
        // Found through the anchors of the distinct atoms present.
        for a in view.atoms where !seenAtom(a) {
          for k in Int(tables.anchorStarts[Int(a)])..<Int(tables.anchorStarts[Int(a) + 1]) {
            let p = tables.anchoredPatterns[k]
            if viable(Int(p)) {
              activate(p)
              active[activeCount] = p
              activeCount += 1
            }
          }
        }
        for p in tables.unanchoredPatterns where viable(Int(p)) {
          activate(p)
          active[activeCount] = p
          activeCount += 1
        }
      }
      // Most messages wake no pattern: then there is nothing to run.
      if activeCount > 0 {
        var activeList = UnsafeMutableBufferPointer(start: active, count: activeCount)
        activeList.sortShort()
        runTogether(UnsafeBufferPointer(activeList))
      }
      return found
    }

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

    /// Runs one pattern in bit-parallel form: its live states are a 64-bit set, each with the
    /// earliest token a thread in it started at (threads that reach the same state merge, keeping
    /// the earliest start, as in ``runPikeVM(_:)``). The pattern starts at every token holding one
    /// of its first atoms until it has matched; states whose start is later than the match found
    /// are dropped; the match kept is the leftmost, longest at that start. Cost: tokens plus live
    /// states per token.
    mutating func runNarrow(_ p: Int32, tokenBlooms: UnsafeBufferPointer<UInt64>) {
      let pattern = view.narrow.patterns[Int(p)]
      guard let stateBase = view.narrow.states.baseAddress else { return }
      let states = stateBase + Int(pattern.stateStart)
      let table = view.narrow.atoms.baseAddress! + Int(pattern.atomStart)
      let tableMasks = view.narrow.masks.baseAddress! + Int(pattern.atomStart)
      let slots = Int(pattern.atomSlots)
      let view = self.view
      let count = self.count
      var live: UInt64 = 0
      var best: Int32 = -1
      var bestLast: Int32 = -1
      var work = 0
      withUnsafeTemporaryAllocation(of: Int32.self, capacity: 128) { memory in
        // The start of each live state, for this token and the next.
        guard var from = memory.baseAddress else { return }
        var to = from + 64
        let startBloom = pattern.startBloom
        var i = 0
        while i < count {
          if live == 0 {
            if best >= 0 { break }
            // Nothing running: on to the next token that may start the pattern.
            if let startBloom {
              while i < count && tokenBlooms[i] & startBloom == 0 { i += 1 }
              if i == count { break }
            }
          }
          work &+= 1
          // The states token i satisfies.
          var fits = pattern.anyMask
          if tokenBlooms[i] & pattern.atomBloom != 0 {
            for j in Int(view.offsets[i])..<Int(view.offsets[i + 1]) {
              let a = view.atoms[j]
              guard PatternMatcher.bloomBit(a) & pattern.atomBloom != 0 else { continue }
              var h = PatternMatcher.narrowSlot(a, slots: slots)
              while true {
                let key = table[h]
                if key == a { fits |= tableMasks[h] }
                if key == a || key < 0 { break }
                h = (h + 1) & (slots - 1)
              }
            }
          }
          // A new start, behind the threads already running (they started earlier).
          if best < 0 && fits & pattern.startMask != 0 {
            var fresh = pattern.startMask & ~live
            while fresh != 0 {
              from[fresh.trailingZeroBitCount] = Int32(truncatingIfNeeded: i)
              fresh &= fresh &- 1
            }
            live |= pattern.startMask
          }
          var stepping = live & fits
          var next: UInt64 = 0
          var matchStart = Int32.max
          while stepping != 0 {
            let s = stepping.trailingZeroBitCount
            stepping &= stepping &- 1
            let start = from[s]
            // A later start cannot beat the match found.
            if best >= 0 && start > best { continue }
            work &+= 1
            let state = states[s]
            if state.reachesMatch && start < matchStart { matchStart = start }
            var fresh = state.successors & ~next
            while fresh != 0 {
              to[fresh.trailingZeroBitCount] = start
              fresh &= fresh &- 1
            }
            var held = state.successors & next
            while held != 0 {
              let t = held.trailingZeroBitCount
              if start < to[t] { to[t] = start }
              held &= held &- 1
            }
            next |= state.successors
          }
          if matchStart != Int32.max && (best < 0 || matchStart < best || (matchStart == best && Int32(i) > bestLast)) {
            best = matchStart
            bestLast = Int32(truncatingIfNeeded: i)
          }
          live = next
          swap(&from, &to)
          i += 1
        }
      }
      steps += work
      if best >= 0 { found.add(p, Span(first: Int(best), last: Int(bestLast))) }
    }

    /// Runs the patterns in `activeList` in one pass over the tokens, as one Pike VM whose threads
    /// belong to different patterns (for patterns too large for ``runNarrow(_:tokenBlooms:)``).
    /// A pattern's threads start at the tokens holding one of its first atoms (found through a
    /// small per-message table of those atoms); threads of one pattern that reach the same state
    /// merge, keeping the earliest start. The cost is tokens x live states, whatever the input, and
    /// each pattern reports its leftmost match, longest at that start.
    mutating func runPikeVM(_ activeList: UnsafeBufferPointer<Int32>) {
      let activeCount = activeList.count
      // Local state numbering: pattern k's instructions are states localBase..<localBase+size.
      var totalStates = 0
      var pairCount = 0
      for p in activeList {
        let pattern = info[Int(p)]
        if !pattern.singleToken { totalStates += Int(pattern.size) }
        if !pattern.startsWithAny { pairCount += Int(pattern.firstEnd - pattern.firstStart) }
      }
      withScratch(of: ActiveRun.self, capacity: activeCount) { runs in
        withScratch(of: Thread.self, capacity: max(1, 2 * totalStates)) { threads in
          // Int32 layout: start pairs (atom, k), any-start patterns, marks.
          withScratch(of: Int32.self, capacity: 2 * pairCount + activeCount + totalStates) { memory in
            runPikeVM(
              activeList, runs: runs, threads: threads, memory: memory, totalStates: totalStates, pairCount: pairCount)
          }
        }
      }
    }

    @inline(__always)
    mutating func runPikeVM(
      _ activeList: UnsafeBufferPointer<Int32>, runs: UnsafeMutableBufferPointer<ActiveRun>,
      threads: UnsafeMutableBufferPointer<Thread>, memory: UnsafeMutableBufferPointer<Int32>, totalStates: Int,
      pairCount: Int
    ) {
      let activeCount = activeList.count
      let view = self.view
      let info = self.info
      guard let runs = runs.baseAddress, let m = memory.baseAddress else { return }
      let pairs = m
      let anyStarts = pairs + 2 * pairCount
      let marks = anyStarts + activeCount
      marks.initialize(repeating: -1, count: totalStates)
      guard var current = threads.baseAddress else { return }
      var next = current + totalStates
      var currentCount = 0
      var nextCount = 0
      // Start atoms of the message reuse the `visited` bitset (activation is over).
      let atomWords = (matcher.atomCount + 63) / 64
      visited.update(repeating: 0, count: atomWords)
      var base: Int32 = 0
      var pairsUsed = 0
      var anyCount = 0
      for k in 0..<activeCount {
        let pattern = info[Int(activeList[k])]
        runs[k] = ActiveRun(localBase: base, delta: pattern.base - base)
        if !pattern.singleToken { base += pattern.size }
        if pattern.startsWithAny {
          anyStarts[anyCount] = Int32(k)
          anyCount += 1
          continue
        }
        for f in Int(pattern.firstStart)..<Int(pattern.firstEnd) {
          let a = view.firstAtoms[f]
          guard isPresent(a) else { continue }
          pairs[2 * pairsUsed] = a
          pairs[2 * pairsUsed + 1] = Int32(k)
          pairsUsed += 1
          visited[Int(a) >> 6] |= 1 << UInt64(a & 63)
        }
      }
      var generation: Int32 = 1
      var unresolved = activeCount  // patterns with no match yet
      var stepCount = 0
      // Threads can start only between the first and the last token holding a start atom (any
      // token, for a pattern that can start with one): the tokens outside hold nothing to do.
      @inline(__always)
      func holdsStart(_ i: Int) -> Bool {
        var j = Int(view.offsets[i])
        let end = Int(view.offsets[i + 1])
        while j < end {
          let a = view.atoms[j]
          if visited[Int(a) >> 6] & (1 << UInt64(a & 63)) != 0 { return true }
          j += 1
        }
        return false
      }
      var firstStart = 0
      var lastStart = count - 1
      if anyCount == 0 {
        while firstStart < count && !holdsStart(firstStart) { firstStart += 1 }
        while lastStart > firstStart && !holdsStart(lastStart) { lastStart -= 1 }
      }

      /// Adds the states of a precomputed closure (closures[first..<first+n]) for pattern k to
      /// `list`, each state once per generation (a state already held belongs to a thread of
      /// higher priority); returns whether this thread reaches `match`.
      @inline(__always)
      func addClosure(
        _ first: Int, _ n: Int, pattern k: Int, start: Int32, localBase: Int32,
        to list: UnsafeMutablePointer<Thread>, _ listCount: inout Int
      ) -> Bool {
        var matched = false
        stepCount &+= n
        for e in first..<(first &+ n) {
          let entry = view.closures[e]
          let isMatch = entry < 0
          let local = Int(localBase &+ (isMatch ? ~entry : entry))
          if marks[local] == generation { continue }
          marks[local] = generation
          if isMatch {
            matched = true
          } else {
            list[listCount] = Thread(state: Int32(truncatingIfNeeded: local), pattern: Int32(truncatingIfNeeded: k), start: start)
            listCount &+= 1
          }
        }
        return matched
      }

      /// Starts pattern k at token i (a one-token pattern simply matches there).
      @inline(__always)
      func start(_ k: Int, at i: Int) {
        // A match that starts earlier is already known: later starts cannot be leftmost.
        guard runs[k].bestFirst < 0 else { return }
        let pattern = info[Int(activeList[k])]
        if pattern.singleToken
          || addClosure(
            Int(pattern.startClosure), Int(pattern.startClosureCount), pattern: k, start: Int32(i),
            localBase: runs[k].localBase, to: current, &currentCount)
        {
          // (Only an empty pattern matches before consuming a token; rules never compile to one.)
          runs[k].bestFirst = Int32(i)
          runs[k].bestLast = Int32(i)
          unresolved -= 1
        }
      }

      for i in firstStart..<max(firstStart, count) {
        // Every pattern has its match, or no pattern can start any more, and no thread can lengthen
        // a match: the rest of the text changes nothing.
        if currentCount == 0 && (unresolved == 0 || i > lastStart) { break }
        // New threads at token i, after the threads already running (they have priority).
        if unresolved > 0 {
          var j = Int(view.offsets[i])
          let end = Int(view.offsets[i + 1])
          while j < end {
            let a = view.atoms[j]
            j += 1
            guard visited[Int(a) >> 6] & (1 << UInt64(a & 63)) != 0 else { continue }
            for q in 0..<pairsUsed where pairs[2 * q] == a { start(Int(pairs[2 * q + 1]), at: i) }
          }
          for q in 0..<anyCount { start(Int(anyStarts[q]), at: i) }
        }
        if currentCount == 0 { continue }
        generation &+= 1
        nextCount = 0
        for t in 0..<currentCount {
          let thread = current[t]
          let k = Int(thread.pattern)
          let run = runs[k]
          if run.bestFirst >= 0 && thread.start > run.bestFirst { continue }
          stepCount &+= 1
          let ins = view.code[Int(thread.state &+ run.delta)]
          guard view.fits(ins, token: i) else { continue }
          if addClosure(
            Int(ins.closure), Int(ins.closureCount), pattern: k, start: thread.start, localBase: run.localBase,
            to: next, &nextCount)
          {
            if run.bestFirst < 0 { unresolved -= 1 }
            if run.bestFirst < 0 || thread.start < run.bestFirst || (thread.start == run.bestFirst && Int32(i) > run.bestLast) {
              runs[k].bestFirst = thread.start
              runs[k].bestLast = Int32(i)
            }
          }
        }
        swap(&current, &next)
        currentCount = nextCount
      }
      steps += stepCount
      for k in 0..<activeCount where runs[k].bestFirst >= 0 {
        found.add(activeList[k], Span(first: Int(runs[k].bestFirst), last: Int(runs[k].bestLast)))
      }
    }

    /// Whether atom `a` was already seen in this scan (marks it seen).
    @inline(__always)
    mutating func seenAtom(_ a: Int32) -> Bool {
      let word = Int(a) >> 6
      let bit: UInt64 = 1 << UInt64(a & 63)
      if visited[word] & bit != 0 { return true }
      visited[word] |= bit
      return false
    }
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

/// Stems (`pic*`) as a byte trie: a dense table at the root, sorted edge lists below.
struct StemTrie: Sendable {
  private var root = [Int32](repeating: -1, count: 256)
  private var edgeStart: [Int32] = []
  private var edgeBytes: [UInt8] = []
  private var edgeChildren: [Int32] = []
  private var atoms: [Int32] = []

  var isEmpty: Bool { atoms.isEmpty }
  /// The most stems one word can start with (stems on one root-to-leaf path of the trie).
  private(set) var longestChain = 0

  init(_ stems: [String: Int32]) {
    // Build a pointer trie first, then flatten it.
    var children: [[UInt8: Int32]] = [[:]]
    var nodeAtoms: [Int32] = [-1]
    for (stem, atom) in stems {
      var node = 0
      for byte in stem.utf8 {
        if let child = children[node][byte] {
          node = Int(child)
        } else {
          children.append([:])
          nodeAtoms.append(-1)
          children[node][byte] = Int32(children.count - 1)
          node = children.count - 1
        }
      }
      nodeAtoms[node] = atom
    }
    // Stems on each path: a stem's node counts the stems above it.
    for (stem, _) in stems {
      var node = 0
      var chain = 0
      for byte in stem.utf8 {
        guard let child = children[node][byte] else { break }
        node = Int(child)
        if nodeAtoms[node] >= 0 { chain += 1 }
      }
      longestChain = max(longestChain, chain)
    }
    guard !stems.isEmpty else { return }
    atoms = nodeAtoms
    for (byte, child) in children[0] { root[Int(byte)] = child }
    for node in children.indices {
      edgeStart.append(Int32(edgeBytes.count))
      for (byte, child) in children[node].sorted(by: { $0.key < $1.key }) {
        edgeBytes.append(byte)
        edgeChildren.append(child)
      }
    }
    edgeStart.append(Int32(edgeBytes.count))
  }

  /// Appends the atom of every stem that `bytes` starts with.
  @inline(__always)
  func appendStems(of bytes: UnsafeBufferPointer<UInt8>, to out: UnsafeMutablePointer<Int32>, _ count: inout Int) {
    guard let first = bytes.first else { return }
    var node = Int(root[Int(first)])
    var k = 1
    while node >= 0 {
      if atoms[node] >= 0 {
        out[count] = atoms[node]
        count += 1
      }
      guard k < bytes.count else { return }
      let byte = bytes[k]
      k += 1
      var next = -1
      var e = Int(edgeStart[node])
      let end = Int(edgeStart[node + 1])
      while e < end {
        let b = edgeBytes[e]
        if b == byte {
          next = Int(edgeChildren[e])
          break
        }
        if b > byte { break }
        e += 1
      }
      node = next
    }
  }
}
