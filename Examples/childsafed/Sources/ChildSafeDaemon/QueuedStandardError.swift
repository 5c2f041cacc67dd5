import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Standard error written by a thread of its own: the logger hands a line over and goes on, so a
/// slow sink (a full pipe to journald) never holds up the event loops, which classify and log
/// flagged messages. At most `capacity` lines wait; past that, lines are dropped, and the next
/// lines written are preceded by one that says how many were.
///
/// Lines are written in batches, at most `delay` after the first of a batch was handed over: one
/// wake-up of the writing thread and one `write` for every line logged in that time. Waking it for
/// each line cost the event loops a futex call and a context switch per flagged message.
final class QueuedStandardError: TextOutputStream, Sendable {
  /// The daemon's log (`Daemon.main` flushes it before it returns).
  static let shared = QueuedStandardError()

  let capacity: Int
  let delay: DispatchTimeInterval
  private let queue = DispatchQueue(label: "childsafed.log")
  private let pending = Mutex(Pending())
  private let sink: @Sendable (String) -> Void

  private struct Pending {
    var lines: [String] = []
    /// Lines taken by the writing thread and not yet written: they still count against `capacity`.
    var writing = 0
    var dropped = 0
    /// A batch is due to be written.
    var scheduled = false
  }

  init(
    capacity: Int = 10_000, delay: DispatchTimeInterval = .milliseconds(5),
    sink: @escaping @Sendable (String) -> Void = QueuedStandardError.writeToStandardError
  ) {
    self.capacity = capacity
    self.delay = delay
    self.sink = sink
  }

  func write(_ string: String) {
    let schedule = pending.withLock { pending in
      guard pending.lines.count + pending.writing < capacity else {
        pending.dropped += 1
        return false
      }
      pending.lines.append(string)
      guard !pending.scheduled else { return false }
      pending.scheduled = true
      return true
    }
    if schedule {
      queue.asyncAfter(deadline: .now() + delay) { [self] in writeBatch() }
    }
  }

  /// Returns once every line handed over so far is written.
  func flush() {
    queue.sync { writeBatch() }
  }

  /// Writes the lines waiting, as one string. Runs on `queue` only.
  private func writeBatch() {
    let (lines, dropped) = pending.withLock { pending in
      let taken = (pending.lines, pending.dropped)
      pending.lines = []
      pending.dropped = 0
      pending.writing = taken.0.count
      pending.scheduled = false
      return taken
    }
    var text = dropped > 0 ? "childsafed: \(dropped) log lines dropped: standard error did not keep up\n" : ""
    for line in lines { text += line }
    if !text.isEmpty { sink(text) }
    pending.withLock { $0.writing = 0 }
  }

  static let writeToStandardError: @Sendable (String) -> Void = { writeAllToStandardError($0) }
}

/// Writes the whole text to file descriptor 2, across partial writes and interruptions.
private func writeAllToStandardError(_ text: String) {
  var text = text
  text.withUTF8 { bytes in
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
