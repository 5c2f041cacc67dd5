import Dispatch
#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Testing

@testable import ChildSafeDaemon

@Suite("Log lines written by a thread of their own")
struct QueuedStandardErrorTests {
  final class Sink: Sendable {
    /// What each call of the sink was given: a batch of lines.
    let writes = Mutex<[String]>([])
    /// Signalled when the first batch reaches the sink; the sink then waits for `release`.
    let entered = DispatchSemaphore(value: 0)
    let release = DispatchSemaphore(value: 0)
    let blocksOnFirst: Bool

    init(blocksOnFirst: Bool) { self.blocksOnFirst = blocksOnFirst }

    var text: String { writes.withLock { $0.joined() } }

    func write(_ batch: String) {
      let first = writes.withLock { writes in
        writes.append(batch)
        return writes.count == 1
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
    #expect(sink.text == sent.joined())
  }

  /// Lines logged close together reach standard error together: one wake-up of the writing thread
  /// and one `write` for many lines, not one each.
  @Test func linesLoggedTogetherAreWrittenTogether() {
    let sink = Sink(blocksOnFirst: false)
    // A delay no test run reaches, so that the check below cannot race the batch on a busy machine.
    let log = QueuedStandardError(capacity: 1000, delay: .seconds(3600), sink: { sink.write($0) })
    let sent = (0..<200).map { "line \($0)\n" }
    for line in sent { log.write(line) }
    #expect(sink.writes.withLock { $0.isEmpty })  // still waiting for the batch's delay
    log.flush()
    #expect(sink.text == sent.joined())
    #expect(sink.writes.withLock { $0.count } == 1)
  }

  /// Without a flush, a batch is written once its delay has passed.
  @Test func aBatchIsWrittenAfterItsDelay() {
    let sink = Sink(blocksOnFirst: false)
    let log = QueuedStandardError(capacity: 1000, delay: .milliseconds(1), sink: { sink.write($0) })
    log.write("one\n")
    var waited = 0
    while sink.text.isEmpty && waited < 10_000 {
      usleep(1000)
      waited += 1
    }
    #expect(sink.text == "one\n")
  }

  /// A sink that does not keep up never holds up the logger: past `capacity` waiting lines, lines
  /// are dropped, and the next line written says how many.
  @Test func aSlowSinkDropsLinesAndSaysHowMany() {
    let sink = Sink(blocksOnFirst: true)
    let log = QueuedStandardError(capacity: 3, delay: .milliseconds(0), sink: { sink.write($0) })
    log.write("first\n")
    sink.entered.wait()  // "first" is being written, and the sink is stuck on it
    for n in 1...9 { log.write("line \(n)\n") }  // returns at once, sink stuck or not
    sink.release.signal()
    log.flush()
    #expect(sink.text == "first\nchildsafed: 7 log lines dropped: standard error did not keep up\nline 1\nline 2\n")
    // The queue is free again.
    log.write("after\n")
    log.flush()
    #expect(sink.writes.withLock { $0.last } == "after\n")
  }
}
