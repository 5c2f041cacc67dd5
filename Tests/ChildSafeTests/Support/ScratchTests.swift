import Foundation
import Testing

@testable import ChildSafe

/// The scratch memory the normaliser and the matcher work in (stack, then a per-thread block,
/// then the heap): buffers must never overlap while in use, and must be reused once released.
@Suite("Scratch memory")
struct ScratchTests {
  /// Fills `buffer` with `value` and checks, after `inner` ran, that nothing overwrote it.
  static func holds(_ value: UInt32, in buffer: UnsafeMutableBufferPointer<UInt32>, around inner: () -> Void) -> Bool {
    buffer.initialize(repeating: value)
    inner()
    return buffer.allSatisfy { $0 == value }
  }

  @Test func nestedBuffersDoNotOverlapAtAnySize() {
    // Stack-sized, block-sized and larger-than-the-block requests, nested three deep.
    let sizes = [16, 300, 2_000, 9_000, ScratchArena.blockBytes / 4 + 1]
    for outer in sizes {
      for middle in sizes {
        for inner in sizes {
          let intact = withScratch(of: UInt32.self, capacity: outer) { a in
            ScratchTests.holds(1, in: a) {
              let middleIntact = withScratch(of: UInt32.self, capacity: middle) { b in
                ScratchTests.holds(2, in: b) {
                  withScratch(of: UInt32.self, capacity: inner) { c in c.initialize(repeating: 3) }
                }
              }
              #expect(middleIntact, "sizes \(outer)/\(middle)/\(inner)")
            }
          }
          #expect(intact, "sizes \(outer)/\(middle)/\(inner)")
        }
      }
    }
  }

  @Test func releasedMemoryIsReusedAndAlignedForItsType() {
    let first = withScratch(of: UInt64.self, capacity: 1_000) { UInt(bitPattern: $0.baseAddress) }
    let second = withScratch(of: UInt64.self, capacity: 1_000) { UInt(bitPattern: $0.baseAddress) }
    // One thread's block hands the same memory to consecutive calls: no allocation per message.
    // (Sanitizer builds allocate every buffer on its own, so that its bounds are checked.)
    if ScratchArena.isEnabled { #expect(first == second) }
    let odd = withScratch(of: UInt8.self, capacity: 1_027) { _ in
      withScratch(of: Double.self, capacity: 500) { UInt(bitPattern: $0.baseAddress) }
    }
    #expect(odd % UInt(MemoryLayout<Double>.alignment) == 0)
  }

  @Test func everyThreadHasItsOwnBlock() {
    // Each thread holds its buffer while the others write theirs; none sees another's values.
    let threads = 8
    let results = UnsafeMutableBufferPointer<Bool>.allocate(capacity: threads)
    defer { results.deallocate() }
    nonisolated(unsafe) let intact = results  // each thread writes only its own element
    DispatchQueue.concurrentPerform(iterations: threads) { t in
      intact[t] = withScratch(of: UInt32.self, capacity: 4_000) { buffer in
        ScratchTests.holds(UInt32(t), in: buffer) {
          for _ in 0..<200 { withScratch(of: UInt32.self, capacity: 2_000) { $0.initialize(repeating: UInt32(t) + 100) } }
        }
      }
    }
    #expect(results.allSatisfy { $0 })
  }

  @Test("short lists sort like the standard sort, at every length on both sides of the cut-off")
  func shortListsSort() {
    var state: UInt64 = 7
    for length in 0...40 {
      for _ in 0..<20 {
        var values: [Int32] = (0..<length).map { _ in
          state = state &* 6_364_136_223_846_793_005 &+ 1
          return Int32(truncatingIfNeeded: state >> 59) - 8  // repeats and negatives
        }
        let expected = values.sorted()
        values.withUnsafeMutableBufferPointer { $0.sortShort() }
        #expect(values == expected, "length \(length)")
      }
    }
  }

}
