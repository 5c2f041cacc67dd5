/// One rule file after parsing: its directives and rules. Problems are collected, not thrown, so
/// that `lint` can report all of them; an engine refuses files with any error.
public struct ParsedRuleFile: Sendable {
  public var path: String
  public var pack: String?
  public var packLocation: SourceLocation?
  public var includes: [(path: String, location: SourceLocation)] = []
  public var categories: [(name: String, location: SourceLocation)] = []
  /// `@lexicon` directives: the lexicon name, its path as written, where.
  public var lexicons: [(name: String, path: String, location: SourceLocation)] = []
  public var rules: [Rule] = []
  public var diagnostics: [RuleDiagnostic] = []
}

/// Parses the line-based rule format (see docs/rules.md).
struct RuleFileParser {
  static let maximumLineLength = 4096
  static let maximumFileBytes = 8 << 20

  let path: String
  let normalizer: RuleWordNormalizer
  /// Loads a lexicon by its path as written in `@lexicon` (resolved by the caller).
  let loadLexicon: (String, SourceLocation) -> RuleLexicon?
  /// The lexicons declared so far in this file, by name.
  var lexicons: [String: PatternNode] = [:]
  var result: ParsedRuleFile
  var current: Rule?
  /// The key of the current rule's previous body line (an `except:` must follow a `match:` or
  /// another `except:`).
  var previousBodyKey: String?
  /// After an error in a rule header, its body lines are skipped rather than reported again.
  var skippingBody = false
  /// After an error in a rule's body, the rule is dropped without a second complaint.
  var currentHasErrors = false
  var sawDirectiveOrRule = false

  init(
    path: String, normalizer: RuleWordNormalizer,
    loadLexicon: @escaping (String, SourceLocation) -> RuleLexicon? = { _, _ in nil }
  ) {
    self.path = path
    self.normalizer = normalizer
    self.loadLexicon = loadLexicon
    self.result = ParsedRuleFile(path: path)
  }

  static func parse(
    _ text: String, path: String, normalizer: RuleWordNormalizer,
    loadLexicon: @escaping (String, SourceLocation) -> RuleLexicon? = { _, _ in nil }
  ) -> ParsedRuleFile {
    var parser = RuleFileParser(path: path, normalizer: normalizer, loadLexicon: loadLexicon)
    if text.utf8.count > maximumFileBytes {
      parser.result.diagnostics.append(
        RuleDiagnostic(.error, "file is larger than \(maximumFileBytes) bytes", at: SourceLocation(file: path, line: 1, column: 1)))
      return parser.result
    }
    var lineNumber = 0
    // Lines end at each "\n" byte. (Splitting the String by Character cost a grapheme walk of every
    // file, and left "\r\n", one Character, unsplit.)
    let utf8 = text.utf8
    var lineStart = utf8.startIndex
    while true {
      let lineEnd = utf8[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? utf8.endIndex
      defer { if lineEnd < utf8.endIndex { lineStart = utf8.index(after: lineEnd) } }
      lineNumber += 1
      var scalars = Array(text[lineStart..<lineEnd].unicodeScalars)
      if scalars.last == "\r" { scalars.removeLast() }
      if lineNumber == 1, scalars.first == "\u{FEFF}" { scalars.removeFirst() }
      do {
        try parser.parseLine(scalars, line: lineNumber)
      } catch {
        parser.result.diagnostics.append(RuleDiagnostic(.error, error.message, at: error.location))
        if parser.current != nil { parser.currentHasErrors = true }
      }
      if lineEnd == utf8.endIndex { break }
    }
    parser.finishRule()
    return parser.result
  }

  func location(_ line: Int, _ index: Int) -> SourceLocation {
    SourceLocation(file: path, line: line, column: index + 1)
  }

  func error(_ found: String, expected: String, line: Int, at index: Int) -> ChildSafeError {
    ChildSafeError(.syntax, "found \(found); expected \(expected)", at: location(line, index))
  }

  /// The line without its comment: '#' outside double quotes starts a comment.
  static func stripComment(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
    var inQuotes = false
    for (k, c) in scalars.enumerated() {
      if c == "\"" { inQuotes.toggle() }
      if c == "#" && !inQuotes { return Array(scalars[..<k]) }
    }
    return scalars
  }

  /// Splits "word rest" at the first run of spaces: (word, its start, rest start).
  static func firstWord(_ s: [Unicode.Scalar], from: Int) -> (String, Int, Int) {
    var i = from
    while i < s.count, s[i] == " " || s[i] == "\t" { i += 1 }
    let start = i
    var word = ""
    while i < s.count, s[i] != " " && s[i] != "\t" {
      word.unicodeScalars.append(s[i])
      i += 1
    }
    var rest = i
    while rest < s.count, s[rest] == " " || s[rest] == "\t" { rest += 1 }
    return (word, start, rest)
  }

  static func describe(_ word: String) -> String {
    word.isEmpty ? "end of line" : "'\(word)'"
  }

  mutating func parseLine(_ full: [Unicode.Scalar], line: Int) throws(ChildSafeError) {
    if full.count > RuleFileParser.maximumLineLength {
      throw error("a line of \(full.count) characters", expected: "at most \(RuleFileParser.maximumLineLength)", line: line, at: 0)
    }
    var s = RuleFileParser.stripComment(full)
    while let last = s.last, last == " " || last == "\t" { s.removeLast() }
    guard let firstNonSpace = s.firstIndex(where: { $0 != " " && $0 != "\t" }) else { return }
    let indented = firstNonSpace > 0
    if s[firstNonSpace] == "@" {
      try parseDirective(s, line: line, at: firstNonSpace)
      return
    }
    let (word, wordStart, _) = RuleFileParser.firstWord(s, from: 0)
    if word == "rule" {
      finishRule()
      skippingBody = true
      try parseRuleHeader(s, line: line)
      skippingBody = false
      return
    }
    if skippingBody && (indented || RuleFileParser.bodyKeys.contains(where: { word.hasPrefix($0 + ":") })) { return }
    if indented || RuleFileParser.bodyKeys.contains(where: { word.hasPrefix($0 + ":") || word == $0 }) {
      try parseBody(s, line: line, at: firstNonSpace)
      return
    }
    throw error(
      RuleFileParser.describe(word), expected: "'rule', a directive (@pack, @include, @category, @lexicon) or an indented rule line",
      line: line, at: wordStart)
  }

  static let bodyKeys = ["match", "except", "all", "unless", "lower", "audience", "acts", "trusted", "note"]

  // MARK: Directives

  mutating func parseDirective(_ s: [Unicode.Scalar], line: Int, at start: Int) throws(ChildSafeError) {
    let (name, nameStart, argStart) = RuleFileParser.firstWord(s, from: start)
    let (argument, argumentStart, after) = RuleFileParser.firstWord(s, from: argStart)
    if !argument.isEmpty && after < s.count {
      let (extra, extraStart, _) = RuleFileParser.firstWord(s, from: after)
      throw error(RuleFileParser.describe(extra), expected: "end of line after \(name) \(argument)", line: line, at: extraStart)
    }
    finishRule()
    skippingBody = false
    switch name {
    case "@pack":
      guard RuleFileParser.isTag(argument) else {
        throw error(RuleFileParser.describe(argument), expected: "a language tag such as 'en' (letters, digits, '-' or '_')", line: line, at: argumentStart)
      }
      if result.pack != nil {
        throw error("a second @pack", expected: "one @pack per file", line: line, at: nameStart)
      }
      if sawDirectiveOrRule {
        throw error("@pack after other directives or rules", expected: "@pack as the first directive", line: line, at: nameStart)
      }
      result.pack = argument.lowercased()
      result.packLocation = location(line, nameStart)
    case "@include":
      guard !argument.isEmpty else {
        throw error("end of line", expected: "a file path relative to this file", line: line, at: argumentStart)
      }
      result.includes.append((argument, location(line, argumentStart)))
    case "@category":
      guard RuleFileParser.isIdentifier(argument) else {
        throw error(RuleFileParser.describe(argument), expected: "a category name ([a-z0-9_.-]+)", line: line, at: argumentStart)
      }
      result.categories.append((argument, location(line, argumentStart)))
    case "@lexicon":
      guard !argument.isEmpty else {
        throw error("end of line", expected: "a lexicon file path relative to this file, as in ../lexicons/en/sexual-acts.words", line: line, at: argumentStart)
      }
      guard let lexiconName = RuleLexicon.name(ofPath: argument) else {
        throw error(RuleFileParser.describe(argument), expected: "a path to a .words file whose name is [a-z0-9_.-]+", line: line, at: argumentStart)
      }
      if lexicons[lexiconName] != nil {
        throw error("a second lexicon named '\(lexiconName)'", expected: "one @lexicon per name in a file", line: line, at: argumentStart)
      }
      let at = location(line, argumentStart)
      result.lexicons.append((lexiconName, argument, at))
      // An unreadable lexicon is reported at this line; its name still stands (matching nothing),
      // so the rules that use it are not reported again.
      lexicons[lexiconName] = loadLexicon(argument, at)?.node ?? .never
    default:
      throw error("'\(name)'", expected: "@pack, @include, @category or @lexicon", line: line, at: nameStart)
    }
    sawDirectiveOrRule = true
  }

  static func isTag(_ s: String) -> Bool {
    !s.isEmpty && s.utf8.count <= 32
      && s.unicodeScalars.allSatisfy { ($0.isASCII && $0.properties.isAlphabetic) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }
  }

  static func isIdentifier(_ s: String) -> Bool {
    !s.isEmpty && s.utf8.count <= 128
      && s.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "." || $0 == "-" }
  }

  // MARK: Rules

  mutating func parseRuleHeader(_ s: [Unicode.Scalar], line: Int) throws(ChildSafeError) {
    finishRule()
    sawDirectiveOrRule = true
    let (_, _, idStart) = RuleFileParser.firstWord(s, from: 0)
    let (id, idAt, categoryStart) = RuleFileParser.firstWord(s, from: idStart)
    guard RuleFileParser.isIdentifier(id) else {
      throw error(RuleFileParser.describe(id), expected: "a rule id ([a-z0-9_.-]+)", line: line, at: idAt)
    }
    let (category, categoryAt, weightStart) = RuleFileParser.firstWord(s, from: categoryStart)
    guard RuleFileParser.isIdentifier(category) else {
      throw error(RuleFileParser.describe(category), expected: "a category name after the rule id", line: line, at: categoryAt)
    }
    let (weightText, weightAt, after) = RuleFileParser.firstWord(s, from: weightStart)
    guard let weight = Double(weightText), weight.isFinite else {
      throw error(RuleFileParser.describe(weightText), expected: "a weight in (0, 1], as in 0.7", line: line, at: weightAt)
    }
    guard weight > 0 && weight <= 1 else {
      throw error("weight \(weightText)", expected: "a weight in (0, 1]", line: line, at: weightAt)
    }
    if after < s.count {
      let (extra, extraAt, _) = RuleFileParser.firstWord(s, from: after)
      throw error(RuleFileParser.describe(extra), expected: "end of line after the weight", line: line, at: extraAt)
    }
    previousBodyKey = nil
    current = Rule(
      id: id, category: Category(category), weight: weight, location: location(line, idAt), pack: result.pack ?? "")
  }

  mutating func parseBody(_ s: [Unicode.Scalar], line: Int, at start: Int) throws(ChildSafeError) {
    var i = start
    var key = ""
    while i < s.count, s[i] != ":" && s[i] != " " && s[i] != "\t" {
      key.unicodeScalars.append(s[i])
      i += 1
    }
    guard i < s.count, s[i] == ":" else {
      throw error(RuleFileParser.describe(key), expected: "'match:', 'except:', 'all:', 'unless:', 'lower:', 'audience:', 'acts:', 'trusted:' or 'note:'", line: line, at: start)
    }
    guard RuleFileParser.bodyKeys.contains(key) else {
      let hint = EditDistance.suggestion(for: key, among: RuleFileParser.bodyKeys).map { "; did you mean '\($0):'?" } ?? ""
      throw error(
        "'\(key):'", expected: "'match:', 'except:', 'all:', 'unless:', 'lower:', 'audience:', 'acts:', 'trusted:' or 'note:'" + hint,
        line: line, at: start)
    }
    guard current != nil else {
      throw error("'\(key):' outside a rule", expected: "'rule <id> <category> <weight>' first", line: line, at: start)
    }
    let previousKey = previousBodyKey
    previousBodyKey = key
    if key == "except", previousKey != "match" && previousKey != "except" {
      throw error(
        "'except:' after \(previousKey.map { "'\($0):'" } ?? "the rule's header")",
        expected: "'except:' right after the 'match:' line it narrows", line: line, at: start)
    }
    i += 1
    while i < s.count, s[i] == " " || s[i] == "\t" { i += 1 }
    let valueStart = i
    let value = Array(s[valueStart...])
    switch key {
    case "note":
      var text = ""
      text.unicodeScalars.append(contentsOf: value)
      let previous = current?.note
      current?.note = previous.map { $0 + " " + text } ?? text
    case "audience":
      let audience: RuleAudience = try keyword(value, expected: "'adult_to_minor' or 'any'", line: line, at: valueStart)
      current?.audience = audience
    case "acts":
      let acts: RuleActs = try keyword(value, expected: "'alone' or 'with_minor'", line: line, at: valueStart)
      current?.acts = acts
    case "trusted":
      let trusted: RuleTrusted = try keyword(value, expected: "'ignore', 'evidence' or 'acts'", line: line, at: valueStart)
      current?.trusted = trusted
    case "lower":
      // The factor is the last word of the line.
      var end = value.count
      while end > 0, value[end - 1] != " " && value[end - 1] != "\t" { end -= 1 }
      var factorText = ""
      factorText.unicodeScalars.append(contentsOf: value[end...])
      guard end > 0, let factor = Double(factorText), factor.isFinite else {
        throw error(RuleFileParser.describe(factorText), expected: "a pattern then a factor in [0, 1], as in 'lower: <num 18-99> 0.3'", line: line, at: valueStart + end)
      }
      guard factor >= 0 && factor <= 1 else {
        throw error("factor \(factorText)", expected: "a factor in [0, 1]", line: line, at: valueStart + end)
      }
      let pattern = try parsePattern(Array(value[..<end]), line: line, at: valueStart)
      current?.lower.append((pattern, factor))
    default:
      let pattern = try parsePattern(value, line: line, at: valueStart)
      switch key {
      case "match": current?.matches.append(pattern)
      case "except":
        // After a `match:` line that failed to parse, the rule is dropped anyway.
        guard let rule = current, !rule.matches.isEmpty else { return }
        current?.exceptions.append((rule.matches.count - 1, pattern))
      case "all": current?.all.append(pattern)
      default: current?.unless.append(pattern)
      }
    }
  }

  /// A one-word value such as `audience: any`, read as `T`.
  func keyword<T: RawRepresentable>(_ value: [Unicode.Scalar], expected: String, line: Int, at index: Int)
    throws(ChildSafeError) -> T where T.RawValue == String
  {
    var text = ""
    text.unicodeScalars.append(contentsOf: value)
    guard let parsed = T(rawValue: text) else {
      throw error(RuleFileParser.describe(text), expected: expected, line: line, at: index)
    }
    return parsed
  }

  func parsePattern(_ scalars: [Unicode.Scalar], line: Int, at index: Int) throws(ChildSafeError) -> LocatedPattern {
    var trimmed = scalars
    while let last = trimmed.last, last == " " || last == "\t" { trimmed.removeLast() }
    let normalizer = self.normalizer
    var parser = PatternParser(
      scalars: trimmed, firstColumn: index + 1, file: path, line: line, normalizeWord: { normalizer.words(of: $0) },
      lexicons: lexicons)
    let node = try parser.parse()
    var text = ""
    text.unicodeScalars.append(contentsOf: trimmed)
    return LocatedPattern(node: node, location: location(line, index), text: text)
  }

  mutating func finishRule() {
    guard let rule = current else { return }
    current = nil
    let hadErrors = currentHasErrors
    currentHasErrors = false
    if hadErrors { return }
    if rule.matches.isEmpty {
      result.diagnostics.append(
        RuleDiagnostic(.error, "found rule '\(rule.id)' with no 'match:' line; expected at least one 'match:'", at: rule.location))
      return
    }
    result.rules.append(rule)
  }
}

/// Normalises literal words of rules exactly like message text. Each word is normalised with a
/// lexicon that contains the word itself, so that repairs never turn a rule word into another word.
///
/// Building that lexicon costs far more than normalising a word, so it is the everyday lexicon's
/// table copied with the word added (not every word hashed again: that was 70 % of building an
/// engine from a pack with a large vocabulary), and as the same words recur across rules and packs,
/// one loader's results are kept by text (an engine is built once per load).
final class RuleWordNormalizer {  // one per load, used on one thread (not Sendable)
  private var known: [String: [String]] = [:]

  /// Normalises many words with one lexicon that holds them all (a lexicon file's words): one
  /// build instead of one per word. Words already known keep their result.
  func prepare(_ texts: [String]) {
    let fresh = texts.filter { known[$0] == nil }
    guard !fresh.isEmpty else { return }
    var own: [String] = []
    for text in fresh { for word in text.lowercased().split(separator: " ") { own.append(String(word)) } }
    let normalizer = Normalizer(lexicon: Lexicon(Lexicon.everyday, adding: own))
    for text in fresh where known[text] == nil {
      known[text] = (try? normalizer.normalize(text))?.tokens.map(\.text) ?? []
    }
  }

  func words(of text: String) -> [String] {
    if let words = known[text] { return words }
    let own = text.lowercased().split(separator: " ").map(String.init)
    let normalizer = Normalizer(lexicon: Lexicon(Lexicon.everyday, adding: own))
    let words = (try? normalizer.normalize(text))?.tokens.map(\.text) ?? []
    known[text] = words
    return words
  }
}
