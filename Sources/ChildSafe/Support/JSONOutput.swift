/// Pieces of compact JSON appended straight to bytes, written exactly as
/// ``JSONValue/serialize(into:)`` writes the same values: for answers written without building
/// their ``JSONValue`` first (see ``VerdictJSON/write(_:id:into:)``).
enum JSONOutput {
  @inline(__always)
  static func string<Sink: ByteSink>(_ text: String, _ out: inout Sink) { JSONValue.writeString(text, to: &out) }

  static func string<Sink: ByteSink>(_ text: String?, _ out: inout Sink) {
    if let text { JSONValue.writeString(text, to: &out) } else { out.appendASCII("null") }
  }

  @inline(__always)
  static func bool<Sink: ByteSink>(_ value: Bool, _ out: inout Sink) {
    value ? out.appendASCII("true") : out.appendASCII("false")
  }

  /// A whole number as `.int(value)` writes it (decimal digits; every Int this schema writes is
  /// far below 9e15, where Double stops being exact).
  static func int<Sink: ByteSink>(_ value: Int, _ out: inout Sink) {
    var magnitude = value.magnitude
    if value < 0 { out.appendByte(UInt8(ascii: "-")) }
    if magnitude < 10 {
      out.appendByte(0x30 + UInt8(magnitude))
      return
    }
    var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes, enough for 20 digits
    var count = 0
    withUnsafeMutableBytes(of: &digits) { buffer in
      while magnitude > 0 {
        count += 1
        buffer[24 - count] = 0x30 + UInt8(magnitude % 10)
        magnitude /= 10
      }
      let start = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self) + (24 - count)
      out.appendBytes(UnsafeBufferPointer(start: start, count: count))
    }
  }

  static func int<Sink: ByteSink>(_ value: Int?, _ out: inout Sink) {
    if let value { int(value, &out) } else { out.appendASCII("null") }
  }

  @inline(__always)
  static func number<Sink: ByteSink>(_ value: Double, _ out: inout Sink) { JSONValue.writeNumber(value, to: &out) }

  static func number<Sink: ByteSink>(_ value: Double?, _ out: inout Sink) {
    if let value { JSONValue.writeNumber(value, to: &out) } else { out.appendASCII("null") }
  }

  /// Writes a number that is not whole but has at most four decimals (rounded scores, rule
  /// weights) as `String(value)` would, without making the String; false for any other number.
  ///
  /// k / 10000, with k whole and below 1e15, is the decimal with those digits: dividing the exact
  /// `Double(k)` rounds to the Double nearest it, as reading the decimal text does, so when that
  /// is `value` the text reads back as `value`. No shorter text can (distinct decimals of at most
  /// 15 significant digits are distinct Doubles), so it is the shortest, which is what
  /// `description` writes; it uses no exponent from 1e-4 up to 2^53.
  static func fourDecimals<Sink: ByteSink>(_ value: Double, _ out: inout Sink) -> Bool {
    let scaled = (value * 10000).rounded()
    guard abs(scaled) < 1e15, scaled / 10000 == value else { return false }
    let k = Int(scaled).magnitude
    var fraction = k % 10000
    guard fraction != 0 else { return false }
    if value < 0 { out.appendByte(UInt8(ascii: "-")) }
    int(Int(k / 10000), &out)
    out.appendByte(UInt8(ascii: "."))
    var digits = 4
    while fraction % 10 == 0 {
      fraction /= 10
      digits -= 1
    }
    var divisor: UInt = 1
    for _ in 1..<digits { divisor *= 10 }
    while divisor > 0 {
      out.appendByte(0x30 + UInt8(fraction / divisor % 10))
      divisor /= 10
    }
    return true
  }

  /// `[item,item,...]`.
  @inline(__always)
  static func array<C: Collection, Sink: ByteSink>(_ items: C, _ out: inout Sink, _ write: (C.Element, inout Sink) -> Void) {
    out.appendByte(UInt8(ascii: "["))
    var first = true
    for item in items {
      if !first { out.appendByte(UInt8(ascii: ",")) }
      first = false
      write(item, &out)
    }
    out.appendByte(UInt8(ascii: "]"))
  }
}
