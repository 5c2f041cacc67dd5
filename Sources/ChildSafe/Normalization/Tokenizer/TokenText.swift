// Writing tokens and their texts: UTF-8 into the token arena, Strings without extra copies.

extension Tokenizer {
  // MARK: Output

  /// Appends the token of folded scalars s[a..<b] as they are.
  mutating func emit(from a: Int, to b: Int, kind: Token.Kind, single: Bool) {
    append(utf8Token(slice(a, b), start: start(a), end: end(b - 1), kind: kind), single: single)
  }

  mutating func string(_ a: Int, _ b: Int) -> String { utf8String(slice(a, b)) }

  /// The word token of s[a..<b], scalars known to be ASCII.
  @inline(__always)
  mutating func asciiToken(_ a: Int, _ b: Int) -> RawToken {
    asciiToken(slice(a, b), start: start(a), end: end(b - 1))
  }

  /// A word token whose text is `scalars`, known to be ASCII: their bytes go straight to the arena.
  @inline(__always)
  mutating func asciiToken(_ scalars: UnsafeBufferPointer<UInt32>, start: Int, end: Int) -> RawToken {
    let count = scalars.count
    let out = tokens.reserveText(count)
    for k in 0..<count { out[k] = UInt8(truncatingIfNeeded: scalars[k]) }
    return tokens.commitText(count, start: start, end: end, kind: .word)
  }

  /// A token whose text is the UTF-8 of folded scalars.
  mutating func utf8Token(_ scalars: UnsafeBufferPointer<UInt32>, start: Int, end: Int, kind: Token.Kind) -> RawToken {
    let out = tokens.reserveText(4 * scalars.count)
    var k = 0
    for c in scalars { k = Tokenizer.encodeUTF8(c, into: out, at: k) }
    return tokens.commitText(k, start: start, end: end, kind: kind)
  }

  /// A String from folded scalars.
  mutating func utf8String(_ scalars: UnsafeBufferPointer<UInt32>) -> String {
    guard let encoded = utf8Bytes(scalars) else { return Tokenizer.utf8String(scalars) }
    return Tokenizer.string(encoded.bytes, ascii: encoded.ascii)
  }

  /// The UTF-8 of folded scalars, written to the byte scratch (valid until the scratch is next
  /// used), and whether it is all ASCII; nil when the scratch is too small.
  @inline(__always)
  mutating func utf8Bytes(_ scalars: UnsafeBufferPointer<UInt32>) -> (bytes: UnsafeBufferPointer<UInt8>, ascii: Bool)? {
    guard 4 * scalars.count <= utf8.count, let out = utf8.baseAddress else { return nil }
    var k = 0
    var high: UInt32 = 0
    for c in scalars {
      high |= c
      k = Tokenizer.encodeUTF8(c, into: out, at: k)
    }
    return (UnsafeBufferPointer(start: out, count: k), high < 0x80)
  }

  /// The longest UTF-8 that a String stores inline (on 64-bit platforms), without allocating.
  static let smallStringCapacity = 15

  /// A String of valid UTF-8 bytes; `ascii` says they are all ASCII. A short ASCII one is written
  /// straight into the String's inline storage, which skips the separate validation pass and copy
  /// of `String(decoding:as:)`; other text is decoded (and validated) as usual.
  @inline(__always)
  static func string(_ bytes: UnsafeBufferPointer<UInt8>, ascii: Bool) -> String {
    let count = bytes.count
    guard ascii, count <= smallStringCapacity, let source = bytes.baseAddress else {
      return String(decoding: bytes, as: UTF8.self)
    }
    return String(unsafeUninitializedCapacity: count) { buffer in
      buffer.baseAddress?.initialize(from: source, count: count)
      return count
    }
  }

  /// A String from scalars, without scratch space.
  static func utf8String(_ scalars: UnsafeBufferPointer<UInt32>) -> String {
    var byteCount = 0
    for c in scalars where Unicode.Scalar(c) != nil { byteCount += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4 }
    return String(unsafeUninitializedCapacity: byteCount) { buffer in
      guard let out = buffer.baseAddress else { return 0 }
      var k = 0
      for c in scalars { k = encodeUTF8(c, into: out, at: k) }
      return k
    }
  }

  /// Writes scalar `c` as UTF-8 at out[k...] and returns the index past it. Values that are not
  /// scalars (never produced by folding) are skipped.
  @inline(__always)
  static func encodeUTF8(_ c: UInt32, into out: UnsafeMutablePointer<UInt8>, at k: Int) -> Int {
    if c < 0x80 {
      out[k] = UInt8(c)
      return k + 1
    }
    // Not a scalar: a surrogate or above U+10FFFF (as `Unicode.Scalar(c) == nil`).
    guard c &- 0xD800 >= 0x800 && c <= 0x10_FFFF else { return k }
    if c < 0x800 {
      out[k] = UInt8(0xC0 | c >> 6)
      out[k + 1] = UInt8(0x80 | c & 0x3F)
      return k + 2
    }
    if c < 0x10000 {
      out[k] = UInt8(0xE0 | c >> 12)
      out[k + 1] = UInt8(0x80 | (c >> 6) & 0x3F)
      out[k + 2] = UInt8(0x80 | c & 0x3F)
      return k + 3
    }
    out[k] = UInt8(0xF0 | c >> 18)
    out[k + 1] = UInt8(0x80 | (c >> 12) & 0x3F)
    out[k + 2] = UInt8(0x80 | (c >> 6) & 0x3F)
    out[k + 3] = UInt8(0x80 | c & 0x3F)
    return k + 4
  }
}
