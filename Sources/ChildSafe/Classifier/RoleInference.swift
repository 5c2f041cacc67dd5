/// What one message says about who is talking: ages told, age questions, signs of a child's or an
/// adult's life. Spans only (UTF-8 bytes of the original text), never text.
public struct RoleCue: Sendable, Hashable {
  /// What the cue is evidence of.
  public enum Kind: String, Sendable, Hashable {
    /// The sender tells their age: "im 13", "14/f/cali", "ich bin 13", "j'ai 14 ans".
    case selfAge = "self_age"
    /// The sender's school year, as an age: "i'm in 8th grade" (13).
    case grade
    /// The sender tells the other's age: "ur only 14", "du bist 14", "tienes 14".
    case otherAge = "other_age"
    /// A message that is little more than a number ("15", "14 ok"): an age when it answers an age question.
    case bareNumber = "bare_number"
    /// An age question: "asl", "how old r u", "wie alt", "quel age".
    case ageQuestion = "age_question"
    /// A sign of a child's life: "my mom wont let me", "homework", "grounded", "middle school".
    case minorLife = "minor_life"
    /// A sign of an adult's life: "my wife", "at work", "my kids", "paycheck".
    case adultLife = "adult_life"
  }

  public var kind: Kind
  /// The age told, for `selfAge`, `grade`, `otherAge` and `bareNumber`.
  public var age: Int?
  public var start: Int
  public var end: Int

  public init(kind: Kind, age: Int? = nil, start: Int, end: Int) {
    self.kind = kind
    self.age = age
    self.start = start
    self.end = end
  }
}

/// Reads ``RoleCue``s from a message's normalised tokens in one pass (each token looks at most two
/// tokens back and two ahead), with the original bytes to tell ages from times, prices and ids.
enum RoleReader {
  /// Most cues kept from one message (the first ones).
  static let maximumCues = 8
  /// Ages outside this range are not read from numbers.
  static let ages = 10...79

  static func read(_ tokens: TokenView, original bytes: UnsafeBufferPointer<UInt8>) -> [RoleCue] {
    let count = tokens.count
    guard count > 0 else { return [] }
    let words = RoleWords.shared
    var cues: [RoleCue] = []
    var sawMinorLife = false
    var sawAdultLife = false
    var sawQuestion = false
    // The hashes of the last two tokens and the next one, slid along (numbers hash too).
    var previous2: UInt64 = 0
    var previous: UInt64 = 0
    var current = hash(tokens, 0)
    for i in 0..<count {
      let next = i + 1 < count ? hash(tokens, i + 1) : 0
      let token = tokens[i]
      let start = Int(token.start)
      let end = Int(token.end)
      func append(_ cue: RoleCue) { if cues.count < maximumCues { cues.append(cue) } }
      if let number = NumberShape(bytes, start: start, end: end) {
        if let cue = ageCue(
          number, at: i, count: count, tokens: tokens, words: words, previous2: previous2, previous: previous,
          next: next, start: start, end: end)
        {
          append(cue)
        }
      } else if token.kind == .word && token.textCount <= 16 {
        let kind = words.kind(current)
        if let phrase = previous == 0 ? nil : words.phrase(previous, current) {
          switch phrase {
          case .ageQuestion where !sawQuestion:
            sawQuestion = true
            append(RoleCue(kind: .ageQuestion, start: Int(tokens[i - 1].start), end: end))
          case .minor where !sawMinorLife:
            sawMinorLife = true
            append(RoleCue(kind: .minorLife, start: Int(tokens[i - 1].start), end: end))
          case .adult where !sawAdultLife:
            sawAdultLife = true
            append(RoleCue(kind: .adultLife, start: Int(tokens[i - 1].start), end: end))
          default: break
          }
        }
        if kind.contains(.ageQuestion) && !sawQuestion {
          sawQuestion = true
          append(RoleCue(kind: .ageQuestion, start: start, end: end))
        }
        if !sawMinorLife
          && (kind.contains(.minorWord) || (kind.contains(.parent) && !words.kind(previous).contains(.othersPossessive)))
        {
          sawMinorLife = true
          append(RoleCue(kind: .minorLife, start: start, end: end))
        }
        if kind.contains(.adultWord) && !sawAdultLife {
          sawAdultLife = true
          append(RoleCue(kind: .adultLife, start: start, end: end))
        }
      }
      previous2 = previous
      previous = current
      current = next
    }
    return cues
  }

  /// The cue a number makes with its neighbours, if it is an age.
  static func ageCue(
    _ number: NumberShape, at i: Int, count: Int, tokens: TokenView, words: RoleWords, previous2: UInt64,
    previous: UInt64, next: UInt64, start: Int, end: Int
  ) -> RoleCue? {
    let before = words.kind(previous)
    let after = words.kind(next)
    // "8th grade", "in grade 8", "8. klasse".
    if (number.ordinal || number.suffix == .none) && after.contains(.grade) {
      guard (1...12).contains(number.value) else { return nil }
      return RoleCue(kind: .grade, age: number.value + 5, start: start, end: Int(tokens[i + 1].end))
    }
    if before.contains(.grade) && number.suffix == .none {
      guard (1...12).contains(number.value) else { return nil }
      return RoleCue(kind: .grade, age: number.value + 5, start: Int(tokens[i - 1].start), end: end)
    }
    if before.contains(.notAgeBefore) || after.contains(.notAgeAfter) { return nil }
    guard ages.contains(number.value), !number.ordinal else { return nil }
    // "14 years ago".
    if after.contains(.ageUnit), i + 2 < count, words.kind(hash(tokens, i + 2)).contains(.notAgeAfter) { return nil }
    // An intro, perhaps with a filler before the number: "im only 13", "ur only 14".
    let introIndex = before.contains(.filler) && i >= 2 ? i - 2 : i - 1
    let introHash = introIndex == i - 1 ? previous : previous2
    let intro = words.kind(introHash)
    if intro.contains(.otherIntro) || (introHash == are && introIndex >= 1 && isYou(hash(tokens, introIndex - 1))) {
      return RoleCue(kind: .otherAge, age: number.value, start: start, end: end)
    }
    if intro.contains(.selfIntro) || after.contains(.ageUnit) || number.suffix == .unit {
      return RoleCue(kind: .selfAge, age: number.value, start: start, end: end)
    }
    // a/s/l answers: "14 f", "14/f/cali", "13f", "f 14".
    if after.contains(.sex) || number.suffix == .sex || (before.contains(.sex) && !before.contains(.selfIntro)) {
      return RoleCue(kind: .selfAge, age: number.value, start: start, end: end)
    }
    if i == 0 && count <= 3 && number.suffix == .none {
      return RoleCue(kind: .bareNumber, age: number.value, start: start, end: end)
    }
    return nil
  }

  static let are = RoleWords.hash("are".utf8)
  static let you = RoleWords.hash("you".utf8)
  static let u = RoleWords.hash("u".utf8)

  /// "you are 14", "u are 14" (not "are you 14", a question).
  static func isYou(_ word: UInt64) -> Bool { word == you || word == u }

  @inline(__always)
  static func hash(_ tokens: TokenView, _ i: Int) -> UInt64 {
    RoleWords.hash(tokens.bytes(tokens[i]))
  }
}

/// The digits a token starts with in the original text, and what follows them, for tokens that
/// begin with a digit ("13", "13yo", "8th", "14f"), with what touches them ruling out times
/// ("10:30"), prices ("$20"), ranges and ids ("10-19-20sUser7"), decimals and heights ("5'11").
struct NumberShape {
  enum Suffix { case none, unit, sex, other }
  var value: Int
  var suffix: Suffix
  var ordinal: Bool

  init?(_ bytes: UnsafeBufferPointer<UInt8>, start: Int, end: Int) {
    guard start < end, end <= bytes.count, NumberShape.isDigit(bytes[start]) else { return nil }
    if start > 0 {
      switch bytes[start - 1] {
      case UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: "$"), UInt8(ascii: "#"), UInt8(ascii: "."),
        UInt8(ascii: ","), UInt8(ascii: "+"), UInt8(ascii: "@"), UInt8(ascii: "_"), UInt8(ascii: "'"):
        return nil
      case let b where NumberShape.isLetterOrDigit(b): return nil
      default: break
      }
    }
    var k = start
    var value = 0
    while k < end, NumberShape.isDigit(bytes[k]) {
      value = value * 10 + Int(bytes[k] - UInt8(ascii: "0"))
      k += 1
      if k - start > 2 { return nil }
    }
    // The rest of the token, lower case ASCII, at most 4 letters.
    var rest: UInt32 = 0
    var length = 0
    while k < end {
      let b = bytes[k] | 0x20
      guard b >= UInt8(ascii: "a"), b <= UInt8(ascii: "z"), length < 4 else { return nil }
      rest = rest << 8 | UInt32(b)
      length += 1
      k += 1
    }
    if end < bytes.count {
      let after = bytes[end]
      let afterThat = end + 1 < bytes.count ? bytes[end + 1] : 0
      switch after {
      case UInt8(ascii: "%"), UInt8(ascii: "$"), UInt8(ascii: "_"), UInt8(ascii: "'"), UInt8(ascii: "\""),
        UInt8(ascii: "+"), UInt8(ascii: "@"):
        return nil
      case UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: "/"):
        if NumberShape.isDigit(afterThat) { return nil }
      default: break
      }
    }
    self.value = value
    ordinal = false
    switch (length, rest) {
    case (0, _): suffix = .none
    case (1, UInt32(UInt8(ascii: "m"))), (1, UInt32(UInt8(ascii: "f"))), (1, UInt32(UInt8(ascii: "w"))):
      suffix = .sex
    case (1, UInt32(UInt8(ascii: "y"))), (1, UInt32(UInt8(ascii: "j"))), (2, NumberShape.pack("yo")),
      (2, NumberShape.pack("yr")), (3, NumberShape.pack("yrs")):
      suffix = .unit
    case (2, NumberShape.pack("th")), (2, NumberShape.pack("st")), (2, NumberShape.pack("nd")),
      (2, NumberShape.pack("rd")):
      suffix = .none
      ordinal = true
    default: suffix = .other
    }
    if suffix == .other { return nil }
  }

  static func pack(_ s: StaticString) -> UInt32 {
    var v: UInt32 = 0
    s.withUTF8Buffer { for b in $0 { v = v << 8 | UInt32(b) } }
    return v
  }

  @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
  @inline(__always) static func isLetterOrDigit(_ b: UInt8) -> Bool {
    isDigit(b) || (b | 0x20 >= UInt8(ascii: "a") && b | 0x20 <= UInt8(ascii: "z"))
  }
}

extension ClassifierEngine {
  /// Classifies one message and reads its ``RoleCue``s from the same tokens (one normalisation).
  public func classifyReadingRoles(_ text: String, context: MessageContext = MessageContext()) throws(ChildSafeError)
    -> (verdict: MessageVerdict, cues: [RoleCue])
  {
    var copy = text
    let result = copy.withUTF8 { bytes in
      Result { () throws(ChildSafeError) in try classifyReadingRoles(utf8: bytes, context: context) }
    }
    return try result.get()
  }

  /// ``classifyReadingRoles(_:context:)`` for UTF-8 bytes.
  public func classifyReadingRoles(utf8 bytes: UnsafeBufferPointer<UInt8>, context: MessageContext = MessageContext())
    throws(ChildSafeError) -> (verdict: MessageVerdict, cues: [RoleCue])
  {
    let compiled = self.compiled
    let policy = MessageScoring(self.policy)
    let models = self.models
    let (first, cues) = try normalizer.withTokens(
      utf8: bytes, segmentingDictionaryRuns: compiled.matcher.mayMatchDictionaryScripts
    ) { tokens in
      (
        ClassifierEngine.firstVerdict(tokens, context: context, compiled: compiled, policy: policy, models: models),
        context.context == .chat ? RoleReader.read(tokens, original: bytes) : []
      )
    }
    if let first { return (first, cues) }
    return (try classifySegmented(utf8: bytes, context: context), cues)
  }
}
