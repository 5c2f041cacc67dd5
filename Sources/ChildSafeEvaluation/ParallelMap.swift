#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Synchronization

/// Maps items on several threads. Workers take chunks in turn from a shared counter (so a slow chunk
/// does not hold up the others) and write each result to its item's own slot, so the output is in input
/// order and identical to a single-threaded map.
enum ParallelMap {
  /// The number of online processors (at least 1).
  static var processorCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

  static func map<T: Sendable, R: Sendable>(
    _ items: [T], workers: Int, chunkSize: Int, progress: (@Sendable (Int) -> Void)? = nil,
    _ transform: @Sendable (T) -> R
  ) -> [R] {
    let chunkSize = max(1, chunkSize)
    let chunkCount = (items.count + chunkSize - 1) / chunkSize
    let workers = min(max(1, workers), max(1, chunkCount))
    if workers == 1 {
      var results: [R] = []
      results.reserveCapacity(items.count)
      for (i, item) in items.enumerated() {
        results.append(transform(item))
        if let progress, (i + 1) % chunkSize == 0 || i + 1 == items.count { progress((i % chunkSize) + 1) }
      }
      return results
    }
    let slots = ResultSlots<R>(count: items.count)
    let nextChunk = Atomic<Int>(0)
    let finishedChunks = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
      while true {
        let chunk = nextChunk.add(1, ordering: .relaxed).oldValue
        if chunk >= chunkCount { break }
        let range = (chunk * chunkSize)..<min(items.count, (chunk + 1) * chunkSize)
        for i in range { slots.store(transform(items[i]), at: i) }
        // Publishes this chunk's slots to the reader below (explicitly, so that the ordering does not
        // rest on how the dispatch library joins its threads, and ThreadSanitizer can see it).
        finishedChunks.add(1, ordering: .releasing)
        progress?(range.count)
      }
    }
    guard finishedChunks.load(ordering: .acquiring) == chunkCount else {
      preconditionFailure("parallel map: \(chunkCount) chunks expected")
    }
    return slots.collect()
  }
}

/// One write-once slot per item. Each index is written by exactly one worker and read only after every
/// worker has finished and published its writes (release/acquire on a counter).
private final class ResultSlots<R>: @unchecked Sendable {
  private let storage: UnsafeMutablePointer<R?>
  private let count: Int

  init(count: Int) {
    self.count = count
    storage = UnsafeMutablePointer<R?>.allocate(capacity: max(1, count))
    storage.initialize(repeating: nil, count: max(1, count))
  }

  deinit {
    storage.deinitialize(count: max(1, count))
    storage.deallocate()
  }

  func store(_ value: R, at index: Int) { storage[index] = value }

  func collect() -> [R] { (0..<count).compactMap { storage[$0] } }
}
