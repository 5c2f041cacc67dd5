import Testing

@testable import ChildSafe

/// One hand-written phrase for the suites that check the default packs' phrase families: its
/// text, the language a host would declare for it (nil: none, so every pack runs) and, for the
/// suites keyed by tactic, the category it is about.
struct PhraseCase: CustomTestStringConvertible, Sendable {
  let language: String?
  let text: String
  let category: Category?

  /// A phrase in a declared language.
  init(_ language: String, _ text: String) {
    self.language = language
    self.text = text
    self.category = nil
  }

  /// A phrase about one tactic.
  init(_ text: String, _ category: Category, language: String? = nil) {
    self.language = language
    self.text = text
    self.category = category
  }

  var testDescription: String {
    [language, category.map { "\($0)" }].compactMap { $0 }.joined(separator: ", ") + ": \(text)"
  }

  static let engine = ClassifierEngine.defaults
  static let adultToChild = MessageContext(senderAge: 35, recipientAge: 13)

  /// The default packs' verdict, with the phrase's language declared in `context`.
  func verdict(_ context: MessageContext = MessageContext()) throws -> MessageVerdict {
    var context = context
    if let language { context.language = language }
    return try Self.engine.classify(text, context: context)
  }

  /// Evidence (docs/rules.md, "What acts alone"): reported as `category` but not acted on alone,
  /// acted on when an adult writes it to a known minor.
  func expectEvidence(_ category: Category, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
    let alone = try verdict()
    #expect(!alone.flagged && alone.categories.contains(category), "\(alone.ruleIDs)", sourceLocation: sourceLocation)
    #expect(try verdict(Self.adultToChild).flagged, sourceLocation: sourceLocation)
  }

  /// Acted on alone, with no ages known (docs/rules.md, "What acts alone"), and toward a known minor.
  func expectActsAlone(_ category: Category, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
    let alone = try verdict()
    #expect(alone.flagged && alone.categories.contains(category), "\(alone.ruleIDs)", sourceLocation: sourceLocation)
    #expect(try verdict(Self.adultToChild).flagged, sourceLocation: sourceLocation)
  }

  /// An everyday twin: no `category` signal, even from an adult to a known minor.
  func expectNoSignal(_ category: Category, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
    let verdict = try verdict(Self.adultToChild)
    #expect(!verdict.categories.contains(category), "\(verdict.ruleIDs)", sourceLocation: sourceLocation)
  }
}
