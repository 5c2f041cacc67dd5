/// The canonical form of the most common URL, read in one pass over its bytes: `http://` or
/// `https://` in lowercase, a host of lowercase letters, digits, '-' and single inner dots whose
/// last label starts with a letter, then nothing, or a path and query that need no unescaping,
/// escaping or resolving. Such a URL is its own canonical form (or is, with "/" added when it has
/// no path), so the general parser's copy of the input, its parts and its checks can be skipped.
/// Anything else (upper case, other schemes, userinfo, ports, escapes, IP addresses, runs of dots,
/// trailing dots, hosts too long) returns nil and takes ``URLCanonicalizer/canonicalize(utf8:)``'s
/// general path; `PlainURLCanonicalizerTests` checks that both give the same result.
enum PlainURLCanonicalizer {
  /// The canonical URL, and whether it is the input exactly (its ``CanonicalURL/description``
  /// equals the input, so the input can stand for it), or nil when the general path must decide.
  /// `input` is trimmed already and holds no tab, CR, LF or "#".
  @inline(__always)
  static func canonicalize(_ input: UnsafeBufferPointer<UInt8>) -> (url: CanonicalURL, isInput: Bool)? {
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
    // The path: up to "?" or the end, starting with "/"; plain as `isPlainPath` says.
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
    let host = String(decoding: UnsafeBufferPointer(start: base + hostStart, count: hostEnd - hostStart), as: UTF8.self)
    let hasPath = pathEnd > hostEnd
    let path = hasPath ? String(decoding: UnsafeBufferPointer(start: base + hostEnd, count: pathEnd - hostEnd), as: UTF8.self) : "/"
    let query = queryStart.map { String(decoding: UnsafeBufferPointer(start: base + $0, count: count - $0), as: UTF8.self) }
    let url = CanonicalURL(
      scheme: secure ? "https" : "http", host: host, path: path, query: query, hostIsIPAddress: false, browserHost: host)
    return (url, hasPath)
  }
}
