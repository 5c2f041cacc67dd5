import Testing

@testable import ChildSafe

/// Answers written straight into bytes must be byte for byte the serialisation of their
/// `JSONValue` tree, which the daemon and the C API still build.
@Suite("Verdict JSON written unbuilt")
struct VerdictJSONWriterTests {
  static func expectSame(_ result: CheckResult, id: JSONValue, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    var written: [UInt8] = [0x5B]  // appended to, not replaced
    VerdictJSON.write(result, id: id, into: &written)
    var reference: [UInt8] = [0x5B]
    result.json(id: id).serialize(into: &reference)
    #expect(String(decoding: written, as: UTF8.self) == String(decoding: reference, as: UTF8.self), sourceLocation: sourceLocation)
  }

  static let texts = [
    "dont tell anyone", "are ur parents home? delete our chat after", "ur so mature, our little secret ok",
    "send me a pic on snap", "how old r u", "hi", "", "happy birthday!!! 🎉", "¿cuántos años tienes? no le digas a nadie",
  ]

  @Test func messagesWithAndWithoutInterventions() throws {
    let engine = SafetyEngine.defaults
    var contexts: [MessageContext] = []
    for (sender, recipient) in [(30, 12), (nil, nil), (14, 13), (40, 4), (30, 40)] as [(Int?, Int?)] {
      var context = MessageContext()
      context.senderAge = sender
      context.recipientAge = recipient
      contexts.append(context)
    }
    var query = MessageContext()
    query.context = .query
    contexts.append(query)
    let ids: [JSONValue] = [.null, .string("m\"1\\"), .int(-12), .number(0.5), .array([.bool(true), .object([("a", .null)])])]
    for (k, text) in Self.texts.enumerated() {
      for context in contexts {
        Self.expectSame(try engine.check(text, context: context), id: ids[k % ids.count])
      }
    }
  }

  @Test func conversationsWithParticipantsAndWordedInterventions() throws {
    let engine = try SafetyEngine(SafetyEngine.Configuration(locale: "pt-BR"))
    var session = engine.makeSession()
    for (k, text) in Self.texts.enumerated() {
      var context = MessageContext()
      context.conversationID = "c\"1"
      context.senderID = k % 3 == 0 ? "B" : "A"
      context.timestamp = Double(k) * 30.25
      context.recipientAge = 12
      if k == 4 { context.senderAge = 35 }
      Self.expectSame(try session.add(text, context: context), id: JSONValue.int(k))
    }
  }

  @Test func fixedNamesAreWrittenAsTheirEscapedStrings() {
    func escaped(_ name: String) -> String {
      var out: [UInt8] = []
      JSONValue.string(name).serialize(into: &out)
      return String(decoding: out, as: UTF8.self)
    }
    for risk in RiskLevel.allCases { #expect(VerdictJSON.quoted(risk).description == escaped(risk.description)) }
    for audience in Audience.allCases { #expect(VerdictJSON.quoted(audience).description == escaped(audience.rawValue)) }
    for kind in InterventionKind.allCases { #expect(VerdictJSON.quoted(kind).description == escaped(kind.rawValue)) }
  }
}
