/// Compiled patterns: every distinct pattern of a rule set as a small Thompson NFA over token
/// "atoms" (a known word, a stem, a number range, a token kind), indexed by the atoms that can
/// start it.
///
/// Matching is linear in the number of tokens: each token is mapped once to the atoms it
/// satisfies (one hash lookup for the word, a byte-trie walk for stems); only patterns whose first
/// element fits the token are started there; each run advances a set of NFA states token by token
/// and stops when the set is empty, which happens within the pattern's bounded length (gaps are
/// at most 8 tokens, and there is no repetition). Nothing backtracks.
struct PatternMatcher: Sendable {
  enum Op: UInt8 {
    case atom, any, split, match, fail
  }

  struct Instruction: Sendable {
    var op: Op
    var atom: Int32 = -1
    var next: Int32 = -1
    var alternative: Int32 = -1
  }

  struct Program: Sendable {
    var instructions: [Instruction]
    var start: Int32
  }

  let programs: [Program]
  let wordAtoms: [String: Int32]
  /// Stem trie over UTF-8 bytes: key (node << 8 | byte) -> child node.
  let trieEdges: [UInt64: Int32]
  /// The atom that a trie node completes (-1 when none).
  let trieAtoms: [Int32]
  let numberAtoms: [(range: ClosedRange<Int>?, atom: Int32)]
  /// Atom for each token kind (index = Kind.rawValue), -1 when no pattern uses it.
  let kindAtoms: [Int32]
  let atomCount: Int
  /// Patterns that can start with each atom.
  let startsByAtom: [[Int32]]
  /// Patterns that can start with any token (they begin with `<any>`).
  let startsAnywhere: [Int32]
  let largestProgram: Int

  /// Builds the matcher for `patterns` (their index is their id).
  init(patterns: [PatternNode]) {
    var builder = Builder()
    var programs: [Program] = []
    for node in patterns { programs.append(builder.compile(PatternMatcher.trimmed(node))) }
    self.programs = programs
    wordAtoms = builder.wordAtoms
    trieEdges = builder.trieEdges
    trieAtoms = builder.trieAtoms
    numberAtoms = builder.numberAtoms
    kindAtoms = builder.kindAtoms
    atomCount = builder.atomCount
    var starts = [[Int32]](repeating: [], count: builder.atomCount)
    var anywhere: [Int32] = []
    for (id, program) in programs.enumerated() {
      let (atoms, any) = PatternMatcher.firstAtoms(program)
      if any { anywhere.append(Int32(id)) }
      for a in atoms { starts[Int(a)].append(Int32(id)) }
    }
    startsByAtom = starts
    startsAnywhere = anywhere
    largestProgram = programs.map(\.instructions.count).max() ?? 0
  }

  /// Leading and trailing gaps add nothing to whether a pattern matches; dropping them keeps
  /// spans tight and avoids starting a pattern at every token.
  static func trimmed(_ node: PatternNode) -> PatternNode {
    guard case .sequence(var items) = node else { return node }
    while items.count > 1, case .gap = items[0] { items.removeFirst() }
    while items.count > 1, case .gap = items[items.count - 1] { items.removeLast() }
    return items.count == 1 ? items[0] : .sequence(items)
  }

  static func firstAtoms(_ program: Program) -> (Set<Int32>, Bool) {
    var atoms: Set<Int32> = []
    var any = false
    var seen = Set<Int32>()
    var stack = [program.start]
    while let pc = stack.popLast() {
      guard pc >= 0, seen.insert(pc).inserted else { continue }
      let ins = program.instructions[Int(pc)]
      switch ins.op {
      case .atom: atoms.insert(ins.atom)
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
    var trieEdges: [UInt64: Int32] = [:]
    var trieAtoms: [Int32] = [-1]
    var numberAtoms: [(range: ClosedRange<Int>?, atom: Int32)] = []
    var kindAtoms = [Int32](repeating: -1, count: 8)
    var atomCount = 0
    var instructions: [Instruction] = []

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
        var node: Int32 = 0
        for byte in p.utf8 {
          let key = UInt64(UInt32(bitPattern: node)) << 8 | UInt64(byte)
          if let child = trieEdges[key] {
            node = child
          } else {
            let child = Int32(trieAtoms.count)
            trieAtoms.append(-1)
            trieEdges[key] = child
            node = child
          }
        }
        if trieAtoms[Int(node)] >= 0 { return trieAtoms[Int(node)] }
        let a = newAtom()
        trieAtoms[Int(node)] = a
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
        guard var entry = items.last.map({ compile($0, next: next) }) else { return next }
        for item in items.dropLast().reversed() {
          let branch = compile(item, next: next)
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

  /// The atoms each token satisfies, flattened: atoms of token i are atoms[offsets[i]..<offsets[i+1]].
  struct TokenAtoms {
    var atoms: [Int32] = []
    var offsets: [Int32] = [0]
  }

  func atoms(of tokens: [Token]) -> TokenAtoms {
    var out = TokenAtoms()
    out.atoms.reserveCapacity(tokens.count * 2)
    out.offsets.reserveCapacity(tokens.count + 1)
    for token in tokens {
      if let a = wordAtoms[token.text] { out.atoms.append(a) }
      if trieAtoms.count > 1 {
        var node: Int32 = 0
        for byte in token.text.utf8 {
          guard let child = trieEdges[UInt64(UInt32(bitPattern: node)) << 8 | UInt64(byte)] else { break }
          node = child
          let a = trieAtoms[Int(node)]
          if a >= 0 { out.atoms.append(a) }
        }
      }
      let kindAtom = kindAtoms[Int(token.kind.rawValue)]
      if kindAtom >= 0 { out.atoms.append(kindAtom) }
      if token.kind == .number && !numberAtoms.isEmpty {
        let value = PatternMatcher.leadingInteger(token.text)
        for (range, atom) in numberAtoms {
          if let range {
            if let value, range.contains(value) { out.atoms.append(atom) }
          } else {
            out.atoms.append(atom)
          }
        }
      }
      out.offsets.append(Int32(out.atoms.count))
    }
    return out
  }

  /// The integer a number token starts with ("13yo" -> 13), capped to stay in range.
  static func leadingInteger(_ text: String) -> Int? {
    var value = 0
    var digits = 0
    for byte in text.utf8 {
      guard byte >= 0x30 && byte <= 0x39 else { break }
      if digits < 9 { value = value * 10 + Int(byte - 0x30) }
      digits += 1
    }
    return digits > 0 ? value : nil
  }

  /// Finds, for every pattern that matches, its earliest match (longest at that start).
  /// `steps` counts NFA state visits, so tests can check that the cost is linear.
  func scan(_ tokens: [Token], steps: inout Int) -> [Int32: Span] {
    var found: [Int32: Span] = [:]
    guard !tokens.isEmpty else { return found }
    let table = atoms(of: tokens)
    var runner = Runner(capacity: largestProgram)
    var tried: [Int32] = []
    for i in 0..<tokens.count {
      tried.removeAll(keepingCapacity: true)
      let from = Int(table.offsets[i])
      let to = Int(table.offsets[i + 1])
      for k in from..<to {
        for p in startsByAtom[Int(table.atoms[k])] where found[p] == nil && !tried.contains(p) {
          tried.append(p)
          if let last = runner.run(programs[Int(p)], from: i, table: table, count: tokens.count, steps: &steps) {
            found[p] = Span(first: i, last: last)
          }
        }
      }
      for p in startsAnywhere where found[p] == nil && !tried.contains(p) {
        if let last = runner.run(programs[Int(p)], from: i, table: table, count: tokens.count, steps: &steps) {
          found[p] = Span(first: i, last: last)
        }
      }
    }
    return found
  }

  /// A Thompson NFA simulation with reusable state lists.
  struct Runner {
    var current: [Int32] = []
    var next: [Int32] = []
    var marks: [Int32]
    var generation: Int32 = 0
    var stack: [Int32] = []

    init(capacity: Int) { marks = [Int32](repeating: -1, count: max(1, capacity)) }

    /// Adds `pc` and everything reachable without consuming a token; returns whether `match` is reachable.
    mutating func add(_ pc: Int32, _ program: Program, toNext: Bool, steps: inout Int) -> Bool {
      var matched = false
      stack.append(pc)
      while let s = stack.popLast() {
        guard s >= 0, marks[Int(s)] != generation else { continue }
        marks[Int(s)] = generation
        steps += 1
        let ins = program.instructions[Int(s)]
        switch ins.op {
        case .split:
          stack.append(ins.alternative)
          stack.append(ins.next)
        case .match: matched = true
        case .fail: break
        case .atom, .any: if toNext { next.append(s) } else { current.append(s) }
        }
      }
      return matched
    }

    /// Runs `program` from token `start`; returns the last token of the longest match, or nil.
    mutating func run(_ program: Program, from start: Int, table: TokenAtoms, count: Int, steps: inout Int) -> Int? {
      if marks.count < program.instructions.count {
        marks = [Int32](repeating: -1, count: program.instructions.count)
      }
      current.removeAll(keepingCapacity: true)
      generation &+= 1
      _ = add(program.start, program, toNext: false, steps: &steps)
      var best: Int? = nil
      var i = start
      while !current.isEmpty && i < count {
        generation &+= 1
        next.removeAll(keepingCapacity: true)
        let from = Int(table.offsets[i])
        let to = Int(table.offsets[i + 1])
        var matched = false
        for s in current {
          steps += 1
          let ins = program.instructions[Int(s)]
          var fits = ins.op == .any
          if ins.op == .atom {
            for k in from..<to where table.atoms[k] == ins.atom {
              fits = true
              break
            }
          }
          if fits, add(ins.next, program, toNext: true, steps: &steps) { matched = true }
        }
        if matched { best = i }
        swap(&current, &next)
        i += 1
      }
      return best
    }
  }
}
