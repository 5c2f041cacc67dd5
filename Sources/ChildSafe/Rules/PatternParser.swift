/// Parses one pattern (the text after `match:`, `all:`, `unless:` or `lower:`) into a ``PatternNode``.
/// Literal words are normalised exactly like message text, so authors write natural text.
struct PatternParser {
  /// The largest gap `..N` allowed (keeps matching bounded).
  static let maximumGap = 8
  /// Patterns are short; a bound keeps compiled programs small.
  static let maximumElements = 256

  let scalars: [Unicode.Scalar]
  /// 1-based column of scalars[0] in its line.
  let firstColumn: Int
  let file: String
  let line: Int
  let normalizeWord: (String) -> [String]
  /// Lexicons the pattern may name as `<name>`: each stands for any one of its entries.
  let lexicons: [String: PatternNode]
  var position = 0
  var elements = 0

  init(
    scalars: [Unicode.Scalar], firstColumn: Int, file: String, line: Int,
    normalizeWord: @escaping (String) -> [String], lexicons: [String: PatternNode] = [:]
  ) {
    self.lexicons = lexicons
    self.scalars = scalars
    self.firstColumn = firstColumn
    self.file = file
    self.line = line
    self.normalizeWord = normalizeWord
  }

  func location(_ index: Int) -> SourceLocation {
    SourceLocation(file: file, line: line, column: firstColumn + index)
  }

  func error(_ found: String, expected: String, at index: Int) -> ChildSafeError {
    ChildSafeError(.syntax, "found \(found); expected \(expected)", at: location(index))
  }

  /// What is at `index`, for error messages.
  func describe(_ index: Int) -> String {
    guard index < scalars.count else { return "end of line" }
    let c = scalars[index]
    if c == "(" || c == ")" || c == "|" || c == "?" || c == "<" || c == ">" || c == "*" || c == "\"" {
      return "'\(c)'"
    }
    var j = index
    var word = ""
    while j < scalars.count, !PatternParser.isDelimiter(scalars[j]), j - index < 24 {
      word.unicodeScalars.append(scalars[j])
      j += 1
    }
    return word.isEmpty ? "'\(c)'" : "'\(word)'"
  }

  static func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" }

  static func isDelimiter(_ c: Unicode.Scalar) -> Bool {
    isSpace(c) || c == "(" || c == ")" || c == "|" || c == "?" || c == "<" || c == ">" || c == "\""
  }

  mutating func skipSpaces() {
    while position < scalars.count, PatternParser.isSpace(scalars[position]) { position += 1 }
  }

  /// pattern := alternation, then end of line.
  mutating func parse() throws(ChildSafeError) -> PatternNode {
    skipSpaces()
    if position >= scalars.count { throw error("end of line", expected: "a pattern", at: position) }
    let node = try parseAlternation()
    skipSpaces()
    if position < scalars.count {
      throw error(describe(position), expected: "a word, '(', '|' or end of line", at: position)
    }
    return node
  }

  mutating func parseAlternation() throws(ChildSafeError) -> PatternNode {
    var branches = [try parseSequence()]
    while true {
      skipSpaces()
      guard position < scalars.count, scalars[position] == "|" else { break }
      position += 1
      branches.append(try parseSequence())
    }
    return branches.count == 1 ? branches[0] : .alternatives(branches)
  }

  mutating func parseSequence() throws(ChildSafeError) -> PatternNode {
    var items: [PatternNode] = []
    while true {
      skipSpaces()
      guard position < scalars.count else { break }
      let c = scalars[position]
      if c == "|" || c == ")" { break }
      items.append(try parsePostfix())
    }
    if items.isEmpty {
      throw error(describe(position), expected: "a word, '(', '<' or '..N'", at: position)
    }
    return items.count == 1 ? items[0] : .sequence(items)
  }

  mutating func parsePostfix() throws(ChildSafeError) -> PatternNode {
    let start = position
    let atom = try parseAtom()
    elements += 1
    if elements > PatternParser.maximumElements {
      throw error("more than \(PatternParser.maximumElements) elements", expected: "a shorter pattern", at: start)
    }
    if position < scalars.count, scalars[position] == "?" {
      if case .gap = atom { throw error("'?' after a gap", expected: "a word or group before '?'", at: position) }
      position += 1
      return .optional(atom)
    }
    return atom
  }

  mutating func parseAtom() throws(ChildSafeError) -> PatternNode {
    let start = position
    let c = scalars[position]
    switch c {
    case "(":
      position += 1
      skipSpaces()
      if position < scalars.count, scalars[position] == ")" {
        throw error("')'", expected: "a pattern inside '( )'", at: position)
      }
      let inner = try parseAlternation()
      skipSpaces()
      guard position < scalars.count, scalars[position] == ")" else {
        throw error(describe(position), expected: "')' to close '(' at column \(firstColumn + start)", at: position)
      }
      position += 1
      return inner
    case "<":
      return try parseSpecial()
    case "\"":
      return try parseQuoted()
    case "?":
      throw error("'?'", expected: "a word or group before '?'", at: position)
    case ">", "*":
      throw error("'\(c)'", expected: "a word, '(', '<' or '..N'", at: position)
    default:
      if c == "." && position + 1 < scalars.count && scalars[position + 1] == "." { return try parseGap() }
      return try parseWord()
    }
  }

  mutating func parseGap() throws(ChildSafeError) -> PatternNode {
    let start = position
    position += 2
    if position < scalars.count, scalars[position] == "." {
      position += 1
      return .gap(4)
    }
    var digits = ""
    while position < scalars.count, scalars[position].properties.numericType != nil,
      scalars[position].isASCII
    {
      digits.unicodeScalars.append(scalars[position])
      position += 1
    }
    guard let n = Int(digits) else {
      throw error(describe(position), expected: "a number after '..' (a gap of 0..N tokens)", at: position)
    }
    guard n >= 1 && n <= PatternParser.maximumGap else {
      throw error("gap ..\(n)", expected: "a gap between ..1 and ..\(PatternParser.maximumGap)", at: start)
    }
    if position < scalars.count, !PatternParser.isDelimiter(scalars[position]) {
      throw error(describe(position), expected: "a space after '..\(n)'", at: position)
    }
    return .gap(n)
  }

  mutating func parseSpecial() throws(ChildSafeError) -> PatternNode {
    let start = position
    position += 1
    var body = ""
    while position < scalars.count, scalars[position] != ">" {
      body.unicodeScalars.append(scalars[position])
      position += 1
    }
    guard position < scalars.count else {
      throw error("end of line", expected: "'>' to close '<' at column \(firstColumn + start)", at: position)
    }
    position += 1
    let parts = body.split(separator: " ", omittingEmptySubsequences: true)
    let expected = "<num>, <num A-B>, <any>, <emoji>, <url>, <handle> or <email>"
    guard let name = parts.first else { throw error("'<>'", expected: expected, at: start) }
    switch (name, parts.count) {
    case ("any", 1): return .anyToken
    case ("emoji", 1): return .kind(.emoji)
    case ("url", 1): return .kind(.url)
    case ("handle", 1): return .kind(.handle)
    case ("email", 1): return .kind(.email)
    case ("num", 1): return .number(nil)
    case ("num", 2):
      let range = parts[1].split(separator: "-", omittingEmptySubsequences: false)
      guard range.count == 2, let low = Int(range[0]), let high = Int(range[1]), low >= 0, low <= high else {
        throw error("'\(parts[1])'", expected: "a range A-B with 0 <= A <= B, as in <num 8-17>", at: start + 5)
      }
      return .number(low...high)
    default:
      if parts.count == 1, let lexicon = lexicons[String(name)] { return lexicon }
      let declared = lexicons.keys.sorted().map { "<\($0)>" }
      let known = declared.isEmpty ? expected + " (or a lexicon declared with @lexicon)" : expected + " or a lexicon: " + declared.joined(separator: ", ")
      throw error("'<\(body)>'", expected: known, at: start)
    }
  }

  mutating func parseQuoted() throws(ChildSafeError) -> PatternNode {
    let start = position
    position += 1
    var text = ""
    while position < scalars.count, scalars[position] != "\"" {
      text.unicodeScalars.append(scalars[position])
      position += 1
    }
    guard position < scalars.count else {
      throw error("end of line", expected: "'\"' to close the quote at column \(firstColumn + start)", at: position)
    }
    position += 1
    return literal(text)
  }

  mutating func parseWord() throws(ChildSafeError) -> PatternNode {
    let start = position
    var text = ""
    while position < scalars.count, !PatternParser.isDelimiter(scalars[position]) {
      if scalars[position] == "*" {
        let stem = text
        position += 1
        if position < scalars.count, !PatternParser.isDelimiter(scalars[position]) {
          throw error(describe(position), expected: "'*' only at the end of a word (a prefix wildcard)", at: position)
        }
        let letters = stem.unicodeScalars.filter { $0.properties.isAlphabetic }.count
        guard letters >= 2 else {
          throw error("'\(stem)*'", expected: "at least 2 letters before '*'", at: start)
        }
        let normalized = normalizeWord(stem)
        guard normalized.count == 1 else {
          throw error("'\(stem)*'", expected: "a single word before '*'", at: start)
        }
        return .prefix(normalized[0])
      }
      text.unicodeScalars.append(scalars[position])
      position += 1
    }
    return literal(text)
  }

  /// A literal normalised like message text: one token is a word; several are a sequence.
  func literal(_ text: String) -> PatternNode {
    let words = normalizeWord(text)
    switch words.count {
    case 0: return .never
    case 1: return .word(words[0])
    default: return .sequence(words.map { .word($0) })
    }
  }
}
