/// The grooming-pattern classifier: compiled rule packs, immutable and shareable across threads.
///
/// A message is normalised (evasions undone, spans kept), scanned once by the compiled patterns in
/// time linear in its tokens, and every rule whose `match:` fired is checked against its `all:`,
/// `unless:`, `lower:` and `audience:` lines. A rule's weight is then scaled by who sends to whom
/// (``ScoringPolicy/ageFactor(for:context:)``); the message score combines the strongest weight of
/// each category (noisy-or), and the risk level follows from the score.
public struct ClassifierEngine: Sendable {
  /// Whether a rules directory adds to the embedded packs or replaces them.
  public enum RulesMode: String, Sendable {
    /// Files of the directory are added; a file with the same path as an embedded one replaces it.
    case extend
    /// Only the directory's files are used.
    case replace
  }

  let compiled: CompiledRules
  public let normalizer: Normalizer
  public var policy: ScoringPolicy
  /// Warnings found while loading (errors make the initialiser throw).
  public let warnings: [RuleDiagnostic]
  /// The learnt models combined with the rules (none unless given: see ``adding(_:)``).
  public internal(set) var models = Models()

  /// Builds an engine from rule files (the embedded defaults unless given). The embedded defaults
  /// are read from their form compiled at build time when it suits this library (same ICU, same
  /// format version), else compiled from their text, with the same result.
  public init(rules: RuleFiles = .embedded, policy: ScoringPolicy = .default) throws(ChildSafeError) {
    try self.init(rules: rules, policy: policy, embeddedArchive: EmbeddedCompiledRules.bytes)
  }

  /// `embeddedArchive`: the compiled form of the embedded packs (tests pass damaged copies).
  init(
    rules: RuleFiles, policy: ScoringPolicy, embeddedArchive: UnsafeBufferPointer<UInt8>
  ) throws(ChildSafeError) {
    if rules.isEmbedded, let contents = try? EmbeddedCompiledRules.contents(of: embeddedArchive, files: rules) {
      self.init(archived: contents, policy: policy)
      return
    }
    let set = RuleSetLoader.load(rules)
    try self.init(ruleSet: set, policy: policy)
  }

  /// Builds an engine from loaded rules; throws the first error, saying how many there are.
  public init(ruleSet set: RuleSet, policy: ScoringPolicy = .default) throws(ChildSafeError) {
    let errors = set.errors
    if let first = errors.first {
      let more = errors.count > 1 ? " (and \(errors.count - 1) more errors; run childsafe lint)" : ""
      throw ChildSafeError(.syntax, first.message + more, at: first.location)
    }
    compiled = CompiledRules(set)
    normalizer = Normalizer(lexicon: Lexicon.everyday.union(Lexicon(compiled.vocabulary, indexPrefixes: false)))
    self.policy = policy
    warnings = set.warnings
  }

  /// An engine over a rules directory, which extends (default) or replaces the embedded packs.
  /// The directory is either a rules root (holding `grooming/`) or a directory of `.rules` files.
  public init(directory: String, mode: RulesMode = .extend, policy: ScoringPolicy = .default) throws(ChildSafeError) {
    try self.init(rules: ClassifierEngine.ruleFiles(directory: directory, mode: mode), policy: policy)
  }

  /// The rule files of `directory` merged with the embedded ones as `mode` says.
  public static func ruleFiles(directory: String, mode: RulesMode = .extend) throws(ChildSafeError) -> RuleFiles {
    guard FileSystem.isDirectory(directory) else {
      throw ChildSafeError(.io, "\(directory) is not a directory of rule files")
    }
    let onDisk = try RuleFiles.load(directory: directory)
    let hasRoot = onDisk.files.contains { $0.path.hasPrefix("grooming/") }
    var merged: [String: String] = [:]
    if mode == .extend {
      for file in RuleFiles.embedded.files { merged[file.path] = file.text }
    }
    for file in onDisk.files where file.path.hasSuffix(".rules") || file.path.hasSuffix(RuleLexicon.fileSuffix) {
      let path = hasRoot ? file.path : "grooming/" + file.path
      merged[path] = file.text
    }
    return RuleFiles(files: merged.map { (path: $0.key, text: $0.value) })
  }

  /// An engine over the embedded default packs (see ``init(rules:policy:)``).
  public static let defaults: ClassifierEngine = {
    do { return try ClassifierEngine() } catch { fatalError("embedded rules are invalid: \(error)") }
  }()

  /// An engine over rules compiled before.
  init(archived contents: CompiledRulesArchive.Contents, policy: ScoringPolicy = .default) {
    compiled = contents.compiled
    normalizer = Normalizer(lexicon: contents.lexicon)
    self.policy = policy
    warnings = contents.warnings
  }

  /// What ``CompiledRulesArchive`` keeps of this engine's rules.
  var archiveContents: CompiledRulesArchive.Contents {
    CompiledRulesArchive.Contents(compiled: compiled, lexicon: normalizer.lexicon, warnings: warnings)
  }

  /// The categories this engine knows, in canonical order.
  public var categories: [Category] { compiled.categories }
  /// The number of rules loaded.
  public var ruleCount: Int { compiled.rules.count }
  /// The ids of the rules loaded, sorted (e.g. to list rules that never fire in an evaluation).
  public var ruleIDs: [String] { compiled.rules.map(\.rule.id).sorted() }
  /// The language tags of the loaded packs.
  public var languages: [String] {
    Array(Set(compiled.rules.flatMap(\.languages))).sorted()
  }

  /// Classifies one message.
  public func classify(_ text: String, context: MessageContext = MessageContext()) throws(ChildSafeError)
    -> MessageVerdict
  {
    // The closure uses locals, not `self` (see ``evaluate(_:context:explain:compiled:policy:steps:)``).
    let compiled = self.compiled
    let policy = MessageScoring(self.policy)
    let models = self.models
    let verdict = try normalizer.withTokens(text, segmentingDictionaryRuns: compiled.matcher.mayMatchDictionaryScripts || !models.isEmpty) {
      ClassifierEngine.firstVerdict($0, context: context, compiled: compiled, policy: policy, models: models)
    }
    if let verdict { return verdict }
    return try classifySegmented(text, context: context)
  }

  /// Classifies UTF-8 bytes (invalid UTF-8 is an `invalidUTF8` error).
  public func classify(utf8 bytes: UnsafeBufferPointer<UInt8>, context: MessageContext = MessageContext())
    throws(ChildSafeError) -> MessageVerdict
  {
    let compiled = self.compiled
    let policy = MessageScoring(self.policy)
    let models = self.models
    let verdict = try normalizer.withTokens(utf8: bytes, segmentingDictionaryRuns: compiled.matcher.mayMatchDictionaryScripts || !models.isEmpty) {
      ClassifierEngine.firstVerdict($0, context: context, compiled: compiled, policy: policy, models: models)
    }
    if let verdict { return verdict }
    return try classifySegmented(utf8: bytes, context: context)
  }

  /// The verdict on tokens whose runs of a dictionary script may have been left whole; nil when
  /// they were and the message must be classified again with them split (see ``verdictUnsegmented(_:compiled:)``).
  @inline(__always)
  static func firstVerdict(
    _ tokens: TokenView, context: MessageContext, compiled: CompiledRules, policy: MessageScoring, models: Models
  ) -> MessageVerdict? {
    if tokens.hasUnsegmentedRuns {
      // A learnt model reads words, and it learnt them from split runs (``modelFeatures``): it must
      // see the same tokens, so an engine with models asks for split runs at once (``classify``).
      guard models.isEmpty else { return nil }
      return verdictUnsegmented(tokens, compiled: compiled)
    }
    var steps = 0
    var verdict = evaluate(
      tokens, context: context, explain: false, compiled: compiled, policy: policy, steps: &steps
    ).verdict
    if !models.isEmpty { models.apply(to: &verdict, tokens: tokens, context: context, policy: policy) }
    return verdict
  }

  /// The verdict on a message whose runs of a dictionary script (Chinese, Japanese, Thai...) were
  /// left whole: clean when its atoms wake no pattern, else nil (it must be tokenised again with
  /// the runs split into words).
  ///
  /// Splitting such a run (ICU's dictionary search) costs more than the rest of classifying the
  /// message. When no word of the rules could be in those scripts, the split changes none of the
  /// message's atoms, only how many tokens carry them, and whether a pattern wakes depends only on
  /// the atoms. So a message that wakes none is clean either way; one that does (its gaps count
  /// tokens) is classified again from scratch.
  static func verdictUnsegmented(_ tokens: TokenView, compiled: CompiledRules) -> MessageVerdict? {
    compiled.matcher.withAtoms(of: tokens) { compiled.matcher.canWakeAnyPattern($0) } ? nil : .clean
  }

  /// ``classify(_:context:)`` with every run of a dictionary script split into words.
  @inline(never)
  func classifySegmented(_ text: String, context: MessageContext) throws(ChildSafeError) -> MessageVerdict {
    var copy = text
    let result = copy.withUTF8 { bytes in
      Result { () throws(ChildSafeError) in try classifySegmented(utf8: bytes, context: context) }
    }
    return try result.get()
  }

  @inline(never)
  func classifySegmented(utf8 bytes: UnsafeBufferPointer<UInt8>, context: MessageContext) throws(ChildSafeError)
    -> MessageVerdict
  {
    let compiled = self.compiled
    let policy = MessageScoring(self.policy)
    let models = self.models
    return try normalizer.withTokens(utf8: bytes) { tokens in
      var steps = 0
      var verdict = ClassifierEngine.evaluate(
        tokens, context: context, explain: false, compiled: compiled, policy: policy, steps: &steps
      ).verdict
      if !models.isEmpty { models.apply(to: &verdict, tokens: tokens, context: context, policy: policy) }
      return verdict
    }
  }

  /// Everything `childsafe explain` shows: the tokens, every rule that matched and what became of it.
  public func explain(_ text: String, context: MessageContext = MessageContext()) throws(ChildSafeError) -> Explanation {
    let compiled = self.compiled
    let policy = MessageScoring(self.policy)
    let models = self.models
    return try normalizer.withTokens(text) { tokens in
      var steps = 0
      var (verdict, evaluations) = ClassifierEngine.evaluate(
        tokens, context: context, explain: true, compiled: compiled, policy: policy, steps: &steps)
      if !models.isEmpty { models.apply(to: &verdict, tokens: tokens, context: context, policy: policy) }
      return Explanation(tokens: tokens.materialized, evaluations: evaluations, verdict: verdict)
    }
  }

  /// Starts a conversation that is fed messages in order.
  public func makeConversation() -> ConversationTracker { ConversationTracker(engine: self) }

  /// The number of NFA steps matching takes for `text` (for tests that check linear cost).
  func matchingSteps(_ text: String) throws(ChildSafeError) -> Int {
    let matcher = compiled.matcher
    return try normalizer.withTokens(text) { tokens in
      var steps = 0
      _ = matcher.scan(tokens, steps: &steps)
      return steps
    }
  }

  static func appliesToLanguage(_ languages: Set<String>, _ language: String?) -> Bool {
    guard let language, !languages.isEmpty else { return true }
    let lower = language.lowercased()
    if languages.contains(lower) { return true }
    let base = lower.split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map(String.init) ?? lower
    return languages.contains(base)
  }

  /// First the `match:` patterns; then the `all:`, `unless:` and `lower:` patterns of the rules
  /// that matched (most messages match nothing, so their exceptions are never looked for).
  ///
  /// Static, and given what it needs of the engine: callers pass locals, because a closure that
  /// captured `self` would copy the engine (a retain and a release of each of its references) for
  /// every message.
  static func evaluate(
    _ tokens: TokenView, context: MessageContext, explain: Bool, compiled: CompiledRules, policy: MessageScoring,
    steps: inout Int
  ) -> (verdict: MessageVerdict, evaluations: [RuleEvaluation]) {
    return compiled.matcher.withAtoms(of: tokens) { table in
      ClassifierEngine.evaluate(
        tokens, table: table, context: context, explain: explain, compiled: compiled, policy: policy, steps: &steps)
    }
  }

  static func evaluate(
    _ tokens: TokenView, table: PatternMatcher.TokenAtoms, context: MessageContext, explain: Bool,
    compiled: CompiledRules, policy: MessageScoring, steps: inout Int
  ) -> (verdict: MessageVerdict, evaluations: [RuleEvaluation]) {
    // A message with no word that any `match:` pattern is anchored on needs no scanner at all.
    guard compiled.matcher.canWakeAnyPattern(table) else { return (.clean, []) }
    // One scanner for both runs: the second reuses what the first learnt about the message.
    return compiled.matcher.withScanner(table: table, count: tokens.count, steps: &steps) {
      scanner -> (verdict: MessageVerdict, evaluations: [RuleEvaluation]) in
      let found = scanner.run(only: nil)
      guard !found.isEmpty else { return (.clean, []) }
      // Candidate rules: those with a `match:` pattern that matched, in rule order (in scratch memory).
      var candidateCount = 0
      for entry in found.entries { candidateCount += compiled.rulesByMatchPattern[Int(entry.pattern)].count }
      return withScratch(of: Int32.self, capacity: candidateCount) { candidateMemory in
        var candidates = candidateMemory
        var n = 0
        for entry in found.entries {
          for r in compiled.rulesByMatchPattern[Int(entry.pattern)] {
            candidates[n] = r
            n += 1
          }
        }
        candidates.sortShort()
        var conditionCount = 0
        for r in candidates { conditionCount += compiled.rules[Int(r)].conditions.count }
        if conditionCount > 0 {
          // The conditions of the candidate rules that are not `match:` patterns (those were
          // scanned), ascending and once each.
          withScratch(of: Int32.self, capacity: conditionCount) { more in
            var n = 0
            for r in candidates {
              for p in compiled.rules[Int(r)].conditions where !compiled.isMatchPattern[Int(p)] {
                more[n] = p
                n += 1
              }
            }
            var list = UnsafeMutableBufferPointer(rebasing: more[0..<n])
            list.sortShort()
            var unique = 0
            for k in 0..<n where unique == 0 || list[k] != list[unique - 1] {
              list[unique] = list[k]
              unique += 1
            }
            scanner.run(only: UnsafeBufferPointer(rebasing: list[0..<unique]))
          }
        }
        return ClassifierEngine.judge(
          found: scanner.found, candidates: UnsafeBufferPointer(candidates), tokens: tokens, context: context,
          explain: explain, compiled: compiled, policy: policy)
      }
    }
  }

  /// The verdict from the patterns that matched: every candidate rule (ascending ids, repeats
  /// allowed) is checked against its `all:`, `unless:`, `lower:` and `audience:` lines and weighed.
  static func judge(
    found: PatternMatcher.Matches, candidates: UnsafeBufferPointer<Int32>, tokens: TokenView, context: MessageContext,
    explain: Bool, compiled: CompiledRules, policy: MessageScoring
  ) -> (verdict: MessageVerdict, evaluations: [RuleEvaluation]) {
    var evaluations: [RuleEvaluation] = []
    var matches: [RuleMatch] = []
    let categoryCount = compiled.categories.count
    // The strongest weight of each category (0 = absent), then the strongest of the rules that may
    // act alone (``RuleActs``), in scratch memory.
    let verdict = withScratch(of: Double.self, capacity: 2 * categoryCount) { weights -> MessageVerdict in
      weights.initialize(repeating: 0)
      let categoryWeights = UnsafeMutableBufferPointer(rebasing: weights[0..<categoryCount])
      let actingWeights = UnsafeMutableBufferPointer(rebasing: weights[categoryCount...])
      var previous: Int32 = -1
      for r in candidates where r != previous {
        previous = r
        let rule = compiled.rules[Int(r)]
        guard ClassifierEngine.appliesToLanguage(rule.languages, context.language) else { continue }
        // The earliest of the rule's matching `match:` patterns gives the span; a line whose
        // `except:` matched does not count (the first such is kept to explain a rule it stops).
        var best: (index: Int, span: PatternMatcher.Span)? = nil
        var excepted: (index: Int, span: PatternMatcher.Span, exception: Int)? = nil
        for (k, p) in rule.matches.enumerated() {
          guard let span = found[p], span.first < (best?.span.first ?? Int.max) else { continue }
          if !rule.exceptions.isEmpty,
            let e = rule.exceptions.firstIndex(where: { $0.match == k && found[$0.pattern] != nil })
          {
            if excepted == nil { excepted = (k, span, e) }
            continue
          }
          best = (k, span)
        }
        guard let (matchIndex, span) = best else {
          if explain, let (k, span, e) = excepted {
            let exception = rule.rule.exceptions[e].pattern
            let ageFactor = policy.ageFactor(for: rule.rule.category, context: context)
            evaluations.append(
              RuleEvaluation(
                rule: rule.rule, outcome: .cancelled(exception.node), pattern: rule.rule.matches[k].node,
                patternText: rule.rule.matches[k].source, conditionText: exception.source,
                start: Int(tokens[span.first].start), end: Int(tokens[span.last].end), firstToken: span.first,
                lastToken: span.last, lowered: [], ageFactor: ageFactor,
                weight: JSONRounding.round(min(1, rule.rule.weight * ageFactor))))
          }
          continue
        }
        // The patterns' trees are read only to explain (they may not be built otherwise: ``PatternTable``).
        var fires = true
        var outcome = RuleEvaluation.Outcome.fired
        var conditionText: String? = nil
        if let missing = rule.all.firstIndex(where: { found[$0] == nil }) {
          fires = false
          if explain {
            outcome = .missingAll(rule.rule.all[missing].node)
            conditionText = rule.rule.all[missing].source
          }
        } else if let cancel = rule.unless.firstIndex(where: { found[$0] != nil }) {
          fires = false
          if explain {
            outcome = .cancelled(rule.rule.unless[cancel].node)
            conditionText = rule.rule.unless[cancel].source
          }
        } else if rule.rule.audience == .adultToMinor && !policy.adultToMinorApplies(context) {
          fires = false
          outcome = .audience
        } else if context.senderTrusted && rule.onTrustedContact == .ignore {
          fires = false
          outcome = .trustedSender
        }
        // A trusted contact's `trusted: evidence` rule is reported but does not act; a
        // `trusted: acts` rule acts as it would from anyone, evidence-only ones toward a known minor.
        var acts = rule.actsAlone
        if context.senderTrusted {
          switch rule.onTrustedContact {
          case .ignore, .evidence: acts = false
          case .acts: acts = acts || policy.recipientIsKnownMinor(context)
          }
        }
        var lowered: [(pattern: PatternNode, factor: Double)] = []
        var weight = rule.rule.weight
        for (k, entry) in rule.lower.enumerated() where found[entry.pattern] != nil {
          weight *= entry.factor
          if explain { lowered.append((rule.rule.lower[k].pattern.node, entry.factor)) }
        }
        let ageFactor = policy.ageFactor(for: rule.rule.category, context: context)
        weight = JSONRounding.round(min(1, weight * ageFactor))
        let start = Int(tokens[span.first].start)
        let end = Int(tokens[span.last].end)
        if fires && weight > 0 {
          if matches.isEmpty { matches.reserveCapacity(candidates.count) }
          matches.append(
            RuleMatch(rule: rule.rule.id, category: rule.rule.category, weight: weight, start: start, end: end))
          categoryWeights[rule.categoryIndex] = max(categoryWeights[rule.categoryIndex], weight)
          if acts {
            actingWeights[rule.categoryIndex] = max(actingWeights[rule.categoryIndex], weight)
          }
        }
        if explain {
          evaluations.append(
            RuleEvaluation(
              rule: rule.rule, outcome: outcome, pattern: rule.rule.matches[matchIndex].node,
              patternText: rule.rule.matches[matchIndex].source, conditionText: conditionText, start: start, end: end,
              firstToken: span.first, lastToken: span.last, lowered: lowered, ageFactor: ageFactor, weight: weight))
        }
      }
      guard !matches.isEmpty else { return .clean }
      matches.sort { ($0.start, $0.end, $0.rule) < ($1.start, $1.end, $1.rule) }
      var remaining = 1.0
      var actingRemaining = 1.0
      var categories: [Category] = []
      categories.reserveCapacity(matches.count)
      for k in 0..<categoryCount where categoryWeights[k] > 0 {
        categories.append(compiled.categories[k])
        remaining *= 1 - categoryWeights[k]
        actingRemaining *= 1 - actingWeights[k]
      }
      var score = JSONRounding.round(1 - remaining)
      if JSONRounding.round(1 - actingRemaining) < policy.mediumAt && !policy.towardKnownMinor(context) {
        // Evidence-only signals never tip a message into acting unless it goes to a known minor:
        // they are reported (and counted by a conversation) but the score stays below medium.
        score = min(score, policy.evidenceCeiling)
      }
      let risk = policy.risk(for: score, hasSignals: true)
      return MessageVerdict(
        flagged: risk >= policy.flagAt, risk: risk, score: score, categories: categories, matches: matches)
    }
    return (verdict, evaluations)
  }
}

/// What became of one rule whose `match:` fired on a message (for `explain`).
public struct RuleEvaluation: Sendable {
  /// Whether the rule counted, and if not, which pattern stopped it.
  public enum Outcome: Sendable, Hashable {
    /// The rule counts toward the verdict.
    case fired
    /// An `unless:` pattern matched, or an `except:` pattern of each `match:` line that matched
    /// (the pattern named is the first that stopped it).
    case cancelled(PatternNode)
    /// An `all:` pattern did not match.
    case missingAll(PatternNode)
    /// An `audience: adult_to_minor` rule between minor peers.
    case audience
    /// A `trusted: ignore` rule (``RuleTrusted``) on a trusted contact's message
    /// (``MessageContext/senderTrusted``).
    case trustedSender
  }

  public var rule: Rule
  public var outcome: Outcome
  /// The `match:` pattern that matched.
  public var pattern: PatternNode
  /// That pattern as written in its rule file (lexicons by name).
  public var patternText: String
  /// The `unless:` or `all:` pattern of a cancelled or unfired outcome, as written.
  public var conditionText: String?
  /// UTF-8 byte span in the original text.
  public var start: Int
  public var end: Int
  /// Token indices (inclusive) of the match.
  public var firstToken: Int
  public var lastToken: Int
  /// `lower:` patterns that matched, with their factors.
  public var lowered: [(pattern: PatternNode, factor: Double)]
  /// The factor for who sends to whom.
  public var ageFactor: Double
  /// The weight after `lower:` and the age factor.
  public var weight: Double
}

/// The normalisation and every rule evaluation behind a verdict.
public struct Explanation: Sendable {
  public var tokens: [Token]
  public var evaluations: [RuleEvaluation]
  public var verdict: MessageVerdict
}
