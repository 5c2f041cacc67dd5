// The prefilter: which patterns a message wakes, before any engine runs.
//
// Contract: the prefilter may report a pattern that does not match, never miss one that does. A
// pattern is woken only through its anchor (the rarest of its necessary clauses, see
// Compiler.swift) and started only when every necessary clause has an atom in the message
// (``Scanner/viable(_:)``), with 64-bit summaries (``bloomBit(_:)``) as a quicker first test; each
// of these is a necessary condition of a match, so skipping a pattern that fails one loses nothing.
// Which clause anchors a pattern, and the list of common words (``commonWords``), change only how
// many patterns are looked at, never the results. The engines (BitParallel.swift, PikeVM.swift)
// then decide. Tests/ChildSafeTests/Rules/PrefilterContractTests.swift checks the contract
// against a matcher with no prefilter on random packs and messages.

extension PatternMatcher {
  @inline(__always)
  static func bloomBit(_ atom: Int32) -> UInt64 {
    1 << ((UInt64(UInt32(bitPattern: atom)) &* 0x9E37_79B9_7F4A_7C15) >> 58)
  }

  /// Whether a scan of a message with these atoms can wake any indexed pattern: some pattern has
  /// no necessary atom, or one of the atoms anchors a pattern. (False lets a caller skip the
  /// scanner's set-up for the many messages that share no word with any rule.)
  func canWakeAnyPattern(_ table: TokenAtoms) -> Bool {
    if !storage.unanchoredPatterns.isEmpty { return true }
    let starts = storage.anchorStarts
    for a in table.atoms where starts[Int(a)] != starts[Int(a) + 1] { return true }
    return false
  }
}

extension PatternMatcher.Scanner {
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
  mutating func run(only: UnsafeBufferPointer<Int32>?) -> PatternMatcher.Matches {
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
