/// Where the parts of a URL are, read the way a browser reads it: the WHATWG URL Standard's basic URL
/// parser for an absolute URL without a base, for the special schemes (http, https, ws, wss, ftp, file).
/// Safe Browsing canonicalisation then works on these parts, so the filter checks the host the
/// browser would open, whatever the spelling ("http:\\host\", "http:host", "http://host\@other/").
struct ParsedURL {
  /// Lowercase scheme; "http" for input without one.
  var scheme: String
  /// nil only for a file URL without a host ("file:///etc").
  var host: URLHost?
  /// The path's raw bytes (backslashes already "/" in special schemes) and the query's, without "?".
  var path: ArraySlice<UInt8>
  var query: ArraySlice<UInt8>?
}

enum URLParser {
  /// Parses `bytes`, which the caller has already trimmed of C0 controls and spaces, cleared of tabs
  /// and newlines and cut at the fragment's "#". Linear in the input.
  ///
  /// - A special scheme is followed by any number of "/" and "\" (none, one, three...), as browsers read it.
  /// - Another scheme counts only as `scheme://`, whose authority is read as a special one; a "scheme"
  ///   followed by a port ("example.com:8080/") is a scheme-less host; any other `scheme:` URL has no
  ///   host the filter could check and is invalid ("mailto:", "data:", "view-source:").
  /// - Scheme-less input is read as if "http://" came first.
  static func parse(_ bytes: [UInt8]) throws(ChildSafeError) -> ParsedURL {
    var scheme = "http"
    var special = true
    var position = 0
    if let colon = schemeColon(bytes) {
      if let known = specialScheme(bytes[0..<colon]) {
        if known == "file" { return try parseFile(bytes, from: colon + 1) }
        scheme = known
        position = colon + 1
      } else if colon + 2 < bytes.count && bytes[colon + 1] == UInt8(ascii: "/") && bytes[colon + 2] == UInt8(ascii: "/") {
        scheme = String(decoding: bytes[0..<colon].map { URLCanonicalizer.lowercase($0) }, as: UTF8.self)
        special = false
        position = colon + 3
      } else if !isPort(bytes, after: colon) {
        // The message names no part of the URL: callers may log errors, never URLs.
        throw ChildSafeError(.invalidValue, "URL has no host to check: its scheme is not a web scheme and has no '//'")
      }
    }
    if special {
      while position < bytes.count && (bytes[position] == UInt8(ascii: "/") || bytes[position] == UInt8(ascii: "\\")) {
        position += 1
      }
    }
    // The authority ends at the first "/", "?" (or "\" in special schemes); userinfo at its last "@";
    // the port starts at the first ":" outside brackets after that. One pass: an "@" starts the
    // search for the port again.
    let start = position
    let (authorityEnd, lastAt, colon) = bytes.withUnsafeBufferPointer { p -> (Int, Int?, Int?) in
      var i = start
      var lastAt: Int? = nil
      var colon: Int? = nil
      var insideBrackets = false
      while i < p.count {
        let b = p[i]
        if b == UInt8(ascii: "/") || b == UInt8(ascii: "?") || (special && b == UInt8(ascii: "\\")) { break }
        if b == UInt8(ascii: "@") {
          lastAt = i
          colon = nil
          insideBrackets = false
        } else if b == UInt8(ascii: "[") {
          insideBrackets = true
        } else if b == UInt8(ascii: "]") {
          insideBrackets = false
        } else if b == UInt8(ascii: ":") && !insideBrackets && colon == nil {
          colon = i
        }
        i += 1
      }
      return (i, lastAt, colon)
    }
    var hostStart = position
    if let at = lastAt {
      hostStart = at + 1
      if hostStart == authorityEnd { throw ChildSafeError(.invalidValue, "URL has a user name but no host") }
    }
    let hostEnd = colon ?? authorityEnd
    if hostEnd == hostStart { throw ChildSafeError(.invalidValue, "URL has no host name") }
    if hostEnd - hostStart > URLCanonicalizer.maximumHostLength {
      throw ChildSafeError(
        .inputTooLarge, "host is \(hostEnd - hostStart) bytes; the limit is \(URLCanonicalizer.maximumHostLength)")
    }
    if hostEnd < authorityEnd { try checkPort(bytes[(hostEnd + 1)..<authorityEnd]) }
    let host = try URLHost.parse(bytes[hostStart..<hostEnd])
    let (path, query) = pathAndQuery(bytes, from: authorityEnd, special: special)
    return ParsedURL(scheme: scheme, host: host, path: path, query: query)
  }

  /// "file:" URLs: a host only after two slashes ("file://server/share"); "localhost" is no host.
  static func parseFile(_ bytes: [UInt8], from start: Int) throws(ChildSafeError) -> ParsedURL {
    func isSlash(_ i: Int) -> Bool { i < bytes.count && (bytes[i] == UInt8(ascii: "/") || bytes[i] == UInt8(ascii: "\\")) }
    var host: URLHost? = nil
    var pathStart = start
    if isSlash(start) && isSlash(start + 1) {
      let hostStart = start + 2
      var hostEnd = hostStart
      while hostEnd < bytes.count && !isSlash(hostEnd) && bytes[hostEnd] != UInt8(ascii: "?") { hostEnd += 1 }
      let raw = bytes[hostStart..<hostEnd]
      let driveLetter =
        raw.count == 2 && URLCanonicalizer.isLetter(raw[hostStart])
        && (raw[hostStart + 1] == UInt8(ascii: ":") || raw[hostStart + 1] == UInt8(ascii: "|"))
      if driveLetter || raw.isEmpty {
        pathStart = hostStart
      } else {
        if raw.count > URLCanonicalizer.maximumHostLength {
          throw ChildSafeError(.inputTooLarge, "host is \(raw.count) bytes; the limit is \(URLCanonicalizer.maximumHostLength)")
        }
        let parsed = try URLHost.parse(raw)
        if parsed != .domain("localhost") { host = parsed }
        pathStart = hostEnd
      }
    }
    let (path, query) = pathAndQuery(bytes, from: pathStart, special: true)
    return ParsedURL(scheme: "file", host: host, path: path, query: query)
  }

  static func pathAndQuery(_ bytes: [UInt8], from start: Int, special: Bool) -> (ArraySlice<UInt8>, ArraySlice<UInt8>?) {
    let (pathEnd, backslash) = bytes.withUnsafeBufferPointer { p -> (Int, Bool) in
      var pathEnd = start
      var backslash = false
      while pathEnd < p.count && p[pathEnd] != UInt8(ascii: "?") {
        if p[pathEnd] == UInt8(ascii: "\\") { backslash = true }
        pathEnd += 1
      }
      return (pathEnd, backslash)
    }
    var path = bytes[start..<pathEnd]
    if special && backslash {
      path = ArraySlice(path.map { $0 == UInt8(ascii: "\\") ? UInt8(ascii: "/") : $0 })
    }
    return (path, pathEnd < bytes.count ? bytes[(pathEnd + 1)...] : nil)
  }

  /// A port is ASCII digits with a value up to 65535 (it may be empty: "http://host:/").
  static func checkPort(_ port: ArraySlice<UInt8>) throws(ChildSafeError) {
    var value = 0
    for b in port {
      guard b >= 0x30 && b <= 0x39 else { throw ChildSafeError(.invalidValue, "port is not a number") }
      value = min(value * 10 + Int(b - 0x30), 65536)
    }
    if value > 65535 { throw ChildSafeError(.invalidValue, "port is above 65535") }
  }

  /// The index of the ":" ending a scheme (an ASCII letter, then letters, digits, "+", "-", "."), or nil.
  static func schemeColon(_ bytes: [UInt8]) -> Int? {
    guard let first = bytes.first, URLCanonicalizer.isLetter(first) else { return nil }
    var i = 1
    while i < bytes.count {
      let b = bytes[i]
      if b == UInt8(ascii: ":") { return i }
      if !(URLCanonicalizer.isLetter(b) || (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: "+") || b == UInt8(ascii: "-")
        || b == UInt8(ascii: "."))
      {
        return nil
      }
      i += 1
    }
    return nil
  }

  /// True when what follows the ":" is a port: digits up to the end, "/", "\" or "?".
  static func isPort(_ bytes: [UInt8], after colon: Int) -> Bool {
    var i = colon + 1
    while i < bytes.count && bytes[i] >= 0x30 && bytes[i] <= 0x39 { i += 1 }
    return i == bytes.count || bytes[i] == UInt8(ascii: "/") || bytes[i] == UInt8(ascii: "\\") || bytes[i] == UInt8(ascii: "?")
  }

  /// The special scheme `name` spells in any case, or nil.
  static func specialScheme(_ name: ArraySlice<UInt8>) -> String? {
    if name.count < 2 || name.count > 5 { return nil }
    // The lowercased name as one number, its bytes big-endian (no byte of a scheme is 0, so
    // names of different lengths differ).
    var packed: UInt64 = 0
    for b in name { packed = packed << 8 | UInt64(URLCanonicalizer.lowercase(b)) }
    switch packed {
    case 0x68_74_74_70: return "http"
    case 0x68_74_74_70_73: return "https"
    case 0x77_73: return "ws"
    case 0x77_73_73: return "wss"
    case 0x66_74_70: return "ftp"
    case 0x66_69_6C_65: return "file"
    default: return nil
    }
  }
}
