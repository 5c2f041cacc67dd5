#if canImport(Glibc)
import Glibc
#endif
import ChildSafe
import Testing

@testable import ChildSafeEvaluation

@Suite("Corpus reader")
struct CorpusReaderTests {
  static let message = #"{"id": "m1", "lang": "en", "text": "see u at the park", "labels": ["meeting"]}"#
  static let benign = #"{"id": "m2", "text": "ugh homework", "labels": []}"#
  static let conversation = #"""
    {"id": "c1", "lang": "en", "label": "grooming", "onset": 1, "participants": {"A": {"age": 31}, "B": {"age": 12}}, "messages": [{"from": "A", "t": 0, "text": "hi"}, {"from": "B", "t": 30, "text": "hey"}]}
    """#

  @Test("detects the format per line, so one stream can mix messages and conversations")
  func mixed() throws {
    let corpus = CorpusReader.parse(text: [Self.message, Self.conversation, Self.benign].joined(separator: "\n"), source: "mix.jsonl")
    #expect(corpus.errors.isEmpty)
    #expect(corpus.messages.map(\.id) == ["m1", "m2"])
    #expect(corpus.messages[0].labels == [.meeting] && corpus.messages[0].language == "en")
    #expect(corpus.messages[1].labels.isEmpty && corpus.messages[1].language == nil)
    let c = try #require(corpus.conversations.first)
    #expect(c.id == "c1" && c.isGrooming && c.onset == 1 && c.messages.count == 2)
    #expect(c.messages[1].time == 30 && c.messages[1].from == "B")
    // Context of B's message: sender 12, recipient 31.
    let context = c.context(of: 1)
    #expect(context.senderAge == 12 && context.recipientAge == 31 && context.conversationID == "c1")
    #expect(corpus.messages[1].origin?.line == 3)
  }

  @Test("a participant marked trusted is a trusted sender in the contexts eval passes on")
  func trustedParticipants() throws {
    let lines = [
      #"{"id": "f1", "label": "benign", "onset": null, "participants": {"mum": {"age": 41, "trusted": true}, "kid": {"age": 13, "trusted": false}}, "messages": [{"from": "mum", "text": "pick you up at 5"}, {"from": "kid", "text": "ok"}]}"#,
      #"{"id": "f2", "label": "benign", "onset": null, "participants": {"mum": {"trusted": "yes"}}, "messages": [{"from": "mum", "text": "hi"}]}"#,
    ]
    let corpus = CorpusReader.parse(text: lines.joined(separator: "\n"), source: "family.jsonl")
    let family = try #require(corpus.conversations.first)
    #expect(family.trusted == ["mum"])
    #expect(family.context(of: 0).senderTrusted && family.context(of: 0).senderAge == 41)
    #expect(!family.context(of: 1).senderTrusted)
    #expect(corpus.errors.count == 1 && corpus.errors.first?.location?.line == 2)
    #expect(corpus.errors.first?.message.contains("\"trusted\"") == true)
  }

  @Test("a label that is not a category of the rules is an error at its line, with a suggestion")
  func unknownLabels() throws {
    let lines = [
      Self.message,
      #"{"id": "m3", "text": "our little secret-marker", "labels": ["secrecey", "meeting"]}"#,
      #"{"id": "m4", "text": "pizza later-marker", "labels": ["pizza"]}"#,
      #"{"id": "m5", "text": "declared-marker", "labels": ["doxxing"]}"#,
      Self.benign,
    ]
    let corpus = CorpusReader.parse(text: lines.joined(separator: "\n"), source: "labels.jsonl")
    let known = Category.builtIn.map(\.name) + ["doxxing"]
    let checked = CorpusReader.checkingLabels(corpus, known: known)
    #expect(checked.messages.map(\.id) == ["m1", "m5", "m2"])
    #expect(checked.errors.map { $0.location?.line } == [2, 3])
    #expect(checked.errors[0].message.hasPrefix("message m3: unknown label 'secrecey'; did you mean 'secrecy'?"))
    #expect(checked.errors[1].message.hasPrefix("message m4: unknown label 'pizza' ("))
    #expect(!checked.errors.contains { $0.message.contains("-marker") })
  }

  @Test("a bad line is an error with its line number, and the lines after it are still read")
  func badLines() {
    let lines = [
      Self.message,
      "{not json",
      #"{"id": "m3", "text": "keep this one private-marker", "labels": "secrecy"}"#,
      #"{"id": "x", "note": "neither format"}"#,
      "",
      #"{"id": "c2", "label": "benign", "onset": 0, "messages": [{"from": "A", "text": "hi"}]}"#,
      #"{"id": "c3", "label": "grooming", "onset": 5, "messages": [{"from": "A", "text": "hi"}]}"#,
      "[1, 2]",
      Self.benign,
    ]
    let corpus = CorpusReader.parse(text: lines.joined(separator: "\n") + "\n", source: "bad.jsonl")
    #expect(corpus.messages.map(\.id) == ["m1", "m2"])
    #expect(corpus.errors.map { $0.location?.line } == [2, 3, 4, 6, 7, 8])
    #expect(corpus.errors.allSatisfy { $0.location?.file == "bad.jsonl" })
    #expect(corpus.errors[1].message.contains("labels"))
    #expect(corpus.errors[4].message.contains("onset"))
    // Errors name ids and fields, never the message text.
    #expect(corpus.errors.allSatisfy { !"\($0)".contains("private-marker") })
  }

  @Test("invalid UTF-8 on one line loses only that line; CRLF and a byte-order mark are accepted")
  func encoding() {
    var bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(Self.message.utf8) + [0x0D, 0x0A]
    bytes += Array(#"{"id": "bad", "text": "caf"#.utf8) + [0xC3, 0x28] + Array(#"", "labels": []}"#.utf8) + [0x0A]
    bytes += Array(Self.benign.utf8) + [0x0D, 0x0A]
    let corpus = CorpusReader.parse(bytes: bytes, source: "<stdin>")
    #expect(corpus.messages.map(\.id) == ["m1", "m2"])
    #expect(corpus.errors.count == 1)
    #expect(corpus.errors.first?.code == .invalidUTF8 && corpus.errors.first?.location?.line == 2)
  }

  @Test("reads directories recursively (only *.jsonl, in sorted order) and reports missing files")
  func directories() throws {
    var template = Array("/tmp/childsafe-eval-XXXXXX".utf8CString)
    let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    let root = try #require(made.map { String(cString: $0) })
    defer { _ = system("rm -rf '\(root)'") }
    #expect(mkdir(root + "/sub", 0o755) == 0)
    try FileSystem.writeFile(root + "/b.jsonl", Array(Self.benign.utf8))
    try FileSystem.writeFile(root + "/sub/a.jsonl", Array((Self.message + "\n" + Self.conversation).utf8))
    try FileSystem.writeFile(root + "/notes.txt", Array("not a corpus".utf8))
    let corpus = CorpusReader.read(path: root)
    #expect(corpus.errors.isEmpty)
    #expect(corpus.messages.map(\.id) == ["m2", "m1"])
    #expect(corpus.conversations.map(\.id) == ["c1"])
    let missing = CorpusReader.read(path: root + "/nope.jsonl")
    #expect(missing.errors.count == 1 && missing.errors.first?.code == .io)
  }

  @Test("a repeated id is an error and the repeat is skipped, so overlapping inputs count once")
  func duplicates() {
    var corpus = CorpusReader.parse(text: Self.message + "\n" + Self.conversation, source: "a.jsonl")
    corpus.append(CorpusReader.parse(text: Self.benign + "\n" + Self.message + "\n" + Self.conversation, source: "b.jsonl"))
    let unique = corpus.removingDuplicateIDs()
    #expect(unique.messages.map(\.id) == ["m1", "m2"])
    #expect(unique.conversations.map(\.id) == ["c1"])
    #expect(unique.errors.count == 2)
    #expect(unique.errors.map { $0.location?.file } == ["b.jsonl", "b.jsonl"])
    #expect(unique.errors.first?.message == "duplicate message id m1 (first at a.jsonl:1); this one is skipped")
  }

  @Test("the sample corpus in Examples/corpus reads without errors and has both formats")
  func sampleCorpus() {
    // Tests/ChildSafeEvaluationTests/CorpusReaderTests.swift -> repository root
    let root = String(#filePath.split(separator: "/", omittingEmptySubsequences: false).dropLast(3).joined(separator: "/"))
    let corpus = CorpusReader.read(path: root + "/Examples/corpus")
    #expect(corpus.errors.isEmpty)
    #expect(corpus.messages.count >= 40)
    #expect(corpus.conversations.count >= 6)
    #expect(corpus.messages.contains { $0.isPositive } && corpus.messages.contains { !$0.isPositive })
    #expect(corpus.conversations.contains { $0.isGrooming } && corpus.conversations.contains { !$0.isGrooming })
    // Every built-in category has at least one example.
    #expect(Category.builtIn.allSatisfy { c in corpus.messages.contains { $0.labels.contains(c) } })
    #expect(Set(corpus.messages.map(\.id)).count == corpus.messages.count)
  }
}
