import CChildSafeICU

/// The embedded rule packs compiled at build time, so that an engine over them opens without
/// parsing a rule or compiling a pattern (as Hyperscan serialises its databases).
///
/// `scripts/embed-rules` writes it (`Sources/CChildSafeRules/embedded_compiled_rules.c`, read in place)
/// with `childsafe compile-embedded-rules`, and a test compares it byte for byte with a fresh
/// compile of `Rules/`. It holds everything an engine keeps of its rules: the rules as parsed
/// (patterns, sources and locations, for `explain`), their warnings, the matcher's tables and the
/// normaliser's lexicon. Rule words are normalised with ICU when rules are compiled, so the
/// archive is used only by the ICU version that made it, only by this format version, and only
/// over the very rule files embedded beside it; otherwise ``ClassifierEngine/defaults`` compiles
/// the embedded text as before (same verdicts, slower start). Its checksum is checked by the test
/// suite, not at each open: reading every byte would bring all of it into memory, where the
/// matcher and the tables read in place touch only the pages that messages reach. Archives that
/// are not the library's own (copies, tests) are checked whole when read.
///
/// Layout: the magic bytes, then (little-endian UInt64) the format version, the digest of the rule
/// files it was compiled from, the checksum and the length of the payload; the ICU version (one
/// length byte, then its text); zero bytes up to a multiple of 8; the payload (``ArchiveWriter``,
/// whose tables are then aligned as they would be in memory, for reading in place).
///
/// Only the library's own archive is read: the matcher reads its tables through unchecked
/// pointers, so an archive is not a format for untrusted input (the checksum catches accidents,
/// not forgeries).
enum CompiledRulesArchive {
  static let magic: [UInt8] = Array("CSRULES\u{1A}".utf8)
  /// Bump whenever what is written, or what the compiler produces from the same rules, changes.
  static let formatVersion: UInt64 = 9
  static let what = "compiled rules"

  /// What an engine keeps of its rules.
  struct Contents {
    var compiled: CompiledRules
    var lexicon: Lexicon
    var warnings: [RuleDiagnostic]
  }

  /// The ICU version rule words are normalised with here, e.g. "74.2".
  static var icuVersion: String { String(cString: csicu_version()) }

  // MARK: Writing

  static func encode(_ contents: Contents, sourceDigest: UInt64, icuVersion: String = icuVersion) -> [UInt8] {
    var w = ArchiveWriter()
    let compiled = contents.compiled
    w.varint(UInt64(compiled.categories.count))
    for c in compiled.categories { w.string(c.name) }
    var nodes = NodeTable()
    let patternIDs = compiled.patterns.map { nodes.id(of: $0) }
    w.varint(UInt64(nodes.records.count))
    for record in nodes.records { write(record, to: &w) }
    w.varint(UInt64(patternIDs.count))
    for id in patternIDs { w.varint(UInt64(id)) }
    w.varint(UInt64(compiled.rules.count))
    for rule in compiled.rules { write(rule, to: &w) }
    w.varint(UInt64(compiled.vocabularyWords.count))
    for word in compiled.vocabularyWords { w.string(word) }
    w.varint(UInt64(contents.warnings.count))
    for d in contents.warnings {
      w.byte(d.severity == .error ? 1 : 0)
      w.string(d.message)
      w.bool(d.location != nil)
      if let location = d.location { write(location, to: &w) }
    }
    compiled.matcher.write(to: &w)
    write(contents.lexicon, to: &w, wordTable: compiled.matcher.wordTable)
    let payload = w.finish()

    var out = magic
    func fixed(_ v: UInt64) { for k in 0..<8 { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(k)))) } }
    fixed(formatVersion)
    fixed(sourceDigest)
    fixed(payload.withUnsafeBufferPointer(archiveChecksum))
    fixed(UInt64(payload.count))
    let icu = Array(icuVersion.utf8.prefix(255))
    out.append(UInt8(icu.count))
    out.append(contentsOf: icu)
    while out.count % 8 != 0 { out.append(0) }
    out.append(contentsOf: payload)
    return out
  }

  static func writeSorted(_ words: Set<String>, to w: inout ArchiveWriter) {
    let sorted = words.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    w.varint(UInt64(sorted.count))
    for word in sorted { w.string(word) }
  }

  static func write(_ location: SourceLocation, to w: inout ArchiveWriter) {
    w.string(location.file)
    w.int(location.line)
    w.int(location.column)
  }

  /// Pattern elements recur (the same word in hundreds of patterns): each distinct element is
  /// written once, after its parts, which it names by number, and read back once and shared.
  struct NodeTable {
    enum Record {
      case leaf(PatternNode)
      case sequence([Int])
      case alternatives([Int])
      case optional(Int)
    }
    var ids: [PatternNode: Int] = [:]
    var records: [Record] = []

    mutating func id(of node: PatternNode) -> Int {
      if let known = ids[node] { return known }
      let record: Record
      switch node {
      case .sequence(let items): record = .sequence(items.map { id(of: $0) })
      case .alternatives(let items): record = .alternatives(items.map { id(of: $0) })
      case .optional(let inner): record = .optional(id(of: inner))
      default: record = .leaf(node)
      }
      records.append(record)
      ids[node] = records.count - 1
      return records.count - 1
    }
  }

  static func write(_ record: NodeTable.Record, to w: inout ArchiveWriter) {
    switch record {
    case .leaf(.word(let s)):
      w.byte(0)
      w.string(s)
    case .leaf(.prefix(let s)):
      w.byte(1)
      w.string(s)
    case .leaf(.anyToken): w.byte(2)
    case .leaf(.kind(let kind)):
      w.byte(3)
      w.byte(kind.rawValue)
    case .leaf(.number(let range)):
      w.byte(4)
      w.bool(range != nil)
      if let range {
        w.int(range.lowerBound)
        w.int(range.upperBound)
      }
    case .leaf(.gap(let n)):
      w.byte(5)
      w.int(n)
    case .sequence(let items), .alternatives(let items):
      if case .sequence = record { w.byte(6) } else { w.byte(7) }
      w.varint(UInt64(items.count))
      for item in items { w.varint(UInt64(item)) }
    case .optional(let inner):
      w.byte(8)
      w.varint(UInt64(inner))
    case .leaf(.never): w.byte(9)
    case .leaf(.sequence), .leaf(.alternatives), .leaf(.optional): fatalError("not a leaf")
    }
  }

  static func write(_ compiled: CompiledRules.CompiledRule, to w: inout ArchiveWriter) {
    let rule = compiled.rule
    w.string(rule.id)
    w.string(rule.category.name)
    w.varint(UInt64(compiled.categoryIndex))
    w.double(rule.weight)
    func patterns(_ located: [LocatedPattern], _ ids: [Int32]) {
      w.varint(UInt64(located.count))
      for (p, id) in zip(located, ids) {
        w.varint(UInt64(id))
        write(p.location, to: &w)
        w.optionalString(p.text)
      }
    }
    patterns(rule.matches, compiled.matches)
    patterns(rule.exceptions.map(\.pattern), compiled.exceptions.map(\.pattern))
    for e in compiled.exceptions { w.varint(UInt64(e.match)) }
    patterns(rule.all, compiled.all)
    patterns(rule.unless, compiled.unless)
    patterns(rule.lower.map(\.pattern), compiled.lower.map(\.pattern))
    for entry in rule.lower { w.double(entry.factor) }
    w.byte(rule.audience == .any ? 0 : 1)
    w.byte(rule.acts == nil ? 0 : rule.acts == .alone ? 1 : 2)
    switch rule.trusted {
    case nil: w.byte(0)
    case .ignore?: w.byte(1)
    case .evidence?: w.byte(2)
    case .acts?: w.byte(3)
    }
    w.optionalString(rule.note)
    write(rule.location, to: &w)
    w.string(rule.pack)
    writeSorted(compiled.languages, to: &w)
  }

  /// `wordTable`: the matcher's, written before. When its ASCII keys are all the lexicon's ASCII
  /// words but a few, the lexicon is written as those few and shares it
  /// (``Lexicon/Storage/asciiExtra``); only when they are few, since a miss looks in both tables.
  static func write(_ lexicon: Lexicon, to w: inout ArchiveWriter, wordTable: ByteTable) {
    // A layered lexicon (words added to a base) is written flat: the engine's never is layered.
    let storage = lexicon.storage.added == nil ? lexicon.storage : Lexicon(lexicon.words).storage
    writeSorted(storage.words, to: &w)
    func ascii(_ key: [UInt8]) -> Bool { key.allSatisfy { $0 < 0x80 } }
    let spellings = Set(storage.asciiTable.keys.filter(ascii) + (storage.asciiExtra?.keys ?? []))
    let shared = Set(wordTable.keys.filter(ascii))
    let extra = spellings.subtracting(shared)
    if shared.isSubset(of: spellings) && extra.count * 4 < spellings.count {
      w.bool(true)
      let sorted = extra.sorted { $0.lexicographicallyPrecedes($1) }
      ByteTable(sorted.map { (key: String(decoding: $0, as: UTF8.self), value: Int32(0)) }).write(to: &w)
    } else {
      w.bool(false)
      storage.asciiTable.write(to: &w)
    }
    w.bool(storage.asciiPrefixes != nil)
    storage.asciiPrefixes?.write(to: &w)
    w.bool(storage.otherPrefixes != nil)
    if let others = storage.otherPrefixes { writeSorted(others, to: &w) }
  }

  // MARK: Reading

  /// The digest of rule files (paths and texts, in order) that an archive records as its source.
  static func digest(of files: [(path: String, text: String)]) -> UInt64 {
    var h: UInt64 = 0x5851_F42D_4C95_7F2D
    for file in files {
      for part in [file.path, file.text] {
        var text = part
        let sum = text.withUTF8 { archiveChecksum($0) }
        h = (h ^ sum) &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 31
      }
    }
    return h
  }

  /// Reads an archive. `sourceDigest`: that of the rule files it must have been compiled from.
  /// `isPermanent`: whether `bytes` live as long as the process (the library's own archive), so
  /// that the matcher may use its tables where they lie; its payload checksum is then left to the
  /// tests. Throws `corrupt` for bytes that are not such an archive, and for one of another format
  /// version, ICU version or source, saying which.
  static func decode(
    _ bytes: UnsafeBufferPointer<UInt8>, sourceDigest: UInt64, icuVersion: String = icuVersion,
    isPermanent: Bool = false
  ) throws(ChildSafeError) -> Contents {
    let headerSize = magic.count + 32 + 1
    guard bytes.count >= headerSize, bytes.prefix(magic.count).elementsEqual(magic) else {
      throw ChildSafeError(.corrupt, "not \(what): the data does not start with their magic bytes")
    }
    func fixed(_ at: Int) -> UInt64 {
      var v: UInt64 = 0
      for k in 0..<8 { v |= UInt64(bytes[at + k]) << (8 * UInt64(k)) }
      return v
    }
    let version = fixed(magic.count)
    guard version == formatVersion else {
      throw ChildSafeError(.corrupt, "\(what) are of format version \(version); this library reads version \(formatVersion)")
    }
    let icuLength = Int(bytes[magic.count + 32])
    guard bytes.count >= headerSize + icuLength else { throw ChildSafeError(.corrupt, "\(what) are truncated") }
    let builtWith = String(decoding: UnsafeBufferPointer(rebasing: bytes[headerSize..<headerSize + icuLength]), as: UTF8.self)
    guard builtWith == icuVersion else {
      throw ChildSafeError(.corrupt, "\(what) were made with ICU \(builtWith); this library runs on ICU \(icuVersion)")
    }
    guard fixed(magic.count + 8) == sourceDigest else {
      throw ChildSafeError(.corrupt, "\(what) were compiled from other rule files than those embedded")
    }
    let payloadStart = (headerSize + icuLength + 7) / 8 * 8
    guard bytes.count >= payloadStart, UInt64(bytes.count - payloadStart) == fixed(magic.count + 24),
      bytes[(headerSize + icuLength)..<payloadStart].allSatisfy({ $0 == 0 })
    else {
      throw ChildSafeError(.corrupt, "\(what) are truncated or too long")
    }
    let payload = UnsafeBufferPointer(rebasing: bytes[payloadStart...])
    guard isPermanent || archiveChecksum(payload) == fixed(magic.count + 16) else {
      throw ChildSafeError(.corrupt, "\(what) are corrupt: their checksum does not match")
    }
    var r = try ArchiveReader(payload, what: what, isPermanent: isPermanent)
    let contents = try read(&r)
    guard r.isAtEnd else { throw r.corrupt("data after the end") }
    return contents
  }

  static func read(_ r: inout ArchiveReader) throws(ChildSafeError) -> Contents {
    var categories: [Category] = []
    for _ in 0..<(try r.length()) { categories.append(Category(try r.string())) }
    // The library's own archive keeps its pattern trees where they lie until one is asked for
    // (``PatternTable``); they are checked now, so that a bad record is an error at open.
    let nodeCount = try r.length()
    let nodesStart = r.offset
    var nodes: [PatternNode] = []
    if r.isPermanent {
      for k in 0..<nodeCount { try skipNode(&r, earlier: k) }
    } else {
      nodes.reserveCapacity(nodeCount)
      for _ in 0..<nodeCount { nodes.append(try readNode(&r, earlier: nodes)) }
    }
    let patternCount = try r.length()
    var patternNodes: [Int32] = []
    patternNodes.reserveCapacity(patternCount)
    for _ in 0..<patternCount { patternNodes.append(Int32(try r.index(below: nodeCount))) }
    let table =
      r.isPermanent
      ? PatternTable(
        archive: PatternTable.ArchiveSource(
          bytes: r.bytes, strings: r.stringTable, offset: nodesStart, nodeCount: nodeCount, patternNodes: patternNodes,
          what: r.what))
      : PatternTable(patternNodes.map { nodes[Int($0)] })
    var rules: [CompiledRules.CompiledRule] = []
    let ruleCount = try r.length()
    rules.reserveCapacity(ruleCount)
    for _ in 0..<ruleCount {
      rules.append(try readRule(&r, patterns: table, lazily: r.isPermanent, categoryCount: categories.count))
    }
    let vocabulary = try readWords(&r)
    var warnings: [RuleDiagnostic] = []
    for _ in 0..<(try r.length()) {
      let severity: DiagnosticSeverity = try r.bool() ? .error : .warning
      let message = try r.string()
      let location = try r.bool() ? try readLocation(&r) : nil
      warnings.append(RuleDiagnostic(severity, message, at: location))
    }
    let matcher = try PatternMatcher.read(from: &r)
    let lexicon = try readLexicon(&r, wordTable: matcher.wordTable)
    let compiled = CompiledRules(
      rules: rules, categories: categories, patterns: table, matcher: matcher, vocabularyWords: vocabulary)
    return Contents(compiled: compiled, lexicon: lexicon, warnings: warnings)
  }

  static func readWords(_ r: inout ArchiveReader) throws(ChildSafeError) -> [String] {
    let n = try r.length()
    var words: [String] = []
    words.reserveCapacity(n)
    for _ in 0..<n { words.append(try r.string()) }
    return words
  }

  static func readLocation(_ r: inout ArchiveReader) throws(ChildSafeError) -> SourceLocation {
    SourceLocation(file: try r.string(), line: try r.int(), column: try r.int())
  }

  /// One element of the node table; its parts are elements read before it (so a corrupt archive
  /// cannot make a cycle, nor recurse).
  static func readNode(_ r: inout ArchiveReader, earlier: [PatternNode]) throws(ChildSafeError) -> PatternNode {
    switch try r.byte() {
    case 0: return .word(try r.string())
    case 1: return .prefix(try r.string())
    case 2: return .anyToken
    case 3:
      guard let kind = Token.Kind(rawValue: try r.byte()) else { throw r.corrupt("unknown token kind") }
      return .kind(kind)
    case 4:
      guard try r.bool() else { return .number(nil) }
      let low = try r.int()
      let high = try r.int()
      guard low <= high else { throw r.corrupt("bad number range") }
      return .number(low...high)
    case 5: return .gap(try r.int())
    case 6, 7:
      let tag = r.bytes[r.offset - 1]
      let n = try r.length()
      var items: [PatternNode] = []
      items.reserveCapacity(n)
      for _ in 0..<n { items.append(earlier[try r.index(below: earlier.count)]) }
      return tag == 6 ? .sequence(items) : .alternatives(items)
    case 8: return .optional(earlier[try r.index(below: earlier.count)])
    case 9: return .never
    default: throw r.corrupt("unknown pattern element")
    }
  }

  /// Moves past one element of the node table, checking it as ``readNode(_:earlier:)`` does
  /// (`earlier`: the elements before it), without building it.
  static func skipNode(_ r: inout ArchiveReader, earlier: Int) throws(ChildSafeError) {
    switch try r.byte() {
    case 0, 1: _ = try r.string()
    case 2, 9: break
    case 3:
      guard Token.Kind(rawValue: try r.byte()) != nil else { throw r.corrupt("unknown token kind") }
    case 4:
      guard try r.bool() else { return }
      guard try r.int() <= (try r.int()) else { throw r.corrupt("bad number range") }
    case 5: _ = try r.int()
    case 6, 7:
      for _ in 0..<(try r.length()) { _ = try r.index(below: earlier) }
    case 8: _ = try r.index(below: earlier)
    default: throw r.corrupt("unknown pattern element")
    }
  }

  /// `lazily`: the rule's patterns name their trees in `patterns` without building them.
  static func readRule(
    _ r: inout ArchiveReader, patterns: PatternTable, lazily: Bool, categoryCount: Int
  ) throws(ChildSafeError) -> CompiledRules.CompiledRule {
    let id = try r.string()
    let category = Category(try r.string())
    let categoryIndex = try r.index(below: categoryCount)
    let weight = try r.double()
    func located() throws(ChildSafeError) -> (patterns: [LocatedPattern], ids: [Int32]) {
      let n = try r.length()
      var list: [LocatedPattern] = []
      var ids: [Int32] = []
      list.reserveCapacity(n)
      ids.reserveCapacity(n)
      for _ in 0..<n {
        let id = try r.index(below: patterns.count)
        let location = try readLocation(&r)
        let text = try r.optionalString()
        list.append(
          lazily
            ? LocatedPattern(kept: patterns, pattern: Int32(id), location: location, text: text)
            : LocatedPattern(node: patterns.tree(id), location: location, text: text))
        ids.append(Int32(id))
      }
      return (list, ids)
    }
    let matches = try located()
    let excepts = try located()
    var exceptionMatches: [Int] = []
    for _ in excepts.ids { exceptionMatches.append(try r.index(below: matches.ids.count)) }
    let all = try located()
    let unless = try located()
    let lowered = try located()
    var factors: [Double] = []
    for _ in lowered.ids { factors.append(try r.double()) }
    let audience: RuleAudience = try r.bool() ? .adultToMinor : .any
    let acts: RuleActs?
    switch try r.byte() {
    case 0: acts = nil
    case 1: acts = .alone
    case 2: acts = .withMinor
    default: throw r.corrupt("bad acts value")
    }
    let trusted: RuleTrusted?
    switch try r.byte() {
    case 0: trusted = nil
    case 1: trusted = .ignore
    case 2: trusted = .evidence
    case 3: trusted = .acts
    default: throw r.corrupt("bad trusted value")
    }
    let note = try r.optionalString()
    let location = try readLocation(&r)
    let pack = try r.string()
    let languages = Set(try readWords(&r))
    var rule = Rule(id: id, category: category, weight: weight, location: location, pack: pack)
    rule.matches = matches.patterns
    rule.exceptions = Array(zip(exceptionMatches, excepts.patterns))
    rule.all = all.patterns
    rule.unless = unless.patterns
    rule.lower = zip(lowered.patterns, factors).map { (pattern: $0, factor: $1) }
    rule.audience = audience
    rule.acts = acts
    rule.trusted = trusted
    rule.note = note
    return CompiledRules.CompiledRule(
      rule: rule, categoryIndex: categoryIndex, matches: matches.ids,
      exceptions: Array(zip(exceptionMatches, excepts.ids)), all: all.ids, unless: unless.ids,
      lower: zip(lowered.ids, factors).map { (pattern: $0, factor: $1) }, languages: languages)
  }

  /// `wordTable`: the matcher's, which the lexicon shares when the archive says so.
  static func readLexicon(_ r: inout ArchiveReader, wordTable: ByteTable) throws(ChildSafeError) -> Lexicon {
    let words = Set(try readWords(&r))
    let sharesWordTable = try r.bool()
    let ownTable = try ByteTable(reading: &r)
    let (ascii, extra) = sharesWordTable ? (wordTable, ownTable) : (ownTable, nil)
    let prefixes: ByteTable? = try r.bool() ? try ByteTable(reading: &r) : nil
    let others: Set<String>? = try r.bool() ? Set(try readWords(&r)) : nil
    return Lexicon(
      storage: Lexicon.Storage(
        words: words, asciiTable: ascii, asciiExtra: extra, asciiPrefixes: prefixes, otherPrefixes: others))
  }
}
