/// The parsed form of rule files, before compilation. Literal words are already normalised.

/// One element of a pattern over normalised tokens.
public indirect enum PatternNode: Sendable, Hashable {
  /// One token equal to this normalised word.
  case word(String)
  /// One token starting with this normalised stem (`pic*`).
  case prefix(String)
  /// `<any>`: exactly one arbitrary token.
  case anyToken
  /// `<emoji>`, `<url>`, `<handle>`, `<email>`: one token of that kind.
  case kind(Token.Kind)
  /// `<num>` (nil range) or `<num A-B>`.
  case number(ClosedRange<Int>?)
  /// `..N`: 0...N arbitrary tokens.
  case gap(Int)
  /// Adjacent elements.
  case sequence([PatternNode])
  /// `(p | q)`.
  case alternatives([PatternNode])
  /// `x?`.
  case optional(PatternNode)
  /// A literal that normalises to nothing: can never match (lint reports it).
  case never

  /// The pattern written back in rule syntax (for explain and lint).
  public var source: String {
    switch self {
    case .word(let w): return PatternNode.needsQuotes(w) ? "\"\(w)\"" : w
    case .prefix(let p): return p + "*"
    case .anyToken: return "<any>"
    case .kind(let k): return "<\(k)>"
    case .number(let range):
      if let range { return "<num \(range.lowerBound)-\(range.upperBound)>" }
      return "<num>"
    case .gap(let n): return "..\(n)"
    case .sequence(let items): return items.map(\.source).joined(separator: " ")
    case .alternatives(let items): return "(" + items.map(\.source).joined(separator: " | ") + ")"
    case .optional(let inner):
      if case .sequence = inner { return "(\(inner.source))?" }
      return inner.source + "?"
    case .never: return "\"\""
    }
  }

  static func needsQuotes(_ w: String) -> Bool {
    w.unicodeScalars.contains { c in
      c == " " || c == "(" || c == ")" || c == "|" || c == "?" || c == "*" || c == "<" || c == ">" || c == "\""
        || c == "#" || c == "."
    }
  }

  /// The literal words of the pattern (the rule vocabulary given to the normaliser's lexicon).
  func collectWords(into words: inout Set<String>) {
    switch self {
    case .word(let w): words.insert(w)
    case .sequence(let items), .alternatives(let items): for item in items { item.collectWords(into: &words) }
    case .optional(let inner): inner.collectWords(into: &words)
    default: break
    }
  }

  /// Whether the pattern contains an element that can never match on every path.
  var canNeverMatch: Bool {
    switch self {
    case .never: return true
    case .sequence(let items): return items.contains { $0.canNeverMatch }
    case .alternatives(let items): return items.allSatisfy { $0.canNeverMatch }
    case .optional: return false
    default: return false
    }
  }

  /// Whether the pattern can match zero tokens.
  var canBeEmpty: Bool {
    switch self {
    case .gap: return true
    case .optional: return true
    case .sequence(let items): return items.allSatisfy { $0.canBeEmpty }
    case .alternatives(let items): return items.contains { $0.canBeEmpty }
    default: return false
    }
  }
}

/// Where pattern trees are kept until one is asked for (the compiled packs: ``PatternTable``).
protocol PatternTrees: Sendable {
  func tree(_ id: Int) -> PatternNode
}

/// A pattern with where it was written.
public struct LocatedPattern: Sendable, Hashable {
  /// The pattern's tree (read from the compiled packs when first asked for).
  public var node: PatternNode {
    get {
      switch tree {
      case .node(let node): node
      case .kept(let trees, let id): trees.tree(Int(id))
      }
    }
    set { tree = .node(newValue) }
  }
  public var location: SourceLocation
  /// The pattern as written in its file (`<lexicon>` names kept), when it came from one.
  public var text: String?

  private enum Tree: Sendable {
    case node(PatternNode)
    case kept(any PatternTrees, Int32)
  }
  private var tree: Tree

  public init(node: PatternNode, location: SourceLocation, text: String? = nil) {
    tree = .node(node)
    self.location = location
    self.text = text
  }

  /// Pattern `id` of `trees`, built only when its tree is asked for.
  init(kept trees: any PatternTrees, pattern id: Int32, location: SourceLocation, text: String?) {
    tree = .kept(trees, id)
    self.location = location
    self.text = text
  }

  public static func == (a: LocatedPattern, b: LocatedPattern) -> Bool {
    a.location == b.location && a.text == b.text && a.node == b.node
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(node)
    hasher.combine(location)
    hasher.combine(text)
  }

  /// The pattern as written, or rebuilt from its parts.
  public var source: String { text ?? node.source }
}

/// Who a rule is about: everyone, or only senders who are not known to be a minor peer of the recipient.
public enum RuleAudience: String, Sendable, Hashable {
  case any
  case adultToMinor = "adult_to_minor"
}

/// Whether a rule may flag a single message on its own.
public enum RuleActs: String, Sendable, Hashable {
  /// The rule may flag a message whatever the ages (explicit sexual talk, image requests,
  /// secrecy, threats...).
  case alone
  /// Evidence only: the rule's signal is reported and counts in the conversation, but it flags a
  /// message alone only when the recipient is known to be a minor (and the sender is not a minor
  /// peer). Meeting plans, gifts, swapping contacts and compliments are ordinary between adults.
  case withMinor = "with_minor"

  /// The default of a category when a rule has no `acts:` line (docs/rules.md).
  public static func `default`(for category: Category) -> RuleActs {
    switch category {
    case .meeting, .gifts, .platformSwitch, .flattery, .personalInfo, .ageProbe: return .withMinor
    default: return .alone
    }
  }
}

/// What a rule does on a message from a contact a parent approved (``MessageContext/senderTrusted``).
public enum RuleTrusted: String, Sendable, Hashable {
  /// The rule does not fire: what it looks for is family life (plans, compliments, questions
  /// about home).
  case ignore
  /// The rule fires and counts in the conversation, but does not flag a message alone.
  case evidence
  /// The rule does what it does for anyone.
  case acts

  /// The default of a rule without a `trusted:` line (docs/rules.md, "Family chat and trusted
  /// contacts"): evidence-only, `audience: adult_to_minor` and `risk_check` rules are ignored,
  /// image requests ("send me a photo when you get there") are evidence, the rest acts.
  public static func `default`(for rule: Rule) -> RuleTrusted {
    if !rule.actsAlone || rule.audience == .adultToMinor || rule.category == .riskCheck { return .ignore }
    if rule.category == .imageRequest { return .evidence }
    return .acts
  }
}

/// One rule as written.
public struct Rule: Sendable, Hashable {
  public var id: String
  public var category: Category
  public var weight: Double
  public var matches: [LocatedPattern] = []
  public var all: [LocatedPattern] = []
  public var unless: [LocatedPattern] = []
  /// `except:` lines: each cancels only the `match:` line it follows (by its index in ``matches``),
  /// where `unless:` cancels the whole rule.
  public var exceptions: [(match: Int, pattern: LocatedPattern)] = []
  public var lower: [(pattern: LocatedPattern, factor: Double)] = []
  public var audience: RuleAudience = .any
  /// Whether the rule may flag a message alone; nil: its category's default (``RuleActs/default(for:)``).
  public var acts: RuleActs?
  /// What the rule does on a trusted contact's message; nil: ``RuleTrusted/default(for:)``.
  public var trusted: RuleTrusted?
  public var note: String?
  public var location: SourceLocation
  /// The `@pack` tag of the file that holds the rule.
  public var pack: String

  public init(id: String, category: Category, weight: Double, location: SourceLocation, pack: String) {
    self.id = id
    self.category = category
    self.weight = weight
    self.location = location
    self.pack = pack
  }

  public static func == (a: Rule, b: Rule) -> Bool {
    a.id == b.id && a.category == b.category && a.weight == b.weight && a.matches == b.matches && a.all == b.all
      && a.unless == b.unless && a.exceptions.map(\.match) == b.exceptions.map(\.match)
      && a.exceptions.map(\.pattern) == b.exceptions.map(\.pattern) && a.lower.map(\.pattern) == b.lower.map(\.pattern)
      && a.lower.map(\.factor) == b.lower.map(\.factor) && a.audience == b.audience && a.acts == b.acts
      && a.trusted == b.trusted && a.note == b.note
      && a.location == b.location && a.pack == b.pack
  }

  /// Whether this rule may flag a message alone (its `acts:` line, else its category's default).
  public var actsAlone: Bool { (acts ?? RuleActs.default(for: category)) == .alone }

  /// What the rule does on a trusted contact's message (its `trusted:` line, else the default).
  public var onTrustedContact: RuleTrusted { trusted ?? RuleTrusted.default(for: self) }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(id)
    hasher.combine(location)
  }
}

/// How serious a lint finding is: errors make `childsafe lint` fail and an engine refuse the rules.
public enum DiagnosticSeverity: String, Sendable, Hashable {
  case error
  case warning
}

/// A problem found in rule files, with where it is.
public struct RuleDiagnostic: Sendable, Hashable, CustomStringConvertible {
  public var severity: DiagnosticSeverity
  public var message: String
  public var location: SourceLocation?

  public init(_ severity: DiagnosticSeverity, _ message: String, at location: SourceLocation?) {
    self.severity = severity
    self.message = message
    self.location = location
  }

  public var description: String {
    if let location { return "\(location): \(severity.rawValue): \(message)" }
    return "\(severity.rawValue): \(message)"
  }

  public var error: ChildSafeError { ChildSafeError(.syntax, message, at: location) }
}
