/// An immutable open-addressing hash table from UTF-8 byte strings to small integers. Looking up
/// token text by its bytes avoids String hashing, which normalises to NFC first.
struct ByteTable: Sendable {
  private var slots: [Int32]  // index into keys, -1 empty
  private var hashes: [UInt32]
  private var keyStarts: [Int32]
  private var keyBytes: [UInt8]
  private var values: [Int32]
  private let mask: Int

  init(_ entries: [(key: String, value: Int32)]) {
    var capacity = 16
    while capacity < entries.count * 2 + 1 { capacity <<= 1 }
    mask = capacity - 1
    slots = [Int32](repeating: -1, count: capacity)
    hashes = []
    keyStarts = [0]
    keyBytes = []
    values = []
    for (key, value) in entries {
      let bytes = Array(key.utf8)
      let h = bytes.withUnsafeBufferPointer { ByteTable.hash($0) }
      var slot = Int(h) & mask
      while slots[slot] >= 0 { slot = (slot + 1) & mask }
      slots[slot] = Int32(values.count)
      hashes.append(h)
      keyBytes.append(contentsOf: bytes)
      keyStarts.append(Int32(keyBytes.count))
      values.append(value)
    }
  }

  /// FNV-1a over the bytes.
  @inline(__always)
  static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
    var h: UInt32 = 2_166_136_261
    for b in bytes { h = (h ^ UInt32(b)) &* 16_777_619 }
    return h
  }

  func value(for bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
    let h = ByteTable.hash(bytes)
    var slot = Int(h) & mask
    while true {
      let index = Int(slots[slot])
      if index < 0 { return nil }
      if hashes[index] == h {
        let start = Int(keyStarts[index])
        let end = Int(keyStarts[index + 1])
        if end - start == bytes.count {
          var equal = true
          var k = 0
          while k < bytes.count {
            if keyBytes[start + k] != bytes[k] {
              equal = false
              break
            }
            k += 1
          }
          if equal { return values[index] }
        }
      }
      slot = (slot + 1) & mask
    }
  }

  func value(for text: String) -> Int32? {
    if let found = text.utf8.withContiguousStorageIfAvailable({ value(for: $0) }) { return found }
    let bytes = Array(text.utf8)
    return bytes.withUnsafeBufferPointer { value(for: $0) }
  }
}
