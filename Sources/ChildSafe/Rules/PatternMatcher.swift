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
  /// Literal words by their UTF-8 bytes.
  let wordTable: ByteTable
  let stems: StemTrie
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
    wordTable = ByteTable(builder.wordAtoms.map { (key: $0.key, value: $0.value) })
    stems = StemTrie(builder.stemAtoms)
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
    var stemAtoms: [String: Int32] = [:]
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
      func lookUp(_ bytes: UnsafeBufferPointer<UInt8>) {
        if let a = wordTable.value(for: bytes) { out.atoms.append(a) }
        if !stems.isEmpty { stems.forEachStem(of: bytes) { out.atoms.append($0) } }
      }
      if token.text.utf8.withContiguousStorageIfAvailable({ lookUp($0) }) == nil {
        let bytes = Array(token.text.utf8)
        bytes.withUnsafeBufferPointer { lookUp($0) }
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
  func scan(_ tokens: [Token], steps: inout Int) -> Matches {
    var found = Matches()
    guard !tokens.isEmpty else { return found }
    let table = atoms(of: tokens)
    if table.atoms.isEmpty && startsAnywhere.isEmpty { return found }
    var runner = Runner(capacity: largestProgram)
    var tried: [Int32] = []
    for i in 0..<tokens.count {
      tried.removeAll(keepingCapacity: true)
      let from = Int(table.offsets[i])
      let to = Int(table.offsets[i + 1])
      for k in from..<to {
        for p in startsByAtom[Int(table.atoms[k])] where !found.contains(p) && !tried.contains(p) {
          tried.append(p)
          if let last = runner.run(programs[Int(p)], from: i, table: table, count: tokens.count, steps: &steps) {
            found.add(p, Span(first: i, last: last))
          }
        }
      }
      for p in startsAnywhere where !found.contains(p) && !tried.contains(p) {
        if let last = runner.run(programs[Int(p)], from: i, table: table, count: tokens.count, steps: &steps) {
          found.add(p, Span(first: i, last: last))
        }
      }
    }
    return found
  }

  /// The patterns that matched, with their first spans; few per message, so a list beats a hash.
  struct Matches {
    var patterns: [Int32] = []
    var spans: [Span] = []

    var isEmpty: Bool { patterns.isEmpty }

    @inline(__always)
    func contains(_ p: Int32) -> Bool { patterns.contains(p) }

    subscript(_ p: Int32) -> Span? {
      guard let k = patterns.firstIndex(of: p) else { return nil }
      return spans[k]
    }

    mutating func add(_ p: Int32, _ span: Span) {
      patterns.append(p)
      spans.append(span)
    }
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

/// Stems (`pic*`) as a byte trie: a dense table at the root, sorted edge lists below.
struct StemTrie: Sendable {
  private var root = [Int32](repeating: -1, count: 256)
  private var edgeStart: [Int32] = []
  private var edgeBytes: [UInt8] = []
  private var edgeChildren: [Int32] = []
  private var atoms: [Int32] = []

  var isEmpty: Bool { atoms.isEmpty }

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

  /// Calls `body` with the atom of every stem that `bytes` starts with.
  @inline(__always)
  func forEachStem(of bytes: UnsafeBufferPointer<UInt8>, _ body: (Int32) -> Void) {
    guard let first = bytes.first else { return }
    var node = Int(root[Int(first)])
    var k = 1
    while node >= 0 {
      if atoms[node] >= 0 { body(atoms[node]) }
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
