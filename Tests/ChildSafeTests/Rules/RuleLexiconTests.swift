import Testing

@testable import ChildSafe

@Suite("Rule lexicons")
struct RuleLexiconTests {
  static let lexicon = """
    # a test lexicon
    cock
    blow job        # a phrase
    masturbat*      # a stem
    """

  func engine(_ rules: String, lexicon: String = RuleLexiconTests.lexicon) throws -> ClassifierEngine {
    try ClassifierEngine(rules: RuleFiles(files: [
      (path: "grooming/t.rules", text: "@pack en\n@lexicon ../lexicons/en/parts.words\n" + rules),
      (path: "lexicons/en/parts.words", text: lexicon),
    ]))
  }

  func diagnostics(_ rules: String, lexicon: String = RuleLexiconTests.lexicon) -> [String] {
    RuleSetLoader.load(RuleFiles(files: [
      (path: "grooming/t.rules", text: "@pack en\n" + rules),
      (path: "lexicons/en/parts.words", text: lexicon),
    ])).diagnostics.map(\.description)
  }

  @Test func windowsLineEndsReadAsUnixOnes() {
    let unix = "# parts\nwidget\ngadget thing\nsprock*\n"
    let windows = unix.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n")
    let a = RuleLexicon.parse(unix, path: "lexicons/en/parts.words", normalizer: RuleWordNormalizer())
    let b = RuleLexicon.parse(windows, path: "lexicons/en/parts.words", normalizer: RuleWordNormalizer())
    #expect(a.0.entries.count == 3)
    #expect(b.0.entries == a.0.entries)
    #expect(b.1.isEmpty && a.1.isEmpty)
  }

  @Test func lexiconStandsForAnyEntryWordPhraseOrStem() throws {
    let e = try engine("rule x.lex sexual 0.8\n  match: (ur|your) <parts>\n")
    #expect(try e.classify("show me ur cock").ruleIDs == ["x.lex"])
    #expect(try e.classify("your blow job").ruleIDs == ["x.lex"])
    #expect(try e.classify("ur masturbating").ruleIDs == ["x.lex"])
    #expect(try e.classify("your blow dryer").matches.isEmpty)
    #expect(try e.classify("ur cook").matches.isEmpty)
  }

  @Test func entriesAreNormalisedSoEvasionsAreCaught() throws {
    let e = try engine("rule x.lex sexual 0.8\n  match: (ur|your) <parts>\n")
    for text in ["ur c0ck", "ur C O C K", "ur cooock", "ur сock"] {  // the last has a Cyrillic с
      #expect(try e.classify(text).ruleIDs == ["x.lex"], "\(text)")
    }
  }

  @Test func spanCoversTheLexiconWord() throws {
    let e = try engine("rule x.lex sexual 0.8\n  match: <parts>\n")
    let text = "well, blow job?"
    let match = try #require(try e.classify(text).matches.first)
    #expect(Array(Array(text.utf8)[match.start..<match.end]) == Array("blow job".utf8))
  }

  @Test func explainAndLintShowPatternsAsWrittenWithLexiconNames() throws {
    let e = try engine("rule x.lex sexual 0.8\n  match: (ur|your) <parts>\n  unless: <parts> (game|show)\n")
    let fired = try #require(try e.explain("ur cock").evaluations.first)
    #expect(fired.patternText == "(ur|your) <parts>")
    let cancelled = try #require(try e.explain("ur cock show").evaluations.first)
    #expect(cancelled.conditionText == "<parts> (game|show)")
  }

  @Test func unknownLexiconIsLocatedAndNamesTheDeclaredOnes() {
    let found = diagnostics("@lexicon ../lexicons/en/parts.words\nrule x.lex sexual 0.8\n  match: <prats>\n")
    #expect(found == [
      "grooming/t.rules:4:10: error: found '<prats>'; expected <num>, <num A-B>, <any>, <emoji>, <url>, <handle> or <email> or a lexicon: <parts>"
    ])
  }

  @Test func missingLexiconFileIsLocatedAtTheDirective() {
    let found = diagnostics("@lexicon ../lexicons/en/nothing.words\nrule x.lex sexual 0.8\n  match: <nothing> you\n")
    #expect(found.first == "grooming/t.rules:2:10: error: found no file lexicons/en/nothing.words; expected an existing lexicon (.words) file")
  }

  @Test func lexiconOutsideTheRulesDirectoryIsAnError() {
    let found = diagnostics("@lexicon ../../etc/parts.words\nrule x.lex sexual 0.8\n  match: <parts> you\n")
    #expect(found.first?.contains("outside the rules directory") == true)
  }

  @Test func badEntriesAreLocatedInTheLexiconFile() {
    let found = diagnostics(
      "@lexicon ../lexicons/en/parts.words\nrule x.lex sexual 0.8\n  match: <parts> you\n",
      lexicon: "cock\n(a | b)\nsend ..2 pic\n")
    #expect(found == [
      "lexicons/en/parts.words:2:1: error: found '(a | b)'; expected a word, a phrase or a stem ending in '*' (one entry a line)",
      "lexicons/en/parts.words:3:1: error: found 'send ..2 pic'; expected a word, a phrase or a stem ending in '*' (one entry a line)",
    ])
  }

  @Test func directiveNeedsAWordsFile() {
    let found = diagnostics("@lexicon ../lexicons/en/parts.txt\n")
    #expect(found == [
      "grooming/t.rules:2:10: error: found '../lexicons/en/parts.txt'; expected a path to a .words file whose name is [a-z0-9_.-]+"
    ])
  }

  @Test func lexiconWordsJoinTheNormalisersVocabulary() throws {
    // "masturbat*" is a stem; "cock" a word the normaliser must know to repair "c0ck" alone.
    let e = try engine("rule x.lex sexual 0.8\n  match: <parts>\n")
    #expect(try e.classify("c0ck").ruleIDs == ["x.lex"])
  }

  @Test func embeddedPacksDeclareTheirLexicons() throws {
    let set = RuleSetLoader.load(.embedded)
    #expect(set.errors.isEmpty)
    let engine = ClassifierEngine.defaults
    // An explicit message is flagged with no ages known; the insult is not sexual.
    #expect(try engine.classify("why do i get so hard just talking 2 u").flagged)
    #expect(try engine.classify("would you put it in your mouth?").flagged)
    #expect(try engine.classify("dont be such a dick lol").matches.isEmpty)
    #expect(try engine.classify("that would suck if it rained").matches.isEmpty)
  }
}
