/// Safe Browsing v4 suffix/prefix expressions of a canonical URL.
///
/// Hosts: the exact host, plus up to 4 hosts formed from the last five labels by removing the leading
/// label one at a time (the top-level domain alone is skipped); none for IP addresses.
/// Paths: the exact path with the query, the exact path without it, and up to 4 more formed from the
/// root by appending one path component at a time (each with its trailing "/").
public enum LookupExpressions {
  public static func hosts(_ url: CanonicalURL) -> [String] {
    if url.hostIsIPAddress { return [url.host] }
    var result = [url.host]
    let labels = url.host.split(separator: ".", omittingEmptySubsequences: false)
    let first = max(1, labels.count - 5)
    if labels.count >= 2 {
      for start in first..<(labels.count - 1) {
        result.append(labels[start...].joined(separator: "."))
      }
    }
    return result
  }

  public static func paths(_ url: CanonicalURL) -> [String] {
    var result: [String] = []
    if let query = url.query { result.append(url.path + "?" + query) }
    result.append(url.path)
    var prefix = "/"
    var added = 0
    if !result.contains(prefix) {
      result.append(prefix)
    }
    added += 1
    let components = url.path.split(separator: "/", omittingEmptySubsequences: true)
    // Directory components only: the last component counts only when the path ends with "/".
    let directories = url.path.hasSuffix("/") ? components[...] : components.dropLast()
    for component in directories where added < 4 {
      prefix += component + "/"
      added += 1
      if !result.contains(prefix) { result.append(prefix) }
    }
    return result
  }

  /// Every host × path expression, hosts first (most specific first).
  public static func expressions(_ url: CanonicalURL) -> [String] {
    let paths = paths(url)
    return hosts(url).flatMap { host in paths.map { host + $0 } }
  }
}

/// The 64-bit key of a domain or URL-prefix entry: FNV-1a over the bytes, then a final mix so that
/// the top bits (used to pick a bucket) are well spread. Streaming, so every prefix of a path can be
/// keyed in one pass.
struct EntryKey {
  var state: UInt64 = 0xcbf2_9ce4_8422_2325

  @inline(__always) mutating func add(_ byte: UInt8) {
    state = (state ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
  }

  @inline(__always) mutating func add<C: Collection>(_ bytes: C) where C.Element == UInt8 {
    for b in bytes { add(b) }
  }

  var key: UInt64 {
    var z = state
    z = (z ^ (z >> 33)) &* 0xff51_afd7_ed55_8ccd
    z = (z ^ (z >> 33)) &* 0xc4ce_b9fe_1a85_ec53
    return z ^ (z >> 33)
  }

  static func of<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
    var k = EntryKey()
    k.add(bytes)
    return k.key
  }

  /// The key of a string's UTF-8 bytes, read from its contiguous storage (a `String.UTF8View` walked
  /// as a generic collection costs several times more per byte).
  static func of(_ string: String) -> UInt64 {
    var copy = string
    return copy.withUTF8 { EntryKey.of($0) }
  }
}
