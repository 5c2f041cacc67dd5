import CChildSafeICU

/// Look-alike letters of Cyrillic and Greek mapped to Latin through ICU's UTS #39 skeletons,
/// computed once for the whole block.
enum Confusables {
  /// Indexed by scalar - 0x0370: the Latin letter, or 0 when the scalar is no look-alike.
  nonisolated(unsafe) static let table: UnsafePointer<UInt8> = ScalarTable.immortal({
    var map = [UInt8](repeating: 0, count: 0x0530 - 0x0370)
    var out = [UInt16](repeating: 0, count: 16)
    for cp in UInt32(0x0370)...UInt32(0x052F) {
      var src: [UInt16] = [UInt16(cp)]
      let n = src.withUnsafeMutableBufferPointer { s in
        out.withUnsafeMutableBufferPointer { d in
          csicu_skeleton(s.baseAddress, 1, d.baseAddress, Int32(d.count))
        }
      }
      src.removeAll()
      if n == 1, out[0] < 0x80 {
        var c = UInt8(out[0])
        if c >= 0x41 && c <= 0x5A { c |= 0x20 }
        if c >= 0x61 && c <= 0x7A { map[Int(cp - 0x0370)] = c }
      }
    }
    return map
  }())

  @inline(__always)
  static func latin(for cp: UInt32) -> UInt8? {
    if cp < 0x0370 || cp > 0x052F { return nil }
    let c = table[Int(cp - 0x0370)]
    return c == 0 ? nil : c
  }
}

extension Tokenizer {
  /// Whether the text is mostly Latin (so a Cyrillic or Greek look-alike word is an evasion, not a
  /// sentence in that script).
  mutating func computeLatinDominance() -> Bool {
    if let latinDominance { return latinDominance }
    cost.add(s.count)
    var latin = 0
    var other = 0
    for c in s {
      if c < 0x80 {
        if c >= 0x61 && c <= 0x7A { latin += 1 }
      } else if c >= 0x0370 && c <= 0x052F {
        other += 1
      } else if c >= 0xC0 && c < 0x0250 {
        latin += 1
      }
    }
    latinDominance = latin > other
    return latin > other
  }
}
