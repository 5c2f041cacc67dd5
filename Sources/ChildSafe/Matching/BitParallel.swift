// Bit-parallel matching: a pattern of at most 64 consuming states runs with its live states as
// one 64-bit set (how nearly every pattern runs); the others run in the Pike VM (PikeVM.swift).

extension PatternMatcher {
  /// Borrowed views of the bit-parallel patterns (see ``NarrowPattern``).
  struct NarrowTables {
    let patterns: UnsafeBufferPointer<NarrowPattern>
    /// Each state's successors once it has consumed its token (see ``NarrowPattern/stateStart``).
    let successors: UnsafeBufferPointer<UInt64>
    let atoms: UnsafeBufferPointer<Int32>
    let masks: UnsafeBufferPointer<UInt64>
  }

  /// The bit-parallel form of every pattern that has at most `limit` (<= 64) consuming states.
  static func narrowForms(
    _ info: [PatternInfo], _ code: [Step], _ closures: [Int32], setStarts: [Int32], setAtoms: [Int32], limit: Int
  ) -> ([NarrowPattern], [UInt64], [Int32], [UInt64]) {
    var patterns: [NarrowPattern] = []
    var states: [UInt64] = []
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
        patterns.append(.wide)
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
      var matchMask: UInt64 = 0
      var atomMask: [Int32: UInt64] = [:]
      for pc in 0..<Int(pattern.size) where bit[pc] >= 0 {
        let step = code[Int(pattern.base) + pc]
        let own: UInt64 = 1 << UInt64(bit[pc])
        let (successors, match) = mask(step.closure, Int(step.closureCount))
        states.append(successors)
        if match { matchMask |= own }
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
      let startsOnAtoms = startMask & anyMask == 0
      var startBloom: UInt64 = 0
      for (a, m) in atomMask.sorted(by: { $0.key < $1.key }) {
        var h = narrowSlot(a, slots: slots)
        while atoms[Int(atomStart) + h] >= 0 { h = (h + 1) & (slots - 1) }
        atoms[Int(atomStart) + h] = a
        masks[Int(atomStart) + h] = m
        bloom |= bloomBit(a)
        if m & startMask != 0 { startBloom |= bloomBit(a) }
      }
      patterns.append(
        NarrowPattern(
          startMask: startMask, anyMask: anyMask, atomBloom: bloom, startBloom: startBloom, matchMask: matchMask,
          stateStart: stateStart, atomStart: atomStart, atomSlots: Int32(slots), isNarrow: true,
          startsOnAtoms: startsOnAtoms))
    }
    return (patterns, states, atoms, masks)
  }

  /// Where atom `a` is first looked for in a narrow pattern's table of `slots` slots.
  @inline(__always)
  static func narrowSlot(_ a: Int32, slots: Int) -> Int {
    Int(truncatingIfNeeded: (UInt64(UInt32(bitPattern: a)) &* 0x9E37_79B9_7F4A_7C15) >> 32) & (slots - 1)
  }
}

extension PatternMatcher.Scanner {
  /// Runs one pattern in bit-parallel form: its live states are a 64-bit set, each with the
  /// earliest token a thread in it started at (threads that reach the same state merge, keeping
  /// the earliest start, as in ``runPikeVM(_:)``). The pattern starts at every token holding one
  /// of its first atoms until it has matched; states whose start is later than the match found
  /// are dropped; the match kept is the leftmost, longest at that start. Cost: tokens plus live
  /// states per token.
  mutating func runNarrow(_ p: Int32, tokenBlooms: UnsafeBufferPointer<UInt64>) {
    let pattern = view.narrow.patterns[Int(p)]
    guard let stateBase = view.narrow.successors.baseAddress else { return }
    let successors = stateBase + Int(pattern.stateStart)
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
      var i = 0
      while i < count {
        if live == 0 {
          if best >= 0 { break }
          // Nothing running: on to the next token that may start the pattern.
          if pattern.startsOnAtoms {
            while i < count && tokenBlooms[i] & pattern.startBloom == 0 { i += 1 }
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
          let stateSuccessors = successors[s]
          if pattern.matchMask & (1 << UInt64(s)) != 0 && start < matchStart { matchStart = start }
          var fresh = stateSuccessors & ~next
          while fresh != 0 {
            to[fresh.trailingZeroBitCount] = start
            fresh &= fresh &- 1
          }
          var held = stateSuccessors & next
          while held != 0 {
            let t = held.trailingZeroBitCount
            if start < to[t] { to[t] = start }
            held &= held &- 1
          }
          next |= stateSuccessors
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
    steps.add(work)
    if best >= 0 { found.add(p, PatternMatcher.Span(first: Int(best), last: Int(bestLast))) }
  }
}
