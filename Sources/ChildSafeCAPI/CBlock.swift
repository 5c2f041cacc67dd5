import Glibc

/// One malloc'd block holding a result struct, its arrays and its strings, so that a single
/// cs_free() releases everything the caller received. Filled front to back; the capacity is
/// computed up front from what will be stored.
struct CBlock {
  let base: UnsafeMutableRawPointer
  let capacity: Int
  private var used = 0

  /// Room for `count` values of `T` (with worst-case alignment padding).
  static func room<T>(_ type: T.Type, count: Int = 1) -> Int {
    count == 0 ? 0 : MemoryLayout<T>.stride * count + MemoryLayout<T>.alignment
  }

  /// Room for NUL-terminated copies of `strings` (nil takes none).
  static func room(strings: [String?]) -> Int {
    strings.reduce(0) { $0 + ($1.map { $0.utf8.count + 1 } ?? 0) }
  }

  init(capacity: Int) throws(CAPIFailure) {
    guard let base = calloc(1, max(capacity, 1)) else { throw CAPIFailure.noMemory }
    self.base = base
    self.capacity = max(capacity, 1)
  }

  /// Reserves `count` zeroed values of `T`; nil when count is 0.
  mutating func allocate<T>(_ type: T.Type, count: Int = 1) -> UnsafeMutablePointer<T>? {
    guard count > 0 else { return nil }
    let alignment = MemoryLayout<T>.alignment
    let start = (used + alignment - 1) / alignment * alignment
    let end = start + MemoryLayout<T>.stride * count
    // The capacity comes from room(), so this cannot fail; checked anyway rather than trapped.
    guard end <= capacity else { return nil }
    used = end
    return (base + start).bindMemory(to: type, capacity: count)
  }

  /// Copies `string` into the block, NUL-terminated; nil for nil.
  mutating func copy(_ string: String?) -> UnsafePointer<CChar>? {
    guard var string else { return nil }
    let count = string.utf8.count
    guard used + count + 1 <= capacity else { return nil }
    let destination = base + used
    string.withUTF8 { bytes in
      if let source = bytes.baseAddress { destination.copyMemory(from: source, byteCount: count) }
    }
    destination.storeBytes(of: 0, toByteOffset: count, as: UInt8.self)
    used += count + 1
    return UnsafePointer(destination.assumingMemoryBound(to: CChar.self))
  }

  /// A NUL-terminated malloc'd copy of `string` for the caller (freed with cs_free()).
  static func string(_ string: String) throws(CAPIFailure) -> UnsafeMutablePointer<CChar> {
    var block = try CBlock(capacity: room(strings: [string]))
    _ = block.copy(string)
    return block.base.assumingMemoryBound(to: CChar.self)
  }

  /// Writes `string` to an optional out-parameter; a NULL out-parameter is not an error.
  static func deliver(_ string: String, to out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?)
    throws(CAPIFailure)
  {
    guard let out else { return }
    out.pointee = try CBlock.string(string)
  }
}
