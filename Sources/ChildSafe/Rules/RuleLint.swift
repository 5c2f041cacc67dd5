/// Checks that need whole rules rather than single lines: patterns that match nothing or can never
/// match, exceptions that cancel a rule every time, and rules shadowed by an earlier one.
enum RuleLint {
  /// At most this many earlier rules are compared with each rule in the shadowing check, so that
  /// linting stays linear in the number of rules (a 100k-rule pack must not take quadratic time).
  static let maximumShadowCandidates = 64

  static func check(_ rules: [Rule]) -> [RuleDiagnostic] {
    var comparisons = 0
    return check(rules, comparisons: &comparisons)
  }

  /// `comparisons` counts earlier rules compared in the shadowing check (for linearity tests).
  static func check(_ rules: [Rule], comparisons: inout Int) -> [RuleDiagnostic] {
    var out: [RuleDiagnostic] = []
    // Earlier rules by each of their `match:` patterns: a rule is shadowed only by an earlier rule
    // that has every one of its patterns, so only the rules listed under its rarest pattern can be.
    // Patterns are numbered once (hashing a pattern walks its whole tree, lexicons included), and
    // the rest of the check works on the numbers.
    var earlierIDs: [String] = []
    var earlierNodes: [Set<Int>] = []
    var numberOfNode: [PatternNode: Int] = [:]
    numberOfNode.reserveCapacity(rules.reduce(0) { $0 + $1.matches.count })
    var rulesByNode: [[Int]] = []
    for rule in rules {
      for p in rule.matches + rule.exceptions.map(\.pattern) + rule.all + rule.unless + rule.lower.map(\.pattern) {
        if p.node.canBeEmpty {
          out.append(RuleDiagnostic(.error, "found a pattern that can match no token at all ('\(p.source)'); expected at least one required word", at: p.location))
        } else if p.node.canNeverMatch {
          out.append(RuleDiagnostic(.warning, "found a pattern that can never match ('\(p.source)': a literal normalises to nothing); expected words that survive normalisation", at: p.location))
        }
      }
      if rule.matches.allSatisfy({ $0.node.canNeverMatch }) {
        out.append(RuleDiagnostic(.error, "found rule '\(rule.id)' whose every 'match:' can never match; expected a pattern that can match", at: rule.location))
      }
      if !rule.unless.isEmpty {
        // Each match pattern's required words once, not once per exception and alternative.
        var required: [Set<String>?] = Array(repeating: nil, count: rule.matches.count)
        for u in rule.unless where !u.node.canBeEmpty {
          let always = rule.matches.indices.allSatisfy { k in
            implies(rule.matches[k].node, u.node) { () -> Set<String> in
              if let known = required[k] { return known }
              let words = requiredWords(rule.matches[k].node)
              required[k] = words
              return words
            }
          }
          if always {
            out.append(RuleDiagnostic(.error, "found 'unless: \(u.source)' that matches whenever 'match:' does, so rule '\(rule.id)' can never fire; expected a narrower exception", at: u.location))
          }
        }
      }
      for (k, e) in rule.exceptions
      where rule.matches.indices.contains(k) && !e.node.canBeEmpty && implies(rule.matches[k].node, e.node) {
        out.append(RuleDiagnostic(.error, "found 'except: \(e.source)' that matches whenever its 'match: \(rule.matches[k].source)' does, so that line can never fire; expected a narrower exception", at: e.location))
      }
      var nodes = Set<Int>()
      // A `match:` line with exceptions covers less than its pattern: it shadows no later rule.
      let excepted = Set(rule.exceptions.map(\.match))
      var unexceptedNodes = Set<Int>()
      for (k, p) in rule.matches.enumerated() {
        let number: Int
        if let known = numberOfNode[p.node] {
          number = known
        } else {
          number = rulesByNode.count
          numberOfNode[p.node] = number
          rulesByNode.append([])
        }
        nodes.insert(number)
        if !excepted.contains(k) { unexceptedNodes.insert(number) }
      }
      if rule.all.isEmpty && rule.unless.isEmpty && rule.exceptions.isEmpty, let rarest = nodes.min(by: { rulesByNode[$0].count < rulesByNode[$1].count }) {
        // Candidates in load order, so the warning names the first rule that shadows this one.
        for k in rulesByNode[rarest].prefix(maximumShadowCandidates) {
          comparisons += 1
          if nodes.isSubset(of: earlierNodes[k]) {
            out.append(RuleDiagnostic(.warning, "found rule '\(rule.id)' whose every 'match:' is already in rule '\(earlierIDs[k])'; expected a rule that adds something (it is shadowed)", at: rule.location))
            break
          }
        }
      }
      for node in nodes { rulesByNode[node].append(earlierIDs.count) }
      earlierIDs.append(rule.id)
      earlierNodes.append(unexceptedNodes)
    }
    return out
  }

  /// Whether every match of `pattern` also contains a match of `exception` (conservative: true
  /// only when the exception is the same pattern or a single word every path of the pattern needs).
  static func implies(_ pattern: PatternNode, _ exception: PatternNode) -> Bool {
    implies(pattern, exception) { requiredWords(pattern) }
  }

  /// The same, with `required` giving ``requiredWords(_:)`` of `pattern` (computed at most once by the caller).
  static func implies(_ pattern: PatternNode, _ exception: PatternNode, required: () -> Set<String>) -> Bool {
    if pattern == exception { return true }
    if case .word(let w) = exception { return required().contains(w) }
    if case .alternatives(let options) = exception {
      return options.contains { implies(pattern, $0, required: required) }
    }
    return false
  }

  /// Words that every match of the pattern contains.
  static func requiredWords(_ node: PatternNode) -> Set<String> {
    switch node {
    case .word(let w): return [w]
    case .sequence(let items): return items.reduce(into: Set<String>()) { $0.formUnion(requiredWords($1)) }
    case .alternatives(let items):
      guard let first = items.first else { return [] }
      return items.dropFirst().reduce(requiredWords(first)) { $0.intersection(requiredWords($1)) }
    default: return []
    }
  }
}

extension RuleSet {
  /// Warnings for patterns too long to run bit-parallel: a pattern of more than 64 consuming
  /// steps (words, gap positions, lexicon entries of several words) runs in the general matcher,
  /// several times slower on every message. Compiles the rules, so it is part of `childsafe lint`
  /// rather than of every load; a set with errors gets none.
  public func slowPatternWarnings() -> [RuleDiagnostic] {
    guard errors.isEmpty else { return [] }
    let compiled = CompiledRules(self)
    return withExtendedLifetime(compiled) {
      let narrow = compiled.matcher.narrow
      var out: [RuleDiagnostic] = []
      for c in compiled.rules {
        let ids = c.matches + c.exceptions.map(\.pattern) + c.all + c.unless + c.lower.map(\.pattern)
        let patterns =
          c.rule.matches + c.rule.exceptions.map(\.pattern) + c.rule.all + c.rule.unless + c.rule.lower.map(\.pattern)
        for (id, pattern) in zip(ids, patterns) where !narrow[Int(id)].isNarrow {
          out.append(
            RuleDiagnostic(
              .warning,
              "found a pattern of more than 64 steps in rule '\(c.rule.id)' ('\(pattern.source)'), which runs in the slower general matcher; expected its alternatives split over several 'match:' lines",
              at: pattern.location))
        }
      }
      return out
    }
  }
}
