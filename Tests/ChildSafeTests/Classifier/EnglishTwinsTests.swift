import Testing

@testable import ChildSafe

/// Families of the English pack that misfired on real ordinary chat, each with its benign twin:
/// the everyday sentence stays silent, the grooming one still gives its signal.
@Suite("English benign twins")
struct EnglishTwinsTests {
  struct Pair: CustomTestStringConvertible, Sendable {
    let benign: String
    let signal: String
    let category: Category
    var testDescription: String { "\(category): \"\(benign)\" / \"\(signal)\"" }
  }

  static let pairs: [Pair] = [
    Pair(benign: "can you text him one more time?", signal: "send one more pic", category: .imageRequest),
    Pair(benign: "Ok I'm gonna put it up ONE MORE TIME", signal: "one more pls", category: .imageRequest),
    Pair(benign: "can u get pic msgs to your phone?", signal: "u owe me a pic", category: .imageRequest),
    Pair(benign: "whats everyone up to?", signal: "is everyone asleep", category: .riskCheck),
    Pair(benign: "boght some stuff then came back home", signal: "ill get u some robux", category: .gifts),
    Pair(benign: "the door threw her back out", signal: "are you gonna back out when i get there?", category: .coercion),
    Pair(benign: "u got lect at 12 rite", signal: "u 12 rite?", category: .ageProbe),
    Pair(benign: "my birthdate in certificate is in apr", signal: "whats ur dob", category: .ageProbe),
    Pair(benign: "see u 10:30", signal: "u 13?", category: .ageProbe),
    Pair(benign: "c ya 12:15 at the gate", signal: "ur like 12", category: .ageProbe),
    Pair(benign: "thank u 10-19-30sUser31", signal: "r u 14 or 15", category: .ageProbe),
  ]

  @Test("the everyday sentence is silent, the grooming twin is not", arguments: pairs)
  func twins(_ pair: Pair) throws {
    let engine = ClassifierEngine.defaults
    #expect(try !engine.classify(pair.benign).categories.contains(pair.category))
    #expect(try engine.classify(pair.signal).categories.contains(pair.category))
  }
}
