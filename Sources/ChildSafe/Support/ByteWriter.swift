/// Where JSON text is written: an array of bytes, or a ``ByteWriter``.
protocol ByteSink {
  mutating func appendByte(_ byte: UInt8)
  mutating func appendBytes(_ bytes: UnsafeBufferPointer<UInt8>)
}

extension ByteSink {
  /// ASCII that needs no escape: punctuation and keys, e.g. `,"risk":`.
  @inline(__always)
  mutating func appendASCII(_ text: StaticString) {
    appendBytes(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
  }
}

extension Array: ByteSink where Element == UInt8 {
  @inline(__always)
  mutating func appendByte(_ byte: UInt8) { append(byte) }

  @inline(__always)
  mutating func appendBytes(_ bytes: UnsafeBufferPointer<UInt8>) { append(contentsOf: bytes) }
}

/// Bytes appended behind nothing but a bounds check, for an answer written in many small pieces
/// (an array's append costs several times more per call). It starts in memory the caller lends
/// and moves to the heap if it outgrows it (``releaseStorage()`` frees that).
struct ByteWriter: ByteSink {
  private(set) var base: UnsafeMutablePointer<UInt8>
  private(set) var count = 0
  private var capacity: Int
  private var ownsStorage = false

  init(storage: UnsafeMutableBufferPointer<UInt8>) {
    base = storage.baseAddress!
    capacity = storage.count
  }

  var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

  @inline(__always)
  mutating func appendByte(_ byte: UInt8) {
    if count == capacity { grow(toHold: 1) }
    base[count] = byte
    count += 1
  }

  @inline(__always)
  mutating func appendBytes(_ bytes: UnsafeBufferPointer<UInt8>) {
    let n = bytes.count
    if n > capacity - count { grow(toHold: n) }
    if n > 0 { (base + count).update(from: bytes.baseAddress!, count: n) }
    count += n
  }

  /// Appends again the bytes already written at `range`.
  @inline(__always)
  mutating func appendCopy(of range: Range<Int>) {
    let n = range.count
    if n > capacity - count { grow(toHold: n) }
    if n > 0 { (base + count).update(from: base + range.lowerBound, count: n) }
    count += n
  }

  @inline(never)
  mutating func grow(toHold extra: Int) {
    let newCapacity = max(capacity * 2, count + extra)
    let storage = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
    storage.update(from: base, count: count)
    releaseStorage()
    base = storage
    capacity = newCapacity
    ownsStorage = true
  }

  /// Frees heap storage (lent storage belongs to the lender).
  func releaseStorage() {
    if ownsStorage { base.deallocate() }
  }
}
