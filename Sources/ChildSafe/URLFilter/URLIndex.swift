#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One entry of an index before it is written: a 64-bit key and its packed metadata.
struct IndexEntry: Comparable {
  var key: UInt64
  var meta: UInt32
  static func < (a: IndexEntry, b: IndexEntry) -> Bool { a.key != b.key ? a.key < b.key : a.meta < b.meta }
}

/// Packed per-entry metadata (4 bytes): category name index (12 bits, 0xFFF = none), list name index
/// (12 bits), allow flag (1 bit), and for hashed entries the hash prefix length in bytes (4 bits, 4...8).
struct EntryMeta {
  static let noCategory: UInt32 = 0xFFF
  static let maximumNames = 0xFFF

  var raw: UInt32
  init(raw: UInt32) { self.raw = raw }
  init(category: Int?, list: Int, allow: Bool, prefixBytes: Int = 0) {
    raw = UInt32(category ?? Int(EntryMeta.noCategory)) | UInt32(list) << 12 | (allow ? 1 << 24 : 0)
      | UInt32(prefixBytes) << 25
  }
  var category: Int? { raw & 0xFFF == EntryMeta.noCategory ? nil : Int(raw & 0xFFF) }
  var list: Int { Int(raw >> 12 & 0xFFF) }
  var allow: Bool { raw & (1 << 24) != 0 }
  var prefixBytes: Int { Int(raw >> 25 & 0xF) }
}

/// Memory that holds an index: a private read-only mapping of a compiled file, or a heap copy.
final class IndexStorage: @unchecked Sendable {
  // Immutable after init; only read from. That is what makes sharing it between threads safe.
  let base: UnsafeRawPointer
  let count: Int
  let mapped: Bool

  init(copying bytes: [UInt8]) {
    let memory = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 8), alignment: 16)
    bytes.withUnsafeBytes { source in
      if let address = source.baseAddress, !source.isEmpty { memory.copyMemory(from: address, byteCount: source.count) }
    }
    base = UnsafeRawPointer(memory)
    count = bytes.count
    mapped = false
  }

  /// Zeroed heap memory of `byteCount` bytes, for an index being built in place.
  init(zeroedByteCount byteCount: Int) {
    let memory = UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, 8), alignment: 16)
    memory.initializeMemory(as: UInt8.self, repeating: 0, count: max(byteCount, 8))
    base = UnsafeRawPointer(memory)
    count = byteCount
    mapped = false
  }

  init(mapping path: String) throws(ChildSafeError) {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 { throw ChildSafeError(.io, "cannot open \(path): \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    var info = stat()
    if fstat(fd, &info) != 0 { throw ChildSafeError(.io, "cannot stat \(path)") }
    let size = Int(info.st_size)
    if size < URLIndex.headerSize {
      throw ChildSafeError(.corrupt, "\(path): not a ChildSafe URL index (only \(size) bytes)")
    }
    guard let memory = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), memory != MAP_FAILED else {
      throw ChildSafeError(.io, "cannot map \(path): \(String(cString: strerror(errno)))")
    }
    base = UnsafeRawPointer(memory)
    count = size
    mapped = true
  }

  deinit {
    if mapped {
      munmap(UnsafeMutableRawPointer(mutating: base), count)
    } else {
      UnsafeMutableRawPointer(mutating: base).deallocate()
    }
  }
}

/// A compiled URL index: sorted 64-bit keys of domain and URL-prefix entries, sorted 64-bit SHA-256
/// prefixes of hashed entries, 4 bytes of metadata per entry, a bucket table over the top key bits,
/// and the list and category names. The same layout serves lists loaded from text (built in memory)
/// and compiled files (mapped), so there is one lookup path.
///
/// Layout (little-endian; every section starts 8-byte aligned):
///   header (64 bytes): magic "CSURLIDX", u32 version, u32 flags, u64 total size, u64 checksum of the file
///   (this field read as 0), u32 name count, u32 names bytes, u32 domain count, u32 domain bucket bits,
///   u32 hashed count, u32 hashed bucket bits, u32 hashed prefix lengths (bit n = n-byte prefixes), u32 0
///   names: (u16 length, UTF-8 bytes)*, zero-padded
///   domain keys u64[n], domain metas u32[n] (padded), domain buckets u32[2^bits + 1] (padded)
///   hashed keys u64[m], hashed metas u32[m] (padded), hashed buckets u32[2^bits + 1] (padded)
struct URLIndex: @unchecked Sendable {
  static let magic: [UInt8] = Array("CSURLIDX".utf8)
  static let version: UInt32 = 1
  static let headerSize = 64
  static let flagURLPrefixes: UInt32 = 1

  let storage: IndexStorage
  let names: [String]
  let flags: UInt32
  let domains: Table
  let hashed: Table
  let hashedPrefixLengths: UInt32

  var hasURLPrefixes: Bool { flags & URLIndex.flagURLPrefixes != 0 }

  /// A sorted key table with its metadata and bucket directory, inside the storage.
  struct Table {
    let keys: UnsafePointer<UInt64>
    let metas: UnsafePointer<UInt32>
    let buckets: UnsafePointer<UInt32>
    let count: Int
    let bucketBits: Int

    /// Indexes of the entries whose key equals `key`.
    @inline(__always) func range(of key: UInt64) -> Range<Int> {
      if count == 0 { return 0..<0 }
      let bucket = Int(truncatingIfNeeded: key >> UInt64(64 - bucketBits))
      var low = Int(buckets[bucket])
      var high = Int(buckets[bucket + 1])
      while low < high {  // binary search for the first key >= key
        let mid = (low + high) >> 1
        if keys[mid] < key { low = mid + 1 } else { high = mid }
      }
      var end = low
      while end < count && keys[end] == key { end += 1 }
      return low..<end
    }
  }

  // MARK: - Loading and validation

  static func isIndex(path: String) -> Bool {
    guard let bytes = try? FileSystem.readPrefix(path, count: 8) else { return false }
    return bytes == magic
  }

  init(mapping path: String) throws(ChildSafeError) {
    try self.init(storage: IndexStorage(mapping: path), source: path)
  }

  init(bytes: [UInt8]) throws(ChildSafeError) {
    try self.init(storage: IndexStorage(copying: bytes), source: "index")
  }

  /// `verify` false: the storage was built by ``buildStorage(names:domainEntries:hashedEntries:hasURLPrefixes:)``
  /// in this process, so its checksum and the order of its tables are known to hold and are not
  /// checked again (the header and names are read as for any index).
  init(storage: IndexStorage, source: String, verify: Bool = true) throws(ChildSafeError) {
    self.storage = storage
    let base = storage.base
    let size = storage.count
    func corrupt(_ why: String) -> ChildSafeError { ChildSafeError(.corrupt, "\(source): \(why)") }
    guard size >= URLIndex.headerSize else { throw corrupt("too short to be a ChildSafe URL index") }
    for i in 0..<8 where base.load(fromByteOffset: i, as: UInt8.self) != URLIndex.magic[i] {
      throw corrupt("not a ChildSafe URL index (bad magic)")
    }
    func u32(_ offset: Int) -> UInt32 { UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
    func u64(_ offset: Int) -> UInt64 { UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
    let version = u32(8)
    guard version == URLIndex.version else {
      throw corrupt("index format version \(version); this library reads version \(URLIndex.version)")
    }
    flags = u32(12)
    let totalSize = u64(16)
    guard totalSize == UInt64(size) else {
      throw corrupt("truncated or extended: header says \(totalSize) bytes, file has \(size)")
    }
    guard size % 8 == 0 else { throw corrupt("size \(size) is not a multiple of 8") }
    if verify {
      let checksum = URLIndex.checksum(base, words: size / 8)
      guard checksum == u64(24) else { throw corrupt("checksum mismatch (the file is damaged)") }
    }

    let nameCount = Int(u32(32))
    let namesBytes = Int(u32(36))
    let domainCount = Int(u32(40))
    let domainBits = Int(u32(44))
    let hashedCount = Int(u32(48))
    let hashedBits = Int(u32(52))
    hashedPrefixLengths = u32(56)
    guard domainBits >= 1 && domainBits <= 28 && hashedBits >= 1 && hashedBits <= 28, namesBytes % 8 == 0,
      nameCount <= EntryMeta.maximumNames, hashedPrefixLengths & ~UInt32(0x1F0) == 0
    else { throw corrupt("invalid header fields") }
    func tableBytes(_ n: Int, _ bits: Int) -> Int { n * 8 + pad(n * 4) + pad(((1 << bits) + 1) * 4) }
    let expected = URLIndex.headerSize + namesBytes + tableBytes(domainCount, domainBits)
      + tableBytes(hashedCount, hashedBits)
    guard domainCount < 1 << 31, hashedCount < 1 << 31, expected == size else {
      throw corrupt("section sizes do not add up to the file size")
    }
    // Names.
    var names: [String] = []
    var offset = URLIndex.headerSize
    let namesEnd = offset + namesBytes
    for _ in 0..<nameCount {
      guard offset + 2 <= namesEnd else { throw corrupt("names section overruns") }
      let length = Int(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
      offset += 2
      guard offset + length <= namesEnd else { throw corrupt("names section overruns") }
      let text = UnsafeRawBufferPointer(start: base + offset, count: length)
      guard let name = String(validating: text, as: UTF8.self) else { throw corrupt("a name is not UTF-8") }
      names.append(name)
      offset += length
    }
    self.names = names
    func table(_ start: Int, _ n: Int, _ bits: Int, hashed: Bool) throws(ChildSafeError) -> Table {
      let keys = (base + start).assumingMemoryBound(to: UInt64.self)
      let metas = (base + start + n * 8).assumingMemoryBound(to: UInt32.self)
      let buckets = (base + start + n * 8 + pad(n * 4)).assumingMemoryBound(to: UInt32.self)
      let bucketCount = 1 << bits
      guard buckets[0] == 0, Int(buckets[bucketCount]) == n else { throw corrupt("bucket table is inconsistent") }
      if !verify { return Table(keys: keys, metas: metas, buckets: buckets, count: n, bucketBits: bits) }
      for b in 0..<bucketCount where buckets[b] > buckets[b + 1] { throw corrupt("bucket table is not ordered") }
      for i in 0..<n {
        if i > 0 && keys[i] < keys[i - 1] { throw corrupt("keys are not sorted") }
        let meta = EntryMeta(raw: metas[i])
        if meta.list >= nameCount || (meta.category.map { $0 >= nameCount } ?? false) {
          throw corrupt("entry \(i) names a list or category that does not exist")
        }
        if hashed ? !(4...8).contains(meta.prefixBytes) : meta.prefixBytes != 0 {
          throw corrupt("entry \(i) has an invalid hash prefix length")
        }
      }
      return Table(keys: keys, metas: metas, buckets: buckets, count: n, bucketBits: bits)
    }
    let domainStart = namesEnd
    domains = try table(domainStart, domainCount, domainBits, hashed: false)
    hashed = try table(domainStart + tableBytes(domainCount, domainBits), hashedCount, hashedBits, hashed: true)
    // Every key must sit in its bucket, or lookups would miss it.
    for (t, bits) in [(domains, domainBits), (hashed, hashedBits)] where verify {
      for b in 0..<(1 << bits) {
        for i in Int(t.buckets[b])..<Int(t.buckets[b + 1]) where Int(truncatingIfNeeded: t.keys[i] >> UInt64(64 - bits)) != b {
          throw corrupt("a key is in the wrong bucket")
        }
      }
    }
  }

  // MARK: - Building

  static func bucketBits(for count: Int) -> Int {
    var bits = 1
    while bits < 28 && (1 << bits) * 4 < count { bits += 1 }
    return bits
  }

  /// Serialises entries (sorted here) and names into the index format.
  static func build(
    names: [String], domainEntries: [IndexEntry], hashedEntries: [IndexEntry], hasURLPrefixes: Bool
  ) throws(ChildSafeError) -> [UInt8] {
    let storage = try buildStorage(names: names, domainEntries: domainEntries, hashedEntries: hashedEntries, hasURLPrefixes: hasURLPrefixes)
    return Array(UnsafeRawBufferPointer(start: storage.base, count: storage.count))
  }

  /// Serialises entries and names into one allocation of exactly the index's size (no growing
  /// buffer, no copy, no sorted copy of the entries).
  static func buildStorage(
    names: [String], domainEntries: [IndexEntry], hashedEntries: [IndexEntry], hasURLPrefixes: Bool
  ) throws(ChildSafeError) -> IndexStorage {
    if names.count > EntryMeta.maximumNames {
      throw ChildSafeError(.invalidValue, "too many list and category names (\(names.count); the limit is \(EntryMeta.maximumNames))")
    }
    if domainEntries.count >= 1 << 31 || hashedEntries.count >= 1 << 31 {
      throw ChildSafeError(.inputTooLarge, "too many entries for one index")
    }
    let namesBytes = pad(names.reduce(0) { $0 + 2 + min($1.utf8.count, 0xFFFF) })
    let domainBits = bucketBits(for: domainEntries.count)
    let hashedBits = bucketBits(for: hashedEntries.count)
    func tableBytes(_ n: Int, _ bits: Int) -> Int { n * 8 + pad(n * 4) + pad(((1 << bits) + 1) * 4) }
    let size = headerSize + namesBytes + tableBytes(domainEntries.count, domainBits)
      + tableBytes(hashedEntries.count, hashedBits)
    let storage = IndexStorage(zeroedByteCount: size)
    let out = UnsafeMutableRawPointer(mutating: storage.base)
    func set16(_ offset: Int, _ v: UInt16) { out.storeBytes(of: v.littleEndian, toByteOffset: offset, as: UInt16.self) }
    func set32(_ offset: Int, _ v: UInt32) { out.storeBytes(of: v.littleEndian, toByteOffset: offset, as: UInt32.self) }
    func set64(_ offset: Int, _ v: UInt64) { out.storeBytes(of: v.littleEndian, toByteOffset: offset, as: UInt64.self) }
    var offset = headerSize
    for name in names {
      var name = name
      name.withUTF8 { bytes in
        let length = min(bytes.count, 0xFFFF)
        set16(offset, UInt16(length))
        if length > 0 { (out + offset + 2).copyMemory(from: bytes.baseAddress!, byteCount: length) }
        offset += 2 + length
      }
    }
    offset = headerSize + namesBytes
    var hashedLengths: UInt32 = 0
    for e in hashedEntries { hashedLengths |= 1 << UInt32(EntryMeta(raw: e.meta).prefixBytes) }
    func writeTable(_ entries: [IndexEntry], _ bits: Int) {
      let n = entries.count
      let keys = (out + offset).bindMemory(to: UInt64.self, capacity: n)
      let metas = (out + offset + n * 8).bindMemory(to: UInt32.self, capacity: n)
      let buckets = (out + offset + n * 8 + pad(n * 4)).bindMemory(to: UInt32.self, capacity: (1 << bits) + 1)
      entries.withUnsafeBufferPointer { sortEntries($0, keys: keys, metas: metas, buckets: buckets, bucketBits: bits) }
      offset += n * 8 + pad(n * 4) + pad(((1 << bits) + 1) * 4)
    }
    writeTable(domainEntries, domainBits)
    writeTable(hashedEntries, hashedBits)
    // Header.
    for i in 0..<8 { out.storeBytes(of: magic[i], toByteOffset: i, as: UInt8.self) }
    set32(8, version)
    set32(12, hasURLPrefixes ? flagURLPrefixes : 0)
    set64(16, UInt64(size))
    set32(32, UInt32(names.count))
    set32(36, UInt32(namesBytes))
    set32(40, UInt32(domainEntries.count))
    set32(44, UInt32(domainBits))
    set32(48, UInt32(hashedEntries.count))
    set32(52, UInt32(hashedBits))
    set32(56, hashedLengths)
    set64(24, checksum(storage.base, words: size / 8))
    return storage
  }

  /// Writes `entries` sorted by key, then metadata, as the index's key and metadata arrays, and
  /// their bucket directory (`buckets[b]`: the first entry of bucket `b`, the top `bits` bits of
  /// the key; `buckets[2^bits]`: the count), in expected linear time. Keys are hashes, spread
  /// evenly over their top bits: the entries are counted per bucket, each is written into its
  /// bucket's range (one sequential read of the entries, a counting sort), then each bucket, about
  /// four entries, is sorted on its own (insertion sort; the standard sort for a large bucket, so
  /// that keys made to collide cost n log n at worst). `keys`, `metas` and `buckets` start zeroed.
  static func sortEntries(
    _ entries: UnsafeBufferPointer<IndexEntry>, keys: UnsafeMutablePointer<UInt64>, metas: UnsafeMutablePointer<UInt32>,
    buckets: UnsafeMutablePointer<UInt32>, bucketBits bits: Int
  ) {
    let n = entries.count
    let bucketCount = 1 << bits
    @inline(__always) func bucket(_ key: UInt64) -> Int { Int(truncatingIfNeeded: key >> UInt64(64 - bits)) }
    // buckets[b]: the count of bucket b, then the end of its range, then (entries written from the
    // end down) its start.
    for entry in entries { buckets[bucket(entry.key)] &+= 1 }
    var total: UInt32 = 0
    for b in 0..<bucketCount {
      total &+= buckets[b]
      buckets[b] = total
    }
    buckets[bucketCount] = UInt32(n)
    for entry in entries.reversed() {
      let b = bucket(entry.key)
      let slot = Int(buckets[b] &- 1)
      buckets[b] = UInt32(slot)
      keys[slot] = entry.key
      metas[slot] = entry.meta
    }
    for b in 0..<bucketCount {
      let start = Int(buckets[b])
      let end = Int(buckets[b + 1])
      if end - start > 16 {
        var crowd = (start..<end).map { IndexEntry(key: keys[$0], meta: metas[$0]) }
        crowd.sort()
        for (i, entry) in crowd.enumerated() {
          keys[start + i] = entry.key
          metas[start + i] = entry.meta
        }
      } else if end - start > 1 {
        for i in (start + 1)..<end {
          let item = IndexEntry(key: keys[i], meta: metas[i])
          var j = i
          while j > start && item < IndexEntry(key: keys[j - 1], meta: metas[j - 1]) {
            keys[j] = keys[j - 1]
            metas[j] = metas[j - 1]
            j -= 1
          }
          keys[j] = item.key
          metas[j] = item.meta
        }
      }
    }
  }

  /// A fast 64-bit checksum over the whole file as 8-byte words, the checksum field (word 3) read as 0.
  /// Each step is a bijection of the running state for a fixed word, so any change confined to one
  /// word always changes the result.
  static func checksum(_ start: UnsafeRawPointer, words: Int) -> UInt64 {
    var h: UInt64 = 0x9E37_79B9_7F4A_7C15
    for i in 0..<words {
      let w = i == 3 ? 0 : UInt64(littleEndian: start.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))
      h = ((h << 23 | h >> 41) ^ w) &* 0xff51_afd7_ed55_8ccd
    }
    return h ^ UInt64(words)
  }
}

@inline(__always) func pad(_ n: Int) -> Int { (n + 7) & ~7 }

extension FileSystem {
  /// The first `count` bytes of a file (fewer when it is shorter).
  static func readPrefix(_ path: String, count: Int) throws(ChildSafeError) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 { throw ChildSafeError(.io, "cannot open \(path)") }
    defer { close(fd) }
    var buffer = [UInt8](repeating: 0, count: count)
    let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, count) }
    if n < 0 { throw ChildSafeError(.io, "cannot read \(path)") }
    return Array(buffer[0..<n])
  }
}
