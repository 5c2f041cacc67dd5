import Testing

@testable import ChildSafe

@Suite("Role inference: ages and roles read from messages")
struct RoleInferenceTests {
  let engine = TestPack.engine

  func cues(_ text: String) throws -> [RoleCue] { try engine.classifyReadingRoles(text).cues }

  /// The (kind, age, spanned text) of each cue; the text is looked up here, the cue holds bytes only.
  func read(_ text: String) throws -> [String] {
    let bytes = Array(text.utf8)
    return try cues(text).map { cue in
      let span = String(decoding: bytes[cue.start..<cue.end], as: UTF8.self)
      return "\(cue.kind.rawValue) \(cue.age.map(String.init) ?? "-") \(span)"
    }
  }

  @Test func selfDisclosuresInEnglishChatStyle() throws {
    #expect(try read("im 13") == ["self_age 13 13"])
    #expect(try read("i am only 12 lol") == ["self_age 12 12"])
    #expect(try read("14/f/cali") == ["self_age 14 14"])
    #expect(try read("asl? 15 f ny") == ["age_question - asl", "self_age 15 15"])
    #expect(try read("im 35 m") == ["self_age 35 35"])
    #expect(try read("f 16 here") == ["self_age 16 16"])
    #expect(try read("13yo") == ["self_age 13 13yo"])
    #expect(try read("i'm in 8th grade") == ["grade 13 8th grade"])
  }

  @Test func selfDisclosuresInTheOtherLanguages() throws {
    #expect(try read("ich bin 13 jahre alt") == ["self_age 13 13"])
    #expect(try read("j'ai 14 ans") == ["self_age 14 14"])
    #expect(try read("tengo 13 años") == ["self_age 13 13"])
    #expect(try read("ho 14 anni") == ["self_age 14 14"])
    #expect(try read("tenho 12 anos") == ["self_age 12 12"])
  }

  @Test func agesToldAboutTheOther() throws {
    #expect(try read("ur only 14") == ["other_age 14 14"])
    #expect(try read("you are 15?") == ["other_age 15 15"])
    #expect(try read("du bist erst 14") == ["other_age 14 14"])
    #expect(try read("tu as 13 ans") == ["other_age 13 13"])
  }

  @Test func questionsAndSignsOfLife() throws {
    #expect(try read("how old r u") == ["age_question - how old"])
    #expect(try read("wie alt bist du") == ["age_question - wie alt"])
    #expect(try read("my mom wont let me") == ["minor_life - mom"])
    #expect(try read("got grounded again") == ["minor_life - grounded"])
    #expect(try read("just got home from work") == ["adult_life - from work"])
    #expect(try read("my wife is asleep") == ["adult_life - my wife"])
    #expect(try read("your mom lol") == [])
  }

  @Test func numbersThatAreNotAges() throws {
    // Anonymised chat-room names, times, prices, durations, counts, heights.
    #expect(try read("10-19-20sUser7 is a gay name") == [])
    #expect(try read("hi 11-09-teensUser144") == [])
    #expect(try read("see u at 10:30") == [])
    #expect(try read("its $20") == [])
    #expect(try read("im 20 minutes away") == [])
    #expect(try read("i have 15 pics") == [])
    #expect(try read("been married for 14 years") == [])
    #expect(try read("that was 14 years ago") == [])
    #expect(try read("im 5'11") == [])
    #expect(try read("room 14 f") == [])
  }

  @Test func aBareNumberCountsOnlyAsAnAnswer() throws {
    #expect(try read("15") == ["bare_number 15 15"])
    var answered = engine.makeConversation()
    _ = try answered.add("how old r u", context: MessageContext(senderID: "A"))
    _ = try answered.add("15", context: MessageContext(senderID: "B"))
    #expect(answered.verdict.participants.first { $0.id == "B" }?.statedAge == 15)
    var unasked = engine.makeConversation()
    _ = try unasked.add("hey", context: MessageContext(senderID: "A"))
    _ = try unasked.add("15", context: MessageContext(senderID: "B"))
    #expect(unasked.verdict.participants.allSatisfy { $0.statedAge == nil })
  }
}
