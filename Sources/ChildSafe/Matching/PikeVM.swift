// The Pike VM: patterns too large for bit-parallel form run together in one pass over the tokens,
// each state held once per token by the earliest start. Cost: tokens x live states, whatever the input.

extension PatternMatcher {
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
}

extension PatternMatcher.Scanner {
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
    withScratch(of: PatternMatcher.ActiveRun.self, capacity: activeCount) { runs in
      withScratch(of: PatternMatcher.Thread.self, capacity: max(1, 2 * totalStates)) { threads in
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
    _ activeList: UnsafeBufferPointer<Int32>, runs: UnsafeMutableBufferPointer<PatternMatcher.ActiveRun>,
    threads: UnsafeMutableBufferPointer<PatternMatcher.Thread>, memory: UnsafeMutableBufferPointer<Int32>, totalStates: Int,
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
      runs[k] = PatternMatcher.ActiveRun(localBase: base, delta: pattern.base - base)
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
      to list: UnsafeMutablePointer<PatternMatcher.Thread>, _ listCount: inout Int
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
          list[listCount] = PatternMatcher.Thread(state: Int32(truncatingIfNeeded: local), pattern: Int32(truncatingIfNeeded: k), start: start)
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
    steps.add(stepCount)
    for k in 0..<activeCount where runs[k].bestFirst >= 0 {
      found.add(activeList[k], PatternMatcher.Span(first: Int(runs[k].bestFirst), last: Int(runs[k].bestLast)))
    }
  }
}
