/// Recognises searches (context `query`) for sexual material involving minors, and help-seeking
/// searches, over normalised tokens in one linear pass. Immutable and shareable.
///
/// - A minor-age indicator and a sexual or nudity indicator within `window` tokens of each other,
///   with no informational context word in the query, is `csam_query` (risk high; medium when the only
///   minor indicator is a weak one such as "teen"). A standalone term is `csam_query` on its own.
/// - A help word with a child-harm word ("am I a paedophile help"), or with a harm word and a minor
///   ("how to report child abuse"), or with a minor and a sexual word, is `help_seeking` (risk none),
///   and wins over `csam_query`: a help intervention still signposts confidential help.
/// - Anything else is clean: "13th birthday party ideas", "teen book club", "nude beach france".
public struct QueryClassifier: Sendable {
  /// Longest query accepted, in UTF-8 bytes. Search boxes are short; longer text is refused.
  public static let maximumQueryBytes = 4096
  /// How far apart (in tokens) a minor indicator and a sexual indicator may be.
  public var window: Int

  let terms: QueryTerms
  let normalizer: Normalizer

  /// Builds the classifier from `deterrence/query-terms.list` in `rules` (the embedded defaults unless given).
  public init(rules: RuleFiles = .embedded, window: Int = 6) throws(ChildSafeError) {
    terms = try QueryTerms(files: rules)
    normalizer = Normalizer(
      lexicon: Lexicon.everyday.union(Lexicon(terms.vocabulary)), maximumInputBytes: QueryClassifier.maximumQueryBytes)
    self.window = max(1, window)
  }

  /// Reads `DIRECTORY/deterrence/`: its files replace embedded files of the same path and add to the
  /// others (`extendingDefaults`), or are used alone.
  public static func load(directory: String, extendingDefaults: Bool = true, window: Int = 6) throws(ChildSafeError)
    -> QueryClassifier
  {
    let own = try RuleFiles.load(directory: directory, prefix: "deterrence/")
    guard extendingDefaults else { return try QueryClassifier(rules: own, window: window) }
    return try QueryClassifier(rules: RuleFiles.embedded.overlaid(with: own, under: "deterrence/"), window: window)
  }

  /// A classifier over the embedded term lists.
  public static let defaults: QueryClassifier = {
    do { return try QueryClassifier() } catch { fatalError("embedded deterrence/query-terms.list is invalid: \(error)") }
  }()

  /// Classifies one search query. The verdict's categories are `csam_query`, or `help_seeking` (with
  /// `self_help` when it is about one's own sexual thoughts about children), or none.
  public func classify(_ query: String, context: MessageContext = MessageContext(context: .query)) throws(ChildSafeError)
    -> MessageVerdict
  {
    let tokens = try normalizer.normalize(query).tokens
    let language = context.language.flatMap { MessageCatalog.canonicalLocale($0) }.map { String($0.prefix(while: { $0 != "-" })) }
    var matches: [RuleMatch] = []
    var seen: UInt16 = 0
    var lastMinor: Int?, lastStrongMinor: Int?, lastSexual: Int?
    var strongPair = false, weakPair = false, standalone = false

    func note(_ section: QueryTerms.Section, _ label: String, _ first: Int, _ length: Int) {
      seen |= section.bit
      matches.append(
        RuleMatch(rule: label, category: .csamQuery, weight: 1, start: tokens[first].start, end: tokens[first + length - 1].end))
      let position = first + length - 1
      switch section {
      case .minor, .minorWeak:
        if let s = lastSexual, first - s <= window {
          if section == .minor { strongPair = true } else { weakPair = true }
        }
        lastMinor = position
        if section == .minor { lastStrongMinor = position }
      case .sexual:
        if let m = lastStrongMinor, first - m <= window { strongPair = true }
        if let m = lastMinor, first - m <= window { weakPair = true }
        lastSexual = position
      case .standalone:
        standalone = true
      default: break
      }
    }

    for i in tokens.indices {
      if tokens[i].kind == .number, let length = ageLength(at: i, in: tokens, language: language) {
        note(.minor, "query/age/\(length == 1 ? "number+unit" : "number unit")", i, length)
      }
      guard tokens[i].kind == .word else { continue }
      for hit in terms.hits(at: i, in: tokens, language: language) { note(hit.section, hit.label, i, hit.length) }
    }

    let has = { (section: QueryTerms.Section) in seen & section.bit != 0 }
    let minorPresent = has(.minor) || has(.minorWeak)
    let pair = strongPair || weakPair
    let helpSeeking = has(.help) && (has(.childHarm) || (has(.harm) && minorPresent) || pair)
    if helpSeeking {
      let selfHelp = has(.childHarm) || pair || standalone
      return MessageVerdict(
        flagged: false, risk: .none, score: 0, categories: selfHelp ? [.helpSeeking, .selfHelp] : [.helpSeeking],
        matches: relabel(matches, .helpSeeking))
    }
    let informational = has(.context) || has(.harm) || has(.childHarm)
    if standalone || (pair && !informational) {
      let high = standalone || strongPair
      return MessageVerdict(
        flagged: true, risk: high ? .high : .medium, score: high ? 0.9 : 0.6, categories: [.csamQuery],
        matches: matches.filter { $0.rule.hasPrefix("query/minor") || $0.rule.hasPrefix("query/age") || $0.rule.hasPrefix("query/sexual") || $0.rule.hasPrefix("query/standalone") })
    }
    return .clean
  }

  /// When token `i` is a number from 1 to 17 used as an age ("12yo", "12 yo", "12 year old", "12 ans"),
  /// the number of tokens the age covers; else nil.
  func ageLength(at i: Int, in tokens: [Token], language: String?) -> Int? {
    let text = tokens[i].text
    let digits = text.prefix(while: { $0.isASCII && $0.isNumber })
    guard !digits.isEmpty, digits.count <= 2, let value = Int(digits), (1...17).contains(value) else { return nil }
    let suffix = String(text.dropFirst(digits.count))
    if !suffix.isEmpty {
      return terms.exact[suffix]?.contains(where: { $0.section == .ageUnit && $0.rest.isEmpty && $0.applies(to: language) }) == true ? 1 : nil
    }
    guard i + 1 < tokens.count, tokens[i + 1].kind == .word else { return nil }
    let unit = terms.hits(at: i + 1, in: tokens, language: language).filter { $0.section == .ageUnit }.map(\.length).max()
    return unit.map { $0 + 1 }
  }

  func relabel(_ matches: [RuleMatch], _ category: Category) -> [RuleMatch] {
    matches.map { RuleMatch(rule: $0.rule, category: category, weight: $0.weight, start: $0.start, end: $0.end) }
  }
}

extension MessageVerdict {
  /// This verdict combined with the `QueryClassifier`'s verdict on the same text: flagged if either
  /// is, the higher risk and score, both sets of categories (this one's first) and matches.
  public func merging(_ other: MessageVerdict) -> MessageVerdict {
    var categories = self.categories
    for category in other.categories where !categories.contains(category) { categories.append(category) }
    return MessageVerdict(
      flagged: flagged || other.flagged, risk: max(risk, other.risk), score: max(score, other.score),
      categories: categories, matches: matches + other.matches)
  }
}
