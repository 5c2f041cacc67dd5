import Testing

@testable import ChildSafe

@Suite("JSON lines streams")
struct CheckLineStreamTests {
  static let engine = SafetyEngine(classifier: TestPack.engine)

  @Test func eachLineGetsAVerdictAndBadLinesGetErrors() throws {
    var stream = CheckStream(engine: Self.engine)
    let lines = [
      #"{"id": "m1", "text": "dont tell anyone", "sender_age": 30, "recipient_age": 12}"#,
      #"{"id": "m2", "text": "#,
      #"{"id": "m3"}"#,
      #"{"id": 4, "text": "hi", "sender_age": "old"}"#,
      #"{"id": "m5", "text": "hi", "context": "shout"}"#,
      "",
      #"{"id": "m6", "text": "hello there"}"#,
    ]
    let out = lines.map { stream.process(line: $0) }
    #expect(out[0]?["id"] == .string("m1"))
    #expect(out[0]?["flagged"] == .bool(true))
    #expect(out[0]?["categories"] == .array([.string("secrecy")]))
    let match = try #require(out[0]?["matches"]?.arrayValue?.first)
    #expect(match["rule"] == .string("t.secrecy") && match["start"] == .int(0) && match["end"] == .int(16))
    #expect(out[1]?["id"] == .null)
    #expect(out[1]?["error"]?["code"] == .string("syntax"))
    #expect(out[2]?["id"] == .string("m3"))
    #expect(out[2]?["error"]?["code"] == .string("invalid_argument"))
    #expect(out[3]?["id"] == .int(4))
    #expect(out[3]?["error"]?["code"] == .string("invalid_value"))
    #expect(out[4]?["error"]?["code"] == .string("invalid_value"))
    #expect(out[5] == nil)
    #expect(out[6]?["flagged"] == .bool(false))
    #expect(out[6]?["error"] == nil)
  }

  @Test func errorMessagesNeverEchoMessageText() {
    var stream = CheckStream(engine: Self.engine)
    let out = stream.process(line: #"{"id": "x", "text": "my private words", "t": "soon"}"#)
    #expect(out?["error"] != nil)
    #expect(!(out?.serialized().contains("private") ?? true))
  }

  @Test func conversationsKeepARunningVerdictPerID() throws {
    var stream = CheckStream(engine: Self.engine, maximumConversations: 2)
    _ = stream.process(line: #"{"id": "1", "text": "are ur parents home", "conversation": "c1", "from": "A", "t": 0}"#)
    _ = stream.process(line: #"{"id": "2", "text": "hi", "conversation": "c2", "from": "B", "t": 0}"#)
    let third = stream.process(line: #"{"id": "3", "text": "dont tell anyone", "conversation": "c1", "from": "A", "t": 30}"#)
    let running = try #require(third?["conversation"])
    #expect(running["messages"] == .int(2))
    #expect(running["flagged"] == .bool(true))
    #expect(running["flagged_at"] == .int(1))
    #expect(running["risky_sender"] == .string("A"))
    _ = stream.process(line: #"{"id": "4", "text": "hi", "conversation": "c3"}"#)
    #expect(stream.trackedConversations == 2)
    let plain = stream.process(line: #"{"id": "5", "text": "hi"}"#)
    #expect(plain?["conversation"] == nil)
  }

  /// The least recently used conversation is the one dropped, whatever the order of use: checked
  /// against a plain model (a list in order of last use) over a seeded random stream, with lines
  /// that fail (a text past the size limit) mixed in: a failed line neither creates nor refreshes a
  /// conversation.
  @Test func theLeastRecentlyUsedConversationIsDropped() throws {
    let capacity = 5
    var stream = CheckStream(engine: Self.engine, maximumConversations: capacity)
    let tooLarge = String(repeating: "x", count: Normalizer.defaultMaximumInputBytes + 1)
    var recency: [String] = []  // least recently used first
    var messages: [String: Int] = [:]
    var rng = DifferentialNormalizerTests.SplitMix64(state: 11)
    for k in 0..<3_000 {
      let conversation = "c\(rng.below(9))"
      let fails = rng.below(40) == 0
      let text = fails ? tooLarge : "hi"
      let line = #"{"id":\#(k),"text":"\#(text)","conversation":"\#(conversation)"}"#
      let result = stream.process(line: line)
      let out = try #require(result)
      // The model: a new conversation drops the least recently used one when full, even if its
      // first line then fails; a line that fails changes nothing else.
      let known = messages[conversation] != nil
      if !known && recency.count >= capacity {
        messages[recency.removeFirst()] = nil
      }
      if fails {
        #expect(out["error"] != nil)
        continue
      }
      messages[conversation, default: 0] += 1
      recency.removeAll { $0 == conversation }
      recency.append(conversation)
      #expect(out["conversation"]?["messages"] == .int(messages[conversation] ?? 0), "line \(k)")
      #expect(stream.trackedConversations == recency.count)
    }
  }

  @Test func flaggedLinesCarryInterventions() {
    var stream = CheckStream(engine: Self.engine)
    let out = stream.process(line: #"{"id": "1", "text": "dont tell anyone", "sender_age": 30, "recipient_age": 12}"#)
    #expect(out?["interventions"]?.arrayValue?.isEmpty == false)
  }

  @Test func wholeConversationsInTheCorpusFormat() throws {
    let line = """
      {"id": "c9", "lang": "en", "participants": {"A": {"age": 31}, "B": {"age": 12}}, "messages": [\
      {"from": "A", "t": 0, "text": "ur so mature for ur age"}, {"from": "B", "t": 30, "text": "thx"},\
      {"from": "A", "t": 60, "text": "are ur parents home?"}, {"from": "A", "t": 90, "text": "dont tell anyone"}]}
      """
    let out = try #require(ConversationEvaluation.evaluate(line: line, engine: TestPack.engine))
    #expect(out["id"] == .string("c9"))
    #expect(out["flagged"] == .bool(true))
    #expect(out["flagged_at"] == .int(2))
    #expect(out["stages"] == .array([.string("risk_check"), .string("secrecy"), .string("flattery")]))
    #expect(out["risky_sender"] == .string("A"))
    let bad = ConversationEvaluation.evaluate(line: #"{"id": "c10", "messages": [{"from": "A"}]}"#, engine: TestPack.engine)
    #expect(bad?["error"]?["code"] == .string("invalid_argument"))
    #expect(bad?["id"] == .string("c10"))
  }

  /// `"sender_trusted"` on a line, as the stream's default (`check --sender-trusted`), and as a
  /// participant's `"trusted"` in a whole conversation.
  @Test func aTrustedSenderIsReadFromLinesDefaultsAndParticipants() throws {
    let ages = #""sender_age": 30, "recipient_age": 12"#
    var stream = CheckStream(engine: Self.engine)
    let plain = stream.process(line: #"{"id": 1, "text": "are ur parents home", "# + ages + "}")
    #expect(plain?["flagged"] == .bool(true))
    let trusted = stream.process(line: #"{"id": 2, "text": "are ur parents home", "sender_trusted": true, "# + ages + "}")
    #expect(trusted?["flagged"] == .bool(false) && trusted?["matches"] == .array([]))
    // Escapes in the text take the general path: the same answer.
    let escaped = stream.process(line: #"{"id": 3, "text": "are ur parents home\u0021", "sender_trusted": true, "# + ages + "}")
    #expect(escaped?["flagged"] == .bool(false))
    let bad = stream.process(line: #"{"id": 4, "text": "hi", "sender_trusted": "yes"}"#)
    #expect(bad?["error"]?["code"] == .string("invalid_value"))

    var trusting = CheckStream(engine: Self.engine, defaults: MessageContext(senderTrusted: true))
    #expect(trusting.process(line: #"{"text": "are ur parents home", "# + ages + "}")?["flagged"] == .bool(false))
    let overridden = trusting.process(line: #"{"text": "are ur parents home", "sender_trusted": false, "# + ages + "}")
    #expect(overridden?["flagged"] == .bool(true))

    func conversation(mum: String) -> String {
      """
      {"id": "f1", "participants": {"mum": \(mum), "kid": {"age": 12}}, "messages": [\
      {"from": "mum", "text": "ur so mature for ur age"}, {"from": "mum", "text": "are ur parents home?"}]}
      """
    }
    let out = try #require(ConversationEvaluation.evaluate(line: conversation(mum: #"{"age": 41, "trusted": true}"#), engine: TestPack.engine))
    #expect(out["flagged"] == .bool(false) && out["stages"] == .array([]))
    let untrusted = ConversationEvaluation.evaluate(line: conversation(mum: #"{"age": 41}"#), engine: TestPack.engine)
    #expect(untrusted?["flagged"] == .bool(true))
    // A message's own "sender_trusted" wins over its participant's; null leaves the participant's.
    let overriding = """
      {"id": "f2", "participants": {"mum": {"age": 41, "trusted": true}, "kid": {"age": 12}}, "messages": [\
      {"from": "mum", "text": "ur so mature for ur age", "sender_trusted": null},\
      {"from": "mum", "text": "are ur parents home?", "sender_trusted": false}]}
      """
    let mixed = try #require(ConversationEvaluation.evaluate(line: overriding, engine: TestPack.engine))
    #expect(mixed["stages"] == .array([.string("risk_check")]))
  }

  @Test func syntaxErrorsNameTheirLineInTheStream() throws {
    var stream = CheckStream(engine: Self.engine)
    let out = stream.process(line: #"{"id": "m2", "text": "#, lineNumber: 7)
    let message = try #require(out?["error"]?["message"]?.stringValue)
    #expect(message.hasPrefix("<input>:7:"))
  }

  /// The interventions' messages for a line, as a stream over the default packs worded in
  /// `streamLocale` answers it.
  static func messages(_ line: String, streamLocale: String = "en") throws -> [String] {
    var stream = CheckStream(engine: try SafetyEngine(SafetyEngine.Configuration(locale: streamLocale)))
    let processed = stream.process(line: line)
    let answer = try #require(processed)
    let interventions = try #require(answer["interventions"]?.arrayValue, "\(answer.serialized())")
    return interventions.compactMap { $0["message"]?.stringValue }
  }

  @Test func aLinesLanguageWordsItsInterventions() throws {
    let message = #""text": "no le digas a tus padres", "sender_age": 30, "recipient_age": 12"#
    let spanish = try Self.messages("{\(message)}", streamLocale: "es")
    let french = try Self.messages("{\(message)}", streamLocale: "fr")
    #expect(spanish != french && !spanish.isEmpty)
    // "lang" words the line when there are messages in that language (its region falls back).
    #expect(try Self.messages(#"{"lang": "es", "# + message + "}") == spanish)
    #expect(try Self.messages(#"{"lang": "es-MX", "# + message + "}", streamLocale: "de") == spanish)
    // "locale" words it whatever the language, and comes first.
    #expect(try Self.messages(#"{"locale": "es", "# + message + "}", streamLocale: "de") == spanish)
    #expect(try Self.messages(#"{"lang": "es", "locale": "fr", "# + message + "}") == french)
    // The same within a conversation.
    #expect(try Self.messages(#"{"lang": "es", "conversation": "c", "# + message + "}") == spanish)
  }

  @Test func aLanguageWithoutMessagesKeepsTheStreamsLocale() throws {
    let engine = try SafetyEngine(SafetyEngine.Configuration(locale: "es"))
    #expect(try engine.lineLocale(.object([("lang", .string("zz"))])) == nil)
    #expect(try engine.lineLocale(.object([("lang", .string("fr"))])) == "fr")
    #expect(try engine.lineLocale(.object([("lang", .string("ES"))])) == nil)
    #expect(throws: ChildSafeError.self) { try engine.lineLocale(.object([("locale", .string("not a locale"))])) }
    var stream = CheckStream(engine: engine)
    let bad = stream.process(line: #"{"id": 1, "text": "hi", "locale": "not a locale"}"#)
    #expect(bad?["error"]?["code"] == .string("invalid_value"))
  }
}
