import Testing

@testable import ChildSafe

@Suite("Compiled rules archive")
struct CompiledRulesArchiveTests {
  /// A small pack with every kind of pattern element and rule line, and a lexicon.
  static let files = RuleFiles(files: [
    (
      path: "grooming/t.rules",
      text: """
        @pack en
        @lexicon ../lexicons/en/things.words
        @category custom_thing

        rule t.secret secrecy 0.7
          match: (dont|do not) tell ..2 (ur|your) (mom|mum|parents)
          unless: joke
          note: asks for secrecy

        rule t.pic image_request 0.6
          match: send (me)? (a|some)? pic* of <any>
          lower: cat 0.5
          audience: adult_to_minor

        rule t.age age_probe 0.5
          match: (u|you) <num 8-17> (or <num>)?
          except: (u|you) 12 (or <num>)? (ur|your) (mom|dad)
          all: (u|you)
          acts: alone

        rule t.link platform_switch 0.4
          match: add me <url>
          match: my <handle>
          match: <emoji> <things>

        rule t.custom custom_thing 0.3
          match: never (again|"")
          match: "" again

        """
    ),
    (path: "lexicons/en/things.words", text: "widget\nblue gadget\nsprock*\n"),
  ])

  static let messages = [
    "hi", "dont tell ur mom ok", "don't tell your parents, it's a joke", "send me a pic of u", "send pics of ur cat",
    "are u 13 or 14", "u 12 or 13 ur mom", "add me www.example.com", "my @handle", "😀 widget", "😀 sprockets", "h3ll0 th3r3",
  ]

  func archive(_ engine: ClassifierEngine, digest: UInt64 = 7) -> [UInt8] {
    CompiledRulesArchive.encode(engine.archiveContents, sourceDigest: digest)
  }

  func decode(_ bytes: [UInt8], digest: UInt64 = 7, icu: String = CompiledRulesArchive.icuVersion) throws(ChildSafeError)
    -> ClassifierEngine
  {
    let result = bytes.withUnsafeBufferPointer { buffer in
      Result { () throws(ChildSafeError) in
        try CompiledRulesArchive.decode(buffer, sourceDigest: digest, icuVersion: icu)
      }
    }
    return ClassifierEngine(archived: try result.get())
  }

  /// Two engines hold the same rules and give the same verdicts and explanations.
  func expectSame(_ a: ClassifierEngine, _ b: ClassifierEngine, on messages: [String]) throws {
    #expect(a.compiled.rules.map(\.rule) == b.compiled.rules.map(\.rule))
    #expect(a.compiled.rules.map(\.languages) == b.compiled.rules.map(\.languages))
    #expect(a.compiled.rules.map(\.categoryIndex) == b.compiled.rules.map(\.categoryIndex))
    #expect(a.categories == b.categories)
    #expect(a.warnings == b.warnings)
    #expect(a.compiled.vocabulary == b.compiled.vocabulary)
    #expect(a.normalizer.lexicon.words == b.normalizer.lexicon.words)
    for text in messages {
      for context in [MessageContext(), MessageContext(senderAge: 34, recipientAge: 12)] {
        #expect(try a.classify(text, context: context) == b.classify(text, context: context), "\(text)")
        let x = try a.explain(text, context: context)
        let y = try b.explain(text, context: context)
        #expect(x.tokens == y.tokens)
        #expect(x.evaluations.map(\.rule) == y.evaluations.map(\.rule))
        #expect(x.evaluations.map(\.patternText) == y.evaluations.map(\.patternText))
        #expect(x.evaluations.map(\.outcome) == y.evaluations.map(\.outcome))
      }
    }
  }

  @Test func roundTripKeepsRulesVerdictsAndBytes() throws {
    let engine = try ClassifierEngine(rules: Self.files)
    #expect(!engine.warnings.isEmpty, "the pack should carry a lint warning to round-trip")
    let bytes = archive(engine)
    let read = try decode(bytes)
    try expectSame(engine, read, on: Self.messages)
    #expect(try read.classify("dont tell ur mom ok").flagged)
    // Written again, it is the same archive.
    #expect(archive(read) == bytes)
  }

  @Test func embeddedArchiveIsTheCompiledEmbeddedRules() throws {
    let embedded = Array(EmbeddedCompiledRules.bytes)
    // Opening the library's own archive leaves its checksum to this test (a whole read would bring
    // every page of it into memory).
    let header = CompiledRulesArchive.magic.count
    func fixed(_ at: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(embedded[at + $1]) << (8 * UInt64($1)) } }
    let payload = Array(embedded.suffix(Int(fixed(header + 24))))
    #expect(payload.withUnsafeBufferPointer(archiveChecksum) == fixed(header + 16), "the embedded compiled rules are damaged")
    // Compiled from the embedded text (an engine over `.embedded` reads the archive).
    let fresh = try ClassifierEngine(ruleSet: RuleSetLoader.load(.embedded))
    let digest = CompiledRulesArchive.digest(of: RuleFiles.embedded.files)
    let icu = CompiledRulesArchive.icuVersion
    let builtWith = String(decoding: embedded[(CompiledRulesArchive.magic.count + 33)...].prefix(Int(embedded[CompiledRulesArchive.magic.count + 32])), as: UTF8.self)
    guard builtWith == icu else {
      // Another ICU may normalise rule words differently: the archive must be refused, and the
      // defaults compiled from the embedded text instead.
      print("note: the embedded compiled rules were made with ICU \(builtWith), this machine has \(icu); checking the fallback")
      #expect(throws: ChildSafeError.self) { try EmbeddedCompiledRules.contents() }
      try expectSame(ClassifierEngine.defaults, fresh, on: Self.messages)
      return
    }
    #expect(
      embedded == CompiledRulesArchive.encode(fresh.archiveContents, sourceDigest: digest),
      "the embedded compiled rules differ from a fresh compile of the embedded rules: run scripts/embed-rules")
    let read = try ClassifierEngine(archived: EmbeddedCompiledRules.contents())
    try expectSame(read, fresh, on: Self.messages + ["send me a pic of you, don't tell your mom", "how old r u", "wanna meet up at the mall? ill buy u a gift"])
    // The defaults are read from it, not compiled, and so is any engine over the embedded files.
    #expect(ClassifierEngine.defaults.compiled.rules.map(\.rule) == fresh.compiled.rules.map(\.rule))
    #expect(try ClassifierEngine().compiled.patterns == fresh.compiled.patterns)
  }

  @Test func tablesOfBorrowedOrMisalignedBytesAreCopied() throws {
    // Only the library's own bytes are read in place; an archive in memory its caller frees, and
    // one whose tables are not aligned in memory, is copied, and the engine outlives it.
    let engine = try ClassifierEngine(rules: Self.files)
    let shifted = [0x55] + archive(engine)
    // Bytes that live as long as the engine (a permanent archive's pattern trees stay in it).
    let lasting = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: shifted.count)
    defer { lasting.deallocate() }
    _ = lasting.initialize(from: shifted)
    let read = ClassifierEngine(
      archived: try CompiledRulesArchive.decode(
        UnsafeBufferPointer(rebasing: lasting[1...]), sourceDigest: 7, isPermanent: true))
    let copied = try decode(archive(engine))
    try expectSame(engine, read, on: Self.messages)
    try expectSame(engine, copied, on: Self.messages)
  }

  /// A pattern too long to run bit-parallel keeps its Pike VM program in the archive (the default
  /// packs have none, and their archive holds none), read in place or copied.
  @Test func aPatternTooWideForBitParallelKeepsItsPikeVMProgram() throws {
    let words = (0..<70).map { "w\($0)x" }
    let files = RuleFiles(files: [
      (path: "grooming/t.rules", text: "@pack en\n\nrule t.long secrecy 0.9\n  match: \(words.joined(separator: " "))\n  acts: alone\n")
    ])
    let engine = try ClassifierEngine(rules: files)
    #expect(engine.compiled.matcher.narrow.contains { !$0.isNarrow })
    let bytes = archive(engine)
    let lasting = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
    defer { lasting.deallocate() }
    _ = lasting.initialize(from: bytes)
    let inPlace = ClassifierEngine(
      archived: try CompiledRulesArchive.decode(UnsafeBufferPointer(lasting), sourceDigest: 7, isPermanent: true))
    let message = "well " + words.joined(separator: " ") + " ok"
    for read in [try decode(bytes), inPlace] {
      #expect(read.compiled.matcher.patternInfo.count == engine.compiled.matcher.patternInfo.count)
      try expectSame(engine, read, on: [message, "w0x w1x", "hi"])
      #expect(try read.classify(message).matches.map(\.rule) == ["t.long"])
    }
    // The default packs all run bit-parallel: their engine holds no Pike VM program.
    #expect(ClassifierEngine.defaults.compiled.matcher.patternInfo.isEmpty)
    #expect(ClassifierEngine.defaults.compiled.matcher.patternCount == ClassifierEngine.defaults.compiled.patternTable.count)
  }

  @Test func aPermanentArchiveBuildsItsPatternTreesOnlyWhenAskedFor() throws {
    let read = try ClassifierEngine(archived: EmbeddedCompiledRules.contents())
    #expect(!read.compiled.patternTable.isBuilt)
    // Classifying, flagged messages and cancelled rules included, needs only the matcher.
    for text in Self.messages + ["send me a pic of you, don't tell your mom", "they put me up in a hotel"] {
      _ = try read.classify(text, context: MessageContext(senderAge: 34, recipientAge: 12))
    }
    #expect(!read.compiled.patternTable.isBuilt)
    // Explaining builds them, the same trees a compile of the text gives.
    _ = try read.explain("dont tell ur mom ok")
    #expect(read.compiled.patternTable.isBuilt)
    let fresh = try ClassifierEngine(ruleSet: RuleSetLoader.load(.embedded))
    #expect(read.compiled.patterns == fresh.compiled.patterns)
    #expect(read.compiled.rules.map(\.rule) == fresh.compiled.rules.map(\.rule))
  }

  @Test func theLexiconReadFromTheArchiveSharesTheWordTableAndKnowsTheSameWords() throws {
    let read = try ClassifierEngine(archived: EmbeddedCompiledRules.contents())
    let fresh = try ClassifierEngine(ruleSet: RuleSetLoader.load(.embedded))
    let shared = read.normalizer.lexicon.storage
    #expect(shared.asciiExtra != nil, "the packs' lexicon should share the matcher's word table")
    // Every word of either, their prefixes and stretched or changed forms: known alike.
    var probes = Set(fresh.normalizer.lexicon.words).union(fresh.compiled.vocabularyWords)
    for word in Array(probes) {
      probes.insert(String(word.dropLast()))
      probes.insert(word + "s")
      probes.insert(word + "zq")
    }
    for probe in probes where probe.utf8.allSatisfy({ $0 < 0x80 }) {
      var text = probe
      let known = text.withUTF8 { fresh.normalizer.lexicon.storage.contains(ascii: $0) }
      #expect(text.withUTF8 { shared.contains(ascii: $0) } == known, "\(probe)")
    }
  }

  @Test func truncatedArchivesAreRefused() throws {
    let bytes = archive(try ClassifierEngine(rules: Self.files))
    for length in [0, 5, CompiledRulesArchive.magic.count + 20, bytes.count / 3, bytes.count / 2, bytes.count - 1] {
      do {
        _ = try decode(Array(bytes.prefix(length)))
        Issue.record("a \(length)-byte prefix was read")
      } catch {
        #expect(error.code == .corrupt)
      }
    }
    #expect(throws: ChildSafeError.self) { try decode(bytes + [0]) }
  }

  @Test func damagedArchivesFailTheirChecksum() throws {
    let bytes = archive(try ClassifierEngine(rules: Self.files))
    for offset in [bytes.count - 1, bytes.count / 2, bytes.count - 200] {
      var damaged = bytes
      damaged[offset] ^= 0x10
      do {
        _ = try decode(damaged)
        Issue.record("a flipped bit at \(offset) went unnoticed")
      } catch {
        #expect(error.code == .corrupt)
        #expect(error.message.contains("checksum"))
      }
    }
  }

  @Test func foreignDataOtherVersionsAndSourcesAreRefusedSayingWhy() throws {
    let bytes = archive(try ClassifierEngine(rules: Self.files))
    func message(_ data: [UInt8], digest: UInt64 = 7, icu: String = CompiledRulesArchive.icuVersion) -> String {
      do {
        _ = try decode(data, digest: digest, icu: icu)
        return "read"
      } catch {
        #expect(error.code == .corrupt)
        return error.message
      }
    }
    #expect(message(Array("{\"not\": \"rules\"} and some more bytes to pass the header size".utf8)).contains("magic"))
    var otherFormat = bytes
    otherFormat[CompiledRulesArchive.magic.count] &+= 1
    #expect(message(otherFormat).contains("format version \(CompiledRulesArchive.formatVersion + 1)"))
    #expect(message(bytes, icu: "1.0").contains("made with ICU \(CompiledRulesArchive.icuVersion)"))
    #expect(message(bytes, digest: 8).contains("other rule files"))
  }

  @Test func malformedPayloadsAreErrorsNotCrashes() throws {
    // A payload with a valid header and checksum but nonsense inside (as a writer bug would make).
    var writer = ArchiveWriter()
    writer.varint(1)
    writer.string("secrecy")
    writer.varint(1)
    writer.byte(42)  // no such pattern element
    let payload = writer.finish()
    var bytes = CompiledRulesArchive.magic
    func fixed(_ v: UInt64) { for k in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(k)))) } }
    fixed(CompiledRulesArchive.formatVersion)
    fixed(7)
    fixed(payload.withUnsafeBufferPointer(archiveChecksum))
    fixed(UInt64(payload.count))
    let icu = Array(CompiledRulesArchive.icuVersion.utf8)
    bytes.append(UInt8(icu.count))
    bytes += icu
    while bytes.count % 8 != 0 { bytes.append(0) }
    bytes += payload
    #expect(throws: ChildSafeError.self) { try decode(bytes) }
    // A permanent archive checks its pattern elements when it is opened too, not when explained.
    let lasting = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
    defer { lasting.deallocate() }
    _ = lasting.initialize(from: bytes)
    #expect(throws: ChildSafeError.self) {
      try CompiledRulesArchive.decode(UnsafeBufferPointer(lasting), sourceDigest: 7, isPermanent: true)
    }
  }

  @Test func damagedEmbeddedArchiveFallsBackToCompilingTheText() throws {
    var damaged = Array(EmbeddedCompiledRules.bytes)
    damaged[damaged.count / 2] ^= 0x10
    let refused = damaged.withUnsafeBufferPointer { archive in
      Result { () throws(ChildSafeError) in try EmbeddedCompiledRules.contents(of: archive) }
    }
    #expect(throws: ChildSafeError.self) { try refused.get() }
    let engine = try damaged.withUnsafeBufferPointer { archive throws(ChildSafeError) in
      try ClassifierEngine(rules: .embedded, policy: .default, embeddedArchive: archive)
    }
    let fresh = try ClassifierEngine(ruleSet: RuleSetLoader.load(.embedded))
    try expectSame(engine, fresh, on: Self.messages + ["send me a pic of you, don't tell your mom", "how old r u"])
  }

  @Test func embeddedArchiveOfOtherRuleFilesFallsBackToCompilingThem() throws {
    // Rule files marked as the embedded ones but not those the archive was compiled from (as
    // after editing Rules/ without running scripts/embed-rules): their text is compiled.
    let extra = (path: "grooming/zz-extra.rules", text: "@pack en\n\nrule zz.purple secrecy 0.9\n  match: purple elephant\n")
    let edited = RuleFiles(files: RuleFiles.embedded.files + [extra], isEmbedded: true)
    let refused = Result { () throws(ChildSafeError) in try EmbeddedCompiledRules.contents(files: edited) }
    #expect(throws: ChildSafeError.self) { try refused.get() }
    let engine = try ClassifierEngine(rules: edited)
    #expect(engine.ruleIDs.contains("zz.purple"))
    #expect(engine.ruleCount == ClassifierEngine.defaults.ruleCount + 1)
    #expect(try engine.classify("a purple elephant").flagged)
    #expect(try !ClassifierEngine.defaults.classify("a purple elephant").flagged)
  }
}
