import Foundation
import Testing

@testable import ChildSafe

@Suite("Message catalogs")
struct MessageCatalogTests {
  func prompt(locale: String, age: Int? = 14, country: String? = nil) throws -> Intervention? {
    let engine = try InterventionEngine.defaults.with(InterventionConfiguration(locale: locale, country: country))
    return engine.interventions(
      for: chatVerdict(.high), context: MessageContext(senderAge: 40, recipientAge: age)
    ).first { $0.audience == .recipient }
  }

  @Test(arguments: [
    ("en", "done nothing wrong"), ("es", "No has hecho nada malo"), ("fr", "Tu n'as rien fait de mal"),
    ("de", "Du hast nichts falsch gemacht"), ("pt", "Não fizeste nada de errado"),
    ("it", "Non hai fatto niente di sbagliato"),
  ])
  func everyLocaleHasItsOwnWording(locale: String, phrase: String) throws {
    let p = try prompt(locale: locale)
    #expect(p?.locale == locale)
    #expect(p?.message.contains(phrase) == true, "\(p?.message ?? "")")
  }

  @Test func everyLocaleDefinesEveryAudience() throws {
    let catalog = InterventionEngine.defaults.catalog
    #expect(catalog.availableLocales == ["de", "en", "es", "fr", "it", "pt"])
    for locale in catalog.availableLocales {
      for key in MessageCatalog.requiredKeys {
        #expect(catalog.locales[locale]?.messages[key] != nil, "\(locale) \(key)")
      }
    }
  }

  @Test func categoryAndRiskLabelsAreLocalised() throws {
    let engine = try InterventionEngine.defaults.with(InterventionConfiguration(locale: "de"))
    let notice = engine.interventions(
      for: chatVerdict(.high, [.secrecy]), context: MessageContext(senderAge: 40, recipientAge: 9)
    ).first { $0.audience == .guardian }
    #expect(notice?.message.contains("Bitte um Geheimhaltung") == true)
    #expect(notice?.message.contains("Risiko: hoch") == true)
  }

  @Test func unknownLocalesFallBackToEnglish() throws {
    let p = try prompt(locale: "nl")
    #expect(p?.locale == "en")
    #expect(p?.message.contains("done nothing wrong") == true)
  }

  @Test func regionalLocalesUseTheirLanguage() throws {
    #expect(try prompt(locale: "pt-BR")?.locale == "pt")
    #expect(try prompt(locale: "fr_CA")?.locale == "fr")
  }

  @Test func aMissingMessageFallsBackToEnglishOneMessageAtATime() throws {
    // A Dutch catalog with only the sender warning: the child's prompt comes from English.
    var files = RuleFiles.embedded.under("deterrence/")
    files.append(("deterrence/messages.nl.catalog", "sender.deterrence = Let op: {helpline_name}.\n"))
    let engine = try InterventionEngine(
      rules: RuleFiles(files: files), configuration: InterventionConfiguration(locale: "nl", country: "GB"))
    let out = engine.interventions(for: chatVerdict(.high), context: MessageContext(senderAge: 40, recipientAge: 14))
    #expect(out[0].locale == "nl")
    #expect(out[0].message == "Let op: Stop It Now.")
    #expect(out[1].locale == "en")
  }

  @Test func theYoungestBandBorrowsTheNextBandInTheSameLanguage() throws {
    let p = try prompt(locale: "es", age: 4)
    #expect(p?.locale == "es")
    #expect(p?.ageBand == "0-5")
    #expect(p?.message.contains("No es culpa tuya") == true)
  }

  // MARK: Errors with locations

  func loadError(_ text: String, name: String = "deterrence/messages.xx.catalog") -> ChildSafeError? {
    var files = RuleFiles.embedded.under("deterrence/")
    files.append((name, text))
    do {
      _ = try InterventionEngine(rules: RuleFiles(files: files))
      return nil
    } catch { return error }
  }

  @Test func unknownPlaceholdersAreErrorsWithTheirPlace() throws {
    let error = try #require(loadError("# x\nsender.deterrence = Call {helpline_nmae} now.\n"))
    #expect(error.code == .syntax)
    #expect(error.location == SourceLocation(file: "deterrence/messages.xx.catalog", line: 2, column: 26))
    #expect(error.message.contains("{helpline_nmae}"))
    #expect(error.message.contains("did you mean {helpline_name}"))
  }

  @Test func otherCatalogErrorsAreLocated() throws {
    let file = "deterrence/messages.xx.catalog"
    let cases: [(String, Int, Int, String)] = [
      ("sender.deterence = Hi\n", 1, 1, "did you mean sender.deterrence"),
      ("\n\nno equals sign here\n", 3, 1, "expected 'key = message'"),
      ("sender.help = Hi {helpline_name\n", 1, 18, "unclosed placeholder"),
      ("sender.help = Hi } there\n", 1, 18, "unmatched '}'"),
      ("sender.help = Hi \\t\n", 1, 18, "unknown escape"),
      ("sender.help = Hi\nsender.help = Again\n", 2, 1, "duplicate key"),
      ("sender.help =   \n", 1, 17, "empty message"),
      ("risk.high = {risk}\n", 1, 13, "not allowed"),
    ]
    for (text, line, column, phrase) in cases {
      let error = try #require(loadError(text), "\(text)")
      #expect(error.location == SourceLocation(file: file, line: line, column: column), "\(text)")
      #expect(error.message.contains(phrase), "\(error.message)")
    }
  }

  @Test func bracesAndEscapesAreLiteral() throws {
    var files = RuleFiles.embedded.under("deterrence/")
    files.append(("deterrence/messages.xx.catalog", "sender.deterrence = {{brace}} line\\nnext \\\\ {risk}\n"))
    let engine = try InterventionEngine(rules: RuleFiles(files: files), configuration: InterventionConfiguration(locale: "xx"))
    let out = engine.interventions(for: chatVerdict(.high), context: MessageContext(senderAge: 40, recipientAge: 12))
    #expect(out[0].message == "{brace} line\nnext \\ high")
  }

  @Test func badFileNamesAndAMissingFallbackAreErrors() {
    #expect(loadError("sender.help = x\n", name: "deterrence/messages.catalog") != nil)
    #expect(loadError("sender.help = x\n", name: "deterrence/messages.english!.catalog") != nil)
    let noEnglish = RuleFiles.embedded.under("deterrence/").filter { $0.path != "deterrence/messages.en.catalog" }
    #expect(throws: ChildSafeError.self) { try InterventionEngine(rules: RuleFiles(files: noEnglish)) }
  }

  @Test func signpostErrorsAreLocated() throws {
    let file = "deterrence/signposts.local.list"
    let cases: [(String, Int, Int, String)] = [
      ("GBR deterrence = A | | \n", 1, 1, "two-letter country code"),
      ("GB deterrance = A | 1 | https://a.example\n", 1, 4, "did you mean deterrence"),
      ("GB children = A | 1\n", 1, 15, "expected 3 fields"),
      ("GB children = A | 1 | www.example.org\n", 1, 23, "https://"),
      ("XX children =  | 1 | \n", 1, 16, "name is empty"),
      ("GB deterrence = A | | \n", 1, 1, "duplicate signpost"),
    ]
    for (text, line, column, phrase) in cases {
      let error = try #require(loadError(text, name: file), "\(text)")
      #expect(error.location == SourceLocation(file: file, line: line, column: column), "\(text): \(error)")
      #expect(error.message.contains(phrase), "\(error.message)")
    }
  }

  @Test func aRulesDirectoryExtendsTheDefaults() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("childsafe-hooks-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: root + "/deterrence", withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: root) }
    try FileSystem.writeFile(root + "/deterrence/messages.nl.catalog", Array("sender.deterrence = Stop. {helpline_name}\n".utf8))
    let engine = try InterventionEngine.load(directory: root, configuration: InterventionConfiguration(locale: "nl", country: "NL"))
    #expect(engine.catalog.availableLocales.contains("nl"))
    #expect(engine.catalog.availableLocales.contains("en"))
    #expect(engine.interventions(for: chatVerdict(.high), context: MessageContext(senderAge: 40, recipientAge: 12))[0].message
      == "Stop. Troubled Desire")
    try "[minor]\nwidget*\n[sexual]\ngadget\n".write(toFile: root + "/deterrence/query-terms.list", atomically: true, encoding: .utf8)
    let replaced = try QueryClassifier.load(directory: root)
    #expect(try replaced.classify("widgets gadget").categories == [.csamQuery])
    #expect(try replaced.classify("child nudes") == .clean)  // the directory's list replaced the embedded one
    // Used alone, the directory lacks the English fallback catalog: a clear error, not a half engine.
    #expect(throws: ChildSafeError.self) { try InterventionEngine.load(directory: root, extendingDefaults: false) }
  }
}
