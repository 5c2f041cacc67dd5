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
    Pair(benign: "thinking of putting a new pic up on my profile", signal: "send me a new pic", category: .imageRequest),
    Pair(benign: "take a pic of the view when u get there", signal: "take a pic of urself for me", category: .imageRequest),
    Pair(benign: "take those vitamins and shove them up ur ass", signal: "i want it in ur ass", category: .sexual),
    Pair(benign: "wanna cum over after work?", signal: "wanna make me cum", category: .sexual),
    Pair(benign: "Its very important to have a reply before monday", signal: "answer me before i tell everyone", category: .coercion),
    Pair(benign: "I will send them to your email", signal: "ill send these to your friends", category: .coercion),
    Pair(
      benign: "If u love my frndship give me 1 misscall & send this to ur frndZ", signal: "pay or ill send this to all ur friends",
      category: .coercion),
  ]

  @Test("the everyday sentence is silent, the grooming twin is not", arguments: pairs)
  func twins(_ pair: Pair) throws {
    let engine = ClassifierEngine.defaults
    #expect(try !engine.classify(pair.benign).categories.contains(pair.category))
    #expect(try engine.classify(pair.signal).categories.contains(pair.category))
  }

  /// Twins that differ in whether a single message with no ages known is acted on: the everyday
  /// sentence may still be evidence, but it does not flag; its twin does.
  static let flagPairs: [Pair] = [
    Pair(benign: "if anyone asks about me just say im at the gym", signal: "if ur mom asks say ur at ashleys", category: .secrecy),
    Pair(benign: "i like to have sex twice a day", signal: "i want to have sex with you", category: .sexual),
    Pair(benign: "making love to my wife tonight, dont wait up", signal: "i want to make love to you", category: .sexual),
  ]

  @Test("the everyday sentence does not flag alone, the grooming twin does", arguments: flagPairs)
  func flagTwins(_ pair: Pair) throws {
    let engine = ClassifierEngine.defaults
    #expect(try !engine.classify(pair.benign).flagged)
    let signal = try engine.classify(pair.signal)
    #expect(signal.flagged && signal.categories.contains(pair.category))
  }

  @Test("what the sender says of himself is evidence: it acts toward a known minor")
  func selfDescriptionActsTowardAMinor() throws {
    let engine = ClassifierEngine.defaults
    let child = MessageContext(senderAge: 35, recipientAge: 13)
    for text in ["i like to have sex twice a day", "what are you wearing tonight"] {
      let alone = try engine.classify(text)
      #expect(!alone.flagged && alone.categories.contains(.sexual), "\(text)")
      #expect(try engine.classify(text, context: child).flagged, "\(text)")
    }
  }
}
