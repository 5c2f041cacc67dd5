/// An immutable open-addressing hash table from UTF-8 byte strings to small integers. Looking up
/// token text by its bytes avoids String hashing, which normalises to NFC first.
///
/// It is read for every token (its word atom) and many times per leetspeak word (the lexicon's
/// guesses), so a lookup touches one slot record (key length and position, value) and then the
/// bytes of a key of the same length: two dependent reads. Slots keep no hash: at most half full,
/// a probe rarely meets a key of the same length that is not the one sought, and three words a
/// slot instead of four keep the tables a quarter smaller in the library's archive.
///
/// Its memory is its own, or (read from the library's own compiled packs) the archive's bytes
/// where they lie: a lookup then brings into memory only the pages it reads.
struct ByteTable: Sendable {
  struct Slot: Sendable {
    var hash: UInt32
    /// -1 marks an empty slot.
    var length: Int32
    var start: Int32
    var value: Int32
  }

  /// The slots, three words each (key length or -1 for an empty slot, key start, value), and the
  /// key bytes.
  private final class Storage: @unchecked Sendable {
    static let wordsPerSlot = 3
    let words: UnsafeBufferPointer<Int32>
    let keys: UnsafeBufferPointer<UInt8>
    /// The memory this object allocated, freed with it (not what it reads in place).
    private let allocations: [UnsafeMutableRawPointer]

    init(words: UnsafeBufferPointer<Int32>, keys: UnsafeBufferPointer<UInt8>, allocations: [UnsafeMutableRawPointer]) {
      self.words = words
      self.keys = keys
      self.allocations = allocations
    }

    convenience init(slots: [Slot], keyBytes: [UInt8]) {
      let words = UnsafeMutableBufferPointer<Int32>.allocate(capacity: max(1, slots.count * Storage.wordsPerSlot))
      for (k, slot) in slots.enumerated() {
        words[3 * k] = slot.length
        words[3 * k + 1] = slot.start
        words[3 * k + 2] = slot.value
      }
      let keys = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, keyBytes.count))
      _ = keys.initialize(fromContentsOf: keyBytes)
      self.init(
        words: UnsafeBufferPointer(rebasing: words[0..<slots.count * Storage.wordsPerSlot]),
        keys: UnsafeBufferPointer(rebasing: keys[0..<keyBytes.count]),
        allocations: [UnsafeMutableRawPointer(words.baseAddress!), UnsafeMutableRawPointer(keys.baseAddress!)])
    }

    deinit {
      for p in allocations { p.deallocate() }
    }

    var slotCount: Int { words.count / Storage.wordsPerSlot }

    /// Slot `k` without its hash, which is not kept (building other tables from this one needs
    /// only where each key lies).
    func slot(_ k: Int) -> Slot {
      Slot(hash: 0, length: words[3 * k], start: words[3 * k + 1], value: words[3 * k + 2])
    }

    var slots: [Slot] { (0..<slotCount).map(slot) }
    var keyBytes: [UInt8] { Array(keys) }
  }

  private let storage: Storage
  private let mask: Int

  init(_ entries: [(key: String, value: Int32)]) {
    var capacity = 16
    while capacity < entries.count * 2 + 1 { capacity <<= 1 }
    mask = capacity - 1
    var slots = [Slot](repeating: Slot(hash: 0, length: -1, start: 0, value: 0), count: capacity)
    var keyBytes: [UInt8] = []
    for (key, value) in entries {
      let bytes = Array(key.utf8)
      let h = bytes.withUnsafeBufferPointer { ByteTable.hash($0) }
      var slot = Int(h) & mask
      while slots[slot].length >= 0 { slot = (slot + 1) & mask }
      slots[slot] = Slot(hash: h, length: Int32(bytes.count), start: Int32(keyBytes.count), value: value)
      keyBytes.append(contentsOf: bytes)
    }
    storage = Storage(slots: slots, keyBytes: keyBytes)
  }

  /// What ``prefixTable()`` says of a byte string: whether it is a key, and whether a longer key starts with it.
  struct PrefixFlags: OptionSet {
    let rawValue: Int32
    static let key = PrefixFlags(rawValue: 1)
    static let startsLongerKey = PrefixFlags(rawValue: 2)
  }

  /// A table of this table's keys and of every proper prefix of them ("se" and "sec"... of
  /// "secret"), each once, with ``PrefixFlags`` as values: one lookup then says both whether a
  /// candidate is a key and whether extending it can lead to one. Built from the key bytes in
  /// place, with no String per prefix.
  func prefixTable() -> ByteTable {
    // Grown as it fills (at most two thirds full; it is read only for spaced-out letters): shared
    // prefixes ("s", "se"...) make the entries far fewer than the keys' bytes (the default
    // lexicon's 3,500 words give 8,700), so sizing for the bytes would waste memory.
    var table = [Slot](repeating: Slot(hash: 0, length: -1, start: 0, value: 0), count: 16)
    var used = 0
    func place(_ entry: Slot, in table: inout [Slot]) {
      let mask = table.count - 1
      var probe = Int(entry.hash) & mask
      while table[probe].length >= 0 { probe = (probe + 1) & mask }
      table[probe] = entry
    }
    let keys = storage.keys
    do {
      // Adds `flag` to the entry of keys[start..<start + length], making one if needed.
      func mark(start: Int32, length: Int, _ flag: PrefixFlags) {
        let text = UnsafeBufferPointer(rebasing: keys[Int(start)..<Int(start) + length])
        let h = ByteTable.hash(text)
        let mask = table.count - 1
        var probe = Int(h) & mask
        while table[probe].length >= 0 {
          let entry = table[probe]
          if entry.hash == h && Int(entry.length) == length
            && keys[Int(entry.start)..<Int(entry.start) + length].elementsEqual(text)
          {
            table[probe].value |= flag.rawValue
            return
          }
          probe = (probe + 1) & mask
        }
        table[probe] = Slot(hash: h, length: Int32(length), start: start, value: flag.rawValue)
        used += 1
        if used * 3 >= table.count * 2 {
          var larger = [Slot](repeating: Slot(hash: 0, length: -1, start: 0, value: 0), count: 2 * table.count)
          for entry in table where entry.length >= 0 { place(entry, in: &larger) }
          table = larger
        }
      }
      for slot in storage.slots where slot.length >= 0 {
        mark(start: slot.start, length: Int(slot.length), .key)
        for length in stride(from: 1, to: Int(slot.length), by: 1) { mark(start: slot.start, length: length, .startsLongerKey) }
      }
    }
    return ByteTable(slots: table, keyBytes: storage.keyBytes, mask: table.count - 1)
  }

  /// This table with `entries` added (a key it has already keeps its value). Its slots and key
  /// bytes are copied, not hashed again: a lexicon per rule word is the everyday words plus one or
  /// two, and rebuilding the everyday table for each was most of an engine build (see
  /// ``RuleWordNormalizer``).
  func adding(_ entries: [(key: String, value: Int32)]) -> ByteTable {
    var fresh: [(key: String, value: Int32)] = []
    for entry in entries where value(for: entry.key) == nil && !fresh.contains(where: { $0.key == entry.key }) {
      fresh.append(entry)
    }
    if fresh.isEmpty { return self }
    var slots = storage.slots
    var keyBytes = storage.keyBytes
    var used = 0
    for slot in slots where slot.length >= 0 { used += 1 }
    guard (used + fresh.count) * 2 + 1 <= slots.count else {
      // Too full to stay at most half full: build it again with every key.
      var all: [(key: String, value: Int32)] = []
      for slot in slots where slot.length >= 0 {
        let key = String(decoding: keyBytes[Int(slot.start)..<Int(slot.start + slot.length)], as: UTF8.self)
        all.append((key, slot.value))
      }
      return ByteTable(all + fresh)
    }
    for (key, value) in fresh {
      let bytes = Array(key.utf8)
      let h = bytes.withUnsafeBufferPointer { ByteTable.hash($0) }
      var slot = Int(h) & mask
      while slots[slot].length >= 0 { slot = (slot + 1) & mask }
      slots[slot] = Slot(hash: h, length: Int32(bytes.count), start: Int32(keyBytes.count), value: value)
      keyBytes.append(contentsOf: bytes)
    }
    return ByteTable(slots: slots, keyBytes: keyBytes, mask: mask)
  }

  private init(slots: [Slot], keyBytes: [UInt8], mask: Int) {
    storage = Storage(slots: slots, keyBytes: keyBytes)
    self.mask = mask
  }

  private init(storage: Storage) {
    self.storage = storage
    mask = storage.slotCount - 1
  }

  /// A multiplicative hash over the bytes, eight at a time (FNV-1a went byte by byte, one
  /// multiplication each, and showed up in profiles of leetspeak messages).
  @inline(__always)
  static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
    let n = bytes.count
    var h = UInt64(truncatingIfNeeded: n) &* 0x9E37_79B9_7F4A_7C15
    guard let p = bytes.baseAddress else { return UInt32(truncatingIfNeeded: h >> 32) }
    let raw = UnsafeRawPointer(p)
    var i = 0
    while i + 8 <= n {
      h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
      h ^= h >> 32
      i += 8
    }
    if i < n {
      var tail: UInt64 = 0
      var shift: UInt64 = 0
      while i < n {
        tail |= UInt64(p[i]) << shift
        shift += 8
        i += 1
      }
      h = (h ^ tail) &* 0xFF51_AFD7_ED55_8CCD
    }
    h ^= h >> 29
    return UInt32(truncatingIfNeeded: h)
  }

  func value(for bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
    let n = bytes.count
    let words = storage.words.baseAddress!
    let keys = storage.keys.baseAddress!
    var slot = Int(ByteTable.hash(bytes)) & mask
    while true {
      let entry = words + 3 &* slot
      let length = entry[0]
      if length < 0 { return nil }
      if Int(length) == n {
        let key = keys + Int(entry[1])
        var k = 0
        while k < n && key[k] == bytes[k] { k += 1 }
        if k == n { return entry[2] }
      }
      slot = (slot + 1) & mask
    }
  }

  /// Every key's bytes (for building and comparing tables; not for lookups).
  var keys: [[UInt8]] {
    storage.slots.filter { $0.length >= 0 }.map { Array(storage.keys[Int($0.start)..<Int($0.start) + Int($0.length)]) }
  }

  func value(for text: String) -> Int32? {
    if let found = text.utf8.withContiguousStorageIfAvailable({ value(for: $0) }) { return found }
    let bytes = Array(text.utf8)
    return bytes.withUnsafeBufferPointer { value(for: $0) }
  }
}

extension ByteTable {
  /// Writes the table as it is laid out in memory: its key bytes, then its slots (three
  /// little-endian words each), so that the library's own archive is read in place.
  func write(to writer: inout ArchiveWriter) {
    writer.table(storage.keys)
    writer.table(storage.words)
  }

  /// Reads a table written by ``write(to:)``: in place from the library's own archive (checked by
  /// its tests; opening it touches no slot, so only the pages lookups reach come into memory),
  /// else copied and checked slot by slot: inside its key bytes, one slot at least empty.
  init(reading reader: inout ArchiveReader) throws(ChildSafeError) {
    var owned: [UnsafeMutableRawPointer] = []
    var complete = false
    defer { if !complete { for p in owned { p.deallocate() } } }
    let keys = try reader.table(UInt8.self, allocations: &owned)
    let words = try reader.table(Int32.self, allocations: &owned)
    let count = words.count / Storage.wordsPerSlot
    guard words.count % Storage.wordsPerSlot == 0, count >= 1, count <= 1 << 28, count & (count - 1) == 0 else {
      throw reader.corrupt("table size not a power of two")
    }
    if !reader.isPermanent {
      // Bytes that may be damaged: a slot out of its key bytes would read past them,
      // and a full table would make a lookup of a missing key probe forever.
      var empty = false
      for k in 0..<count {
        let (length, start) = (Int(words[3 * k]), Int(words[3 * k + 1]))
        if length < 0 {
          guard length == -1 else { throw reader.corrupt("table slot out of range") }
          empty = true
          continue
        }
        guard start >= 0, start <= keys.count - length else { throw reader.corrupt("table slot out of range") }
      }
      guard empty else { throw reader.corrupt("table without an empty slot") }
    }
    complete = true
    self.init(storage: Storage(words: words, keys: keys, allocations: owned))
  }
}
