/// Folded code points, each with the byte span of the original segment that produced it.
///
/// While the text is plain ASCII, scalar i comes from byte i, so spans are not stored; they are
/// filled in only once a segment changes length. The storage is one manually managed block (the
/// folding loop writes each scalar with no uniqueness or capacity check), borrowed scratch memory at
/// first and a heap block once it grows: call `deallocate()`.
struct FoldedText {
  private(set) var scalars: UnsafeMutablePointer<UInt32>
  private(set) var starts: UnsafeMutablePointer<UInt32>
  private(set) var ends: UnsafeMutablePointer<UInt32>
  private(set) var count = 0
  private(set) var capacity: Int
  /// True while scalar i is byte i of the input (no span arrays needed).
  private(set) var identity = true

  /// Whether the block is this value's own heap allocation (not the caller's scratch).
  private var ownsStorage = false

  /// The capacity to start with for `byteCount` input bytes.
  static func capacity(for byteCount: Int) -> Int { max(16, byteCount) }

  /// Starts in `initial` (borrowed; three lists of `initial.count / 3` scalars).
  init(initial: UnsafeMutableBufferPointer<UInt32>) {
    capacity = initial.count / 3
    let block = initial.baseAddress!
    scalars = block
    starts = block + capacity
    ends = block + 2 * capacity
  }

  func deallocate() { if ownsStorage { scalars.deallocate() } }

  /// Makes room for `extra` more scalars.
  @inline(__always)
  mutating func reserve(_ extra: Int) {
    if count + extra > capacity { grow(count + extra) }
  }

  mutating func grow(_ minimum: Int) {
    let newCapacity = max(2 * capacity, minimum)
    let block = UnsafeMutablePointer<UInt32>.allocate(capacity: 3 * newCapacity)
    block.update(from: scalars, count: count)
    (block + newCapacity).update(from: starts, count: count)
    (block + 2 * newCapacity).update(from: ends, count: count)
    if ownsStorage { scalars.deallocate() }
    ownsStorage = true
    scalars = block
    starts = block + newCapacity
    ends = block + 2 * newCapacity
    capacity = newCapacity
  }

  /// Appends bytes[from..<to] (ASCII), lowercased, each its own segment.
  mutating func appendASCII(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int) {
    let n = to - from
    guard n > 0 else { return }
    // Identity holds only while no earlier segment folded to a different length (e.g. a leading
    // combining mark that folded to nothing), i.e. while scalar i is byte i.
    if identity && from != count { materialize() }
    reserve(n)
    // Simple loops over local pointers, which the compiler can vectorise.
    guard let source = bytes.baseAddress.map({ $0 + from }) else { return }
    let destination = scalars + count
    for k in 0..<n {
      let b = source[k]
      destination[k] = UInt32(b &- 0x41 < 26 ? b | 0x20 : b)
    }
    if !identity {
      let first = UInt32(truncatingIfNeeded: from)
      let spanStarts = starts + count
      let spanEnds = ends + count
      for k in 0..<n { spanStarts[k] = first &+ UInt32(truncatingIfNeeded: k) }
      for k in 0..<n { spanEnds[k] = first &+ UInt32(truncatingIfNeeded: k) &+ 1 }
    }
    count += n
  }

  /// Appends one scalar; room for it must be reserved.
  @inline(__always)
  mutating func append(_ scalar: UInt32, _ start: Int, _ end: Int) {
    if identity {
      if end == start + 1 && start == count {
        scalars[count] = scalar
        count += 1
        return
      }
      materialize()
    }
    scalars[count] = scalar
    starts[count] = UInt32(truncatingIfNeeded: start)
    ends[count] = UInt32(truncatingIfNeeded: end)
    count += 1
  }

  /// Leaves identity mode: stores the spans of the scalars so far.
  mutating func materialize() {
    identity = false
    for i in 0..<count {
      starts[i] = UInt32(truncatingIfNeeded: i)
      ends[i] = UInt32(truncatingIfNeeded: i + 1)
    }
  }
}

