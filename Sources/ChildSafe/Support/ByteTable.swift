/// An immutable open-addressing hash table from UTF-8 byte strings to small integers. Looking up
/// token text by its bytes avoids String hashing, which normalises to NFC first.
///
/// It is read for every token (its word atom) and many times per leetspeak word (the lexicon's
/// guesses), so a lookup touches one slot record (hash, key position and length, value) and then
/// the key's bytes: two dependent reads.
struct ByteTable: Sendable {
  struct Slot: Sendable {
    var hash: UInt32
    /// -1 marks an empty slot.
    var length: Int32
    var start: Int32
    var value: Int32
  }

  private let slots: [Slot]
  private let keyBytes: [UInt8]
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
    self.slots = slots
    self.keyBytes = keyBytes
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
    keyBytes.withUnsafeBufferPointer { keys in
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
      for slot in slots where slot.length >= 0 {
        mark(start: slot.start, length: Int(slot.length), .key)
        for length in stride(from: 1, to: Int(slot.length), by: 1) { mark(start: slot.start, length: length, .startsLongerKey) }
      }
    }
    return ByteTable(slots: table, keyBytes: keyBytes, mask: table.count - 1)
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
    var slots = self.slots
    var keyBytes = self.keyBytes
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
    self.slots = slots
    self.keyBytes = keyBytes
    self.mask = mask
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
    let h = ByteTable.hash(bytes)
    let n = bytes.count
    return slots.withUnsafeBufferPointer { slots in
      keyBytes.withUnsafeBufferPointer { keys -> Int32? in
        var slot = Int(h) & mask
        while true {
          let entry = slots[slot]
          if entry.length < 0 { return nil }
          if entry.hash == h && Int(entry.length) == n {
            let start = Int(entry.start)
            var k = 0
            while k < n && keys[start + k] == bytes[k] { k += 1 }
            if k == n { return entry.value }
          }
          slot = (slot + 1) & mask
        }
      }
    }
  }

  func value(for text: String) -> Int32? {
    if let found = text.utf8.withContiguousStorageIfAvailable({ value(for: $0) }) { return found }
    let bytes = Array(text.utf8)
    return bytes.withUnsafeBufferPointer { value(for: $0) }
  }
}

extension ByteTable {
  /// Writes the table as it is laid out: its key bytes, then only its used slots (where each is,
  /// and its key and value); hashes are computed again when it is read, which costs less than
  /// storing them (and the empty slots) in a form that must be decoded anyway.
  func write(to writer: inout ArchiveWriter) {
    writer.varint(UInt64(keyBytes.count))
    for byte in keyBytes { writer.byte(byte) }
    writer.varint(UInt64(slots.count))
    var used = 0
    for slot in slots where slot.length >= 0 { used += 1 }
    writer.varint(UInt64(used))
    var next = 0
    for (k, slot) in slots.enumerated() where slot.length >= 0 {
      writer.varint(UInt64(k - next))
      next = k + 1
      writer.varint(UInt64(slot.length))
      writer.varint(UInt64(slot.start))
      writer.int(Int(slot.value))
    }
  }

  /// Reads a table written by ``write(to:)``; its slots are checked to lie inside its key bytes.
  init(reading reader: inout ArchiveReader) throws(ChildSafeError) {
    let byteCount = try reader.length()
    let keyBytes = Array(UnsafeBufferPointer(rebasing: reader.bytes[reader.offset..<reader.offset + byteCount]))
    try reader.skip(byteCount)
    let count = try reader.varint()
    guard count >= 1, count <= 1 << 28, count & (count - 1) == 0 else {
      throw reader.corrupt("table size not a power of two")
    }
    let used = try reader.length()
    // A full table would make a lookup of a missing key probe forever.
    guard used < count else { throw reader.corrupt("table without an empty slot") }
    var slots = [Slot](repeating: Slot(hash: 0, length: -1, start: 0, value: 0), count: Int(count))
    var next = 0
    try keyBytes.withUnsafeBufferPointer { keys throws(ChildSafeError) in
      for _ in 0..<used {
        // Positions, not counts of what follows: checked against the table and its key bytes.
        let gap = try reader.varint()
        let rawLength = try reader.varint()
        let rawStart = try reader.varint()
        let value = try reader.int32()
        guard gap < UInt64(slots.count - next), rawLength <= UInt64(keys.count),
          rawStart <= UInt64(keys.count) - rawLength
        else { throw reader.corrupt("table slot out of range") }
        let k = next + Int(gap)
        let (length, start) = (Int(rawLength), Int(rawStart))
        slots[k] = Slot(
          hash: ByteTable.hash(UnsafeBufferPointer(rebasing: keys[start..<start + length])), length: Int32(length),
          start: Int32(start), value: value)
        next = k + 1
      }
    }
    self.init(slots: slots, keyBytes: keyBytes, mask: Int(count) - 1)
  }
}
