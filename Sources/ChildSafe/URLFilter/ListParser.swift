/// The line formats a list file may use. `auto` detects the format of each line.
public enum ListFormat: String, Sendable, CaseIterable {
  case auto
  /// One domain per line ("example.com"); covers the domain and its subdomains.
  case domains
  /// Hosts file lines ("0.0.0.0 example.com other.example"); the address is ignored.
  case hosts
  /// Adblock domain rules "||example.com^" and exceptions "@@||example.com^".
  case adblock
  /// URL prefixes ("example.com/some/path/"), matched at path-segment boundaries.
  case urls
  /// Lowercase hex SHA-256 of a lookup expression: 64 characters, or a prefix of at least 8.
  case hashed
}

/// One parsed list entry.
enum ListEntry: Equatable {
  case domain(String)
  /// A domain entry given by its key: a plain name (``ListParser/isPlainDomain(buffer:)``) is its
  /// own canonical form, so it is keyed from the line's bytes without making a String.
  case domainKey(UInt64)
  /// Host and path (with query) of a URL-prefix entry.
  case url(host: String, path: String)
  /// A SHA-256 prefix of 4...32 bytes.
  case hashed([UInt8])
}

/// What a list file declares about itself, from its location or from "#!" directive lines:
///   #! category: gambling     #! kind: allow | block     #! format: hosts     #! list: my-list
struct ListDeclaration {
  var list: String
  var category: String?
  var allow: Bool
  var format: ListFormat = .auto
}

/// Parses list text line by line. A bad line becomes a warning with file:line:column; it never fails the load.
struct ListParser {
  var declaration: ListDeclaration
  let file: String
  var warnings: [ChildSafeError] = []

  /// Longest line accepted; longer ones are reported and skipped.
  static let maximumLineLength = 8192

  init(file: String, declaration: ListDeclaration) {
    self.file = file
    self.declaration = declaration
  }

  /// Calls `add(entry, allow, declaration)` for every entry of `text`.
  mutating func parse(_ text: String, add: (ListEntry, Bool, ListDeclaration) -> Void) {
    var lineNumber = 0
    let bytes = Array(text.utf8)
    for rawLine in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
      lineNumber += 1
      parse(line: rawLine, lineNumber, add: add)
    }
  }

  /// Calls `add(entry, allow, declaration)` for every entry of one line (without its "\n"), line
  /// `lineNumber` of the file; a "#!" directive changes the declaration for the lines after it.
  mutating func parse(line rawLine: ArraySlice<UInt8>, _ lineNumber: Int, add: (ListEntry, Bool, ListDeclaration) -> Void) {
    if rawLine.count > ListParser.maximumLineLength {
      warn(lineNumber, 1, "line is longer than \(ListParser.maximumLineLength) bytes")
      return
    }
    let line = trimmed(rawLine)
    if line.isEmpty { return }
    let first = line[line.startIndex]
    if first == UInt8(ascii: "#") {
      if line.count > 1 && line[line.startIndex + 1] == UInt8(ascii: "!") { directive(line.dropFirst(2), lineNumber) }
      return
    }
    if first == UInt8(ascii: "!") || first == UInt8(ascii: "[") || first == UInt8(ascii: ";") { return }  // adblock comments, headers
    parseLine(line, lineNumber, add: add)
  }

  mutating func directive(_ body: ArraySlice<UInt8>, _ lineNumber: Int) {
    let text = String(decoding: body, as: UTF8.self)
    guard let colon = text.firstIndex(of: ":") else {
      warn(lineNumber, 1, "expected a directive 'name: value' after '#!'")
      return
    }
    let name = text[..<colon].trimmingSpaces.lowercased()
    let value = text[text.index(after: colon)...].trimmingSpaces
    switch name {
    case "category": declaration.category = value.isEmpty || value == "none" ? nil : value.lowercased()
    case "list": declaration.list = value
    case "kind":
      switch value.lowercased() {
      case "allow", "allowlist": declaration.allow = true
      case "block", "blocklist": declaration.allow = false
      default: warn(lineNumber, 1, "expected 'allow' or 'block' after 'kind:', found '\(value)'")
      }
    case "format":
      if let format = ListFormat(rawValue: value.lowercased()) {
        declaration.format = format
      } else {
        warn(lineNumber, 1, "unknown format '\(value)'; expected one of \(ListFormat.allCases.map(\.rawValue).joined(separator: ", "))")
      }
    default: warn(lineNumber, 1, "unknown directive '\(name)'; expected category, kind, format or list")
    }
  }

  mutating func parseLine(_ line: ArraySlice<UInt8>, _ n: Int, add: (ListEntry, Bool, ListDeclaration) -> Void) {
    var format = declaration.format
    if format == .auto { format = ListParser.detect(line) }
    switch format {
    case .auto, .domains:
      let text = stripComment(line)
      let key = text.withUnsafeBufferPointer { bytes in ListParser.isPlainDomain(bytes) ? EntryKey.of(bytes) : nil }
      if let key {
        add(.domainKey(key), declaration.allow, declaration)
      } else if let domain = domainOrWarn(text, n) {
        add(.domain(domain), declaration.allow, declaration)
      }
    case .hosts:
      let fields = stripComment(line).split(whereSeparator: { $0 == 0x20 || $0 == 0x09 })
      guard fields.count >= 2 else {
        warn(n, 1, "expected 'address name...' (hosts file line)")
        return
      }
      for field in fields.dropFirst() {
        let name = String(decoding: field, as: UTF8.self).lowercased()
        if ListParser.hostsIgnored.contains(name) { continue }
        if let domain = domainOrWarn(ArraySlice(field), n) { add(.domain(domain), declaration.allow, declaration) }
      }
    case .adblock:
      var rule = stripComment(line)
      var allow = declaration.allow
      if rule.starts(with: "@@".utf8) {
        allow = true
        rule = rule.dropFirst(2)
      }
      guard rule.starts(with: "||".utf8) else {
        warn(n, 1, "expected an adblock domain rule '||domain^' or '@@||domain^'")
        return
      }
      rule = rule.dropFirst(2)
      if rule.contains(UInt8(ascii: "$")) {
        warn(n, 1, "adblock rule options ('$...') are not supported; rule skipped")
        return
      }
      if rule.last == UInt8(ascii: "|") { rule = rule.dropLast() }
      if rule.last == UInt8(ascii: "^") { rule = rule.dropLast() }
      if rule.contains(where: { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "^") }) {
        warn(n, 1, "adblock wildcards and separators inside a rule are not supported; rule skipped")
        return
      }
      if rule.contains(UInt8(ascii: "/")) {
        if let entry = urlOrWarn(rule, n) { add(entry, allow, declaration) }
      } else if let domain = domainOrWarn(rule, n) {
        add(.domain(domain), allow, declaration)
      }
    case .urls:
      if let entry = urlOrWarn(stripComment(line), n) { add(entry, declaration.allow, declaration) }
    case .hashed:
      let text = stripComment(line)
      guard text.count >= 8, text.count <= 64, text.count % 2 == 0,
        text.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) })
      else {
        warn(n, 1, "expected lowercase hex SHA-256 (64 characters, or an even-length prefix of at least 8)")
        return
      }
      var bytes: [UInt8] = []
      var i = text.startIndex
      while i < text.endIndex {
        bytes.append(URLCanonicalizer.hexValue(text[i])! << 4 | URLCanonicalizer.hexValue(text[i + 1])!)
        i += 2
      }
      add(.hashed(bytes), declaration.allow, declaration)
    }
  }

  /// The format of one line when the file does not declare one.
  static func detect(_ line: ArraySlice<UInt8>) -> ListFormat {
    // Most lines (one name, no space): one pass decides between hashed, URL prefix and domain.
    let format = line.withUnsafeBufferPointer { bytes -> ListFormat? in
      if bytes.count >= 2 && (bytes[0] == UInt8(ascii: "|") || bytes[0] == UInt8(ascii: "@")) { return nil }
      var allHex = true
      var slash = false
      for b in bytes {
        if b == 0x20 || b == 0x09 { return nil }
        if !((b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x66)) { allHex = false }
        if b == UInt8(ascii: "/") { slash = true }
      }
      if bytes.count >= 8 && allHex { return .hashed }
      return slash ? .urls : .domains
    }
    return format ?? detectInFull(line)
  }

  /// ``detect(_:)`` without its one-pass shortcut.
  static func detectInFull(_ line: ArraySlice<UInt8>) -> ListFormat {
    if line.count >= 2 {
      let a = line[line.startIndex]
      let b = line[line.startIndex + 1]
      if (a == UInt8(ascii: "|") && b == UInt8(ascii: "|")) || (a == UInt8(ascii: "@") && b == UInt8(ascii: "@")) {
        return .adblock
      }
    }
    let firstField = line.prefix(while: { $0 != 0x20 && $0 != 0x09 })
    if firstField.count < line.count, isAddress(firstField) { return .hosts }
    if firstField.count >= 8, firstField.count == line.count || line[line.startIndex + firstField.count] != 0x2F,
      firstField.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }),
      !firstField.contains(UInt8(ascii: "."))
    {
      return .hashed
    }
    if line.contains(UInt8(ascii: "/")) { return .urls }
    return .domains
  }

  static func isAddress(_ field: ArraySlice<UInt8>) -> Bool {
    if field.contains(UInt8(ascii: ":")) {
      return field.allSatisfy { $0 == 0x3A || URLCanonicalizer.hexValue($0) != nil }
    }
    return !field.isEmpty && field.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E }
  }

  static let hostsIgnored: Set<String> = [
    "localhost", "localhost.localdomain", "local", "broadcasthost", "ip6-localhost", "ip6-loopback",
    "ip6-localnet", "ip6-mcastprefix", "ip6-allnodes", "ip6-allrouters", "ip6-allhosts", "0.0.0.0",
  ]

  // MARK: - Entries

  /// A list domain in canonical form (lowercase, Punycode, no leading "*." or trailing dot), or nil
  /// with a warning.
  mutating func domainOrWarn(_ text: ArraySlice<UInt8>, _ n: Int) -> String? {
    if let plain = ListParser.plainDomain(text) { return plain }
    guard let host = ListParser.parsedDomain(text) else {
      warn(n, 1, "expected a domain name, found '\(String(decoding: text, as: UTF8.self))'")
      return nil
    }
    return host
  }

  /// A list domain parsed as a URL's host is, then checked: the full path of ``domainOrWarn(_:_:)``.
  static func parsedDomain(_ text: ArraySlice<UInt8>) -> String? {
    var bytes = Array(text)
    if bytes.starts(with: "*.".utf8) { bytes.removeFirst(2) }
    if bytes.isEmpty || bytes.contains(where: { $0 <= 0x20 || $0 == UInt8(ascii: "/") }) { return nil }
    guard let host = try? URLCanonicalizer.canonicalHost(bytes).0,
      host.utf8.allSatisfy({ ListParser.isHostByte($0) }), host.utf8.count <= 253
    else {
      return nil
    }
    return host
  }

  /// The common case of a list line, decided without parsing it as a URL host: lowercase ASCII
  /// letters, digits, '-', '_' and single dots inside, at most 253 bytes, last label not a number
  /// and no "xn--" label. Such a name is its own canonical form (parsing would only copy it), so
  /// the result is the same as ``domainOrWarn(_:_:)``'s full path; nil: take that path.
  static func plainDomain(_ slice: ArraySlice<UInt8>) -> String? {
    slice.withUnsafeBufferPointer { isPlainDomain($0) ? String(decoding: $0, as: UTF8.self) : nil }
  }

  /// Whether ``plainDomain(_:)`` takes the name as it is.
  static func isPlainDomain(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
    guard !text.isEmpty, text.count <= 253, text.first != UInt8(ascii: "."), text.last != UInt8(ascii: ".") else {
      return false
    }
    var previous = UInt8(ascii: ".")
    var labelStart = text.startIndex
    var labelAllDigits = true
    var lastLabelStart = text.startIndex
    for i in text.indices {
      let b = text[i]
      if b == UInt8(ascii: ".") {
        if previous == UInt8(ascii: ".") { return false }
        labelStart = i + 1
        labelAllDigits = true
      } else {
        guard (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x5F else { return false }
        if i == labelStart {
          lastLabelStart = i
          // "xn--" labels go through the full path (their Punycode is checked there).
          if b == UInt8(ascii: "x") && i + 3 < text.endIndex && text[i + 1] == UInt8(ascii: "n")
            && text[i + 2] == 0x2D && text[i + 3] == 0x2D
          {
            return false
          }
        }
        if !(b >= 0x30 && b <= 0x39) { labelAllDigits = false }
      }
      previous = b
    }
    // A last label that is a number (or reads as one: "0x1f") makes the name an IPv4 address.
    if labelAllDigits { return false }
    let last = text[lastLabelStart...]
    if last.first == UInt8(ascii: "0") && last.count >= 2 && last[last.startIndex + 1] == UInt8(ascii: "x") { return false }
    return true
  }

  /// The key of a list line (without its "\n") that is a plain name (``isPlainDomain(_:)``),
  /// maybe followed by blanks, in a file whose declared format is `format`: the key that
  /// ``parse(line:_:add:)`` gives the line's `domainKey` entry, found in one pass over its bytes
  /// (checking the name and hashing it together). nil for anything else: blank lines, comments,
  /// directives, other formats, names to canonicalise, bad lines, which take that full path. In
  /// `auto` files a name without a dot is left to it too (it may read as a hash prefix).
  static func plainDomainLineKey(_ line: UnsafeBufferPointer<UInt8>, format: ListFormat) -> UInt64? {
    guard format == .auto || format == .domains, line.count <= ListParser.maximumLineLength else { return nil }
    var end = line.count
    while end > 0 && (line[end - 1] == 0x20 || line[end - 1] == 0x09 || line[end - 1] == 0x0D) { end -= 1 }
    guard end > 0, end <= 253 else { return nil }
    // Per byte only the hash and the byte's class; each label is looked at when it ends.
    @inline(__always) func isPunycodeLabel(_ start: Int) -> Bool {
      start + 3 < end && line[start] == UInt8(ascii: "x") && line[start + 1] == UInt8(ascii: "n")
        && line[start + 2] == 0x2D && line[start + 3] == 0x2D
    }
    var key = EntryKey()
    var labelStart = 0
    var i = 0
    while i < end {
      let b = line[i]
      key.add(b)
      if b == UInt8(ascii: ".") {
        // An empty label (a leading dot, two dots); an "xn--" label takes the full path, where
        // its Punycode is checked.
        if i == labelStart || isPunycodeLabel(labelStart) { return nil }
        labelStart = i + 1
      } else if !(b &- 0x61 < 26 || b &- 0x30 < 10 || b == 0x2D || b == 0x5F) {
        return nil
      }
      i += 1
    }
    // A trailing dot; a name in an `auto` file that could be hex; an "xn--" last label.
    if labelStart == end || (labelStart == 0 && format == .auto) || isPunycodeLabel(labelStart) { return nil }
    // A last label that is a number (or reads as one: "0x1f") makes the name an IPv4 address.
    var allDigits = true
    for j in labelStart..<end where !(line[j] &- 0x30 < 10) {
      allDigits = false
      break
    }
    if allDigits { return nil }
    if line[labelStart] == UInt8(ascii: "0") && labelStart + 1 < end && line[labelStart + 1] == UInt8(ascii: "x") {
      return nil
    }
    return key.key
  }

  static func isHostByte(_ b: UInt8) -> Bool {
    (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x2E || b == 0x5F
  }

  /// A URL-prefix entry; "example.com/" alone is the same as the domain entry "example.com".
  mutating func urlOrWarn(_ text: ArraySlice<UInt8>, _ n: Int) -> ListEntry? {
    let url: CanonicalURL
    do {
      url = try text.withUnsafeBufferPointer { buffer throws(ChildSafeError) in
        try URLCanonicalizer.canonicalize(utf8: buffer)
      }
    } catch {
      warn(n, 1, "expected a URL prefix 'host/path': \(error.message)")
      return nil
    }
    guard url.host.utf8.allSatisfy({ ListParser.isHostByte($0) || $0 == 0x3A || $0 == 0x5B || $0 == 0x5D }) else {
      warn(n, 1, "expected a URL prefix 'host/path' with a valid host name")
      return nil
    }
    if url.path == "/" && url.query == nil { return .domain(url.host) }
    return .url(host: url.host, path: url.pathAndQuery)
  }

  func stripComment(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
    var end = line.endIndex
    var i = line.startIndex
    while i < line.endIndex {
      if line[i] == UInt8(ascii: "#"), i == line.startIndex || line[i - 1] == 0x20 || line[i - 1] == 0x09 {
        end = i
        break
      }
      i += 1
    }
    return trimmed(line[line.startIndex..<end])
  }

  func trimmed(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
    var a = s.startIndex
    var b = s.endIndex
    while a < b && (s[a] == 0x20 || s[a] == 0x09 || s[a] == 0x0D || s[a] == 0xEF) {
      if s[a] == 0xEF {  // UTF-8 byte order mark
        guard b - a >= 3, s[a + 1] == 0xBB, s[a + 2] == 0xBF else { break }
        a += 3
        continue
      }
      a += 1
    }
    while b > a && (s[b - 1] == 0x20 || s[b - 1] == 0x09 || s[b - 1] == 0x0D) { b -= 1 }
    return s[a..<b]
  }

  mutating func warn(_ line: Int, _ column: Int, _ message: String) {
    warnings.append(ChildSafeError(.syntax, message, at: SourceLocation(file: file, line: line, column: column)))
  }
}

extension StringProtocol {
  var trimmingSpaces: String {
    var s = Substring(self)
    while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
    while let l = s.last, l == " " || l == "\t" || l == "\r" { s.removeLast() }
    return String(s)
  }
}
