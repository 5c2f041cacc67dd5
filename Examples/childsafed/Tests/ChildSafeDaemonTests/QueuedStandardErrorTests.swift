import Dispatch
import Synchronization
import Testing

@testable import ChildSafeDaemon

@Suite("Log lines written by a thread of their own")
struct QueuedStandardErrorTests {
  final class Sink: Sendable {
    let lines = Mutex<[String]>([])
    /// Signalled when the first line reaches the sink; the sink then waits for `release`.
    let entered = DispatchSemaphore(value: 0)
    let release = DispatchSemaphore(value: 0)
    let blocksOnFirst: Bool

    init(blocksOnFirst: Bool) { self.blocksOnFirst = blocksOnFirst }

    func write(_ line: String) {
      let first = lines.withLock { lines in
        lines.append(line)
        return lines.count == 1
      }
      if first && blocksOnFirst {
        entered.signal()
        release.wait()
      }
    }
  }

  @Test func linesAreWrittenInOrderAndFlushWaitsForThem() {
    let sink = Sink(blocksOnFirst: false)
    let log = QueuedStandardError(capacity: 1000, sink: { sink.write($0) })
    let sent = (0..<200).map { "line \($0)\n" }
    for line in sent { log.write(line) }
    log.flush()
    #expect(sink.lines.withLock { $0 } == sent)
  }

  /// A sink that does not keep up never holds up the logger: past `capacity` waiting lines, lines
  /// are dropped, and the next line written says how many.
  @Test func aSlowSinkDropsLinesAndSaysHowMany() {
    let sink = Sink(blocksOnFirst: true)
    let log = QueuedStandardError(capacity: 3, sink: { sink.write($0) })
    log.write("first\n")
    sink.entered.wait()  // "first" is being written, and the sink is stuck on it
    for n in 1...9 { log.write("line \(n)\n") }  // returns at once, sink stuck or not
    sink.release.signal()
    log.flush()
    #expect(
      sink.lines.withLock { $0 } == [
        "first\n", "childsafed: 7 log lines dropped: standard error did not keep up\n", "line 1\n", "line 2\n",
      ])
    // The queue is free again.
    log.write("after\n")
    log.flush()
    #expect(sink.lines.withLock { $0.last } == "after\n")
  }
}
