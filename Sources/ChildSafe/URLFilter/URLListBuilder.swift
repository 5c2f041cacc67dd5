/// Collects entries from list files and directories and builds a `URLIndex` from them.
public struct URLListBuilder {
  var names: [String] = []
  var nameIndex: [String: Int] = [:]
  var domainEntries: [IndexEntry] = []
  var hashedEntries: [IndexEntry] = []
  var hasURLPrefixes = false
  /// Bad lines and skipped files, with file:line:column.
  public private(set) var warnings: [ChildSafeError] = []
  /// Paths of compiled indexes met while walking directories (loaded by the caller, not merged).
  public private(set) var compiledIndexes: [String] = []

  public init() {}

  /// Number of entries collected so far.
  public var entryCount: Int { builtEntryCount + domainEntries.count + hashedEntries.count }
  /// Entries already moved into a built index (``buildIndex()``).
  var builtEntryCount = 0
  /// The ids of the last declaration's list and category names.
  var lastNames: (list: String, category: String?, listID: Int, categoryID: Int?)? = nil

  /// File stems that mark an allowlist.
  static let allowStems: Set<String> = ["allow", "allowlist", "allowed", "whitelist", "exceptions"]
  /// UT1 file names whose category is their directory's name.
  static let ut1Stems: Set<String> = ["domains", "urls"]

  mutating func nameID(_ name: String) -> Int {
    if let id = nameIndex[name] { return id }
    names.append(name)
    nameIndex[name] = names.count - 1
    return names.count - 1
  }

  /// Adds the lists of a file or directory. Compiled indexes are noted in `compiledIndexes`.
  public mutating func add(path: String) throws(ChildSafeError) {
    if FileSystem.isDirectory(path) {
      let root = baseName(path)
      try walk(path, relative: root, depth: 0)
    } else if URLIndex.isIndex(path: path) {
      compiledIndexes.append(path)
    } else {
      let stem = stemOf(baseName(path))
      let parent = baseName(dirName(path))
      let category = URLListBuilder.ut1Stems.contains(stem) && !parent.isEmpty && parent != "." ? parent : stem
      try add(file: path, list: baseName(path), category: category)
    }
  }

  mutating func walk(_ directory: String, relative: String, depth: Int) throws(ChildSafeError) {
    if depth > 16 { throw ChildSafeError(.io, "\(directory): directories nested too deeply") }
    for name in try FileSystem.listDirectory(directory) where !name.hasPrefix(".") {
      let path = FileSystem.join(directory, name)
      let rel = relative + "/" + name
      if FileSystem.isDirectory(path) {
        try walk(path, relative: rel, depth: depth + 1)
        continue
      }
      let stem = stemOf(name)
      let lower = name.lowercased()
      if lower.hasSuffix(".md") || lower.hasPrefix("readme") || lower.hasPrefix("license") || stem == "usage"
        || stem == "global_usage" || lower.hasSuffix(".swift") || lower.hasSuffix(".json")
      {
        continue
      }
      if stem.contains("expression") || lower.hasSuffix(".gz") || lower.hasSuffix(".tar") {
        warnings.append(
          ChildSafeError(.syntax, "skipped: regular-expression lists and compressed files are not read", at: SourceLocation(file: path, line: 1, column: 1)))
        continue
      }
      if URLIndex.isIndex(path: path) {
        compiledIndexes.append(path)
        continue
      }
      let category = URLListBuilder.ut1Stems.contains(stem) ? baseName(directory) : stem
      try add(file: path, list: rel, category: category)
    }
  }

  /// Adds the entries of one list text. `category` is the default (a "#! category:" line overrides);
  /// a file whose stem is "allow", "allowlist"... is an allowlist.
  public mutating func add(text: String, file: String, list: String, category: String?) {
    var parser = ListParser(file: file, declaration: URLListBuilder.declaration(list: list, category: category))
    lastNames = nil
    let bytes = Array(text.utf8)
    var lineNumber = 0
    for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
      lineNumber += 1
      parser.parse(line: line, lineNumber) { entry, allow, declaration in add(entry, allow: allow, declaration) }
    }
    warnings.append(contentsOf: parser.warnings)
  }

  /// Adds the entries of a list file, parsed while it is read in blocks of `blockSize` bytes (the
  /// file is never whole in memory). A file that cannot be read, or is not UTF-8, adds nothing.
  mutating func add(file path: String, list: String, category: String?, blockSize: Int = 1 << 16) throws(ChildSafeError) {
    var parser = ListParser(file: path, declaration: URLListBuilder.declaration(list: list, category: category))
    lastNames = nil
    let before = (names: names.count, domains: domainEntries.count, hashed: hashedEntries.count, prefixes: hasURLPrefixes)
    var lines = try ListFileLines(path: path, blockSize: blockSize)
    defer { lines.closeFile() }
    // Room for a name every 8 bytes, so that the array is not copied to grow (copying it held the
    // old and the new array at once); pages reserved and never written take no memory. At least
    // doubling when it grows: a directory of many files must not copy the array once per file.
    let wanted = domainEntries.count + lines.byteCount / 8 + 16
    if wanted > domainEntries.capacity { domainEntries.reserveCapacity(max(wanted, 2 * domainEntries.capacity)) }
    // The metadata of the plain names of the current declaration; nil after any other line
    // (a directive may have changed the declaration).
    var plainMeta: UInt32? = nil
    do {
      while let range = try lines.nextUnchecked() {
        // Most lines are a plain name: keyed in one pass, no entry value or closure per line.
        let format = parser.declaration.format
        let key = lines.buffer.withUnsafeBufferPointer { bytes in
          ListParser.plainDomainLineKey(UnsafeBufferPointer(rebasing: bytes[range]), format: format)
        }
        if let key {
          let meta = plainMeta ?? meta(parser.declaration, allow: parser.declaration.allow)
          plainMeta = meta
          domainEntries.append(IndexEntry(key: key, meta: meta))
          continue
        }
        plainMeta = nil
        try lines.validate(range)
        parser.parse(line: lines.buffer[range], lines.lineNumber) { entry, allow, declaration in
          add(entry, allow: allow, declaration)
        }
      }
    } catch {
      // As if the file had not been read at all.
      for name in names[before.names...] { nameIndex[name] = nil }
      names.removeSubrange(before.names...)
      domainEntries.removeSubrange(before.domains...)
      hashedEntries.removeSubrange(before.hashed...)
      hasURLPrefixes = before.prefixes
      lastNames = nil
      throw error
    }
    warnings.append(contentsOf: parser.warnings)
  }

  static func declaration(list: String, category: String?) -> ListDeclaration {
    let stem = category?.lowercased()
    let allow = stem.map { URLListBuilder.allowStems.contains($0) } ?? false
    return ListDeclaration(list: list, category: allow ? nil : stem, allow: allow)
  }

  /// One entry, keyed and with its names' ids (those of the last declaration are kept: a list's
  /// lines share them, so there is no lookup per line).
  mutating func add(_ entry: ListEntry, allow: Bool, _ declaration: ListDeclaration) {
    switch entry {
    case .domainKey(let key):
      domainEntries.append(IndexEntry(key: key, meta: meta(declaration, allow: allow)))
    case .domain(let domain):
      domainEntries.append(IndexEntry(key: EntryKey.of(domain), meta: meta(declaration, allow: allow)))
    case .url(let host, let path):
      var key = EntryKey()
      key.add(host.utf8)
      key.add(path.utf8)
      hasURLPrefixes = true
      domainEntries.append(IndexEntry(key: key.key, meta: meta(declaration, allow: allow)))
    case .hashed(let bytes):
      let length = min(8, bytes.count)
      var key: UInt64 = 0
      for i in 0..<length { key |= UInt64(bytes[i]) << UInt64(56 - 8 * i) }
      hashedEntries.append(IndexEntry(key: key, meta: meta(declaration, allow: allow, prefixBytes: length)))
    }
  }

  /// The packed metadata of an entry of `declaration`, giving its list and category names their
  /// ids when they are first met.
  mutating func meta(_ declaration: ListDeclaration, allow: Bool, prefixBytes: Int = 0) -> UInt32 {
    let listID: Int
    let categoryID: Int?
    if let last = lastNames, last.list == declaration.list, last.category == declaration.category {
      (listID, categoryID) = (last.listID, last.categoryID)
    } else {
      listID = nameID(declaration.list)
      categoryID = declaration.category.map { nameID($0) }
      lastNames = (declaration.list, declaration.category, listID, categoryID)
    }
    return EntryMeta(category: categoryID, list: listID, allow: allow, prefixBytes: prefixBytes).raw
  }

  /// The compiled index bytes (the format of `childsafe lists compile`).
  public func build() throws(ChildSafeError) -> [UInt8] {
    try URLIndex.build(
      names: names, domainEntries: domainEntries, hashedEntries: hashedEntries, hasURLPrefixes: hasURLPrefixes)
  }

  /// The index, built in one allocation of its final size; the entries are then released, so that
  /// the index is all that remains of loading. The builder keeps its names, warnings and counts.
  mutating func buildIndex() throws(ChildSafeError) -> URLIndex {
    let storage = try URLIndex.buildStorage(
      names: names, domainEntries: domainEntries, hashedEntries: hashedEntries, hasURLPrefixes: hasURLPrefixes)
    builtEntryCount = domainEntries.count + hashedEntries.count
    domainEntries = []
    hashedEntries = []
    return try URLIndex(storage: storage, source: "index", verify: false)
  }
}

func baseName(_ path: String) -> String {
  var p = Substring(path)
  while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
  if let slash = p.lastIndex(of: "/") { return String(p[p.index(after: slash)...]) }
  return String(p)
}

func dirName(_ path: String) -> String {
  var p = Substring(path)
  while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
  if let slash = p.lastIndex(of: "/") { return String(p[..<slash]) }
  return "."
}

/// "adult.list" -> "adult"; "domains" -> "domains".
func stemOf(_ name: String) -> String {
  if let dot = name.lastIndex(of: "."), dot != name.startIndex { return String(name[..<dot]).lowercased() }
  return name.lowercased()
}
