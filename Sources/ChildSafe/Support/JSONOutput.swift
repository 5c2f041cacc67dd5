/// Pieces of compact JSON appended straight to a byte buffer, written exactly as
/// ``JSONValue/serialize(into:)`` writes the same values: for answers written without building
/// their ``JSONValue`` first (see ``VerdictJSON/write(_:id:into:)``).
enum JSONOutput {
  /// ASCII that needs no escape: punctuation and keys, e.g. `,"risk":`.
  @inline(__always)
  static func raw(_ text: StaticString, _ out: inout [UInt8]) {
    out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
  }

  @inline(__always)
  static func string(_ text: String, _ out: inout [UInt8]) { JSONValue.writeString(text, to: &out) }

  static func string(_ text: String?, _ out: inout [UInt8]) {
    if let text { JSONValue.writeString(text, to: &out) } else { raw("null", &out) }
  }

  @inline(__always)
  static func bool(_ value: Bool, _ out: inout [UInt8]) { value ? raw("true", &out) : raw("false", &out) }

  /// A whole number as `.int(value)` writes it (decimal digits; every Int this schema writes is
  /// far below 9e15, where Double stops being exact).
  static func int(_ value: Int, _ out: inout [UInt8]) {
    var magnitude = value.magnitude
    if value < 0 { out.append(UInt8(ascii: "-")) }
    if magnitude < 10 {
      out.append(0x30 + UInt8(magnitude))
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
      out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(24 - count)...]))
    }
  }

  static func int(_ value: Int?, _ out: inout [UInt8]) {
    if let value { int(value, &out) } else { raw("null", &out) }
  }

  @inline(__always)
  static func number(_ value: Double, _ out: inout [UInt8]) { JSONValue.writeNumber(value, to: &out) }

  static func number(_ value: Double?, _ out: inout [UInt8]) {
    if let value { JSONValue.writeNumber(value, to: &out) } else { raw("null", &out) }
  }

  /// `[item,item,...]`.
  @inline(__always)
  static func array<C: Collection>(_ items: C, _ out: inout [UInt8], _ write: (C.Element, inout [UInt8]) -> Void) {
    out.append(UInt8(ascii: "["))
    var first = true
    for item in items {
      if !first { out.append(UInt8(ascii: ",")) }
      first = false
      write(item, &out)
    }
    out.append(UInt8(ascii: "]"))
  }
}
