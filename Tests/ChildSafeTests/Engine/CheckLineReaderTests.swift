import Testing

@testable import ChildSafe

/// The stream reads a line's fields straight from its bytes; what it reads must be what the
/// parsed object gives (first occurrence of a key, the same values), and every line it does not
/// take must be left to the general path.
@Suite("check --jsonl line reader")
struct CheckLineReaderTests {
  struct Read {
    var fields: CheckLineReader
    var text: [UInt8]
  }

  /// The reader's fields and text for `line`, or nil when it leaves the line to the general path.
  static func read(_ line: String) -> Read? {
    var bytes = Array(line.utf8)
    return bytes.withUnsafeMutableBufferPointer { mutable in
      let buffer = UnsafeBufferPointer(mutable)
      var fields = CheckLineReader()
      var decoded: [UInt8] = [1, 2, 3]  // left over from a previous line
      guard fields.read(buffer, text: &decoded) else { return nil }
      let text = fields.textInLine.map { Array(buffer[$0]) } ?? decoded
      return Read(fields: fields, text: text)
    }
  }

  /// The reader agrees with the parsed object on every field it reads.
  static func expectAgreement(_ line: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
    let read = try #require(Self.read(line), "\(line)", sourceLocation: sourceLocation)
    let object = try JSONValue.parse(line)
    #expect(read.fields.id == object["id"], sourceLocation: sourceLocation)
    #expect(read.fields.locale == object["locale"], sourceLocation: sourceLocation)
    let context = read.fields.context
    let expected = CheckLine.ContextFields(object)
    #expect(context.senderAge == expected.senderAge, sourceLocation: sourceLocation)
    #expect(context.recipientAge == expected.recipientAge, sourceLocation: sourceLocation)
    #expect(context.senderTrusted == expected.senderTrusted, sourceLocation: sourceLocation)
    #expect(context.lang == expected.lang, sourceLocation: sourceLocation)
    #expect(context.conversation == expected.conversation, sourceLocation: sourceLocation)
    #expect(context.from == expected.from, sourceLocation: sourceLocation)
    #expect(context.t == expected.t, sourceLocation: sourceLocation)
    #expect(context.context == expected.context, sourceLocation: sourceLocation)
    #expect(read.text == Array((object["text"]?.stringValue ?? "").utf8), sourceLocation: sourceLocation)
  }

  @Test func everyFieldIsReadAsTheParsedObjectHasIt() throws {
    try Self.expectAgreement(
      #"{"id": "m1", "text": "dont tell anyone", "sender_age": 30, "recipient_age": 12, "lang": "en", "locale": "pt-BR", "conversation": "c1", "from": "A", "t": 12.5, "context": "chat"}"#
    )
    try Self.expectAgreement(#"{"text":"compact","id":7,"conversation":3,"from":12,"t":0}"#)
    try Self.expectAgreement(#"  {  "id" : null , "text" : "spaced" , "lang" : null , "context" : null }  "#)
    try Self.expectAgreement(#"{"id": [1, {"a": null}], "text": "an id of any shape"}"#)
    try Self.expectAgreement(#"{"id": true, "text": "x", "sender_age": "old", "recipient_age": -3, "t": "soon"}"#)
    try Self.expectAgreement(#"{"text": "x", "sender_trusted": true, "from": "mum"}"#)
    try Self.expectAgreement(#"{"text": "x", "sender_trusted": "yes", "sender_trusted": false}"#)
  }

  @Test func textWithoutEscapesIsReadInPlace() throws {
    let read = try #require(Self.read(#"{"id": 1, "text": "héllo 😀 there"}"#))
    #expect(read.fields.textInLine != nil)
    #expect(read.text == Array("héllo 😀 there".utf8))
  }

  @Test func escapesInTheTextAreUndone() throws {
    let line = #"{"id": 1, "text": "a\"b\\c\/d\be\ff\ng\rh\ti \u00e9 \u20ac \ud83d\ude00 \u0000 end"}"#
    let read = try #require(Self.read(line))
    #expect(read.fields.textInLine == nil)
    #expect(read.text == Array("a\"b\\c/d\u{8}e\u{C}f\ng\rh\ti é € 😀 \u{0} end".utf8))
    try Self.expectAgreement(line)
  }

  @Test func unknownFieldsAreSkippedHoweverNested() throws {
    try Self.expectAgreement(
      #"{"labels": ["secrecy", {"deep": [1, 2.5e3, -0, true, null, {"x": "\u00e9"}]}], "id": 3, "extra": {}, "text": "hi", "more": []}"#
    )
  }

  /// The subscript finds a key's first occurrence; later ones must still be valid JSON.
  @Test func theFirstOfRepeatedKeysCounts() throws {
    let line = #"{"id": 1, "text": "first", "text": "second", "recipient_age": 12, "recipient_age": 40, "id": 2}"#
    let read = try #require(Self.read(line))
    #expect(read.text == Array("first".utf8))
    #expect(read.fields.id == .int(1))
    #expect(read.fields.context.recipientAge == .int(12))
    try Self.expectAgreement(line)
    // A later occurrence that is not valid JSON makes the line a syntax error, as it is for the parser.
    #expect(Self.read(#"{"text": "first", "text": "\q"}"#) == nil)
    #expect(Self.read(#"{"text": "first", "id": 1, "id": 1e999}"#) == nil)
  }

  @Test func keysWithEscapesAreRecognised() throws {
    let line = #"{"id": 1, "te\u0078t": "dont tell anyone", "\u0073ender_age": 30}"#
    let read = try #require(Self.read(line))
    #expect(read.text == Array("dont tell anyone".utf8))
    try Self.expectAgreement(line)
    // Names that only start like a key are other keys.
    try Self.expectAgreement(#"{"texts": 1, "tex": 2, "text": "hi", "idx": 3, "": 4, "t2": 5}"#)
  }

  @Test func numbersReadAsTheParserReadsThem() throws {
    for number in ["12", "12.0", "1.2e1", "-0", "0.5", "1e2", "151", "123456789012345", "1234567890123456", "1e-7"] {
      try Self.expectAgreement(#"{"text": "hi", "sender_age": \#(number), "id": \#(number), "t": \#(number)}"#)
    }
  }

  @Test(arguments: [
    "", "[]", "[{\"text\": \"hi\"}]", "\"text\"", "42", "null", "{}", #"{"id": 1}"#, #"{"id": 1, "text": 7}"#,
    #"{"id": 1, "text": null}"#, #"{"id": 1, "text": ["hi"]}"#, #"{"id": 1, "text": "hi"} x"#, #"{"id": 1, "text": "hi"}}"#,
    #"{"id": 1, "text": "hi",}"#, #"{"id": 1 "text": "hi"}"#, #"{"id": 1, "text": "hi", "t": 1e999}"#,
    #"{"id": 1, "text": "\ud83d"}"#, #"{"id": 1, "text": "\uZZZZ"}"#, #"{"id": 1, "text": "tab\#there"}"#,
    #"{"id": 1, "text": "unterminated}"#, #"{"text": "hi", "other": "\q"}"#, #"{"text": "hi", "other": [1,]}"#,
  ])
  func linesOfAnotherShapeGoTheGeneralWay(line: String) {
    #expect(Self.read(line) == nil)
  }

  @Test func nestingPastTheParsersLimitGoesTheGeneralWay() throws {
    let allowed = #"{"text": "hi", "deep": "# + String(repeating: "[", count: 63) + String(repeating: "]", count: 63) + "}"
    let tooDeep = #"{"text": "hi", "deep": "# + String(repeating: "[", count: 64) + String(repeating: "]", count: 64) + "}"
    try Self.expectAgreement(allowed)
    #expect(Self.read(tooDeep) == nil)
    #expect((try? JSONValue.parse(tooDeep)) == nil)
  }

  @Test func aLinePastTheParsersSizeLimitGoesTheGeneralWay() {
    let limit = JSONValue.ParseLimits().maximumBytes
    let padding = String(repeating: "x", count: limit)
    #expect(Self.read(#"{"text": "hi", "pad": "\#(padding)"}"#) == nil)
  }
}
