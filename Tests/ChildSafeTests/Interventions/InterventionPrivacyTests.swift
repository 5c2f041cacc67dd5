import Testing

@testable import ChildSafe

/// No intervention may ever carry what someone wrote. The engine cannot see message text (its inputs
/// are verdicts and contexts); these tests feed distinctive texts through the whole path anyway and
/// look for them in every payload.
@Suite("Intervention privacy")
struct InterventionPrivacyTests {
  static let distinctiveTexts = [
    "zebra-quartz-7731 keep this between us ok",
    "send me a pic of you XyloPhoneMarker-55",
    "child nudes ZQX-unique-token",
    "niños desnudos marcador-único-9931",
    "how to report child abuse helpmarker-4242",
  ]

  /// Every string in a JSON value, keys included.
  func strings(in value: JSONValue) -> [String] {
    switch value {
    case .string(let s): return [s]
    case .array(let items): return items.flatMap(strings)
    case .object(let members): return members.flatMap { [$0.0] + strings(in: $0.1) }
    default: return []
    }
  }

  func distinctiveWords(_ text: String) -> [String] {
    text.split(separator: " ").map(String.init).filter { $0.count >= 8 || $0.contains(where: \.isNumber) }
  }

  @Test(arguments: distinctiveTexts)
  func noPayloadContainsTheMessageText(_ text: String) throws {
    let recorder = RecordingHandler()
    let dispatcher = InterventionDispatcher(handler: recorder, rateLimit: .none)
    for locale in ["en", "es", "fr", "de", "pt", "it"] {
      let engine = try InterventionEngine.defaults.with(InterventionConfiguration(locale: locale, country: "GB"))
      // Chat: as the classifier would report it, with spans pointing into the text.
      let chat = MessageContext(senderAge: 40, recipientAge: 9, conversationID: "conv-1", timestamp: 5)
      let verdict = MessageVerdict(
        flagged: true, risk: .critical, score: 0.95, categories: [.secrecy, .imageRequest],
        matches: [RuleMatch(rule: "en.secrecy.between_us", category: .secrecy, weight: 1, start: 0, end: text.utf8.count)])
      dispatcher.dispatch(engine.interventions(for: verdict, context: chat), conversation: "conv-1", time: 5)
      // Query: the real query classifier over the same text.
      let query = MessageContext(senderAge: nil, context: .query)
      let queryVerdict = try QueryClassifier.defaults.classify(text, context: query)
      dispatcher.dispatch(engine.interventions(for: queryVerdict, context: query), conversation: nil, time: nil)
    }
    let payloads = recorder.received.withLock { $0.map { $0.json.serialized() } }
    #expect(payloads.count >= 18)
    for payload in payloads {
      #expect(!payload.contains(text))
      for word in distinctiveWords(text) {
        #expect(!payload.lowercased().contains(word.lowercased()), "payload leaks '\(word)': \(payload)")
      }
    }
  }

  @Test func payloadsHaveExactlyTheDocumentedMembers() throws {
    let out = InterventionEngine.defaults.interventions(
      for: MessageVerdict(flagged: true, risk: .high, score: 0.8, categories: [.meeting], matches: []),
      context: MessageContext(senderAge: 40, recipientAge: 10, conversationID: "c", timestamp: 12))
    for intervention in out {
      let json = try #require(intervention.json.objectValue)
      #expect(json.map(\.0) == ["audience", "kind", "category", "risk", "message", "signpost", "conversation", "time"])
      #expect(intervention.json["signpost"]?.objectValue?.map(\.0) == ["name", "phone", "url"])
    }
  }

  @Test func theJSONRoundTrips() throws {
    let intervention = InterventionEngine.defaults.interventions(
      for: MessageVerdict(flagged: true, risk: .high, score: 0.8, categories: [.meeting], matches: []),
      context: MessageContext(senderAge: 40, recipientAge: 10, conversationID: "c", timestamp: 12))[0]
    let parsed = try JSONValue.parse(intervention.json.serialized())
    #expect(parsed["audience"]?.stringValue == "sender")
    #expect(parsed["kind"]?.stringValue == "deterrence")
    #expect(parsed["category"]?.stringValue == "meeting")
    #expect(parsed["risk"]?.stringValue == "high")
    #expect(parsed["conversation"]?.stringValue == "c")
    #expect(parsed["time"]?.intValue == 12)
  }
}
