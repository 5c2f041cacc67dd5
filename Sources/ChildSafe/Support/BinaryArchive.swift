/// Compact binary writing and reading for compiled forms kept in the library (the embedded rule
/// packs compiled at build time, see ``CompiledRulesArchive``): integers as LEB128 varints (signed
/// ones zigzagged), 64-bit values little-endian, and strings written once in a table and referred
/// to by number (rule words, file names and patterns recur thousands of times). Big integer tables
/// are written fixed-width and aligned (``ArchiveWriter/table(_:)``), so that the library's own
/// archive can be read in place (``ArchiveReader/table(_:allocations:)``).
struct ArchiveWriter {
  private var body: [UInt8] = []
  private var stringIDs: [String: Int] = [:]
  private var strings: [String] = []

  mutating func byte(_ value: UInt8) { body.append(value) }

  mutating func bool(_ value: Bool) { body.append(value ? 1 : 0) }

  mutating func varint(_ value: UInt64) {
    var v = value
    while v >= 0x80 {
      body.append(UInt8(truncatingIfNeeded: v) | 0x80)
      v >>= 7
    }
    body.append(UInt8(v))
  }

  mutating func int(_ value: Int) {
    let v = Int64(value)
    varint(UInt64(bitPattern: (v << 1) ^ (v >> 63)))
  }

  mutating func uint64(_ value: UInt64) {
    for k in 0..<8 { body.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(k)))) }
  }

  mutating func double(_ value: Double) { uint64(value.bitPattern) }

  mutating func int32s(_ values: some Collection<Int32>) {
    varint(UInt64(values.count))
    for v in values { int(Int(v)) }
  }

  /// 64-bit values as varints: the masks and summaries written this way are mostly zero or small.
  mutating func uint64s(_ values: some Collection<UInt64>) {
    varint(UInt64(values.count))
    for v in values { varint(v) }
  }

  /// A table of integers read in place: its count, zero bytes up to the next multiple of the
  /// integer's size (counted from the start of the payload, see ``finish()``), then the values
  /// little-endian, fixed-width.
  mutating func table<T: FixedWidthInteger>(_ values: some Collection<T>) {
    varint(UInt64(values.count))
    while body.count % MemoryLayout<T>.size != 0 { body.append(0) }
    for v in values {
      let le = v.littleEndian
      withUnsafeBytes(of: le) { body.append(contentsOf: $0) }
    }
  }

  /// Records read in place (see ``ArchiveRecord``): their count, the layout they are written in
  /// (the record's stride, then each field's offset and size, as this build lays the type out),
  /// zero bytes up to a multiple of 8, then each record as it lies in memory, little-endian, its
  /// padding zero.
  mutating func records<T: ArchiveRecord>(_ values: some Collection<T>) {
    varint(UInt64(values.count))
    let stride = MemoryLayout<T>.stride
    varint(UInt64(stride))
    varint(UInt64(T.fieldLayout.count))
    for field in T.fieldLayout {
      varint(UInt64(field.offset))
      varint(UInt64(field.size))
    }
    while body.count % 8 != 0 { body.append(0) }
    for value in values {
      let start = body.count
      body.append(contentsOf: repeatElement(0, count: stride))
      for (field, bits) in zip(T.fieldLayout, value.fields) {
        for k in 0..<field.size { body[start + field.offset + k] = UInt8(truncatingIfNeeded: bits >> (8 * UInt64(k))) }
      }
    }
  }

  /// A string, by its number in the string table.
  mutating func string(_ value: String) {
    if let id = stringIDs[value] {
      varint(UInt64(id))
      return
    }
    stringIDs[value] = strings.count
    varint(UInt64(strings.count))
    strings.append(value)
  }

  mutating func optionalString(_ value: String?) {
    bool(value != nil)
    if let value { string(value) }
  }

  /// The string table, zero bytes up to a multiple of 8, then everything written (so that what
  /// ``table(_:)`` aligned in the body stays aligned in the payload).
  func finish() -> [UInt8] {
    var out: [UInt8] = []
    var table = ArchiveWriter()
    table.varint(UInt64(strings.count))
    for s in strings {
      table.varint(UInt64(s.utf8.count))
      table.body.append(contentsOf: s.utf8)
    }
    while table.body.count % 8 != 0 { table.body.append(0) }
    out.reserveCapacity(table.body.count + body.count)
    out.append(contentsOf: table.body)
    out.append(contentsOf: body)
    return out
  }
}

/// Reads what ``ArchiveWriter`` wrote; every read is bounds-checked and a short or malformed
/// archive is a `corrupt` error, never a crash.
struct ArchiveReader {
  let bytes: UnsafeBufferPointer<UInt8>
  private(set) var offset = 0
  private var strings: [String] = []
  /// What the archive is, for error messages ("compiled rules").
  let what: String
  /// Whether `bytes` live as long as the process (the library's own archive, in its read-only
  /// data): tables may then be used where they lie instead of copied.
  let isPermanent: Bool

  /// Reads the string table at the start of `bytes`.
  init(_ bytes: UnsafeBufferPointer<UInt8>, what: String, isPermanent: Bool = false) throws(ChildSafeError) {
    self.bytes = bytes
    self.what = what
    self.isPermanent = isPermanent
    let count = try length()
    strings.reserveCapacity(count)
    for _ in 0..<count {
      let n = try length()
      strings.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[offset..<offset + n]), as: UTF8.self))
      offset += n
    }
    try skip((8 - offset % 8) % 8)
  }

  /// A reader of the same archive resumed at `offset`, with the string table read before.
  init(resuming bytes: UnsafeBufferPointer<UInt8>, strings: [String], at offset: Int, what: String) {
    self.bytes = bytes
    self.strings = strings
    self.offset = offset
    self.what = what
    isPermanent = true
  }

  /// The strings of the table at the start of the archive.
  var stringTable: [String] { strings }

  var isAtEnd: Bool { offset == bytes.count }

  func corrupt(_ detail: String) -> ChildSafeError {
    ChildSafeError(.corrupt, "\(what) are corrupt: \(detail) at byte \(offset)")
  }

  mutating func byte() throws(ChildSafeError) -> UInt8 {
    guard offset < bytes.count else { throw corrupt("truncated") }
    defer { offset += 1 }
    return bytes[offset]
  }

  /// Moves past `count` bytes already checked to be there (see ``length()``).
  mutating func skip(_ count: Int) throws(ChildSafeError) {
    guard count <= bytes.count - offset else { throw corrupt("truncated") }
    offset += count
  }

  mutating func bool() throws(ChildSafeError) -> Bool {
    switch try byte() {
    case 0: return false
    case 1: return true
    default: throw corrupt("bad flag")
    }
  }

  /// Most numbers written are below 128: one byte, read inline.
  @inline(__always)
  mutating func varint() throws(ChildSafeError) -> UInt64 {
    if offset < bytes.count, bytes[offset] < 0x80 {
      defer { offset += 1 }
      return UInt64(bytes[offset])
    }
    return try longVarint()
  }

  @inline(never)
  mutating func longVarint() throws(ChildSafeError) -> UInt64 {
    var value: UInt64 = 0
    var shift: UInt64 = 0
    while true {
      guard offset < bytes.count else { throw corrupt("truncated") }
      let b = bytes[offset]
      offset += 1
      guard shift < 64 else { throw corrupt("overlong number") }
      value |= UInt64(b & 0x7F) << shift
      if b < 0x80 { return value }
      shift += 7
    }
  }

  @inline(__always)
  mutating func int() throws(ChildSafeError) -> Int {
    let v = try varint()
    return Int(Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1))))
  }

  @inline(__always)
  mutating func int32() throws(ChildSafeError) -> Int32 {
    let v = try int()
    guard let narrow = Int32(exactly: v) else { throw corrupt("number out of range") }
    return narrow
  }

  /// A count or length: at most the bytes left (each element takes at least one byte), so a
  /// corrupt count cannot ask for a huge allocation.
  mutating func length() throws(ChildSafeError) -> Int {
    let v = try varint()
    guard v <= UInt64(bytes.count - offset) else { throw corrupt("length past the end") }
    return Int(v)
  }

  mutating func uint64() throws(ChildSafeError) -> UInt64 {
    guard bytes.count - offset >= 8 else { throw corrupt("truncated") }
    var v: UInt64 = 0
    for k in 0..<8 { v |= UInt64(bytes[offset + k]) << (8 * UInt64(k)) }
    offset += 8
    return v
  }

  mutating func double() throws(ChildSafeError) -> Double { Double(bitPattern: try uint64()) }

  mutating func int32s() throws(ChildSafeError) -> [Int32] {
    let n = try length()
    var out = [Int32]()
    out.reserveCapacity(n)
    for _ in 0..<n { out.append(try int32()) }
    return out
  }

  mutating func uint64s() throws(ChildSafeError) -> [UInt64] {
    let n = try length()
    var out = [UInt64]()
    out.reserveCapacity(n)
    for _ in 0..<n { out.append(try varint()) }
    return out
  }

  /// A table written by ``ArchiveWriter/table(_:)``: a view of the archive itself when it is
  /// permanent and the table aligned in memory (on a little-endian machine), else a copy in
  /// memory allocated here and added to `allocations` (never empty, so its base address is never
  /// nil; the caller frees it).
  mutating func table<T: FixedWidthInteger>(
    _: T.Type, allocations: inout [UnsafeMutableRawPointer]
  ) throws(ChildSafeError) -> UnsafeBufferPointer<T> {
    let size = MemoryLayout<T>.size
    let count = try varint()
    try skip((size - offset % size) % size)
    guard count <= UInt64((bytes.count - offset) / size) else { throw corrupt("table past the end") }
    let n = Int(count)
    let start = UnsafeRawPointer(bytes.baseAddress! + offset)
    offset += n * size
    #if _endian(little)
      if isPermanent, Int(bitPattern: start) % MemoryLayout<T>.alignment == 0 {
        return UnsafeBufferPointer(start: start.bindMemory(to: T.self, capacity: n), count: n)
      }
    #endif
    let copy = UnsafeMutableBufferPointer<T>.allocate(capacity: max(1, n))
    allocations.append(UnsafeMutableRawPointer(copy.baseAddress!))
    for k in 0..<n { copy[k] = T(littleEndian: start.loadUnaligned(fromByteOffset: k * size, as: T.self)) }
    return UnsafeBufferPointer(rebasing: copy[0..<n])
  }

  /// Records written by ``ArchiveWriter/records(_:)``: a view of the archive itself when it is
  /// permanent, aligned and written in the layout this build gives `T` (on a little-endian
  /// machine), else a copy decoded field by field, each record checked by ``ArchiveRecord/init(fields:)``,
  /// in memory allocated here and added to `allocations` (the caller frees it).
  mutating func records<T: ArchiveRecord>(
    _: T.Type, allocations: inout [UnsafeMutableRawPointer]
  ) throws(ChildSafeError) -> UnsafeBufferPointer<T> {
    let count = try length()
    let stride = try length()
    let fieldCount = try length()
    var layout: [ArchiveField] = []
    for _ in 0..<fieldCount {
      let field = ArchiveField(offset: try length(), size: try length())
      guard [1, 2, 4, 8].contains(field.size), field.offset + field.size <= stride else {
        throw corrupt("bad record layout")
      }
      layout.append(field)
    }
    guard layout.count == T.fieldLayout.count else { throw corrupt("records of another kind") }
    try skip((8 - offset % 8) % 8)
    guard stride > 0, count <= (bytes.count - offset) / stride else { throw corrupt("records past the end") }
    let start = UnsafeRawPointer(bytes.baseAddress! + offset)
    offset += count * stride
    #if _endian(little)
      if isPermanent, stride == MemoryLayout<T>.stride, layout == T.fieldLayout,
        Int(bitPattern: start) % MemoryLayout<T>.alignment == 0
      {
        return UnsafeBufferPointer(start: start.bindMemory(to: T.self, capacity: count), count: count)
      }
    #endif
    let copy = UnsafeMutableBufferPointer<T>.allocate(capacity: max(1, count))
    allocations.append(UnsafeMutableRawPointer(copy.baseAddress!))
    var fields = [UInt64](repeating: 0, count: layout.count)
    for k in 0..<count {
      let record = start + k * stride
      for (f, field) in layout.enumerated() {
        var bits: UInt64 = 0
        for b in 0..<field.size { bits |= UInt64(record.load(fromByteOffset: field.offset + b, as: UInt8.self)) << (8 * UInt64(b)) }
        fields[f] = bits
      }
      guard let value = T(fields: fields) else {
        // What was initialised so far is plain data: freeing the memory is enough.
        throw corrupt("bad record")
      }
      (copy.baseAddress! + k).initialize(to: value)
    }
    return UnsafeBufferPointer(rebasing: copy[0..<count])
  }

  mutating func string() throws(ChildSafeError) -> String {
    let id = try varint()
    guard id < UInt64(strings.count) else { throw corrupt("unknown string") }
    return strings[Int(id)]
  }

  mutating func optionalString() throws(ChildSafeError) -> String? {
    try bool() ? try string() : nil
  }

  /// A value that must be below `limit` (an index into a table already read).
  mutating func index(below limit: Int) throws(ChildSafeError) -> Int {
    let v = try varint()
    guard v < UInt64(limit) else { throw corrupt("index out of range") }
    return Int(v)
  }
}

/// Where a field of an ``ArchiveRecord`` lies in memory.
struct ArchiveField: Equatable, Sendable {
  var offset: Int
  var size: Int

  /// The field `path` of `Record`, as this build lays it out.
  static func of<Record, Value: FixedWidthInteger>(_ path: KeyPath<Record, Value>) -> ArchiveField {
    ArchiveField(offset: MemoryLayout<Record>.offset(of: path)!, size: MemoryLayout<Value>.size)
  }

  static func of<Record>(_ path: KeyPath<Record, Bool>) -> ArchiveField {
    ArchiveField(offset: MemoryLayout<Record>.offset(of: path)!, size: MemoryLayout<Bool>.size)
  }
}

/// A plain record type (fixed-width integers and Bools, nothing else) that the library's own
/// archive holds as it lies in memory, so that opening it reads and allocates nothing for them
/// (see ``ArchiveReader/records(_:allocations:)``). The layout is checked, not assumed: a build
/// that lays the type out otherwise decodes the records field by field.
protocol ArchiveRecord {
  /// Every field, in the order ``fields`` lists their values.
  static var fieldLayout: [ArchiveField] { get }
  /// The fields' values as bit patterns (a Bool as 0 or 1).
  var fields: [UInt64] { get }
  /// The record with these field values; nil when they make none (a Bool neither 0 nor 1, say).
  init?(fields: [UInt64])
}

/// A 64-bit checksum of bytes (multiply-rotate over eight bytes at a time): cheap enough to check
/// on every load, and any changed, lost or added byte changes it with overwhelming likelihood.
/// Not a defence against someone who means to forge data: the archive is part of the library.
func archiveChecksum(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
  var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(bytes.count)
  let n = bytes.count
  var k = 0
  if let base = bytes.baseAddress {
    let raw = UnsafeRawPointer(base)
    while k + 8 <= n {
      let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: k, as: UInt64.self))
      h = (h ^ word) &* 0x9E37_79B9_7F4A_7C15
      h ^= h >> 29
      k += 8
    }
  }
  while k < n {
    h = (h ^ UInt64(bytes[k])) &* 0x100_0000_01B3
    k += 1
  }
  h ^= h >> 32
  return h &* 0xD6E8_FEB8_6659_FD93
}
