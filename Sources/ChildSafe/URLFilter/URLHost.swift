import CChildSafeICU

/// A host as the WHATWG URL Standard's host parser reads it, for special schemes (http, https, ws,
/// wss, ftp, file): what a browser connects to. Parsing is linear in the input.
public enum URLHost: Sendable, Hashable {
  /// An ASCII domain: lowercase, Punycode for internationalised labels, dots kept as given.
  case domain(String)
  case ipv4(UInt32)
  /// Eight 16-bit pieces.
  case ipv6([UInt16])

  /// The host serialised as the URL Standard does: dotted decimal, "[" compressed IPv6 "]", or the domain.
  public var serialized: String {
    switch self {
    case .domain(let name): return name
    case .ipv4(let address):
      return "\(address >> 24).\(address >> 16 & 0xFF).\(address >> 8 & 0xFF).\(address & 0xFF)"
    case .ipv6(let pieces): return "[" + URLHost.serializeIPv6(pieces) + "]"
    }
  }

  public var isIPAddress: Bool {
    if case .domain = self { return false }
    return true
  }

  /// Parses the bytes between the authority's userinfo and port, as the URL Standard's host parser
  /// does for a special URL: bracketed IPv6; otherwise percent-decoding (once), UTF-8, "domain to
  /// ASCII" (UTS #46 through ICU), forbidden domain code points, and IPv4 when the last label is a number.
  public static func parse(_ input: ArraySlice<UInt8>) throws(ChildSafeError) -> URLHost {
    // Most hosts: lowercase ASCII with nothing to decode or map and no byte a host may not hold,
    // whose last label does not start with a digit (so cannot be a number): the name as it is.
    if let name = plainDomain(input) { return .domain(name) }
    return try parseInFull(input)
  }

  /// ``parse(_:)`` without its shortcut for plain names.
  static func parseInFull(_ input: ArraySlice<UInt8>) throws(ChildSafeError) -> URLHost {
    if input.first == UInt8(ascii: "[") {
      guard input.count >= 2, input.last == UInt8(ascii: "]") else {
        throw ChildSafeError(.invalidValue, "IPv6 address without its closing ']'")
      }
      guard let pieces = parseIPv6(input.dropFirst().dropLast()) else {
        throw ChildSafeError(.invalidValue, "host is not a valid IPv6 address")
      }
      return .ipv6(pieces)
    }
    let decoded = URLHost.percentDecode(input)
    let ascii = try domainToASCII(decoded)
    if ascii.isEmpty { throw ChildSafeError(.invalidValue, "URL has no host name") }
    for b in ascii where isForbiddenDomainByte(b) {
      throw ChildSafeError(.invalidValue, "host contains a character no host may hold (\(describe(b)))")
    }
    if endsInANumber(ascii) {
      guard let address = parseIPv4(ascii) else {
        throw ChildSafeError(.invalidValue, "host ends in a number but is not a valid IPv4 address")
      }
      return .ipv4(address)
    }
    return .domain(String(decoding: ascii, as: UTF8.self))
  }

  // MARK: - Domain

  /// The name when ``parse(_:)`` would take it as it is (see there), else nil.
  static func plainDomain(_ input: ArraySlice<UInt8>) -> String? {
    if input.isEmpty { return nil }
    let kept = input.withUnsafeBufferPointer { bytes in
      for b in bytes where isForbiddenOrUppercase(b) { return false }
      return true
    }
    if !kept { return nil }
    var end = input.endIndex
    if input[end - 1] == UInt8(ascii: ".") { end -= 1 }
    var start = end
    while start > input.startIndex && input[start - 1] != UInt8(ascii: ".") { start -= 1 }
    if start < end && input[start] >= 0x30 && input[start] <= 0x39 { return nil }
    return String(decoding: input, as: UTF8.self)
  }

  /// "domain to ASCII" with beStrict false: an ASCII name is only lowercased (as browsers do, even
  /// for "xn--" labels that are not valid Punycode: the homograph check flags those); anything else
  /// goes through ICU's UTS #46.
  static func domainToASCII(_ input: [UInt8]) throws(ChildSafeError) -> [UInt8] {
    if !input.contains(where: { $0 >= 0x80 }) {
      if !input.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) { return input }
      return input.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
    }
    let bytes = mappingCapitalSharpS(input)
    guard String(validating: bytes, as: UTF8.self) != nil else {
      throw ChildSafeError(.invalidValue, "host is not valid UTF-8 once percent-decoded")
    }
    if bytes.count > 4096 { throw ChildSafeError(.inputTooLarge, "host is longer than 4096 bytes") }
    var output = [UInt8](repeating: 0, count: bytes.count * 4 + 64)
    let needed = bytes.withUnsafeBufferPointer { source in
      output.withUnsafeMutableBufferPointer { target in
        source.withMemoryRebound(to: CChar.self) { src in
          target.withMemoryRebound(to: CChar.self) { dst in
            csicu_url_domain_to_ascii(src.baseAddress, Int32(src.count), dst.baseAddress, Int32(dst.count))
          }
        }
      }
    }
    guard needed >= 0, Int(needed) <= output.count else {
      throw ChildSafeError(.invalidValue, "host is not a valid internationalised domain name (UTS #46)")
    }
    output.removeSubrange(Int(needed)...)
    return output
  }

  /// UTS #46 maps "ẞ" (U+1E9E) to "ß" since Unicode 15.1, where older ICU data maps it to "ss": a
  /// filter on older ICU would check "ss.com" for the "xn--zca.com" a browser opens. Mapped here first.
  static func mappingCapitalSharpS(_ bytes: [UInt8]) -> [UInt8] {
    var i = 0
    var found = false
    while i + 2 < bytes.count {
      if bytes[i] == 0xE1 && bytes[i + 1] == 0xBA && bytes[i + 2] == 0x9E {
        found = true
        break
      }
      i += 1
    }
    if !found { return bytes }
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    i = 0
    while i < bytes.count {
      if i + 2 < bytes.count && bytes[i] == 0xE1 && bytes[i + 1] == 0xBA && bytes[i + 2] == 0x9E {
        out.append(contentsOf: [0xC3, 0x9F])
        i += 3
      } else {
        out.append(bytes[i])
        i += 1
      }
    }
    return out
  }

  /// Forbidden domain code points (ASCII only here: "domain to ASCII" leaves nothing else): C0 controls,
  /// space, # % / : < > ? @ [ \ ] ^ | and DEL.
  /// ``isForbiddenDomainByte(_:)`` or "A"..."Z", as two bit sets (a test compares it with those).
  @inline(__always) static func isForbiddenOrUppercase(_ b: UInt8) -> Bool {
    // Bytes 0x00-0x20 # % / : < > ?, then @ A-Z [ \ ] ^ | DEL.
    if b < 0x40 { return (0xD400_8029_FFFF_FFFF as UInt64) >> UInt64(b) & 1 != 0 }
    if b < 0x80 { return (0x9000_0000_7FFF_FFFF as UInt64) >> UInt64(b - 0x40) & 1 != 0 }
    return true
  }

  @inline(__always) static func isForbiddenDomainByte(_ b: UInt8) -> Bool {
    if b <= 0x20 || b >= 0x7F { return true }
    switch b {
    case UInt8(ascii: "#"), UInt8(ascii: "%"), UInt8(ascii: "/"), UInt8(ascii: ":"), UInt8(ascii: "<"),
      UInt8(ascii: ">"), UInt8(ascii: "?"), UInt8(ascii: "@"), UInt8(ascii: "["), UInt8(ascii: "\\"),
      UInt8(ascii: "]"), UInt8(ascii: "^"), UInt8(ascii: "|"):
      return true
    default: return false
    }
  }

  static func describe(_ b: UInt8) -> String {
    if b > 0x20 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
    let hex = Array("0123456789ABCDEF".utf8)
    return "byte 0x" + String(decoding: [hex[Int(b >> 4)], hex[Int(b & 0xF)]], as: UTF8.self)
  }

  /// Percent-decodes once: "%41" is "A", a "%" not followed by two hex digits stays.
  static func percentDecode(_ input: ArraySlice<UInt8>) -> [UInt8] {
    if !input.contains(UInt8(ascii: "%")) { return Array(input) }
    var out: [UInt8] = []
    out.reserveCapacity(input.count)
    var i = input.startIndex
    while i < input.endIndex {
      if input[i] == UInt8(ascii: "%"), i + 2 < input.endIndex,
        let high = URLCanonicalizer.hexValue(input[i + 1]), let low = URLCanonicalizer.hexValue(input[i + 2])
      {
        out.append(high << 4 | low)
        i += 3
      } else {
        out.append(input[i])
        i += 1
      }
    }
    return out
  }

  // MARK: - IPv4

  /// The URL Standard's "ends in a number": the last label (a trailing empty label ignored) is all
  /// decimal digits or parses as an IPv4 number ("0x1f", "0x").
  static func endsInANumber(_ host: [UInt8]) -> Bool {
    var end = host.count
    if end > 0 && host[end - 1] == UInt8(ascii: ".") { end -= 1 }
    var start = end
    while start > 0 && host[start - 1] != UInt8(ascii: ".") { start -= 1 }
    let last = host[start..<end]
    if last.isEmpty { return false }
    if last.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { return true }
    return parseIPv4Number(last) != nil
  }

  /// One part of an IPv4 address: decimal, octal (leading "0") or hex ("0x", which alone is 0); nil
  /// when empty or holding a digit outside its base. Values above 2^32 are capped there (too large anyway).
  static func parseIPv4Number(_ part: ArraySlice<UInt8>) -> UInt64? {
    if part.isEmpty { return nil }
    var digits = part
    var base: UInt64 = 10
    if digits.count >= 2 && digits.first == UInt8(ascii: "0") && digits[digits.startIndex + 1] | 0x20 == UInt8(ascii: "x") {
      base = 16
      digits = digits.dropFirst(2)
    } else if digits.count >= 2 && digits.first == UInt8(ascii: "0") {
      base = 8
      digits = digits.dropFirst()
    }
    var value: UInt64 = 0
    for b in digits {
      guard let d = URLCanonicalizer.hexValue(b), UInt64(d) < base else { return nil }
      value = min(value * base + UInt64(d), 1 << 32)
    }
    return value
  }

  /// The URL Standard's IPv4 parser: 1 to 4 parts, a trailing "." allowed; every part but the last at
  /// most 255, the last filling the remaining bytes. nil is failure.
  public static func parseIPv4(_ host: [UInt8]) -> UInt32? {
    var parts = host.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
    if parts.count > 1 && parts.last?.isEmpty == true { parts.removeLast() }
    if parts.count > 4 || parts.isEmpty { return nil }
    var numbers: [UInt64] = []
    for part in parts {
      guard let n = parseIPv4Number(part) else { return nil }
      numbers.append(n)
    }
    for n in numbers.dropLast() where n > 255 { return nil }
    let last = numbers[numbers.count - 1]
    if last >= UInt64(1) << UInt64(8 * (5 - numbers.count)) { return nil }
    var address = last
    for (i, n) in numbers.dropLast().enumerated() { address += n << UInt64(8 * (3 - i)) }
    return UInt32(address)
  }

  // MARK: - IPv6

  /// The URL Standard's IPv6 parser (with "::" compression and a trailing dotted IPv4), or nil.
  static func parseIPv6(_ input: ArraySlice<UInt8>) -> [UInt16]? {
    var address = [UInt16](repeating: 0, count: 8)
    var pieceIndex = 0
    var compress: Int? = nil
    var p = input.startIndex
    let end = input.endIndex
    func at(_ i: Int) -> UInt8? { i < end ? input[i] : nil }
    if at(p) == UInt8(ascii: ":") {
      guard at(p + 1) == UInt8(ascii: ":") else { return nil }
      p += 2
      pieceIndex += 1
      compress = pieceIndex
    }
    while let c = at(p) {
      if pieceIndex == 8 { return nil }
      if c == UInt8(ascii: ":") {
        if compress != nil { return nil }
        p += 1
        pieceIndex += 1
        compress = pieceIndex
        continue
      }
      var value = 0
      var length = 0
      while length < 4, let b = at(p), let d = URLCanonicalizer.hexValue(b) {
        value = value * 16 + Int(d)
        p += 1
        length += 1
      }
      if at(p) == UInt8(ascii: ".") {
        if length == 0 { return nil }
        p -= length
        if pieceIndex > 6 { return nil }
        var numbersSeen = 0
        while at(p) != nil {
          var piece: Int? = nil
          if numbersSeen > 0 {
            guard at(p) == UInt8(ascii: "."), numbersSeen < 4 else { return nil }
            p += 1
          }
          guard let first = at(p), first >= 0x30 && first <= 0x39 else { return nil }
          while let b = at(p), b >= 0x30 && b <= 0x39 {
            let number = Int(b - 0x30)
            if let current = piece {
              if current == 0 { return nil }
              piece = current * 10 + number
            } else {
              piece = number
            }
            if piece! > 255 { return nil }
            p += 1
          }
          address[pieceIndex] = address[pieceIndex] &* 0x100 &+ UInt16(piece!)
          numbersSeen += 1
          if numbersSeen == 2 || numbersSeen == 4 { pieceIndex += 1 }
        }
        if numbersSeen != 4 { return nil }
        break
      } else if at(p) == UInt8(ascii: ":") {
        p += 1
        if at(p) == nil { return nil }
      } else if at(p) != nil {
        return nil
      }
      address[pieceIndex] = UInt16(value)
      pieceIndex += 1
    }
    if let compress {
      var swaps = pieceIndex - compress
      pieceIndex = 7
      while pieceIndex != 0 && swaps > 0 {
        address.swapAt(pieceIndex, compress + swaps - 1)
        pieceIndex -= 1
        swaps -= 1
      }
    } else if pieceIndex != 8 {
      return nil
    }
    return address
  }

  /// Lowercase hex pieces; the first longest run of two or more zero pieces becomes "::".
  static func serializeIPv6(_ pieces: [UInt16]) -> String {
    var bestStart = -1
    var bestLength = 1
    var i = 0
    while i < 8 {
      if pieces[i] == 0 {
        var j = i
        while j < 8 && pieces[j] == 0 { j += 1 }
        if j - i > bestLength {
          bestStart = i
          bestLength = j - i
        }
        i = j
      } else {
        i += 1
      }
    }
    var out = ""
    var ignore0 = false
    for index in 0..<8 {
      if ignore0 && pieces[index] == 0 { continue }
      ignore0 = false
      if index == bestStart {
        out += index == 0 ? "::" : ":"
        ignore0 = true
        continue
      }
      out += String(pieces[index], radix: 16)
      if index != 7 { out += ":" }
    }
    return out
  }
}
