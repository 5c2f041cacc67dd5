/// The most common URL, read in one pass over its bytes: `http://` or `https://` in lowercase, a
/// host of lowercase letters, digits, '-' and single inner dots whose last label starts with a
/// letter, then nothing, or a path and query that need no unescaping, escaping or resolving. Such a
/// URL is its own canonical form, or is with "/" added after the host when it has no path, so the
/// general parser's copy of the input, its parts and its checks can be skipped. Anything else
/// (upper case, other schemes, userinfo, ports, escapes, IP addresses, runs of dots, trailing dots,
/// spaces or controls anywhere, hosts too long) is declined and takes
/// ``URLCanonicalizer/canonicalize(utf8:)``'s general path; `PlainURLTests` checks
/// that both give the same result.
struct PlainURL {
  /// Where the host is in the input.
  var hostStart: Int
  var hostEnd: Int
  /// The end of the path ("/" and what follows, up to "?"), `hostEnd` when there is none.
  var pathEnd: Int
  /// Where the query starts (after its "?"), or nil.
  var queryStart: Int?
  var secure: Bool

  /// True when the canonical URL is the input exactly (it has a path); otherwise it is the input
  /// with "/" after the host.
  var isCanonical: Bool { pathEnd > hostEnd }

  /// The parts of `input` when it has the common form, else nil. The input is the URL as given:
  /// one with blanks or controls around it or inside is declined.
  @inline(__always)
  static func parse(_ input: UnsafeBufferPointer<UInt8>) -> PlainURL? {
    guard let base = input.baseAddress, input.count > 8 else { return nil }
    let count = input.count
    // "http://" or "https://", as one little-endian word of their first eight bytes.
    let head = UInt64(littleEndian: UnsafeRawPointer(base).loadUnaligned(as: UInt64.self))
    let secure: Bool
    if head & 0x00FF_FFFF_FFFF_FFFF == 0x002F_2F3A_7074_7468 {  // "http://" and any byte
      secure = false
    } else if head == 0x2F2F_3A73_7074_7468 {  // "https://"
      secure = true
    } else {
      return nil
    }
    let hostStart = secure ? 8 : 7
    // The host: labels of [a-z0-9-], single dots between them; the last label starts with a letter
    // (so it is not a number, in any IPv4 form: those start with a digit).
    var i = hostStart
    var labelStart = i
    while i < count {
      let b = base[i]
      if (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: "-") {
        i += 1
      } else if b == UInt8(ascii: ".") {
        if i == labelStart { return nil }  // leading dot or a run of dots
        i += 1
        labelStart = i
      } else {
        break
      }
    }
    let hostEnd = i
    if labelStart == hostEnd { return nil }  // no host, or a trailing dot
    let lastFirst = base[labelStart]
    if !(lastFirst >= 0x61 && lastFirst <= 0x7A) { return nil }
    if hostEnd - hostStart > URLCanonicalizer.maximumHostLength { return nil }
    // The path: up to "?" or the end, starting with "/"; plain as `isPlainPath` says. Nothing of
    // path or query needs escaping: that excludes blanks, controls, "#" and "%".
    var pathEnd = hostEnd
    var queryStart: Int? = nil
    if hostEnd < count {
      guard base[hostEnd] == UInt8(ascii: "/") || base[hostEnd] == UInt8(ascii: "?") else { return nil }
      var previous: UInt8 = 0
      while pathEnd < count {
        let b = base[pathEnd]
        if b == UInt8(ascii: "?") { break }
        if URLCanonicalizer.needsEscape(b) || b == UInt8(ascii: "\\") { return nil }
        if previous == UInt8(ascii: "/") && (b == UInt8(ascii: "/") || b == UInt8(ascii: ".")) { return nil }
        previous = b
        pathEnd += 1
      }
      if pathEnd < count {
        queryStart = pathEnd + 1
        for j in (pathEnd + 1)..<count where URLCanonicalizer.needsEscape(base[j]) { return nil }
      }
    }
    return PlainURL(hostStart: hostStart, hostEnd: hostEnd, pathEnd: pathEnd, queryStart: queryStart, secure: secure)
  }

  /// The canonical URL of `input`, whose parts these are.
  func canonical(_ input: UnsafeBufferPointer<UInt8>) -> CanonicalURL {
    let base = input.baseAddress!
    let host = String(decoding: UnsafeBufferPointer(start: base + hostStart, count: hostEnd - hostStart), as: UTF8.self)
    let path =
      pathEnd > hostEnd ? String(decoding: UnsafeBufferPointer(start: base + hostEnd, count: pathEnd - hostEnd), as: UTF8.self) : "/"
    let query = queryStart.map { String(decoding: UnsafeBufferPointer(start: base + $0, count: input.count - $0), as: UTF8.self) }
    return CanonicalURL(
      scheme: secure ? "https" : "http", host: host, path: path, query: query, hostIsIPAddress: false, browserHost: host)
  }
}
