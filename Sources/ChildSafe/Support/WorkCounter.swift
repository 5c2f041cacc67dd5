/// Work done (scalar visits, NFA steps), for tests that check cost grows linearly with input.
///
/// It counts only in builds that define `CHILDSAFE_COUNTERS` (debug builds, which `swift test`
/// uses; see Package.swift). In release builds it holds nothing and counting compiles to nothing,
/// so the library ships without test instrumentation on its hot paths.
struct WorkCounter {
  #if CHILDSAFE_COUNTERS
    /// The work counted so far.
    private(set) var value = 0

    @inline(__always)
    mutating func add(_ work: Int) { value &+= work }
  #else
    /// Always 0: this build does not count.
    var value: Int { 0 }

    @inline(__always)
    mutating func add(_ work: Int) {}
  #endif
}
