#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A URL in Safe Browsing v4 canonical form ("URLs and hashing", Canonicalization), split into the
/// parts that lookup expressions are built from. Every part is already percent-escaped as the spec
/// requires (bytes <= 0x20, >= 0x7F, '#' and '%' as %XX with uppercase hex), so each part is ASCII.
public struct CanonicalURL: Sendable, Hashable, CustomStringConvertible {
  /// Lowercase scheme, "http" when the input had none.
  public var scheme: String
  /// Lowercase host: Punycode for internationalised names, dotted-quad decimal for IPv4.
  public var host: String
  /// The path, starting with "/", dot segments resolved and runs of "/" collapsed.
  public var path: String
  /// The query without its "?", or nil when the URL had no "?" (an empty query keeps its "?").
  public var query: String?
  /// True when the host is an IPv4 or bracketed IPv6 address (no host suffixes are generated for it).
  public var hostIsIPAddress: Bool
  /// The host as a browser reads it (the URL Standard's serialisation, dots as given: "example.com."),
  /// before Safe Browsing trims its dots into `host`.
  public var browserHost: String

  /// The canonical URL: scheme://host/path[?query].
  public var description: String {
    // One allocation and five copies (appending to a String costs several times more).
    let count = scheme.utf8.count + 3 + host.utf8.count + path.utf8.count + (query.map { $0.utf8.count + 1 } ?? 0)
    return String(unsafeUninitializedCapacity: count) { buffer in
      var position = 0
      func copy(_ part: String) {
        var part = part
        part.withUTF8 { bytes in
          if let source = bytes.baseAddress, bytes.count > 0 {
            (buffer.baseAddress! + position).update(from: source, count: bytes.count)
          }
          position += bytes.count
        }
      }
      copy(scheme)
      buffer[position] = UInt8(ascii: ":")
      buffer[position + 1] = UInt8(ascii: "/")
      buffer[position + 2] = UInt8(ascii: "/")
      position += 3
      copy(host)
      copy(path)
      if let query {
        buffer[position] = UInt8(ascii: "?")
        position += 1
        copy(query)
      }
      return position
    }
  }

  /// Whether `text` is exactly ``description`` (then it can stand for it, without making a String).
  func isDescription(of text: String) -> Bool {
    var text = text
    return text.withUTF8 { bytes in
      var position = 0
      guard CanonicalURL.skip(scheme, in: bytes, at: &position), position + 3 <= bytes.count,
        bytes[position] == UInt8(ascii: ":"), bytes[position + 1] == UInt8(ascii: "/"), bytes[position + 2] == UInt8(ascii: "/")
      else { return false }
      position += 3
      guard CanonicalURL.skip(host, in: bytes, at: &position), CanonicalURL.skip(path, in: bytes, at: &position) else {
        return false
      }
      if let query {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "?") else { return false }
        position += 1
        guard CanonicalURL.skip(query, in: bytes, at: &position) else { return false }
      }
      return position == bytes.count
    }
  }

  /// Whether `bytes` holds `part` at `position`; if so, moves `position` past it.
  private static func skip(_ part: String, in bytes: UnsafeBufferPointer<UInt8>, at position: inout Int) -> Bool {
    let start = position
    func matched(_ expected: UnsafeBufferPointer<UInt8>) -> Int? {
      guard start + expected.count <= bytes.count else { return nil }
      if expected.count > 0 && memcmp(bytes.baseAddress! + start, expected.baseAddress!, expected.count) != 0 { return nil }
      return expected.count
    }
    // Read in place: `withUTF8` would need a copy of the String (a retain and a release).
    let length: Int?
    if let found = part.utf8.withContiguousStorageIfAvailable({ matched($0) }) {
      length = found
    } else {
      var copy = part
      length = copy.withUTF8 { matched($0) }
    }
    guard let length else { return false }
    position += length
    return true
  }

  /// Path and query as in a lookup expression ("/a/b.html?x=1").
  public var pathAndQuery: String {
    if let query { return path + "?" + query }
    return path
  }
}

/// Safe Browsing v4 canonicalisation, in time linear in the input, of the URL a browser reads.
///
/// The URL is first split the way browsers parse it (WHATWG URL Standard, `URLParser`, `URLHost`):
/// "\\" is "/" in special schemes, any number of slashes may follow the scheme, userinfo ends at the
/// last "@" of the authority, the port at the first ":" outside brackets, and the host is
/// percent-decoded once, mapped by UTS #46 (ICU) and read as IPv4 in every form a browser accepts.
/// A URL a browser would refuse is invalid. Safe Browsing's rules then apply to the parts (documented
/// in docs/url-filtering.md and tested):
/// - Path and query are unescaped after splitting, each on its own; an escaped "?" in the path ends
///   the path once unescaped, and the rest joins the query.
/// - Host: leading and trailing dots trimmed, runs of dots collapsed; userinfo and port dropped.
/// - Bracketed IPv6 hosts are serialised as the URL Standard does (lowercase, "::" compression).
public enum URLCanonicalizer {
  /// Longest URL accepted, in UTF-8 bytes.
  public static let maximumURLLength = 64 * 1024

  public static func canonicalize(_ url: String) throws(ChildSafeError) -> CanonicalURL {
    var copy = url
    let result = copy.withUTF8 { buffer in
      Result { () throws(ChildSafeError) -> CanonicalURL in try canonicalize(utf8: buffer) }
    }
    return try result.get()
  }

  public static func canonicalize(utf8 input: UnsafeBufferPointer<UInt8>) throws(ChildSafeError) -> CanonicalURL {
    try canonicalizeNotingInput(utf8: input).url
  }

  /// ``canonicalize(_:)``, and whether the canonical URL's text is the input exactly (false when
  /// unknown: the caller then compares).
  static func canonicalizeNotingInput(_ url: String) throws(ChildSafeError) -> (url: CanonicalURL, isInput: Bool) {
    // Read in place: `withUTF8` would copy the String first (a retain and a release).
    if let result = url.utf8.withContiguousStorageIfAvailable({ buffer in
      Result { () throws(ChildSafeError) in try canonicalizeNotingInput(utf8: buffer) }
    }) {
      return try result.get()
    }
    var copy = url
    let result = copy.withUTF8 { buffer in
      Result { () throws(ChildSafeError) in try canonicalizeNotingInput(utf8: buffer) }
    }
    return try result.get()
  }

  /// `commonForm`: false to take the general path for every URL (tests compare the two).
  static func canonicalizeNotingInput(utf8 input: UnsafeBufferPointer<UInt8>, commonForm: Bool = true) throws(ChildSafeError) -> (
    url: CanonicalURL, isInput: Bool
  ) {
    if input.count > maximumURLLength {
      throw ChildSafeError(.inputTooLarge, "URL is \(input.count) bytes; the limit is \(maximumURLLength)")
    }
    // Strip leading/trailing spaces (and other C0 controls), then drop TAB, CR and LF anywhere.
    var start = 0
    var end = input.count
    while start < end && input[start] <= 0x20 { start += 1 }
    while end > start && input[end - 1] <= 0x20 { end -= 1 }
    var bytes: [UInt8]
    var plain = start
    // Eight bytes at a time while none is a tab, CR, LF or "#" (the exact test below finishes).
    if let base = input.baseAddress {
      while plain + 8 <= end {
        let word = UnsafeRawPointer(base + plain).loadUnaligned(as: UInt64.self)
        if hasByte(word, 0x09) || hasByte(word, 0x0D) || hasByte(word, 0x0A) || hasByte(word, UInt8(ascii: "#")) { break }
        plain += 8
      }
    }
    while plain < end, input[plain] != 0x09, input[plain] != 0x0D, input[plain] != 0x0A, input[plain] != UInt8(ascii: "#") {
      plain += 1
    }
    if plain == end {  // most URLs: the common form at once, or copied at once
      let trimmed = UnsafeBufferPointer(rebasing: input[start..<end])
      if commonForm, let common = PlainURL.parse(trimmed) {
        return (common.canonical(trimmed), common.isCanonical && start == 0 && end == input.count)
      }
      bytes = Array(UnsafeBufferPointer(rebasing: input[start..<end]))
    } else {
      bytes = Array(UnsafeBufferPointer(rebasing: input[start..<plain]))
      bytes.reserveCapacity(end - start)
      for i in plain..<end {
        let b = input[i]
        if b == 0x09 || b == 0x0D || b == 0x0A { continue }
        if b == UInt8(ascii: "#") { break }  // the fragment goes
        bytes.append(b)
      }
    }
    if bytes.isEmpty { throw ChildSafeError(.invalidValue, "URL is empty") }

    let parsed = try URLParser.parse(bytes)
    let scheme = parsed.scheme
    let (host, isIP) = try canonicalHost(parsed.host)
    let browserHost = parsed.host?.serialized ?? ""
    let rawQuery = parsed.query
    let rawPath = parsed.path
    // Fast paths (most URLs): nothing to unescape, resolve or escape.
    if isPlainPath(rawPath) {
      let query = rawQuery.map { raw in
        raw.withUnsafeBufferPointer { $0.contains(where: { needsEscape($0) }) }
          ? String(decoding: escape(unescape(raw)), as: UTF8.self) : String(decoding: raw, as: UTF8.self)
      }
      let url = CanonicalURL(
        scheme: scheme, host: host, path: String(decoding: rawPath, as: UTF8.self), query: query, hostIsIPAddress: isIP,
        browserHost: browserHost)
      return (url, false)
    }
    // An escaped "?" in the path ("%3F") ends the path once unescaped, as when the spec unescapes
    // the whole URL before splitting it: what follows belongs to the query. Then "/a/.%3F" is
    // "/a/?" at once, and the canonical form is canonical again.
    var unescapedPath = unescape(rawPath)
    var query: String? = nil
    if let mark = unescapedPath.firstIndex(of: UInt8(ascii: "?")) {
      var joined = Array(unescapedPath[(mark + 1)...])
      if let rawQuery {
        joined.append(UInt8(ascii: "?"))
        joined.append(contentsOf: unescape(rawQuery))
      }
      unescapedPath.removeSubrange(mark...)
      query = String(decoding: escape(joined), as: UTF8.self)
    } else if let rawQuery {
      query =
        rawQuery.contains(where: { needsEscape($0) })
        ? String(decoding: escape(unescape(rawQuery)), as: UTF8.self) : String(decoding: rawQuery, as: UTF8.self)
    }
    let path = String(decoding: escape(canonicalPath(unescapedPath), backslash: true), as: UTF8.self)
    return (CanonicalURL(scheme: scheme, host: host, path: path, query: query, hostIsIPAddress: isIP, browserHost: browserHost), false)
  }

  // MARK: - Percent escapes

  /// Repeatedly percent-unescapes until no escape is left, in one linear pass: each output byte is
  /// checked, together with the two before it, for a new escape that decoding created
  /// ("%25" + "32" + "%35" -> "%25" -> "%"). This equals unescaping again and again until nothing changes.
  public static func unescape(_ input: ArraySlice<UInt8>) -> [UInt8] {
    if !input.contains(UInt8(ascii: "%")) { return Array(input) }
    var out: [UInt8] = []
    out.reserveCapacity(input.count)
    for b in input {
      out.append(b)
      while out.count >= 3, out[out.count - 3] == UInt8(ascii: "%"),
        let high = hexValue(out[out.count - 2]), let low = hexValue(out[out.count - 1])
      {
        out.removeLast(3)
        out.append(high << 4 | low)
      }
    }
    return out
  }

  /// Escapes bytes <= 0x20, >= 0x7F, '#' and '%' as %XX with uppercase hex.
  public static func escape(_ input: [UInt8]) -> [UInt8] { escape(input, backslash: false) }

  /// `escape`, and with `backslash` "\" too: in a path a browser reads "\" as "/", so one that
  /// unescaping produced ("%5C") stays escaped and the canonical URL read again keeps its path.
  static func escape(_ input: [UInt8], backslash: Bool) -> [UInt8] {
    func escaped(_ b: UInt8) -> Bool { needsEscape(b) || (backslash && b == UInt8(ascii: "\\")) }
    if !input.contains(where: escaped) { return input }
    var out: [UInt8] = []
    out.reserveCapacity(input.count)
    for b in input {
      if escaped(b) {
        out.append(UInt8(ascii: "%"))
        out.append(hexDigits[Int(b >> 4)])
        out.append(hexDigits[Int(b & 0xF)])
      } else {
        out.append(b)
      }
    }
    return out
  }

  /// Whether any of the eight bytes of `word` is `byte` (exact: a borrow can only carry past a
  /// byte that is already zero).
  @inline(__always) static func hasByte(_ word: UInt64, _ byte: UInt8) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let x = word ^ (ones &* UInt64(byte))
    return (x &- ones) & ~x & (ones &* 0x80) != 0
  }

  @inline(__always) static func needsEscape(_ b: UInt8) -> Bool {
    b <= 0x20 || b >= 0x7F || b == UInt8(ascii: "#") || b == UInt8(ascii: "%")
  }

  static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

  @inline(__always) static func hexValue(_ b: UInt8) -> UInt8? {
    switch b {
    case 0x30...0x39: return b - 0x30
    case 0x41...0x46: return b - 0x41 + 10
    case 0x61...0x66: return b - 0x61 + 10
    default: return nil
    }
  }

  @inline(__always) static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
  @inline(__always) static func lowercase(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }

  // MARK: - Host

  /// Longest host accepted after unescaping (DNS allows 253; a little slack for trailing dots).
  public static let maximumHostLength = 1024

  /// The host Safe Browsing looks up, from the host a browser reads: a domain with its leading and
  /// trailing dots trimmed and runs of dots collapsed; an IP address as serialised; "" for a file
  /// URL without a host.
  static func canonicalHost(_ parsed: URLHost?) throws(ChildSafeError) -> (String, Bool) {
    guard let parsed else { return ("", false) }
    guard case .domain(let name) = parsed else { return (parsed.serialized, true) }
    var needsTrim = false
    var previous = UInt8(ascii: ".")
    var contiguous = name
    contiguous.withUTF8 { bytes in
      for b in bytes {
        if b == UInt8(ascii: ".") && previous == UInt8(ascii: ".") { needsTrim = true }
        previous = b
      }
    }
    if !needsTrim && previous != UInt8(ascii: ".") { return (name, false) }
    var host: [UInt8] = []
    host.reserveCapacity(name.utf8.count)
    for b in name.utf8 {
      if b == UInt8(ascii: ".") && (host.isEmpty || host.last == UInt8(ascii: ".")) { continue }
      host.append(b)
    }
    if host.last == UInt8(ascii: ".") { host.removeLast() }
    if host.isEmpty { throw ChildSafeError(.invalidValue, "URL has no host name") }
    // "1.." is a domain to a browser, but "1" would be an address: such a host stays invalid, so that
    // a canonical URL read again keeps its host.
    if URLHost.endsInANumber(host) {
      throw ChildSafeError(.invalidValue, "host ends in a number once its dots are trimmed, but is not an IPv4 address")
    }
    return (String(decoding: host, as: UTF8.self), false)
  }

  /// A list's domain entry in canonical form, parsed as a URL's host is.
  static func canonicalHost(_ raw: [UInt8]) throws(ChildSafeError) -> (String, Bool) {
    if raw.count > maximumHostLength {
      throw ChildSafeError(.inputTooLarge, "host is \(raw.count) bytes; the limit is \(maximumHostLength)")
    }
    return try canonicalHost(URLHost.parse(raw[...]))
  }

  // MARK: - Path

  /// True when the path is already canonical: starts with "/", no escapes, nothing to escape, no
  /// empty, "." or ".." segments (checked conservatively: no "//" and no "/.").
  static func isPlainPath(_ raw: ArraySlice<UInt8>) -> Bool {
    guard raw.first == UInt8(ascii: "/") else { return false }
    return raw.withUnsafeBufferPointer { bytes in
      var previous: UInt8 = 0
      for b in bytes {
        if needsEscape(b) || b == UInt8(ascii: "\\") { return false }  // includes '%'
        if previous == UInt8(ascii: "/") && (b == UInt8(ascii: "/") || b == UInt8(ascii: ".")) { return false }
        previous = b
      }
      return true
    }
  }

  /// Resolves "." and ".." segments and collapses runs of "/"; the result starts with "/".
  static func canonicalPath(_ raw: [UInt8]) -> [UInt8] {
    var out: [UInt8] = [UInt8(ascii: "/")]
    out.reserveCapacity(raw.count + 1)
    var i = 0
    while i < raw.count {
      while i < raw.count && raw[i] == UInt8(ascii: "/") { i += 1 }
      if i >= raw.count { break }
      var j = i
      while j < raw.count && raw[j] != UInt8(ascii: "/") { j += 1 }
      let segmentLength = j - i
      let hasSlash = j < raw.count
      if segmentLength == 1 && raw[i] == UInt8(ascii: ".") {
        // "/./" -> "/"
      } else if segmentLength == 2 && raw[i] == UInt8(ascii: ".") && raw[i + 1] == UInt8(ascii: ".") {
        // Drop the previous segment: out ends with "/" here.
        if out.count > 1 {
          out.removeLast()
          while let last = out.last, last != UInt8(ascii: "/") { out.removeLast() }
        }
      } else {
        out.append(contentsOf: raw[i..<j])
        if hasSlash { out.append(UInt8(ascii: "/")) }
      }
      i = j
    }
    return out
  }
}
