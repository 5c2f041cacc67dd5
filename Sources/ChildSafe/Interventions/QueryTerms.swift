/// The term lists that recognise searches, read from `deterrence/query-terms.list`:
///
///     [minor]          # a section header
///     child*           # a prefix term: child, children, childs...
///     little girl      # a phrase: consecutive tokens
///
/// Terms are written non-graphically, lower-case, and are normalised like the text they match.
/// A term may appear in several sections.
public struct QueryTerms: Sendable {
  /// What a term indicates.
  public enum Section: String, Sendable, Hashable, CaseIterable {
    /// A clear minor-age indicator ("child", "niños", "kinder").
    case minor
    /// A weaker minor-age indicator ("teen"): combinations score lower.
    case minorWeak = "minor_weak"
    /// A word that, after a number from 1 to 17, makes it an age ("12 yo", "12 year old", "12 ans").
    case ageUnit = "age_unit"
    /// A sexual or nudity indicator ("nude", "porn").
    case sexual
    /// A term that names sexual material involving minors on its own.
    case standalone
    /// Informational context (education, health, safety, prevention) that cancels a combination.
    case context
    /// A help-seeking word ("help", "report", "helpline", "hilfe", "ayuda").
    case help
    /// Harm to children ("abuse", "grooming"): help-seeking when it comes with a help word and a minor.
    case harm
    /// Sexual interest in children ("paedophile"): help-seeking with a help word, on its own.
    case childHarm = "child_harm"

    var bit: UInt16 { 1 << UInt16(Section.allCases.firstIndex(of: self) ?? 0) }
  }

  struct Term: Sendable, Hashable {
    /// Normalised words; the last character of a prefix word is not stored, `prefix` says so.
    var words: [(text: String, prefix: Bool)]
    var label: String

    static func == (a: Term, b: Term) -> Bool { a.label == b.label }
    func hash(into hasher: inout Hasher) { hasher.combine(label) }
  }

  /// Single exact words -> sections and labels.
  var exact: [String: [(Section, String)]] = [:]
  /// Single prefix words -> sections and labels.
  var prefixes: [String: [(Section, String)]] = [:]
  /// Phrases indexed by their first word (exact) or first-word prefix.
  var phrasesByFirst: [String: [(Term, Section)]] = [:]
  var phrasesByFirstPrefix: [String: [(Term, Section)]] = [:]
  var longestPrefix = 0
  /// Every word of every term, so that the normaliser's repairs aim at them.
  public private(set) var vocabulary: Set<String> = []

  public init(files: RuleFiles) throws(ChildSafeError) {
    let normalizer = Normalizer(lexicon: .everyday)
    var any = false
    for file in files.under("deterrence/") where file.path.hasSuffix(".list") && file.path.contains("query-terms") {
      any = true
      try parse(file.text, file: file.path, normalizer: normalizer)
    }
    if !any { throw ChildSafeError(.invalidValue, "no deterrence/query-terms.list: the query rules are required") }
  }

  mutating func parse(_ text: String, file: String, normalizer: Normalizer) throws(ChildSafeError) {
    var section: Section?
    for line in CatalogLine.split(text) where !line.isBlankOrComment {
      let start = line.skipSpaces(from: 0)
      // A comment may follow a term.
      var end = line.scalars[start...].firstIndex(of: "#") ?? line.scalars.count
      while end > start && CatalogLine.isSpace(line.scalars[end - 1]) { end -= 1 }
      let content = line.text(start..<end)
      func location(_ column: Int) -> SourceLocation { SourceLocation(file: file, line: line.number, column: column) }
      if content.hasPrefix("[") {
        guard content.hasSuffix("]"), let found = Section(rawValue: String(content.dropFirst().dropLast())) else {
          let known = Section.allCases.map { "[\($0.rawValue)]" }.joined(separator: ", ")
          throw ChildSafeError(.syntax, "unknown section \(content) (expected one of \(known))", at: location(start + 1))
        }
        section = found
        continue
      }
      guard let section else {
        throw ChildSafeError(.syntax, "a term before any [section] header", at: location(start + 1))
      }
      var words: [(String, Bool)] = []
      var column = start + 1
      for raw in content.split(separator: " ", omittingEmptySubsequences: true) {
        let isPrefix = raw.hasSuffix("*")
        let body = isPrefix ? String(raw.dropLast()) : String(raw)
        let tokens: [Token]
        do { tokens = try normalizer.normalize(body).tokens } catch { throw ChildSafeError(error.code, error.message, at: location(column)) }
        guard tokens.count == 1, !body.contains("*") else {
          throw ChildSafeError(
            .syntax, "'\(raw)' is not one word after normalisation (write a phrase as words separated by spaces; '*' only at the end)",
            at: location(column))
        }
        let word = tokens[0].text
        if isPrefix && word.count < 3 {
          throw ChildSafeError(.syntax, "prefix '\(raw)' is too short: at least 3 letters before '*'", at: location(column))
        }
        words.append((word, isPrefix))
        vocabulary.insert(word)
        column += raw.unicodeScalars.count + 1
      }
      let label = "query/\(section.rawValue)/\(content)"
      if words.count == 1 {
        let (word, isPrefix) = words[0]
        if isPrefix {
          prefixes[word, default: []].append((section, label))
          longestPrefix = max(longestPrefix, word.count)
        } else {
          exact[word, default: []].append((section, label))
        }
      } else {
        let term = Term(words: words.map { (text: $0.0, prefix: $0.1) }, label: label)
        if words[0].1 {
          phrasesByFirstPrefix[words[0].0, default: []].append((term, section))
          longestPrefix = max(longestPrefix, words[0].0.count)
        } else {
          phrasesByFirst[words[0].0, default: []].append((term, section))
        }
      }
    }
  }

  /// A hit: which section, which term, and how many tokens it covers from its first one.
  struct Hit {
    var section: Section
    var label: String
    var length: Int
  }

  static func wordMatches(_ token: String, _ word: (text: String, prefix: Bool)) -> Bool {
    word.prefix ? token.hasPrefix(word.text) : token == word.text
  }

  /// Every term that starts at token `i`. Costs O(longest prefix + phrases sharing the first word).
  func hits(at i: Int, in tokens: [Token]) -> [Hit] {
    var found: [Hit] = []
    let token = tokens[i].text
    for (section, label) in exact[token] ?? [] { found.append(Hit(section: section, label: label, length: 1)) }
    var phrases = phrasesByFirst[token] ?? []
    if longestPrefix > 0 {
      // Every prefix of the token up to the longest listed prefix: bounded work per token.
      var prefix = ""
      for character in token.prefix(longestPrefix) {
        prefix.append(character)
        for (section, label) in prefixes[prefix] ?? [] { found.append(Hit(section: section, label: label, length: 1)) }
        phrases += phrasesByFirstPrefix[prefix] ?? []
      }
    }
    for (term, section) in phrases where i + term.words.count <= tokens.count {
      var matched = true
      for (k, word) in term.words.enumerated().dropFirst() where !QueryTerms.wordMatches(tokens[i + k].text, word) {
        matched = false
        break
      }
      if matched { found.append(Hit(section: section, label: term.label, length: term.words.count)) }
    }
    return found
  }
}
