import Foundation
import Testing

@testable import ChildSafe

@Suite("Pattern features")
struct PatternMatchingTests {
  func fires(_ rules: String, _ text: String) throws -> Bool {
    try !TestPack.engine(rules).classify(text).matches.isEmpty
  }

  @Test func literalWordsAreNormalisedLikeMessages() throws {
    let rule = "rule x secrecy 0.5\n  match: Don't TELL Ányone\n"
    #expect(try fires(rule, "dont tell anyone"))
    #expect(try fires(rule, "D0N'T t3ll any0ne!!"))
    #expect(try fires(rule, "ｄｏｎｔ ｔｅｌｌ ａｎｙｏｎｅ"))
    #expect(try !fires(rule, "dont tell me"))
  }

  @Test func sequencesAreAdjacentTokens() throws {
    let rule = "rule x secrecy 0.5\n  match: our secret\n"
    #expect(try fires(rule, "this is our secret ok"))
    #expect(try !fires(rule, "our big secret"))
    #expect(try !fires(rule, "secret our"))
  }

  @Test func alternativesAndOptionalGroups() throws {
    let rule = "rule x secrecy 0.5\n  match: (keep|hide) (this|it) (between us | from (ur|your)? mom)\n"
    #expect(try fires(rule, "keep this between us"))
    #expect(try fires(rule, "hide it from mom"))
    #expect(try fires(rule, "hide it from your mom"))
    #expect(try !fires(rule, "hide it between them"))
    let topLevel = "rule y secrecy 0.5\n  match: asl | a s l please\n"
    #expect(try fires(topLevel, "asl?"))
    #expect(try fires(topLevel, "a s l please"))
  }

  @Test func prefixWildcards() throws {
    let rule = "rule x image_request 0.5\n  match: send pic*\n"
    #expect(try fires(rule, "send pics"))
    #expect(try fires(rule, "send picture"))
    #expect(try fires(rule, "send pic"))
    #expect(try !fires(rule, "send pi"))
    #expect(try !fires(rule, "send epic"))
  }

  @Test func boundedGaps() throws {
    let rule = "rule x image_request 0.5\n  match: send ..2 pic\n"
    #expect(try fires(rule, "send pic"))
    #expect(try fires(rule, "send me a pic"))
    #expect(try !fires(rule, "send me a nice pic"))
    let ellipsis = "rule y image_request 0.5\n  match: send ... pic\n"
    #expect(try fires(ellipsis, "send me a really nice pic"))
    #expect(try !fires(ellipsis, "send me a really really nice pic"))
  }

  @Test func numbersAndRanges() throws {
    let rule = "rule x age_probe 0.5\n  match: (im|i am) <num 8-17>\n"
    #expect(try fires(rule, "im 13"))
    #expect(try fires(rule, "i am 13yo"))
    #expect(try !fires(rule, "im 25"))
    #expect(try !fires(rule, "im seven"))
    let any = "rule y age_probe 0.5\n  match: grade <num>\n"
    #expect(try fires(any, "grade 8"))
  }

  @Test func tokenKindsAndAnyToken() throws {
    #expect(try fires("rule a platform_switch 0.5\n  match: join me <any>? <url>\n", "join me at example.com/room"))
    #expect(try fires("rule a platform_switch 0.5\n  match: join me <any>? <url>\n", "join me example.com"))
    #expect(try !fires("rule a platform_switch 0.5\n  match: join me <any>? <url>\n", "join me at the park"))
    #expect(try fires("rule b platform_switch 0.5\n  match: my snap is <handle>\n", "my snap is @cool_kid"))
    #expect(try fires("rule c personal_info 0.5\n  match: email me at <email>\n", "email me at a@b.example"))
    #expect(try fires("rule d flattery 0.5\n  match: so cute <emoji>\n", "ur so cute 😍"))
  }

  @Test func quotedLiterals() throws {
    let rule = "rule x gifts 0.5\n  match: \"v-bucks\" (for|4) (u|you)\n"
    #expect(try fires(rule, "free v-bucks for u"))
  }

  @Test func allUnlessAndLower() throws {
    let engine = TestPack.engine
    // all: the image rule needs a person word somewhere in the message.
    #expect(engine.classifyIDs("can u send the pic") == ["t.image"])
    #expect(engine.classifyIDs("send the pic") == [])
    // unless: hard negatives cancel.
    #expect(engine.classifyIDs("can u send me the homework pic") == [])
    #expect(engine.classifyIDs("dont tell mom about the surprise party") == [])
    #expect(engine.classifyIDs("dont tell mom ok") == ["t.secrecy"])
    // lower: an adult age in the same message lowers the weight.
    let young = try engine.classify("u 14?")
    let lowered = try engine.classify("u 14? im 25")
    #expect(young.matches.first?.rule == "t.age")
    let w1 = try #require(young.matches.first?.weight)
    let w2 = try #require(lowered.matches.first?.weight)
    #expect(abs(w2 - w1 * 0.3) < 0.001)
  }

  @Test func numbersGluedToNumbersAreNoAges() throws {
    let age = "rule x age_probe 0.5\n  match: (u|you|ya) <num 8-17>\n"
    #expect(try fires(age, "u 13?"))
    #expect(try fires(age, "u 13/f?"))
    #expect(try fires(age, "r u 14 or 15"))
    // Times, dates, scores, ranges and user names: no age.
    for text in ["see u 10:30", "c u 10.30 tomorrow", "see you 10/12 at the game", "thank u 10-19-30sUser31", "u 13-14?"] {
      #expect(try !fires(age, text), "\(text)")
    }
    // A number alone, and the parts of a phone number, still match.
    #expect(try fires("rule x personal_info 0.5\n  match: u <num>\n", "see u 10:30"))
    let phone = "rule x platform_switch 0.5\n  match: <num 100-999> <num 100-999> <num 1000-9999>\n"
    #expect(try fires(phone, "call me 248-669-1234"))
    #expect(try fires(phone, "call me 248 669 1234"))
  }

  @Test func audienceAdultToMinor() throws {
    let engine = TestPack.engine
    let text = "ur so mature for ur age"
    #expect(try engine.classify(text, context: TestPack.adultToChild).ruleIDs == ["t.flattery"])
    #expect(try engine.classify(text, context: MessageContext()).ruleIDs == ["t.flattery"])
    #expect(try engine.classify(text, context: TestPack.peers).ruleIDs == [])
    // A minor much older than the recipient is not a peer.
    #expect(try engine.classify(text, context: MessageContext(senderAge: 17, recipientAge: 11)).ruleIDs == ["t.flattery"])
  }

  @Test func spansPointIntoTheOriginalText() throws {
    let text = "hey 😊 D.O.N.T   t3ll   ＡＮＹＯＮＥ pls"
    let verdict = try TestPack.engine.classify(text)
    let match = try #require(verdict.matches.first)
    let bytes = Array(text.utf8)
    #expect(String(decoding: bytes[match.start..<match.end], as: UTF8.self) == "D.O.N.T   t3ll   ＡＮＹＯＮＥ")
  }

  /// The text each rule's span covers.
  func spans(_ rules: String, _ text: String) throws -> [String: String] {
    let bytes = Array(text.utf8)
    var out: [String: String] = [:]
    for match in try TestPack.engine(rules).classify(text).matches {
      out[match.rule] = String(decoding: bytes[match.start..<match.end], as: UTF8.self)
    }
    return out
  }

  @Test func spansAreLeftmostThenLongest() throws {
    // The earliest start wins even when a later one would reach the same words sooner.
    let gap = "rule g image_request 0.5\n  match: send ..3 pic\n"
    #expect(try spans(gap, "send send x pic") == ["g": "send send x pic"])
    // A start whose run dies does not hide a later one that completes.
    let late = "rule l image_request 0.5\n  match: send me (a|the) pic\n"
    #expect(try spans(late, "send me now send me a pic") == ["l": "send me a pic"])
    // At the same start the longest match is reported.
    let longest = "rule k secrecy 0.5\n  match: keep (it|it secret|it secret from)\n"
    #expect(try spans(longest, "keep it secret from mom") == ["k": "keep it secret from"])
    // Patterns of different rules that share words each get their own span, in one pass.
    let shared = """
      rule a image_request 0.5
        match: send me
      rule b image_request 0.5
        match: me ..2 pic
      rule c image_request 0.5
        match: pic (now|tonight)
      """
    #expect(try spans(shared, "send me a pic now") == ["a": "send me", "b": "me a pic", "c": "pic now"])
    // A gap's window closes: past it, the earliest start that still fits is used.
    let window = "rule w image_request 0.5\n  match: send ..2 pic\n"
    #expect(try spans(window, "send x y z send q pic") == ["w": "send q pic"])
    #expect(try spans(window, "send x y z w pic").isEmpty)
  }

  @Test func languagesSelectPacksPlusCommonRules() throws {
    let engine = TestPack.engine
    let spanish = "no le digas a nadie"
    #expect(try engine.classify(spanish, context: MessageContext(language: "es")).ruleIDs == ["es.secreto"])
    #expect(try engine.classify(spanish, context: MessageContext(language: "en")).ruleIDs == [])
    #expect(try engine.classify(spanish).ruleIDs == ["es.secreto"])
    let handle = "my snap is @someone"
    #expect(try engine.classify(handle, context: MessageContext(language: "es")).ruleIDs == ["c.handle"])
    #expect(try engine.classify(handle, context: MessageContext(language: "en-GB")).ruleIDs == ["c.handle"])
  }

  @Test func directoryExtendsOrReplacesTheDefaults() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("childsafe-rules-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    try "@pack xx\nrule xx.one secrecy 0.5\n  match: hush\n".write(
      to: dir.appendingPathComponent("xx.rules"), atomically: true, encoding: .utf8)
    let replaced = try ClassifierEngine(directory: dir.path, mode: .replace)
    let extended = try ClassifierEngine(directory: dir.path, mode: .extend)
    #expect(replaced.ruleCount == 1)
    #expect(extended.ruleCount == 1 + ClassifierEngine.defaults.ruleCount)
    // A file with the same path as an embedded one replaces it.
    let merged = try ClassifierEngine.ruleFiles(directory: TestPack.directory, mode: .extend)
    let fixture = try String(contentsOfFile: TestPack.directory + "/grooming/en.rules", encoding: .utf8)
    #expect(merged.text(at: "grooming/en.rules") == fixture)
    #expect(throws: ChildSafeError.self) { try ClassifierEngine(directory: "/nonexistent/rules") }
  }

  /// Linear cost: the number of NFA steps grows in proportion to the input, even on input built
  /// to start many overlapping partial matches of gapped patterns.
  @Test func matchingCostIsLinearInTokens() throws {
    let engine = try TestPack.engine(
      """
      rule a image_request 0.5
        match: send ..8 (pic*|photo*) ..8 (now|tonight)
      rule b secrecy 0.5
        match: (dont|do not)? tell ..8 (tell|anyone)? ..8 zzz
      rule c secrecy 0.5
        match: <any> ..8 <any> ..8 <emoji> ..8 never
      """)
    func steps(_ n: Int) throws -> Int {
      // Every word the patterns need occurs (at the start), so no pattern is filtered out, but
      // never in an order that completes a match: every start is a partial match that must die.
      let unit = "send tell pictures tell anyone 😀 "
      return try engine.matchingSteps("now zzz never " + String(repeating: unit, count: n))
    }
    let small = try steps(200)
    let large = try steps(800)
    #expect(small > 0)
    // Exactly linear would be 4x; allow a little for the ends of the text.
    #expect(Double(large) <= 4.2 * Double(small), "steps: \(small) for n, \(large) for 4n")
    #expect(Double(large) >= 3.8 * Double(small))
  }

  @Test func inputLimitIsAClearError() {
    let huge = String(repeating: "a", count: Normalizer.defaultMaximumInputBytes + 1)
    #expect {
      _ = try TestPack.engine.classify(huge)
    } throws: { error in
      (error as? ChildSafeError)?.code == .inputTooLarge
    }
  }
}

extension ClassifierEngine {
  func classifyIDs(_ text: String) -> [String] {
    ((try? classify(text)) ?? .clean).ruleIDs
  }
}
