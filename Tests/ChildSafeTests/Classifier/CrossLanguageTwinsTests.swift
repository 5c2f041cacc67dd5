import Testing

@testable import ChildSafe

/// With no language declared every pack reads every message, so the English words the other packs
/// hold (German chat mixes in "horny", "pic", "nudes"; "facetime" and "me" are words everywhere)
/// must not act on English text where the English pack, with its exceptions, does not. Each
/// everyday English sentence has its twin in the pack's own language (or German with English
/// words mixed in) that still acts, with the language declared and without.
/// Written by hand, not taken from any corpus. Content warning: explicit language.
@Suite("English forms in the other packs, and their twins")
struct CrossLanguageTwinsTests {
  struct Pair: CustomTestStringConvertible, Sendable {
    let language: String
    let benign: String
    let signal: String
    let category: Category
    var testDescription: String { "\(language) \(category): \"\(benign)\" / \"\(signal)\"" }
  }

  static let engine = ClassifierEngine.defaults

  static func verdict(_ text: String, language: String?, _ base: MessageContext = MessageContext()) throws
    -> MessageVerdict
  {
    var context = base
    context.language = language
    return try engine.classify(text, context: context)
  }

  static let pairs: [Pair] = [
    Pair(language: "de", benign: "who's horny in here lol", signal: "bist du horny?", category: .sexual),
    Pair(language: "de", benign: "we were all horny teenagers once", signal: "du machst mich so horny", category: .sexual),
    Pair(language: "de", benign: "i can send you a pic of the menu if you like", signal: "schick mir ein pic", category: .imageRequest),
    Pair(language: "de", benign: "can you send me the video from the party", signal: "send mir mal ein pic von dir", category: .imageRequest),
    Pair(language: "de", benign: "u wanna cum round mine after work?", signal: "kannst du für mich cum", category: .sexual),
    Pair(language: "de", benign: "no nudes pls, this is a family chat", signal: "schick mir nudes", category: .sexual),
    Pair(language: "de", benign: "i'll facetime grandma after dinner", signal: "lass uns facetime machen", category: .imageRequest),
    Pair(language: "de", benign: "the photos of her in bikini were from the beach trip", signal: "zeig dich mal im bikini", category: .sexual),
    Pair(language: "de", benign: "i took a video an sent it to mom", signal: "mach mal die cam an", category: .imageRequest),
    Pair(language: "de", benign: "ur such a pussy lol watch this video", signal: "zeig mir deine boobs auf video", category: .sexual),
    Pair(language: "es", benign: "my teacher told me sexting is risky", signal: "quiero sexo oral contigo", category: .sexual),
    Pair(language: "es", benign: "no nudes pls, this is a family chat", signal: "mándame nudes", category: .sexual),
    Pair(language: "es", benign: "i'll facetime grandma after dinner", signal: "hacemos facetime?", category: .imageRequest),
    Pair(language: "fr", benign: "a podcast on masturbation myths", signal: "je me masturbe en pensant à toi", category: .sexual),
    Pair(language: "fr", benign: "check out my mosquito bite pic", signal: "montre moi ta bite en photo", category: .sexual),
    Pair(language: "fr", benign: "that nude painting at the gallery", signal: "envoie des nudes", category: .sexual),
    Pair(language: "fr", benign: "she bought a ton of lingerie for the shop", signal: "montre moi ton slip", category: .sexual),
    Pair(language: "fr", benign: "i'll facetime grandma after dinner", signal: "on fait un facetime ?", category: .imageRequest),
    Pair(language: "it", benign: "my teacher told me sexting is risky", signal: "vuoi fare sesso con me", category: .sexual),
    // "sei in bikini?" alone is a clothing question, evidence in every pack (en.sexual.wearing).
    Pair(language: "it", benign: "the kids were all in costume for the parade", signal: "mandami una foto in bikini", category: .sexual),
    Pair(language: "it", benign: "no nudes pls, this is a family chat", signal: "mandami nudes", category: .sexual),
    Pair(language: "it", benign: "i'll facetime grandma after dinner", signal: "facciamo facetime?", category: .imageRequest),
    Pair(language: "pt", benign: "let me come over later", signal: "me come toda", category: .sexual),
    Pair(language: "pt", benign: "i need to delete a few files", signal: "delete a conversa", category: .secrecy),
    Pair(language: "pt", benign: "my teacher told me sexting is risky", signal: "quero transar com vc", category: .sexual),
    Pair(language: "pt", benign: "no nudes pls, this is a family chat", signal: "manda nudes", category: .sexual),
    Pair(language: "pt", benign: "i'll facetime grandma after dinner", signal: "bora fazer facetime", category: .imageRequest),
  ]

  @Test("the English sentence is not acted on, with no language or with the pack's", arguments: pairs)
  func englishSentenceDoesNotFlag(_ pair: Pair) throws {
    for language in [nil, pair.language] {
      let verdict = try Self.verdict(pair.benign, language: language)
      #expect(!verdict.flagged, "\(language ?? "no language"): \(verdict.matches.map(\.rule))")
    }
  }

  @Test("the twin in the pack's language acts, with no language or with the pack's", arguments: pairs)
  func twinActs(_ pair: Pair) throws {
    for language in [nil, pair.language] {
      let verdict = try Self.verdict(pair.signal, language: language)
      #expect(verdict.flagged, "\(language ?? "no language"): \(verdict.matches.map(\.rule))")
      #expect(verdict.categories.contains(pair.category))
    }
  }

  /// German chat mixing English acts where the English pack acts on the same English words.
  @Test(
    "English chat forms in German chat act as the English pack's do",
    arguments: ["sind u horny?", "u r horny?", "im so horny for u", "willst du sexting machen"])
  func codeSwitchedGermanActs(_ text: String) throws {
    let verdict = try Self.verdict(text, language: "de")
    #expect(verdict.flagged && verdict.categories.contains(.sexual), "\(verdict.matches.map(\.rule))")
  }

  /// A bare "horny" or "nudes" is what the English pack calls the sender's own state: a signal
  /// that acts toward a known minor, not on a message between strangers.
  @Test("a bare loanword is evidence: it acts toward a known minor", arguments: ["horny?", "ein bisschen horny", "der Deal mit den Nudes", "im so horny"])
  func bareLoanwordIsEvidence(_ text: String) throws {
    let alone = try Self.verdict(text, language: "de")
    #expect(!alone.flagged && alone.categories.contains(.sexual), "\(alone.matches.map(\.rule))")
    let toChild = try Self.verdict(text, language: "de", MessageContext(senderAge: 35, recipientAge: 13))
    #expect(toChild.flagged)
  }
}
