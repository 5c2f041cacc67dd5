import Testing

@testable import ChildSafe

/// Numbers are written without making a String where that is exact; the text must be what
/// `String(value)` (and so `JSONValue.serialized()` before) gives.
@Suite("JSON numbers written")
struct JSONOutputTests {
  static func written(_ value: Double) -> String {
    var out: [UInt8] = []
    JSONValue.writeNumber(value, to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  static func expected(_ value: Double) -> String {
    if !value.isFinite { return "null" }
    if value.rounded() == value && abs(value) < 9.0e15 { return String(Int(value)) }
    return String(value)
  }

  @Test func numbersWithFewDecimalsAreWrittenAsStringWritesThem() {
    var random = DifferentialNormalizerTests.SplitMix64(state: 21)
    var values: [Double] = [
      0.0001, -0.0001, 0.00015, 0.5, -0.25, 0.1, 0.2, 0.3, 0.7071, 1.1, 2.675, 1234567.5, 1e10 + 0.5, 99_999_999_999.9999,
      123_456_789_012.3456, 0.1 + 0.2, 1.0 / 3.0, 1e-5, 5e-5, 1e15 + 0.5, 4503599627370495.5, 1e300, -1e-300, .pi,
      Double.leastNonzeroMagnitude, .greatestFiniteMagnitude, .infinity, -.infinity, .nan, -0.0, 0, 42, -7, 9e15, 1e16,
    ]
    for _ in 0..<20_000 {
      let k = Double(Int64(bitPattern: random.next()) % 100_000_000_000)
      values.append(k / 10_000)
      values.append(JSONRounding.round(Double(bitPattern: random.next() >> 2) .truncatingRemainder(dividingBy: 1e6)))
      values.append(Double(bitPattern: random.next()))
    }
    for value in values { #expect(Self.written(value) == Self.expected(value), "\(value)") }
  }

  @Test func wholeNumbersAreWrittenAsIntWritesThem() {
    for value in [0, 1, 9, 10, 99, 100, -1, -10, 1234567890, -987654321012345, Int(9e15) - 1] {
      var out: [UInt8] = []
      JSONOutput.int(value, &out)
      #expect(String(decoding: out, as: UTF8.self) == String(value))
    }
  }
}
