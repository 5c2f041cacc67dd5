import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Standard error written by a thread of its own: the logger hands a line over and goes on, so a
/// slow sink (a full pipe to journald) never holds up the event loops, which classify and log
/// flagged messages. At most `capacity` lines wait; past that, lines are dropped, and the next line
/// written is preceded by one that says how many were.
final class QueuedStandardError: TextOutputStream, Sendable {
  /// The daemon's log (`Daemon.main` flushes it before it returns).
  static let shared = QueuedStandardError()

  let capacity: Int
  private let queue = DispatchQueue(label: "childsafed.log")
  private let waiting = Atomic<Int>(0)
  private let dropped = Atomic<Int>(0)
  private let sink: @Sendable (String) -> Void

  init(capacity: Int = 10_000, sink: @escaping @Sendable (String) -> Void = QueuedStandardError.writeToStandardError) {
    self.capacity = capacity
    self.sink = sink
  }

  func write(_ string: String) {
    guard waiting.add(1, ordering: .relaxed).newValue <= capacity else {
      waiting.subtract(1, ordering: .relaxed)
      dropped.add(1, ordering: .relaxed)
      return
    }
    queue.async { [self] in
      let lost = dropped.exchange(0, ordering: .relaxed)
      if lost > 0 { sink("childsafed: \(lost) log lines dropped: standard error did not keep up\n") }
      sink(string)
      waiting.subtract(1, ordering: .relaxed)
    }
  }

  /// Returns once every line handed over so far is written.
  func flush() {
    queue.sync {}
  }

  static let writeToStandardError: @Sendable (String) -> Void = { writeAllToStandardError($0) }
}

/// Writes the whole line to file descriptor 2, across partial writes and interruptions.
private func writeAllToStandardError(_ line: String) {
  var line = line
  line.withUTF8 { bytes in
    var offset = 0
    while offset < bytes.count {
      let n = write(2, bytes.baseAddress! + offset, bytes.count - offset)
      if n > 0 {
        offset += n
      } else if n < 0 && errno == EINTR {
        continue
      } else {
        return  // Standard error is closed or broken: nothing else can be told.
      }
    }
  }
}
