#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Scratch memory for `body`, uninitialised, valid only during the call.
///
/// Up to 1 KiB comes from the stack. Larger requests come from a per-thread arena (one block of
/// ``ScratchArena/blockBytes`` per thread that classifies, reused by every later call on that
/// thread and freed when the thread ends), so classifying a message costs no heap allocation for
/// its working memory. A request that does not fit in what is left of the block is one heap
/// allocation. Nested calls take memory in stack order, so the normaliser and the matcher can
/// share one block; stack use stays bounded for hosts that call in on threads with small stacks.
///
/// Builds made to hunt memory errors (`-D CHILDSAFE_SCRATCH_HEAP`, used by the fuzzers) give every
/// request its own heap allocation, so that AddressSanitizer sees each buffer's bounds.
@inline(__always)
func withScratch<T, R>(of type: T.Type, capacity: Int, _ body: (UnsafeMutableBufferPointer<T>) -> R) -> R {
  let bytes = capacity * MemoryLayout<T>.stride
  // `withUnsafeTemporaryAllocation` is on the stack only up to 1 KiB on every platform: beyond
  // that the runtime may decide to use the heap.
  if bytes <= 1024 {
    return withUnsafeTemporaryAllocation(of: type, capacity: capacity, body)
  }
  #if !CHILDSAFE_SCRATCH_HEAP
  if let arena = ScratchArena.current() {
    let alignment = max(MemoryLayout<T>.alignment, 16)
    let saved = arena.pointee.top
    let start = (saved + alignment - 1) & ~(alignment - 1)
    if start + bytes <= ScratchArena.blockBytes - ScratchArena.headerBytes {
      arena.pointee.top = start + bytes
      defer { arena.pointee.top = saved }
      let memory = (UnsafeMutableRawPointer(arena) + ScratchArena.headerBytes + start)
        .bindMemory(to: T.self, capacity: capacity)
      return body(UnsafeMutableBufferPointer(start: memory, count: capacity))
    }
  }
  #endif
  let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: capacity)
  defer { buffer.deallocate() }
  return body(buffer)
}

/// The header of a thread's scratch block; the memory handed out follows it.
struct ScratchArena {
  /// Bytes in use (a stack: nested requests release in reverse order).
  var top: Int

  /// Per thread: enough for the working memory of a message of several kilobytes.
  static let blockBytes = 64 * 1024
  static let headerBytes = 64

  /// False in builds that give every buffer its own heap allocation (`CHILDSAFE_SCRATCH_HEAP`).
  #if CHILDSAFE_SCRATCH_HEAP
  static let isEnabled = false
  #else
  static let isEnabled = true
  #endif

  /// This thread's block, made on first use; nil when it cannot be made (then callers use the heap).
  @inline(__always)
  static func current() -> UnsafeMutablePointer<ScratchArena>? {
    guard let key = threadKey else { return nil }
    if let block = pthread_getspecific(key) { return block.assumingMemoryBound(to: ScratchArena.self) }
    return makeBlock(key)
  }

  @inline(never)
  static func makeBlock(_ key: pthread_key_t) -> UnsafeMutablePointer<ScratchArena>? {
    guard let raw = malloc(blockBytes) else { return nil }
    let block = raw.bindMemory(to: ScratchArena.self, capacity: 1)
    block.initialize(to: ScratchArena(top: 0))
    guard pthread_setspecific(key, raw) == 0 else {
      free(raw)
      return nil
    }
    return block
  }

  /// The key of the per-thread blocks (a block is freed when its thread exits); nil when the
  /// process has no key left, and then scratch comes from the heap.
  static let threadKey: pthread_key_t? = {
    var key = pthread_key_t()
    return pthread_key_create(&key) { free($0) } == 0 ? key : nil
  }()
}

extension UnsafeMutableBufferPointer where Element == Int32 {
  /// Sorts ascending. The lists of one message (woken patterns, candidate rules) hold a handful
  /// of entries, where an insertion sort costs a fraction of the general sort's setup.
  @inline(__always)
  mutating func sortShort() {
    guard count <= 24 else {
      sort()
      return
    }
    guard let base = baseAddress else { return }
    var i = 1
    while i < count {
      let value = base[i]
      var j = i
      while j > 0 && base[j - 1] > value {
        base[j] = base[j - 1]
        j -= 1
      }
      base[j] = value
      i += 1
    }
  }
}
