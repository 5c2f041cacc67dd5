import Testing

@testable import ChildSafe

@Suite("Query rules")
struct QueryClassifierTests {
  let classifier = QueryClassifier.defaults

  func verdict(_ query: String) throws -> MessageVerdict { try classifier.classify(query) }

  // Searches for sexual material involving minors, written as indicator combinations (the test data
  // stays non-graphic: these are the shapes of such searches, not descriptions).
  @Test(arguments: [
    "child nudes", "kids porn", "12yo nude", "12 year old naked", "underage xxx", "preteen sexy pics",
    "niños desnudos", "pornografia infantil", "enfants nus sans vetements", "photos enfant nue",
    "kinder nackt bilder", "13 jahre nackt", "criança sem roupa", "foto menina nua", "bambini nudi",
    "ragazzina senza vestiti", "n00ds of k1ds", "CHILD P0RN", "jailbait",
  ])
  func recognisesSearchesForSexualMaterialInvolvingMinors(_ query: String) throws {
    let v = try verdict(query)
    #expect(v.categories == [.csamQuery], "\(query)")
    #expect(v.flagged)
    #expect(v.risk >= .medium)
    #expect(!v.matches.isEmpty)
  }

  @Test func weakMinorIndicatorsScoreLowerThanClearOnes() throws {
    #expect(try verdict("teen nudes").risk == .medium)
    #expect(try verdict("child nudes").risk == .high)
  }

  @Test(arguments: [
    "how to report child abuse", "child abuse helpline", "am I a paedophile help", "am i a pedophile",
    "ayuda pedofilia", "denunciar abuso infantil", "signaler un abus sur un enfant", "aide pedophilie",
    "hilfe bei pädophilen gedanken", "kindesmissbrauch melden", "denunciar abuso de crianca", "aiuto pedofilia",
    "segnalare abusi su minori",
  ])
  func helpSeekingSearchesGetHelpNotAWarning(_ query: String) throws {
    let v = try verdict(query)
    #expect(v.categories.contains(.helpSeeking), "\(query)")
    #expect(!v.categories.contains(.csamQuery))
    #expect(!v.flagged)
    #expect(v.risk == RiskLevel.none)
  }

  @Test func selfConcernIsMarkedSoTheDeterrenceServiceIsSignposted() throws {
    #expect(try verdict("am I a paedophile help").categories == [.helpSeeking, .selfHelp])
    #expect(try verdict("how to report child abuse").categories == [.helpSeeking])
  }

  @Test(arguments: [
    "13th birthday party ideas", "teen book club", "nude beach france", "kids pasta recipes",
    "child sex education books", "how to talk to kids about puberty", "baby clothes sale",
    "cumpleaños niños ideas", "plage naturiste", "kinder geburtstag spiele", "festa de aniversario infantil",
    "ricette per bambini", "12 year old birthday gift", "child abuse statistics", "18 year old nude",
    "kindergarten near me", "lolipop candy", "pedometer app", "pornography addiction help",
  ])
  func ordinarySearchesTriggerNothing(_ query: String) throws {
    #expect(try verdict(query) == .clean, "\(query)")
  }

  @Test func languageTaggedTermsNeedTheQueryLanguage() throws {
    // "kind" is German for child and an English word; "nudo" is Italian for naked and Spanish for knot.
    #expect(try verdict("kind of sexy") == .clean)
    #expect(try classifier.classify("kind nackt", context: MessageContext(language: "de", context: .query)).categories == [.csamQuery])
    #expect(try classifier.classify("kind of sexy", context: MessageContext(language: "en", context: .query)) == .clean)
    #expect(try classifier.classify("niños nudo marinero", context: MessageContext(language: "es", context: .query)) == .clean)
    #expect(try classifier.classify("bambino nudo", context: MessageContext(language: "it", context: .query)).categories == [.csamQuery])
    #expect(try classifier.classify("crianca pelada", context: MessageContext(language: "pt", context: .query)).categories == [.csamQuery])
    // A Spanish first name alone is a weak indicator; in a Spanish query it is a clear one.
    #expect(try verdict("nina desnuda").risk == .medium)
    #expect(try classifier.classify("nina desnuda", context: MessageContext(language: "es-MX", context: .query)).risk == .high)
  }

  @Test func indicatorsFarApartDoNotCombine() throws {
    let far = "child " + Array(repeating: "and", count: 10).joined(separator: " ") + " naked"
    #expect(try verdict(far) == .clean)
  }

  @Test func matchesPointAtTheQueryWords() throws {
    let query = "photos of 12 yo nude"
    let v = try verdict(query)
    let bytes = Array(query.utf8)
    let spans = v.matches.map { String(decoding: bytes[$0.start..<$0.end], as: UTF8.self) }
    #expect(spans.contains("12 yo"))
    #expect(spans.contains("nude"))
  }

  @Test func overlongQueriesAreRefused() {
    let long = String(repeating: "a", count: QueryClassifier.maximumQueryBytes + 1)
    #expect(throws: ChildSafeError.self) { try classifier.classify(long) }
  }

  @Test func termListErrorsAreLocated() {
    func error(_ text: String) -> ChildSafeError? {
      do {
        _ = try QueryClassifier(rules: RuleFiles(files: [("deterrence/query-terms.list", text)]))
        return nil
      } catch { return error }
    }
    let unknownSection = error("[minor]\nchild\n[sexy]\nnude\n")
    #expect(unknownSection?.location == SourceLocation(file: "deterrence/query-terms.list", line: 3, column: 1))
    let beforeSection = error("# c\n  child\n")
    #expect(beforeSection?.location == SourceLocation(file: "deterrence/query-terms.list", line: 2, column: 3))
    let shortPrefix = error("[minor]\nchild\nki*\n")
    #expect(shortPrefix?.location?.line == 3)
    let badTag = error("[minor]\nkind @d3\n")
    #expect(badTag?.location == SourceLocation(file: "deterrence/query-terms.list", line: 2, column: 6))
    let tagFirst = error("[minor]\n@de kind\n")
    #expect(tagFirst?.location == SourceLocation(file: "deterrence/query-terms.list", line: 2, column: 5))
    #expect(error("[minor]\nchild\n") == nil)
  }

  @Test func missingTermListIsAnError() {
    #expect(throws: ChildSafeError.self) { try QueryClassifier(rules: RuleFiles(files: [])) }
  }
}

@Suite("Query verdict merging")
struct QueryVerdictMergingTests {
  @Test func mergingKeepsBothSignalsAndTheHigherRisk() throws {
    let chat = MessageVerdict(flagged: false, risk: .low, score: 0.2, categories: [.ageProbe], matches: [])
    let query = try QueryClassifier.defaults.classify("child nudes")
    let merged = chat.merging(query)
    #expect(merged.flagged)
    #expect(merged.risk == .high)
    #expect(merged.categories == [.ageProbe, .csamQuery])
    #expect(merged.matches.count == query.matches.count)
    #expect(MessageVerdict.clean.merging(.clean) == .clean)
  }
}
