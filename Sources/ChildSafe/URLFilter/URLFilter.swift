/// The verdict on one URL. It never holds the URL as given, only its canonical form for the caller.
public struct URLVerdict: Sendable, Hashable {
  public var canonical: String
  /// The host the lists were checked against (Safe Browsing form of the host a browser opens); nil
  /// for an invalid URL.
  public var host: String?
  public var blocked: Bool
  public var category: String?
  public var list: String?
  /// The entry that decided: a domain ("example.com"), a URL prefix ("example.com/path/"), or for
  /// hashed lists only the hash prefix ("sha256:1a2b3c4d..."), never a guessed URL.
  public var rule: String?
  /// Why: "blocklist", "allowlist", "hashed", "homograph", "not_listed", "invalid".
  public var reason: String
  /// For reason "invalid": what is wrong with the URL.
  public var error: String?

  public init(
    canonical: String, host: String? = nil, blocked: Bool, category: String?, list: String?, rule: String?,
    reason: String, error: String? = nil
  ) {
    self.canonical = canonical
    self.host = host
    self.blocked = blocked
    self.category = category
    self.list = list
    self.rule = rule
    self.reason = reason
    self.error = error
  }

  /// `{"canonical","host","blocked","category","list","rule","reason"}` (+ "error" for invalid URLs);
  /// the caller adds "url" when it wants to echo it.
  public var jsonMembers: [(String, JSONValue)] {
    var members: [(String, JSONValue)] = [
      ("canonical", .string(canonical)), ("host", host.map { .string($0) } ?? .null), ("blocked", .bool(blocked)), ("category", category.map { .string($0) } ?? .null),
      ("list", list.map { .string($0) } ?? .null), ("rule", rule.map { .string($0) } ?? .null), ("reason", .string(reason)),
    ]
    if let error { members.append(("error", .string(error))) }
    return members
  }
}

/// Checks URLs against category block lists, allow lists and hashed lists. Immutable and shareable.
///
/// Semantics (docs/url-filtering.md):
/// - A domain entry covers the domain and every subdomain; a URL-prefix entry covers its host (and
///   subdomains) and the paths under its path, at segment boundaries.
/// - The most specific matching entry decides: a URL-prefix or hashed path entry beats any domain
///   entry; among domains the longer (more labels) wins; among URL prefixes the longer host, then the
///   longer path. At equal specificity an allow entry beats a block entry.
/// - Block entries count only when their category is enabled; allow entries and entries without a
///   category always count.
/// - With no matching entry, a homograph host (mixed scripts, or non-Latin that looks Latin) is
///   blocked with reason "homograph" unless `blockHomographs` is false.
public struct URLFilter: Sendable {
  let indexes: [URLIndex]
  /// Per index, per name: whether a block entry of that category counts.
  let enabledNames: [[Bool]]
  /// True when no index has URL-prefix or hashed entries: only host suffixes are looked up.
  let domainsOnly: Bool
  /// Bad list lines and skipped files, each with file:line:column. Loading never fails on them.
  public let warnings: [ChildSafeError]
  /// The enabled categories (nil = all).
  public let categories: Set<String>?
  public let blockHomographs: Bool

  /// Loads lists from files, directories or compiled indexes; `categories` nil enables every category.
  /// With no lists, the sample lists embedded in the library are used.
  public init(lists: [String] = [], categories: Set<String>? = nil) throws(ChildSafeError) {
    try self.init(lists: lists, categories: categories, includeDefaults: lists.isEmpty, blockHomographs: true)
  }

  /// The full form: `includeDefaults` adds the embedded sample lists to `lists`.
  public init(
    lists: [String], categories: Set<String>?, includeDefaults: Bool, blockHomographs: Bool = true,
    extra: [(text: String, list: String, category: String)] = []
  ) throws(ChildSafeError) {
    var builder = URLListBuilder()
    // In-memory lists (e.g. a family policy's own blocked and allowed domains); category "allow" makes an allowlist.
    for list in extra { builder.add(text: list.text, file: list.list, list: list.list, category: list.category) }
    if includeDefaults {
      for file in RuleFiles.embedded.under("urls/") where !file.path.hasSuffix(".md") {
        let name = baseName(file.path)
        builder.add(text: file.text, file: "Rules/" + file.path, list: file.path, category: stemOf(name))
      }
    }
    for path in lists { try builder.add(path: path) }
    var indexes: [URLIndex] = []
    if builder.entryCount > 0 || builder.compiledIndexes.isEmpty {
      indexes.append(try builder.buildIndex())
    }
    for path in builder.compiledIndexes { indexes.append(try URLIndex(mapping: path)) }
    try self.init(indexes: indexes, warnings: builder.warnings, categories: categories, blockHomographs: blockHomographs)
  }

  init(indexes: [URLIndex], warnings: [ChildSafeError], categories: Set<String>?, blockHomographs: Bool) throws(ChildSafeError) {
    let wanted = categories.map { Set($0.map { $0.lowercased() }) }
    self.indexes = indexes
    self.warnings = warnings
    self.categories = wanted
    self.blockHomographs = blockHomographs
    domainsOnly = indexes.allSatisfy { !$0.hasURLPrefixes && $0.hashed.count == 0 }
    enabledNames = indexes.map { index in
      index.names.map { wanted?.contains($0) ?? true || URLFilter.alwaysOnCategories.contains($0) }
    }
  }

  /// Categories that count whatever the enabled set says: abuse material is never a parent's choice.
  public static let alwaysOnCategories: Set<String> = ["abuse"]

  /// A filter over the sample lists embedded in the library.
  public static let defaults: URLFilter = {
    do { return try URLFilter() } catch { fatalError("embedded lists are invalid: \(error)") }
  }()

  /// Builds the compiled index of `lists` (what `childsafe lists compile` writes) and the warnings.
  public static func compile(lists: [String]) throws(ChildSafeError) -> (index: [UInt8], entries: Int, warnings: [ChildSafeError]) {
    var builder = URLListBuilder()
    for path in lists { try builder.add(path: path) }
    if !builder.compiledIndexes.isEmpty {
      throw ChildSafeError(.invalidArgument, "\(builder.compiledIndexes[0]) is already a compiled index; compile list files")
    }
    let index = try builder.buildIndex()
    return (Array(UnsafeRawBufferPointer(start: index.storage.base, count: index.storage.count)), builder.entryCount, builder.warnings)
  }

  /// Every category named by the loaded lists.
  public var availableCategories: Set<String> {
    var result: Set<String> = []
    for index in indexes {
      for table in [index.domains, index.hashed] {
        for i in 0..<table.count { if let c = EntryMeta(raw: table.metas[i]).category { result.insert(index.names[c]) } }
      }
    }
    return result
  }

  /// Number of entries (domains, URL prefixes, hashes) across all indexes.
  public var entryCount: Int { indexes.reduce(0) { $0 + $1.domains.count + $1.hashed.count } }

  // MARK: - Checking

  /// The verdict on a URL. A URL that cannot be parsed (as a browser would refuse it, or past the
  /// size limits) gets reason "invalid" and is blocked, failing closed, unless `allowInvalid` is true.
  public func check(_ url: String, allowInvalid: Bool = false) -> URLVerdict {
    do {
      return check(canonical: try URLCanonicalizer.canonicalize(url), spelled: url)
    } catch {
      return URLFilter.invalidVerdict(error, allowInvalid: allowInvalid)
    }
  }

  static func invalidVerdict(_ error: ChildSafeError, allowInvalid: Bool) -> URLVerdict {
    URLVerdict(
      canonical: "", host: nil, blocked: !allowInvalid, category: nil, list: nil, rule: nil, reason: "invalid",
      error: error.message)
  }

  /// Which rule matched: enough to rebuild its text only for the winner.
  enum RuleRef {
    case domain(hostOffset: Int)
    case url(hostOffset: Int, pathLength: Int)
    case hashed(key: UInt64, bytes: Int)

    var isHashed: Bool {
      if case .hashed = self { return true }
      return false
    }
  }

  struct Match {
    var hasPath: Int
    var labels: Int
    var pathLength: Int
    var allow: Bool
    var index: Int
    var meta: EntryMeta
    var rule: RuleRef

    func beats(_ other: Match) -> Bool {
      if hasPath != other.hasPath { return hasPath > other.hasPath }
      if labels != other.labels { return labels > other.labels }
      if pathLength != other.pathLength { return pathLength > other.pathLength }
      return allow && !other.allow
    }
  }

  public func check(canonical url: CanonicalURL) -> URLVerdict { check(canonical: url, spelled: nil) }

  /// `spelled`: the URL as given, the verdict's canonical text when it is already canonical (most
  /// URLs are: no String is made for them).
  func check(canonical url: CanonicalURL, spelled: String?) -> URLVerdict {
    if domainsOnly {
      // The common case: no allocation until the verdict.
      return verdict(url, bestDomainMatch(url), host: nil, path: [], spelled: spelled)
    }
    var best: Match?
    var hostText = url.host
    let labelCount = url.hostIsIPAddress ? 1 : hostText.withUTF8 { URLFilter.labelCount($0) }
    let host = Array(url.host.utf8)
    // Label starts, longest suffix first; an IP address has only itself.
    var offsets = [0]
    if !url.hostIsIPAddress {
      for (i, b) in host.enumerated() where b == UInt8(ascii: ".") { offsets.append(i + 1) }
    }

    func consider(_ index: Int, _ table: URLIndex.Table, _ range: Range<Int>, _ make: (EntryMeta) -> Match?) {
      let enabled = enabledNames[index]
      for i in range {
        let meta = EntryMeta(raw: table.metas[i])
        if !meta.allow, let c = meta.category, !enabled[c] { continue }
        guard let candidate = make(meta) else { continue }
        if best.map({ candidate.beats($0) }) ?? true { best = candidate }
      }
    }

    var path: [UInt8] = []
    var expressionsHashes: [(key: UInt64, labels: Int, pathLength: Int)]? = nil
    for (n, index) in indexes.enumerated() {
      host.withUnsafeBufferPointer { bestDomainMatch(n, $0, labelCount, &best) }
      // URL-prefix entries: the exact host and suffixes of up to five labels, times every path prefix
      // that ends at a segment boundary, the whole path, and the path with its query.
      if index.hasURLPrefixes {
        if path.isEmpty { path = Array(url.pathAndQuery.utf8) }
        let queryStart = url.query == nil ? path.count : url.path.utf8.count
        for (k, offset) in offsets.enumerated() where k == 0 || labelCount - k <= 5 {
          var state = EntryKey()
          state.add(host[offset...])
          func probe(_ length: Int) {
            let range = index.domains.range(of: state.key)
            if range.isEmpty { return }
            consider(n, index.domains, range) { meta in
              Match(hasPath: 1, labels: labelCount - k, pathLength: length, allow: meta.allow, index: n, meta: meta,
                    rule: .url(hostOffset: offset, pathLength: length))
            }
          }
          for i in 0..<path.count {
            let b = path[i]
            if i < queryStart && b == UInt8(ascii: "/") && i > 0 { probe(i) }
            if i == queryStart { probe(i) }
            state.add(b)
            if i < queryStart && b == UInt8(ascii: "/") && i > 0 { probe(i + 1) }
          }
          if path.last != UInt8(ascii: "/") || queryStart < path.count { probe(path.count) }
        }
      }
      // Hashed entries: SHA-256 of the Safe Browsing expressions.
      if index.hashed.count > 0 {
        if expressionsHashes == nil {
          let hosts = LookupExpressions.hosts(url)
          let paths = LookupExpressions.paths(url)
          var list: [(UInt64, Int, Int)] = []
          for h in hosts {
            let labels = h.utf8.reduce(1) { $0 + ($1 == UInt8(ascii: ".") ? 1 : 0) }
            for p in paths {
              let digest = SHA256.hash(Array((h + p).utf8))
              var key: UInt64 = 0
              for i in 0..<8 { key = key << 8 | UInt64(digest[i]) }
              list.append((key, url.hostIsIPAddress ? 1 : labels, p == "/" ? 0 : p.utf8.count))
            }
          }
          expressionsHashes = list
        }
        for (key, labels, pathLength) in expressionsHashes ?? [] {
          for bytes in 4...8 where index.hashedPrefixLengths & (1 << UInt32(bytes)) != 0 {
            let masked = bytes == 8 ? key : key & ~(UInt64.max >> UInt64(bytes * 8))
            let range = index.hashed.range(of: masked)
            if range.isEmpty { continue }
            consider(n, index.hashed, range) { meta in
              guard meta.prefixBytes == bytes else { return nil }
              return Match(hasPath: pathLength > 0 ? 1 : 0, labels: labels, pathLength: pathLength, allow: meta.allow, index: n,
                           meta: meta, rule: .hashed(key: masked, bytes: bytes))
            }
          }
        }
      }
    }

    return verdict(url, best, host: host, path: path, spelled: spelled)
  }

  /// The best domain entry for the URL's host across the indexes (the whole lookup when there are
  /// only domain entries).
  @inline(__always)
  func bestDomainMatch(_ url: CanonicalURL) -> Match? {
    var best: Match?
    var hostText = url.host
    hostText.withUTF8 { bytes in
      let labelCount = url.hostIsIPAddress ? 1 : URLFilter.labelCount(bytes)
      for n in indexes.indices { bestDomainMatch(n, bytes, labelCount, &best) }
    }
    return best
  }

  /// Number of labels of a domain (dots + 1).
  static func labelCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    var count = 1
    for b in bytes where b == UInt8(ascii: ".") { count += 1 }
    return count
  }

  /// Looks up every suffix of the host that starts at a label (`labelCount` of them, longest first:
  /// 1 for an IP address) among index `n`'s domain entries, keeping the best match in `best`.
  @inline(__always)
  func bestDomainMatch(_ n: Int, _ bytes: UnsafeBufferPointer<UInt8>, _ labelCount: Int, _ best: inout Match?) {
    let table = indexes[n].domains
    if table.count == 0 { return }
    let enabled = enabledNames[n]
    var offset = 0
    for k in 0..<labelCount {
      if k > 0 {
        while bytes[offset] != UInt8(ascii: ".") { offset += 1 }
        offset += 1
      }
      var state = EntryKey()
      for i in offset..<bytes.count { state.add(bytes[i]) }
      for i in table.range(of: state.key) {
        let meta = EntryMeta(raw: table.metas[i])
        if !meta.allow, let c = meta.category, !enabled[c] { continue }
        let candidate = Match(
          hasPath: 0, labels: labelCount - k, pathLength: 0, allow: meta.allow, index: n, meta: meta,
          rule: .domain(hostOffset: offset))
        if best.map({ candidate.beats($0) }) ?? true { best = candidate }
      }
    }
  }

  /// The verdict for the best match (nil: none). `host` (the host's bytes) and `path` (path and
  /// query) are needed only for a URL-prefix match; nil and empty when there are no such entries.
  func verdict(_ url: CanonicalURL, _ best: Match?, host: [UInt8]?, path: [UInt8], spelled: String?) -> URLVerdict {
    let canonical = spelled.flatMap { url.isDescription(of: $0) ? $0 : nil } ?? url.description
    // One URLVerdict made at the end: one made on each path cost a copy and a destroy besides.
    var blocked = false
    var category: String? = nil
    var list: String? = nil
    var rule: String? = nil
    var reason = "not_listed"
    if let best {
      switch best.rule {
      case .domain(let offset):
        // A suffix of the host from a label's start: a String cut from the host's, not decoded again.
        rule = offset == 0 ? url.host : String(url.host[url.host.utf8.index(url.host.startIndex, offsetBy: offset)...])
      case .url(let offset, let length):
        let host = host ?? Array(url.host.utf8)
        rule = String(decoding: host[offset...], as: UTF8.self) + String(decoding: path[0..<length], as: UTF8.self)
      case .hashed(let key, let bytes):
        var hex = "sha256:"
        for i in 0..<bytes {
          let byte = UInt8(truncatingIfNeeded: key >> UInt64(56 - 8 * i))
          hex.append(Character(Unicode.Scalar(hexLower[Int(byte >> 4)])))
          hex.append(Character(Unicode.Scalar(hexLower[Int(byte & 0xF)])))
        }
        rule = hex
      }
      blocked = !best.allow
      reason = best.allow ? "allowlist" : (best.rule.isHashed ? "hashed" : "blocklist")
      category = best.meta.category.map { indexes[best.index].names[$0] }
      list = indexes[best.index].names[best.meta.list]
    } else if blockHomographs && HomographCheck.isHomograph(asciiHost: url.host) {
      blocked = true
      category = "homograph"
      reason = "homograph"
    }
    return URLVerdict(
      canonical: canonical, host: url.host, blocked: blocked, category: category, list: list, rule: rule, reason: reason)
  }
}

private let hexLower: [UInt8] = Array("0123456789abcdef".utf8)
