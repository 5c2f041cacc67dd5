/// A lexicon: a named word list (a `.words` file) that rules use as `<name>` wherever a word may
/// stand in a pattern. Entries are normalised exactly like rule words, so a lexicon of plain
/// spellings also catches their leetspeak, look-alike, stretched and spaced-out forms.
///
/// ```
/// # lexicons/en/sexual-acts.words
/// blowjob
/// blow job        # a phrase: consecutive words
/// masturbat*      # a stem: any word starting with it
/// ```
public struct RuleLexicon: Sendable, Hashable {
  /// The name rules use (`<sexual-acts>`): the file's base name without `.words`.
  public var name: String
  /// Where the file is, relative to the rules root.
  public var path: String
  /// One node per distinct entry: a word, a stem, or a sequence of them.
  public var entries: [PatternNode]

  /// Entries beyond this are an error: a lexicon is a curated list, not a dictionary.
  public static let maximumEntries = 20_000
  public static let fileSuffix = ".words"

  /// The pattern `<name>` stands for: any one of the entries.
  public var node: PatternNode {
    switch entries.count {
    case 0: return .never
    case 1: return entries[0]
    default: return .alternatives(entries)
    }
  }

  /// The lexicon name of a path ("../lexicons/en/sexual-acts.words" -> "sexual-acts"), or nil when
  /// the path does not name a `.words` file with a valid name.
  public static func name(ofPath path: String) -> String? {
    let base = path.split(separator: "/").last.map(String.init) ?? path
    guard base.hasSuffix(fileSuffix) else { return nil }
    let name = String(base.dropLast(fileSuffix.count))
    return RuleFileParser.isIdentifier(name) ? name : nil
  }

  /// Parses a lexicon file: one entry a line, `#` starts a comment. Problems are returned as
  /// diagnostics located in the lexicon file.
  static func parse(_ text: String, path: String, normalizer: RuleWordNormalizer) -> (RuleLexicon, [RuleDiagnostic]) {
    var lexicon = RuleLexicon(name: name(ofPath: path) ?? path, path: path, entries: [])
    var diagnostics: [RuleDiagnostic] = []
    if text.utf8.count > RuleFileParser.maximumFileBytes {
      diagnostics.append(RuleDiagnostic(
        .error, "found a lexicon of \(text.utf8.count) bytes; expected at most \(RuleFileParser.maximumFileBytes)",
        at: SourceLocation(file: path, line: 1, column: 1)))
      return (lexicon, diagnostics)
    }
    // Every word of the file is normalised with one lexicon that knows them all (one build per
    // file, not per word), so that repairs never turn an entry into another word.
    var lines: [(number: Int, scalars: [Unicode.Scalar], start: Int)] = []
    var words: [String] = []
    var number = 0
    // Lines end at each "\n" byte (see ``RuleFileParser/parse(_:path:normalizer:loadLexicon:)``).
    let utf8 = text.utf8
    var nextLine: String.Index? = utf8.startIndex
    while let lineStart = nextLine {
      let lineEnd = utf8[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? utf8.endIndex
      nextLine = lineEnd < utf8.endIndex ? utf8.index(after: lineEnd) : nil
      let raw = text[lineStart..<lineEnd]
      number += 1
      var scalars = RuleFileParser.stripComment(Array(raw.unicodeScalars))
      if number == 1, scalars.first == "\u{FEFF}" { scalars.removeFirst() }
      while let last = scalars.last, last == " " || last == "\t" || last == "\r" { scalars.removeLast() }
      guard let start = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }) else { continue }
      if scalars.count > RuleFileParser.maximumLineLength {
        diagnostics.append(RuleDiagnostic(
          .error, "found a line of \(scalars.count) characters; expected at most \(RuleFileParser.maximumLineLength)",
          at: SourceLocation(file: path, line: number, column: 1)))
        continue
      }
      lines.append((number, Array(scalars[start...]), start))
      var entry = ""
      entry.unicodeScalars.append(contentsOf: scalars[start...])
      for word in entry.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
        words.append(word.hasSuffix("*") ? String(word.dropLast()) : String(word))
      }
    }
    if lines.count > maximumEntries {
      diagnostics.append(RuleDiagnostic(
        .error, "found \(lines.count) entries; expected at most \(maximumEntries)",
        at: SourceLocation(file: path, line: 1, column: 1)))
      return (lexicon, diagnostics)
    }
    normalizer.prepare(words)
    var seen: Set<PatternNode> = []
    for line in lines {
      var parser = PatternParser(
        scalars: line.scalars, firstColumn: line.start + 1, file: path, line: line.number,
        normalizeWord: { normalizer.words(of: $0) })
      do {
        let node = try parser.parse()
        guard RuleLexicon.isEntry(node) else {
          diagnostics.append(RuleDiagnostic(
            .error, "found '\(node.source)'; expected a word, a phrase or a stem ending in '*' (one entry a line)",
            at: SourceLocation(file: path, line: line.number, column: line.start + 1)))
          continue
        }
        if case .never = node {
          diagnostics.append(RuleDiagnostic(
            .warning, "found an entry that normalises to nothing; expected words that survive normalisation",
            at: SourceLocation(file: path, line: line.number, column: line.start + 1)))
          continue
        }
        if seen.insert(node).inserted { lexicon.entries.append(node) }
      } catch {
        diagnostics.append(RuleDiagnostic(.error, error.message, at: error.location))
      }
    }
    return (lexicon, diagnostics)
  }

  /// Words, stems, and sequences of them; no groups, gaps or special tokens.
  static func isEntry(_ node: PatternNode) -> Bool {
    switch node {
    case .word, .prefix, .never: return true
    case .sequence(let items):
      return items.allSatisfy {
        if case .word = $0 { return true }
        if case .prefix = $0 { return true }
        return false
      }
    default: return false
    }
  }
}

/// Loads each lexicon file once per rule load, for every rule file that declares it.
final class LexiconStore {  // one per load, used on one thread (not Sendable)
  private let read: (String) -> String?
  private let normalizer: RuleWordNormalizer
  private var loaded: [String: RuleLexicon?] = [:]
  /// Problems found in lexicon files (each reported once).
  private(set) var diagnostics: [RuleDiagnostic] = []
  /// Lexicons in load order.
  private(set) var lexicons: [RuleLexicon] = []

  /// Rule and lexicon bytes read so far, against the load's limit (lexicons count with rules).
  private var bytes = 0
  private let maximumBytes: Int

  init(read: @escaping (String) -> String?, normalizer: RuleWordNormalizer, maximumBytes: Int = .max) {
    self.read = read
    self.normalizer = normalizer
    self.maximumBytes = maximumBytes
  }

  /// Counts bytes of rule text read by the loader.
  func spend(_ count: Int) { bytes += count }

  func report(_ diagnostic: RuleDiagnostic) { diagnostics.append(diagnostic) }

  /// The lexicon at `path` (resolved, relative to the rules root), or nil (with a diagnostic at
  /// `location`, the `@lexicon` line) when it cannot be read.
  func lexicon(at path: String, declaredAt location: SourceLocation) -> RuleLexicon? {
    if let known = loaded[path] { return known }
    guard let text = read(path) else {
      diagnostics.append(RuleDiagnostic(.error, "found no file \(path); expected an existing lexicon (.words) file", at: location))
      loaded[path] = .some(nil)
      return nil
    }
    if bytes > maximumBytes - text.utf8.count {
      diagnostics.append(RuleDiagnostic(
        .error, "found \(bytes + text.utf8.count) bytes of rules and lexicons in all with \(path); expected at most \(maximumBytes)",
        at: location))
      loaded[path] = .some(nil)
      return nil
    }
    bytes += text.utf8.count
    let (lexicon, problems) = RuleLexicon.parse(text, path: path, normalizer: normalizer)
    // A lexicon with bad lines keeps its good ones, so that its errors are reported once, at
    // their lines, and not again at every rule that uses it (the engine refuses errors anyway).
    diagnostics.append(contentsOf: problems)
    loaded[path] = .some(lexicon)
    lexicons.append(lexicon)
    return lexicon
  }
}
