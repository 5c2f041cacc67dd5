/// Rule files loaded together: every rule with the languages it applies to, the known categories,
/// and every problem found (parse errors and lint findings).
public struct RuleSet: Sendable {
  /// Rules in load order (files sorted by path, then by line).
  public var rules: [Rule]
  /// For each rule (same index), the language tags it applies to; empty = every language.
  public var ruleLanguages: [Set<String>]
  /// The built-in categories, then the declared ones, in canonical order.
  public var categories: [Category]
  /// The pack tag of each loaded file, by path.
  public var filePacks: [String: String]
  public var diagnostics: [RuleDiagnostic]

  public var errors: [RuleDiagnostic] { diagnostics.filter { $0.severity == .error } }
  public var warnings: [RuleDiagnostic] { diagnostics.filter { $0.severity == .warning } }

  /// The vocabulary of all literal words, for the normaliser's lexicon.
  public var vocabulary: Set<String> {
    var words: Set<String> = []
    for rule in rules {
      for p in rule.matches + rule.exceptions.map(\.pattern) + rule.all + rule.unless + rule.lower.map(\.pattern) {
        p.node.collectWords(into: &words)
      }
    }
    return words
  }
}

/// Loads rule files: parses each once, follows `@include` (relative, cycles and depth checked),
/// assigns languages and categories, and runs the lint checks.
public enum RuleSetLoader {
  /// Includes nested deeper than this are an error (they are almost certainly a mistake).
  public static let maximumIncludeDepth = 8
  /// Pack tags whose rules apply to every language.
  public static let commonTags: Set<String> = ["common", "any", "all", "mul", "und", "zxx"]

  /// How much a load may hold, checked before anything is compiled: building an engine costs time
  /// and memory in proportion to the rules (about 70 bytes of memory at peak per byte of rules with
  /// a new vocabulary; see docs/rules.md, "Limits"), and a host that reloads builds the new engine
  /// beside the one serving. Past a limit the load fails with an error at the line where it was
  /// reached.
  public struct Limits: Sendable, Hashable {
    /// Bytes of rule text in all the files loaded (the embedded packs count too when extended).
    public var maximumSourceBytes: Int
    /// Rules in all the files loaded.
    public var maximumRules: Int

    public init(maximumSourceBytes: Int = 2 << 20, maximumRules: Int = 20_000) {
      self.maximumSourceBytes = maximumSourceBytes
      self.maximumRules = maximumRules
    }

    /// No limit but the memory of the machine (the per-file and per-line limits still apply).
    public static let none = Limits(maximumSourceBytes: .max, maximumRules: .max)
  }

  /// Loads `roots` (paths inside `files`; default: every `.rules` file under `prefix`).
  public static func load(
    _ files: RuleFiles, prefix: String = "grooming/", roots: [String]? = nil, limits: Limits = Limits()
  ) -> RuleSet {
    let rootPaths = roots ?? files.under(prefix).map(\.path).filter { $0.hasSuffix(".rules") }
    return load(roots: rootPaths, limits: limits, read: { files.text(at: $0) })
  }

  /// Loads `roots` and what they include, reading each path (as resolved) with `read`.
  public static func load(roots: [String], limits: Limits = Limits(), read: @escaping (String) -> String?) -> RuleSet {
    var loader = Loader(read: read, limits: limits)
    for path in roots {
      loader.visit(path, stack: [], includedFrom: nil)
    }
    return loader.finish()
  }

  /// The 1-based line of `text` that holds its byte at `offset` (its last line past the end).
  static func line(in text: String, atByte offset: Int) -> Int {
    var line = 1
    for (k, byte) in text.utf8.enumerated() {
      if k >= offset { break }
      if byte == UInt8(ascii: "\n") { line += 1 }
    }
    return line
  }

  /// Resolves `include` relative to the directory of `from` ("grooming/en.rules" + "common.rules"
  /// -> "grooming/common.rules"), with "." and ".." handled; nil when it escapes the root.
  static func resolve(_ include: String, from: String) -> String? {
    let absolute = include.hasPrefix("/") || from.hasPrefix("/")
    var parts = include.hasPrefix("/") ? [] : from.split(separator: "/").dropLast().map(String.init)
    for part in include.split(separator: "/") {
      if part == "." || part.isEmpty { continue }
      if part == ".." {
        if parts.isEmpty { return nil }
        parts.removeLast()
      } else {
        parts.append(String(part))
      }
    }
    return (absolute ? "/" : "") + parts.joined(separator: "/")
  }

  struct Loader {
    let read: (String) -> String?
    let limits: Limits
    /// Bytes of rule text read so far.
    var sourceBytes = 0
    var parsed: [String: ParsedRuleFile] = [:]
    var order: [String] = []
    var done: Set<String> = []
    var includers: [String: Set<String>] = [:]
    var diagnostics: [RuleDiagnostic] = []
    let wordNormalizer: RuleWordNormalizer
    let lexiconStore: LexiconStore

    init(read: @escaping (String) -> String?, limits: Limits) {
      self.read = read
      self.limits = limits
      let normalizer = RuleWordNormalizer()
      self.wordNormalizer = normalizer
      self.lexiconStore = LexiconStore(read: read, normalizer: normalizer, maximumBytes: limits.maximumSourceBytes)
    }

    mutating func visit(_ path: String, stack: [String], includedFrom: (String, SourceLocation)?) {
      if let (parent, location) = includedFrom {
        includers[path, default: []].insert(parent)
        if stack.contains(path) {
          let cycle = (stack.drop(while: { $0 != path }) + [path]).joined(separator: " -> ")
          diagnostics.append(RuleDiagnostic(.error, "found an include cycle \(cycle); expected files that do not include themselves", at: location))
          return
        }
        if stack.count > RuleSetLoader.maximumIncludeDepth {
          diagnostics.append(RuleDiagnostic(.error, "found includes nested \(stack.count) deep; expected at most \(RuleSetLoader.maximumIncludeDepth)", at: location))
          return
        }
      }
      if done.contains(path) { return }
      guard let text = read(path) else {
        let location = includedFrom?.1
        diagnostics.append(RuleDiagnostic(.error, "found no file \(path); expected an existing rule file", at: location))
        return
      }
      let file: ParsedRuleFile
      if let cached = parsed[path] {
        file = cached
      } else if sourceBytes > limits.maximumSourceBytes {
        // Past the limit already (reported at the file that reached it): not read further.
        done.insert(path)
        return
      } else if sourceBytes > limits.maximumSourceBytes - text.utf8.count {
        // Refused before it is parsed: the error is at the line where the limit is reached.
        let line = RuleSetLoader.line(in: text, atByte: max(0, limits.maximumSourceBytes - sourceBytes))
        sourceBytes += text.utf8.count
        diagnostics.append(
          RuleDiagnostic(
            .error,
            "found \(sourceBytes) bytes of rules in all with this file; expected at most \(limits.maximumSourceBytes)",
            at: SourceLocation(file: path, line: line, column: 1)))
        done.insert(path)
        return
      } else {
        sourceBytes += text.utf8.count
        let store = lexiconStore
        store.spend(text.utf8.count)
        file = RuleFileParser.parse(text, path: path, normalizer: wordNormalizer) { written, location in
          guard let resolved = RuleSetLoader.resolve(written, from: path) else {
            store.report(RuleDiagnostic(.error, "found lexicon '\(written)' outside the rules directory; expected a path inside it", at: location))
            return nil
          }
          return store.lexicon(at: resolved, declaredAt: location)
        }
        parsed[path] = file
        order.append(path)
      }
      for (include, location) in file.includes {
        guard let target = RuleSetLoader.resolve(include, from: path) else {
          diagnostics.append(RuleDiagnostic(.error, "found include '\(include)' outside the rules directory; expected a path inside it", at: location))
          continue
        }
        visit(target, stack: stack + [path], includedFrom: (path, location))
      }
      done.insert(path)
    }

    /// The languages a file's rules apply to (empty: every language).
    func languages() -> [String: Set<String>] {
      var langs: [String: Set<String>] = [:]
      var common: Set<String> = []
      for path in order {
        let tag = parsed[path]?.pack
        if let tag, RuleSetLoader.commonTags.contains(tag) { common.insert(path) } else if let tag { langs[path] = [tag] } else { langs[path] = [] }
      }
      // Propagate includers' languages down the include graph (bounded: the graph is small and
      // each round only grows sets).
      var changed = true
      var rounds = 0
      while changed && rounds <= order.count + 1 {
        changed = false
        rounds += 1
        for path in order where !common.contains(path) {
          for parent in includers[path] ?? [] where !common.contains(parent) {
            let before = langs[path]?.count ?? 0
            langs[path, default: []].formUnion(langs[parent] ?? [])
            if (langs[path]?.count ?? 0) != before { changed = true }
          }
        }
      }
      for path in common { langs[path] = [] }
      return langs
    }

    mutating func finish() -> RuleSet {
      var declared: [Category] = []
      var declaredSet: Set<Category> = []  // a set beside the ordered list: 100k @category lines stay linear
      for path in order {
        guard let file = parsed[path] else { continue }
        diagnostics.append(contentsOf: file.diagnostics)
        if file.pack == nil && (includers[path] ?? []).isEmpty && (!file.rules.isEmpty || !file.includes.isEmpty) {
          diagnostics.append(RuleDiagnostic(.error, "found no @pack; expected '@pack <language>' as the first directive", at: SourceLocation(file: path, line: 1, column: 1)))
        }
        for (name, _) in file.categories {
          let category = Category(name)
          if !Category.builtIn.contains(category) && declaredSet.insert(category).inserted { declared.append(category) }
        }
      }
      let known = Category.builtIn + declared
      let knownSet = Set(known)
      let langs = languages()
      var rules: [Rule] = []
      var ruleLanguages: [Set<String>] = []
      var firstByID: [String: SourceLocation] = [:]
      var filePacks: [String: String] = [:]
      files: for path in order {
        guard let file = parsed[path] else { continue }
        let fileLanguages = langs[path] ?? []
        let pack = file.pack ?? fileLanguages.sorted().joined(separator: ",")
        filePacks[path] = pack
        for var rule in file.rules {
          if rules.count >= limits.maximumRules {
            diagnostics.append(
              RuleDiagnostic(
                .error, "found more than \(limits.maximumRules) rules in all; expected at most \(limits.maximumRules)",
                at: rule.location))
            break files
          }
          rule.pack = pack
          if !knownSet.contains(rule.category) {
            diagnostics.append(RuleDiagnostic(.error, "found unknown category '\(rule.category.name)'; expected one of \(Category.builtIn.map(\.name).joined(separator: " ")) or one declared with @category", at: rule.location))
            continue
          }
          if let first = firstByID[rule.id] {
            diagnostics.append(RuleDiagnostic(.error, "found duplicate rule id '\(rule.id)' (first at \(first)); expected ids unique across all packs", at: rule.location))
            continue
          }
          firstByID[rule.id] = rule.location
          rules.append(rule)
          ruleLanguages.append(fileLanguages)
        }
      }
      diagnostics.append(contentsOf: lexiconStore.diagnostics)
      diagnostics.append(contentsOf: RuleLint.check(rules))
      return RuleSet(rules: rules, ruleLanguages: ruleLanguages, categories: known, filePacks: filePacks, diagnostics: diagnostics)
    }
  }
}
