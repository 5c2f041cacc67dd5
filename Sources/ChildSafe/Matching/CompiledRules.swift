/// A rule set compiled for matching: distinct patterns shared between rules, and for each rule the
/// ids of its patterns. Immutable and shareable across threads (a class: an engine copy costs one reference).
final class CompiledRules: Sendable {
  /// A class so that reading a rule in the hot path costs one reference, not a copy of its fields.
  final class CompiledRule: Sendable {
    let rule: Rule
    let categoryIndex: Int
    let matches: [Int32]
    let all: [Int32]
    let unless: [Int32]
    /// `except:` patterns, each with the index (in ``matches``) of the `match:` line it narrows.
    let exceptions: [(match: Int, pattern: Int32)]
    let lower: [(pattern: Int32, factor: Double)]
    /// Every `except:`, `all:`, `unless:` and `lower:` pattern (looked for only once the rule matched).
    let conditions: [Int32]
    /// Languages the rule applies to; empty = all.
    let languages: Set<String>
    /// Whether the rule may flag a message alone (else only toward a known minor).
    let actsAlone: Bool
    /// What the rule does on a trusted contact's message (``Rule/onTrustedContact``).
    let onTrustedContact: RuleTrusted

    init(
      rule: Rule, categoryIndex: Int, matches: [Int32], exceptions: [(match: Int, pattern: Int32)] = [], all: [Int32],
      unless: [Int32], lower: [(pattern: Int32, factor: Double)], languages: Set<String>
    ) {
      self.rule = rule
      self.categoryIndex = categoryIndex
      self.matches = matches
      self.all = all
      self.unless = unless
      self.exceptions = exceptions
      self.lower = lower
      self.conditions = exceptions.map(\.pattern) + all + unless + lower.map(\.pattern)
      self.languages = languages
      self.actsAlone = rule.actsAlone
      self.onTrustedContact = rule.onTrustedContact
    }
  }

  let rules: [CompiledRule]
  let categories: [Category]
  let matcher: PatternMatcher
  /// For each pattern, the rules that list it under `match:` (so only rules that can fire are evaluated).
  let rulesByMatchPattern: [[Int32]]
  let patternCount: Int
  /// Whether each pattern is some rule's `match:` (scanned first; the others only for rules that matched).
  let isMatchPattern: [Bool]
  /// The rules' literal words, sorted by their UTF-8 bytes (as the compiled form keeps them): an
  /// engine read from that form needs no set of them, so one is built only when asked for.
  let vocabularyWords: [String]
  var vocabulary: Set<String> { Set(vocabularyWords) }
  /// The distinct patterns' trees, by id (a rule's pattern ids index it).
  let patternTable: PatternTable
  var patterns: [PatternNode] { patternTable.all }
  /// What every conversation reads of the categories, worked out once per engine: naming a
  /// category's stage compares its name with the known ones, which made up a third of the cost of
  /// starting a conversation.
  let categoryStages: CategoryStages

  struct CategoryStages: Sendable {
    /// The scoring stage of each category (``ScoringPolicy/stage(of:)``).
    let scoring: [Int]
    /// The stage of each category as verdicts report it.
    let grooming: [GroomingStage]
    /// The index of `age_probe` (-1 when absent).
    let ageProbeIndex: Int

    init(_ categories: [Category]) {
      scoring = categories.map(ScoringPolicy.stage(of:))
      grooming = categories.map(GroomingStage.init)
      ageProbeIndex = categories.firstIndex(of: .ageProbe) ?? -1
    }
  }

  /// `narrowStateLimit`: see ``PatternMatcher/init(patterns:indexed:narrowStateLimit:)``.
  init(_ set: RuleSet, narrowStateLimit: Int = 64) {
    var ids: [PatternNode: Int32] = [:]
    // Sized once: growing rehashes every pattern, and hashing a pattern walks its whole tree.
    ids.reserveCapacity(
      set.rules.reduce(0) { $0 + $1.matches.count + $1.exceptions.count + $1.all.count + $1.unless.count + $1.lower.count })
    var nodes: [PatternNode] = []
    func id(_ p: LocatedPattern) -> Int32 {
      if let existing = ids[p.node] { return existing }
      let new = Int32(nodes.count)
      nodes.append(p.node)
      ids[p.node] = new
      return new
    }
    var index: [Category: Int] = [:]
    for (k, c) in set.categories.enumerated() { index[c] = k }
    var rules: [CompiledRule] = []
    for (k, rule) in set.rules.enumerated() {
      rules.append(
        CompiledRule(
          rule: rule, categoryIndex: index[rule.category] ?? 0, matches: rule.matches.map(id),
          exceptions: rule.exceptions.map { ($0.match, id($0.pattern)) }, all: rule.all.map(id),
          unless: rule.unless.map(id), lower: rule.lower.map { (id($0.pattern), $0.factor) },
          languages: set.ruleLanguages[k]))
    }
    let byPattern = CompiledRules.rulesByMatchPattern(rules, patternCount: nodes.count)
    self.rules = rules
    self.categories = set.categories
    // Only `match:` patterns are found through anchors; a rule's conditions are looked for by name.
    self.matcher = PatternMatcher(
      patterns: nodes, indexed: byPattern.map { !$0.isEmpty }, narrowStateLimit: narrowStateLimit)
    self.rulesByMatchPattern = byPattern
    self.patternCount = nodes.count
    self.isMatchPattern = byPattern.map { !$0.isEmpty }
    self.vocabularyWords = set.vocabulary.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    self.patternTable = PatternTable(nodes)
    self.categoryStages = CategoryStages(set.categories)
  }

  /// Rules compiled before, with their matcher (see ``CompiledRulesArchive``).
  init(
    rules: [CompiledRule], categories: [Category], patterns: PatternTable, matcher: PatternMatcher,
    vocabularyWords: [String]
  ) {
    let byPattern = CompiledRules.rulesByMatchPattern(rules, patternCount: patterns.count)
    self.rules = rules
    self.categories = categories
    self.matcher = matcher
    self.rulesByMatchPattern = byPattern
    self.patternCount = patterns.count
    self.isMatchPattern = byPattern.map { !$0.isEmpty }
    self.vocabularyWords = vocabularyWords
    self.patternTable = patterns
    self.categoryStages = CategoryStages(categories)
  }

  /// For each pattern, the rules (ascending) that list it under `match:`.
  static func rulesByMatchPattern(_ rules: [CompiledRule], patternCount: Int) -> [[Int32]] {
    var byPattern = [[Int32]](repeating: [], count: patternCount)
    for (k, rule) in rules.enumerated() {
      for p in Set(rule.matches) { byPattern[Int(p)].append(Int32(k)) }
    }
    return byPattern
  }
}
