/// Growth of work between two input sizes, for hostile-input tests. Where the library counts its own
/// work (scalar visits, NFA steps, lint comparisons) tests use the count; where it does not, they
/// compare the durations of two sizes measured in the same run (the best of a few tries, to shed
/// noise from other processes). Neither is a wall-clock limit: a machine of any speed passes, and
/// only growth faster than linear fails.
enum Scaling {
  /// The best of `tries` durations of `work`, in seconds.
  static func bestSeconds(tries: Int = 3, _ work: () throws -> Void) rethrows -> Double {
    var best = Double.infinity
    for _ in 0..<tries {
      let start = ContinuousClock.now
      try work()
      let elapsed = ContinuousClock.now - start
      let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
      best = min(best, seconds)
    }
    return best
  }

  /// How much more work per unit the large size took than the small one: about 1 when linear,
  /// about large/small when quadratic.
  static func perUnitGrowth(small: Int, large: Int, _ run: (Int) throws -> Void) rethrows -> Double {
    let smallSeconds = try bestSeconds { try run(small) }
    let largeSeconds = try bestSeconds { try run(large) }
    return (largeSeconds / Double(large)) / max(smallSeconds / Double(small), 1e-9)
  }
}
