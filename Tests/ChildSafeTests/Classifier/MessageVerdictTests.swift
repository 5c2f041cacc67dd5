import Testing

@testable import ChildSafe

@Suite("Message verdicts")
struct MessageVerdictTests {
  let engine = TestPack.engine

  @Test func cleanMessagesHaveNoSignals() throws {
    let v = try engine.classify("hey wyd rn? i just got home from school lol")
    #expect(v == .clean)
  }

  @Test func categoriesAreInCanonicalOrderAndScoreCombines() throws {
    let v = try engine.classify("are ur parents home? dont tell anyone. send me a pic", context: TestPack.adultToChild)
    #expect(v.categories == [.riskCheck, .secrecy, .imageRequest])
    // Noisy-or of the strongest weight per category: more than any single one, at most 1.
    let strongest = v.matches.map(\.weight).max() ?? 0
    #expect(v.score > strongest && v.score <= 1)
    #expect(v.risk >= .high)
    #expect(v.flagged)
  }

  @Test func theSameWordsWeighMoreFromAnAdultToAChild() throws {
    let text = "what are u wearing"
    let adult = try engine.classify(text, context: TestPack.adultToChild)
    let unknown = try engine.classify(text, context: MessageContext())
    let peers = try engine.classify(text, context: TestPack.peers)
    #expect(adult.score > unknown.score)
    #expect(unknown.score > peers.score)
    // Still a signal between peers, but not enough to act on.
    #expect(peers.categories == [.sexual])
    #expect(!peers.flagged)
    #expect(adult.flagged)
    // Unknown ages: cautious, neither ignored nor maximal.
    #expect(unknown.risk >= .low && unknown.score < adult.score)
  }

  @Test func peerDampingDependsOnTheAgeGap() throws {
    let text = "i can pick u up"
    let close = try engine.classify(text, context: MessageContext(senderAge: 15, recipientAge: 13))
    let far = try engine.classify(text, context: MessageContext(senderAge: 17, recipientAge: 12))
    #expect(close.score < far.score)
    // Threats are not damped between peers.
    let threat = "send it or ill post ur pics"
    let peerThreat = try engine.classify(threat, context: TestPack.peers)
    let unknownThreat = try engine.classify(threat)
    #expect(peerThreat.categories.contains(.coercion))
    #expect(peerThreat.score >= unknownThreat.score * 0.9)
  }

  @Test func riskLevelsFollowTheScore() {
    let policy = ScoringPolicy.default
    #expect(policy.risk(for: 0, hasSignals: false) == .none)
    #expect(policy.risk(for: 0.2, hasSignals: true) == .low)
    #expect(policy.risk(for: 0.5, hasSignals: true) == .medium)
    #expect(policy.risk(for: 0.8, hasSignals: true) == .high)
    #expect(policy.risk(for: 0.95, hasSignals: true) == .critical)
  }

  @Test func declaredCategoriesAreReported() throws {
    let v = try engine.classify("prove that u trust me")
    #expect(v.categories == [Category("compliance_testing")])
  }

  @Test func explainReportsCancelledAndMissingRules() throws {
    let e = try engine.explain("dont tell anyone about the surprise party, send the pic")
    let outcomes = Dictionary(uniqueKeysWithValues: e.evaluations.map { ($0.rule.id, $0.outcome) })
    #expect(outcomes["t.secrecy"] == .cancelled(.alternatives([.word("surprise"), .word("party"), .word("birthday"), .word("present")])))
    if case .missingAll = outcomes["t.image"] {} else { Issue.record("t.image should miss its all: pattern") }
    #expect(e.verdict == .clean)
    #expect(e.tokens.map(\.text).prefix(3) == ["dont", "tell", "anyone"])
  }

  @Test func invalidUTF8IsAClearError() {
    let bytes: [UInt8] = [0x68, 0x69, 0xFF]
    #expect {
      _ = try bytes.withUnsafeBufferPointer { try engine.classify(utf8: $0) }
    } throws: { ($0 as? ChildSafeError)?.code == .invalidUTF8 }
  }

  @Test func engineIsSendableAndSharedAcrossTasks() async throws {
    let engine = self.engine
    let results = try await withThrowingTaskGroup(of: Bool.self) { group in
      for _ in 0..<8 { group.addTask { try engine.classify("dont tell anyone").flagged } }
      var all: [Bool] = []
      for try await r in group { all.append(r) }
      return all
    }
    #expect(results.count == 8 && Set(results).count == 1)
  }
}

@Suite("Verdict spans on arbitrary input")
struct VerdictSpanPropertyTests {
  /// Every reported span lies inside the input and on UTF-8 character boundaries, whatever the text.
  @Test func spansStayInBoundsOnRandomText() throws {
    let pieces = [
      "dont", "tell", "anyone", "send", "me", "a", "pic", "u", "13", "😍", "\u{200B}", "ｓｅｎｄ", "ρіс", "s.e.c.r.e.t",
      "t3ll", "!!!", "é", "\u{0301}", "how", "old", "r", "our", "secret", "@x", "a.com", "  ", "\n", "surprise",
    ]
    var rng = SystemRandomNumberGenerator()
    let engine = TestPack.engine
    for _ in 0..<300 {
      var text = ""
      for _ in 0..<Int.random(in: 1...25, using: &rng) {
        let piece = pieces.randomElement(using: &rng) ?? ""
        // A mark or zero-width character at the very start is a known normaliser issue (below).
        if text.isEmpty && (piece == "\u{0301}" || piece == "\u{200B}") { continue }
        text += piece
        if Bool.random(using: &rng) { text += " " }
      }
      let verdict = try engine.classify(text, context: MessageContext(senderAge: 30, recipientAge: 12))
      let bytes = Array(text.utf8)
      for m in verdict.matches {
        #expect(0 <= m.start && m.start < m.end && m.end <= bytes.count, "span \(m.start)..<\(m.end)")
        if m.start < bytes.count { #expect(bytes[m.start] & 0xC0 != 0x80, "\(text.unicodeScalars.map { String($0.value, radix: 16) })") }
        if m.end < bytes.count { #expect(bytes[m.end] & 0xC0 != 0x80) }
      }
      #expect(verdict.score >= 0 && verdict.score <= 1)
      #expect(verdict.flagged == (verdict.risk >= .medium))
    }
  }
}

extension VerdictSpanPropertyTests {
  /// A combining mark or zero-width character at the very start of the input shifts the
  /// normaliser's spans ("\u{0301} our secret": "our" reported at 1..<4 instead of 3..<6).
  /// Reported to the normaliser's owner; this test fails (known issue not recorded) once fixed.
  @Test(arguments: ["\u{0301} our secret", "\u{200B} our secret"])
  func leadingInvisibleCharacterSpans(text: String) throws {
    let verdict = try TestPack.engine.classify(text)
    let match = try #require(verdict.matches.first)
    let expectedStart = text.utf8.count - "our secret".utf8.count
    withKnownIssue("normaliser: a leading mark or zero-width character shifts token spans") {
      #expect(match.start == expectedStart && match.end == text.utf8.count)
    }
  }
}
