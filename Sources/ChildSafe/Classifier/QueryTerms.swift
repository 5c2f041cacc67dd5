/// The term lists that recognise searches, read from `deterrence/query-terms.list`:
///
///     [minor]          # a section header
///     child*           # a prefix term: child, children, childs...
///     little girl      # a phrase: consecutive tokens
///     kind @de         # only when the query's language is known to be German
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

  /// One listed term: its section, its label for explanations, and the languages it is limited to.
  struct Entry: Sendable {
    var section: Section
    var label: String
    /// ISO 639-1 codes; empty: every language. A limited term applies only when the query's
    /// language is known and listed (for words that mean something else elsewhere: "kind" in English).
    var languages: [String]
    /// The words after the first, for phrases (`prefix` marks a prefix word).
    var rest: [(text: String, prefix: Bool)]

    func applies(to language: String?) -> Bool {
      languages.isEmpty || language.map { languages.contains($0) } == true
    }
  }

  /// Terms indexed by their first word, exact or as a prefix.
  var exact: [String: [Entry]] = [:]
  var prefixes: [String: [Entry]] = [:]
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
      var languages: [String] = []
      var column = start + 1
      for raw in content.split(separator: " ", omittingEmptySubsequences: true) {
        if raw.hasPrefix("@") {
          let language = String(raw.dropFirst()).lowercased()
          guard (2...3).contains(language.count), language.unicodeScalars.allSatisfy({ $0 >= "a" && $0 <= "z" }) else {
            throw ChildSafeError(.syntax, "'\(raw)' is not a language tag such as @de", at: location(column))
          }
          languages.append(language)
          column += raw.unicodeScalars.count + 1
          continue
        }
        if !languages.isEmpty {
          throw ChildSafeError(.syntax, "language tags (@de) go after the term's words", at: location(column))
        }
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
      guard let (first, firstIsPrefix) = words.first else {
        throw ChildSafeError(.syntax, "a language tag without a term", at: location(start + 1))
      }
      let label = "query/\(section.rawValue)/\(words.map { $0.0 + ($0.1 ? "*" : "") }.joined(separator: " "))"
      let entry = Entry(
        section: section, label: label, languages: languages,
        rest: words.dropFirst().map { (text: $0.0, prefix: $0.1) })
      if firstIsPrefix {
        prefixes[first, default: []].append(entry)
        longestPrefix = max(longestPrefix, first.count)
      } else {
        exact[first, default: []].append(entry)
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

  /// Every term that starts at token `i` and applies to `language`. Costs O(longest prefix + terms
  /// sharing the first word): bounded work per token, whatever the token's length.
  func hits(at i: Int, in tokens: [Token], language: String?) -> [Hit] {
    var candidates = exact[tokens[i].text] ?? []
    if longestPrefix > 0 {
      var prefix = ""
      for character in tokens[i].text.prefix(longestPrefix) {
        prefix.append(character)
        candidates += prefixes[prefix] ?? []
      }
    }
    var found: [Hit] = []
    for entry in candidates where entry.applies(to: language) && i + entry.rest.count < tokens.count {
      var matched = true
      for (k, word) in entry.rest.enumerated() where !QueryTerms.wordMatches(tokens[i + 1 + k].text, word) {
        matched = false
        break
      }
      if matched { found.append(Hit(section: entry.section, label: entry.label, length: entry.rest.count + 1)) }
    }
    return found
  }
}
