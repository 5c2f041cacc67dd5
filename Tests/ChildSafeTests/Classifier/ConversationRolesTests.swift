import Testing

@testable import ChildSafe

@Suite("Conversation roles: who is the child, who is the adult")
struct ConversationRolesTests {
  let engine = TestPack.engine

  /// Feeds (sender, text) pairs with no ages from the host.
  func run(_ messages: [(String?, String)], ages: [String: Int] = [:]) throws -> ConversationVerdict {
    var tracker = engine.makeConversation()
    let ids = Set(messages.compactMap(\.0))
    for (from, text) in messages {
      var context = MessageContext(senderID: from)
      if let from {
        context.senderAge = ages[from]
        let others = ids.subtracting([from])
        if others.count == 1 { context.recipientAge = ages[others.first!] }
      }
      _ = try tracker.add(text, context: context)
    }
    return tracker.verdict
  }

  /// The same tactics from A; only what B and A say about themselves differs.
  func tactics(adult: String, minor: String) -> [(String?, String)] {
    [
      ("A", "hey asl"), ("B", minor), ("A", adult), ("A", "ur so mature for ur age"),
      ("A", "dont tell anyone about us"), ("B", "ok"), ("A", "send me a pic"),
    ]
  }

  @Test func disclosedAdultToMinorWeighsLikeHostAges() throws {
    let inferred = try run(tactics(adult: "im 35 m", minor: "13 f"))
    let given = try run(tactics(adult: "ok", minor: "ok"), ages: ["A": 35, "B": 13])
    let unknown = try run(tactics(adult: "ok", minor: "ok"))
    #expect(inferred.pairing == .adultToMinor)
    #expect(inferred.flagged)
    #expect(inferred.score > unknown.score)
    #expect(abs(inferred.score - given.score) < 0.15)
    let a = try #require(inferred.participants.first { $0.id == "A" })
    let b = try #require(inferred.participants.first { $0.id == "B" })
    #expect(a.role == .adult && a.statedAge == 35)
    #expect(b.role == .minor && b.statedAge == 13)
    #expect(b.evidence.first == RoleEvidence(message: 1, cue: .selfAge, age: 13, start: 0, end: 2))
  }

  @Test func twoAdultsAreNotGrooming() throws {
    let adults = try run(tactics(adult: "im 35 m", minor: "im 32 f, just got home from work"))
    let minor = try run(tactics(adult: "im 35 m", minor: "im 13 f"))
    #expect(adults.pairing == .adults)
    #expect(!adults.flagged)
    #expect(adults.score < minor.score)
  }

  @Test func closeAgesAreNotAdultToMinor() throws {
    let close = try run(tactics(adult: "im 19", minor: "17 f"))
    #expect(close.pairing != .adultToMinor)
  }

  @Test func agesToldAboutTheOtherCount() throws {
    let verdict = try run([("A", "hi"), ("B", "hey"), ("A", "ur only 14 right"), ("A", "dont tell anyone about us")])
    let b = try #require(verdict.participants.first { $0.id == "B" })
    #expect(b.role == .minor && b.statedAge == 14)
    #expect(b.evidence.first?.cue == .otherAge && b.evidence.first?.message == 2)
  }

  @Test func hostAgesWinAndDisagreementIsItsOwnSignal() throws {
    // The host says B is 12; B claims 18 (a child claiming to be an adult).
    let verdict = try run([("A", "hey"), ("B", "im 18"), ("A", "dont tell anyone about us")], ages: ["A": 30, "B": 12])
    #expect(verdict.ageConflict)
    let b = try #require(verdict.participants.first { $0.id == "B" })
    #expect(b.role == .minor && b.hostAge == 12 && b.statedAge == 18 && b.ageConflict)
    let agreeing = try run([("A", "hey"), ("B", "im 12")], ages: ["A": 30, "B": 12])
    #expect(!agreeing.ageConflict)
  }

  @Test func stagesAreAttributedPerParticipant() throws {
    let verdict = try run(tactics(adult: "im 35 m", minor: "13 f"))
    let a = try #require(verdict.participants.first { $0.id == "A" })
    #expect(a.stages.map(\.stage) == [.rapport, .exclusivity, .contact])
    #expect(a.stages.map(\.message) == [0, 4, 6])
    let b = try #require(verdict.participants.first { $0.id == "B" })
    #expect(b.stages.isEmpty)
  }

  @Test func mirroredBanterWeighsLessThanOneSidedTactics() throws {
    let oneSided = try run([("A", "what r u wearing"), ("B", "lol"), ("A", "add me on snap"), ("B", "ok")])
    let mirrored = try run([
      ("A", "what r u wearing"), ("B", "what r u wearing"), ("A", "add me on snap"), ("B", "add me on snap"),
    ])
    #expect(mirrored.score < oneSided.score)
  }

  @Test func aWindowWithoutSpeakersStillShowsBothSides() throws {
    // A chat run together in one message: the ages belong to both sides, speakers unknown.
    let window = try run([(nil, "hey asl? 13 f. im 35 m. ur so mature for ur age, dont tell anyone about us, send me a pic")])
    let adults = try run([(nil, "hey asl? 31 f. im 35 m. ur so mature for ur age, dont tell anyone about us, send me a pic")])
    #expect(window.pairing == .adultToMinor)
    #expect(adults.pairing == .adults)
    #expect(window.flagged)
    #expect(adults.score < window.score)
  }

  @Test func anAnsweredAgeQuestionWeighsLessUnlessTheAnswerIsAMinorsToAnAdult() throws {
    // B is 19 in both; only whether the question got an age for answer differs.
    let known = try run([("B", "im 19"), ("A", "how old r u"), ("B", "hmm"), ("A", "what r u wearing")])
    let answered = try run([("A", "how old r u"), ("B", "19"), ("A", "what r u wearing")])
    #expect(answered.score < known.score)
    // A child's answer to an adult makes the probe count in full, and the pairing weigh more.
    let unanswered = try run([("A", "how old r u"), ("B", "hmm"), ("A", "what r u wearing")])
    let child = try run([("A", "how old r u"), ("B", "12"), ("A", "im 30"), ("A", "what r u wearing")])
    #expect(child.pairing == .adultToMinor)
    #expect(child.score > unanswered.score)
  }

  @Test func chatRoomNamesAndAdultIntroductionsRaiseNothing() throws {
    // An NPS-style room: anonymised names with digits, adults introducing themselves to the room.
    let room = try run([
      ("u1", "hi 10-19-20sUser7"), ("u2", "26/ m/ ky women pm me"), ("u3", "10-19-20sUser59 lol"),
      ("u2", "add me on snap"), ("u4", "18/m any girls here"),
    ])
    #expect(room.pairing != .adultToMinor)
    #expect(!room.flagged)
    #expect(room.participants.first { $0.id == "u1" }?.evidence.isEmpty == true)
    #expect(room.participants.first { $0.id == "u2" }?.statedAge == 26)
  }

  @Test func verdictJSONListsRolesWithSpansAndNoText() throws {
    let verdict = try run(tactics(adult: "im 35 m", minor: "13 f"))
    let json = JSONValue.object(VerdictJSON.conversation(verdict)).serialized()
    #expect(json.contains("\"pairing\":\"adult_to_minor\""))
    #expect(json.contains("\"cue\":\"self_age\""))
    #expect(json.contains("\"stage\":\"exclusivity\""))
    for word in ["mature", "tell", "asl", "pic"] { #expect(!json.contains(word)) }
  }
}
