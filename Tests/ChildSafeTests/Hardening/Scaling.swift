#if canImport(Glibc)
import Glibc
#endif

/// Growth of work between two input sizes, for hostile-input tests. Where the library counts its own
/// work (scalar visits, NFA steps, lint comparisons) tests use the count; where it does not, they
/// compare the CPU time of two sizes measured in the same run (the calling thread's CPU time, so
/// other processes and tests running in parallel do not count; the best of a few tries). Neither is
/// a wall-clock limit: a machine of any speed passes, and only growth faster than linear fails.
enum Scaling {
  /// CPU time of the calling thread, in seconds (the measured work is synchronous: one thread).
  static func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
  }

  /// The least CPU time of `tries` runs of `work`, in seconds.
  static func bestSeconds(tries: Int = 3, _ work: () throws -> Void) rethrows -> Double {
    var best = Double.infinity
    for _ in 0..<tries {
      let start = threadCPUSeconds()
      try work()
      best = min(best, threadCPUSeconds() - start)
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
