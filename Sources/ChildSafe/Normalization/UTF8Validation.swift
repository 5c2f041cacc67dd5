/// Checks UTF-8 well-formedness without allocating (overlongs, surrogates and > U+10FFFF rejected).
public enum UTF8Validation {
  /// The byte offset of the first invalid sequence, or nil when the buffer is valid UTF-8.
  public static func firstInvalidOffset(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    firstInvalidOffset(bytes, from: 0)
  }

  /// The offset of the first byte >= 0x80, or the count when all bytes are ASCII (which is valid
  /// UTF-8). Eight bytes at a time.
  static func firstNonASCIIOffset(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    let n = bytes.count
    guard let base = bytes.baseAddress else { return 0 }
    var i = 0
    let raw = UnsafeRawPointer(base)
    while i + 8 <= n {
      if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { break }
      i += 8
    }
    while i < n && bytes[i] < 0x80 { i += 1 }
    return i
  }

  /// ``firstInvalidOffset(_:)`` for bytes[start...] (start on a sequence boundary). One branch per
  /// sequence length, the commonest (two-byte Latin, Greek, Cyrillic; three-byte CJK) first.
  static func firstInvalidOffset(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
    guard let p = bytes.baseAddress else { return nil }
    let n = bytes.count
    var i = start
    while i < n {
      let b0 = p[i]
      if b0 < 0x80 {
        i += 1
        continue
      }
      if b0 < 0xE0 {
        // C2...DF, then one continuation byte (80 and C0, C1 start no sequence or an overlong one).
        guard b0 >= 0xC2, i + 1 < n, p[i + 1] & 0xC0 == 0x80 else { return i }
        i += 2
        continue
      }
      if b0 < 0xF0 {
        // E0 A0...BF (no overlongs), ED 80...9F (no surrogates), others 80...BF; then a continuation.
        guard i + 2 < n else { return i }
        let b1 = p[i + 1]
        let low: UInt8 = b0 == 0xE0 ? 0xA0 : 0x80
        let high: UInt8 = b0 == 0xED ? 0x9F : 0xBF
        guard b1 >= low, b1 <= high, p[i + 2] & 0xC0 == 0x80 else { return i }
        i += 3
        continue
      }
      // F0 90...BF (no overlongs), F4 80...8F (nothing above U+10FFFF), F1...F3 80...BF; F5... none.
      guard b0 <= 0xF4, i + 3 < n else { return i }
      let b1 = p[i + 1]
      let low: UInt8 = b0 == 0xF0 ? 0x90 : 0x80
      let high: UInt8 = b0 == 0xF4 ? 0x8F : 0xBF
      guard b1 >= low, b1 <= high, p[i + 2] & 0xC0 == 0x80, p[i + 3] & 0xC0 == 0x80 else { return i }
      i += 4
    }
    return nil
  }

  /// Whether the bytes are valid UTF-8: ASCII eight bytes at a time, the rest checked in full.
  @inline(__always)
  public static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let firstNonASCII = firstNonASCIIOffset(bytes)
    return firstNonASCII == bytes.count || firstInvalidOffset(bytes, from: firstNonASCII) == nil
  }

  public static func isValid(_ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBufferPointer { isValid($0) }
  }
}
