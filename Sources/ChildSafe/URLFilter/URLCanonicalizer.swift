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

  /// The canonical URL: scheme://host/path[?query].
  public var description: String {
    var text = ""
    text.reserveCapacity(scheme.utf8.count + 3 + host.utf8.count + path.utf8.count + (query?.utf8.count ?? -1) + 1)
    text += scheme
    text += "://"
    text += host
    text += path
    if let query {
      text += "?"
      text += query
    }
    return text
  }

  /// Path and query as in a lookup expression ("/a/b.html?x=1").
  public var pathAndQuery: String {
    if let query { return path + "?" + query }
    return path
  }
}

/// Safe Browsing v4 canonicalisation, in time linear in the input.
///
/// Choices where the spec is silent (documented in docs/url-filtering.md and tested):
/// - The input is split into scheme, authority, path and query BEFORE unescaping; each part is then
///   unescaped on its own. (Unescaping first would let "%2F" or "%3F" in a host move the host's end,
///   and "host%23.com" in the spec's table shows the host keeps an escaped "#".) An escaped "?" in
///   the path ends the path once unescaped, and the rest joins the query.
/// - A scheme is recognised only as `letters://`; anything else is treated as scheme-less (http).
/// - Userinfo ends at the last "@" of the authority; the port is the digits after the last ":".
/// - Backslashes are kept as data (the spec does not treat them as separators).
/// - Unicode hosts go through ICU UTS #46 (nontransitional) to Punycode; when ICU rejects the name
///   (or the bytes are not UTF-8) the bytes are kept and percent-escaped, as the spec's table does
///   for "http://\x01\x80.com/".
/// - Bracketed IPv6 hosts are lowercased (v4 says nothing more).
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
    if input.count > maximumURLLength {
      throw ChildSafeError(.inputTooLarge, "URL is \(input.count) bytes; the limit is \(maximumURLLength)")
    }
    // Strip leading/trailing spaces (and other C0 controls), then drop TAB, CR and LF anywhere.
    var start = 0
    var end = input.count
    while start < end && input[start] <= 0x20 { start += 1 }
    while end > start && input[end - 1] <= 0x20 { end -= 1 }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(end - start)
    for i in start..<end {
      let b = input[i]
      if b == 0x09 || b == 0x0D || b == 0x0A { continue }
      if b == UInt8(ascii: "#") { break }  // the fragment goes
      bytes.append(b)
    }
    if bytes.isEmpty { throw ChildSafeError(.invalidValue, "URL is empty") }

    // Scheme.
    var position = 0
    var scheme = "http"
    if let colon = schemeEnd(bytes) {
      let lowered = bytes[0..<colon].map { lowercase($0) }
      scheme = lowered == httpsBytes ? "https" : lowered == httpBytes ? "http" : String(decoding: lowered, as: UTF8.self)
      position = colon + 3
    }
    // Authority ends at the first "/" or "?".
    var authorityEnd = position
    while authorityEnd < bytes.count && bytes[authorityEnd] != UInt8(ascii: "/") && bytes[authorityEnd] != UInt8(ascii: "?") {
      authorityEnd += 1
    }
    var hostStart = position
    if let at = bytes[position..<authorityEnd].lastIndex(of: UInt8(ascii: "@")) { hostStart = at + 1 }
    var hostEnd = authorityEnd
    let bracketed = hostStart < hostEnd && bytes[hostStart] == UInt8(ascii: "[")
    if let colon = bytes[hostStart..<hostEnd].lastIndex(of: UInt8(ascii: ":")),
      !bracketed || bytes[hostStart..<colon].contains(UInt8(ascii: "]")),
      bytes[(colon + 1)..<hostEnd].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
    {
      hostEnd = colon
    }
    // Path and query.
    var pathEnd = authorityEnd
    while pathEnd < bytes.count && bytes[pathEnd] != UInt8(ascii: "?") { pathEnd += 1 }
    let rawQuery: ArraySlice<UInt8>? = pathEnd < bytes.count ? bytes[(pathEnd + 1)...] : nil

    let (host, isIP) = try canonicalHost(unescape(bytes[hostStart..<hostEnd]), bracketed: bracketed)
    let rawPath = bytes[authorityEnd..<pathEnd]
    // Fast paths (most URLs): nothing to unescape, resolve or escape.
    if isPlainPath(rawPath) {
      let query = rawQuery.map { raw in
        raw.contains(where: { needsEscape($0) }) ? String(decoding: escape(unescape(raw)), as: UTF8.self) : String(decoding: raw, as: UTF8.self)
      }
      return CanonicalURL(
        scheme: scheme, host: host, path: String(decoding: rawPath, as: UTF8.self), query: query, hostIsIPAddress: isIP)
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
    let path = String(decoding: escape(canonicalPath(unescapedPath)), as: UTF8.self)
    return CanonicalURL(scheme: scheme, host: host, path: path, query: query, hostIsIPAddress: isIP)
  }

  /// The index of ":" in a leading `scheme://`, or nil.
  static func schemeEnd(_ bytes: [UInt8]) -> Int? {
    guard let first = bytes.first, isLetter(first) else { return nil }
    var i = 1
    while i < bytes.count {
      let b = bytes[i]
      if b == UInt8(ascii: ":") {
        if i + 2 < bytes.count && bytes[i + 1] == UInt8(ascii: "/") && bytes[i + 2] == UInt8(ascii: "/") { return i }
        return nil
      }
      if !(isLetter(b) || (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: "+") || b == UInt8(ascii: "-") || b == UInt8(ascii: ".")) {
        return nil
      }
      i += 1
    }
    return nil
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
  public static func escape(_ input: [UInt8]) -> [UInt8] {
    if !input.contains(where: { needsEscape($0) }) { return input }
    var out: [UInt8] = []
    out.reserveCapacity(input.count)
    for b in input {
      if needsEscape(b) {
        out.append(UInt8(ascii: "%"))
        out.append(hexDigits[Int(b >> 4)])
        out.append(hexDigits[Int(b & 0xF)])
      } else {
        out.append(b)
      }
    }
    return out
  }

  @inline(__always) static func needsEscape(_ b: UInt8) -> Bool {
    b <= 0x20 || b >= 0x7F || b == UInt8(ascii: "#") || b == UInt8(ascii: "%")
  }

  static let httpBytes: [UInt8] = Array("http".utf8)
  static let httpsBytes: [UInt8] = Array("https".utf8)
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

  static func canonicalHost(_ raw: [UInt8], bracketed: Bool) throws(ChildSafeError) -> (String, Bool) {
    if raw.count > maximumHostLength {
      throw ChildSafeError(.inputTooLarge, "host is \(raw.count) bytes; the limit is \(maximumHostLength)")
    }
    if bracketed {
      // The brackets stay; inside them, escape what the spec escapes and what would split the host.
      var inner = raw.map { lowercase($0) }
      var close = false
      if inner.first == UInt8(ascii: "[") { inner.removeFirst() }
      if inner.last == UInt8(ascii: "]") {
        inner.removeLast()
        close = true
      }
      let escaped = escapeHost(inner, also: bracketedHostDelimiters)
      return ("[" + String(decoding: escaped, as: UTF8.self) + (close ? "]" : ""), true)
    }
    // Trim leading/trailing dots and collapse runs of dots.
    var host: [UInt8] = []
    host.reserveCapacity(raw.count)
    for b in raw {
      if b == UInt8(ascii: ".") && (host.isEmpty || host.last == UInt8(ascii: ".")) { continue }
      host.append(b)
    }
    if host.last == UInt8(ascii: ".") { host.removeLast() }
    if host.isEmpty { throw ChildSafeError(.invalidValue, "URL has no host name") }
    if let address = parseIPv4(host) {
      return ("\(address >> 24).\(address >> 16 & 0xFF).\(address >> 8 & 0xFF).\(address & 0xFF)", true)
    }
    // An IDNA result with "%" is not used: UTS #46 maps "％" to "%", and Punycode moves non-ASCII
    // letters out from between "%" and hex digits ("%Γ18" -> "%18-..."), so the canonical URL read
    // again would unescape differently. Such hosts keep their bytes, escaped.
    if host.contains(where: { $0 >= 0x80 }), let ascii = IDNA.toASCII(host), !ascii.contains(UInt8(ascii: "%")) {
      host = ascii
    }
    if host.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) { host = host.map { lowercase($0) } }
    return (String(decoding: escapeHost(host, also: hostDelimiters), as: UTF8.self), false)
  }

  /// Bytes that end or split an authority. Unescaped from "%2F", "%40"... they would move the host's
  /// end when the canonical URL is read again ("a%2Fb.com" would become host "a", path "/b.com"), so
  /// they stay escaped in the host: canonicalising a canonical URL gives it back unchanged.
  static let hostDelimiters: Set<UInt8> = Set("/?@:[]".utf8)
  /// The same inside brackets, where ":" belongs to the IPv6 address.
  static let bracketedHostDelimiters: Set<UInt8> = Set("/?@[]".utf8)

  /// `escape` plus the delimiters given.
  static func escapeHost(_ input: [UInt8], also delimiters: Set<UInt8>) -> [UInt8] {
    if !input.contains(where: { needsEscape($0) || delimiters.contains($0) }) { return input }
    var out: [UInt8] = []
    out.reserveCapacity(input.count + 8)
    for b in input {
      if needsEscape(b) || delimiters.contains(b) {
        out.append(UInt8(ascii: "%"))
        out.append(hexDigits[Int(b >> 4)])
        out.append(hexDigits[Int(b & 0xF)])
      } else {
        out.append(b)
      }
    }
    return out
  }

  /// An IPv4 address in any form inet_aton accepts: 1 to 4 parts, each decimal, octal (leading 0)
  /// or hex (0x); the last part fills the remaining bytes ("3279880203", "0x7f.1").
  public static func parseIPv4(_ host: [UInt8]) -> UInt32? {
    guard let first = host.first, first >= 0x30 && first <= 0x39 else { return nil }  // every form starts with a digit
    var parts: [UInt64] = []
    var i = 0
    while i <= host.count {
      if parts.count == 4 { return nil }
      var base: UInt64 = 10
      var j = i
      if j < host.count && host[j] == UInt8(ascii: "0") {
        if j + 1 < host.count && (host[j + 1] | 0x20) == UInt8(ascii: "x") {
          base = 16
          j += 2
        } else if j + 1 < host.count && host[j + 1] != UInt8(ascii: ".") {
          base = 8
          j += 1
        }
      }
      var value: UInt64 = 0
      var digits = 0
      while j < host.count && host[j] != UInt8(ascii: ".") {
        guard let d = hexValue(host[j]), UInt64(d) < base else { return nil }
        value = value * base + UInt64(d)
        if value > 0xFFFF_FFFF { return nil }
        digits += 1
        j += 1
      }
      if digits == 0 && !(base == 8) { return nil }  // "0x" alone or an empty part
      parts.append(value)
      i = j + 1
    }
    guard let last = parts.last else { return nil }
    var address: UInt64 = 0
    for (k, part) in parts.dropLast().enumerated() {
      if part > 0xFF { return nil }
      address |= part << (24 - 8 * UInt64(k))
    }
    let remainingBits = UInt64(32 - 8 * (parts.count - 1))
    if remainingBits < 32 && last >= (1 << remainingBits) { return nil }
    return UInt32(address | last)
  }

  // MARK: - Path

  /// True when the path is already canonical: starts with "/", no escapes, nothing to escape, no
  /// empty, "." or ".." segments (checked conservatively: no "//" and no "/.").
  static func isPlainPath(_ raw: ArraySlice<UInt8>) -> Bool {
    guard raw.first == UInt8(ascii: "/") else { return false }
    var previous: UInt8 = 0
    for b in raw {
      if needsEscape(b) { return false }  // includes '%'
      if previous == UInt8(ascii: "/") && (b == UInt8(ascii: "/") || b == UInt8(ascii: ".")) { return false }
      previous = b
    }
    return true
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
