// Compiling patterns: each pattern becomes a small Thompson NFA over atoms, its epsilon closures
// precomputed (in the order the Pike VM would walk them), and its necessary clauses (the atoms a
// message must hold for it to match) chosen for the prefilter (Prefilter.swift).

extension PatternMatcher {
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
}
