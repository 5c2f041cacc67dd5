import Testing

@testable import ChildSafe

/// Verdicts as the classifier would produce them (the engine only ever sees verdicts).
func chatVerdict(_ risk: RiskLevel, _ categories: [Category] = [.secrecy, .imageRequest]) -> MessageVerdict {
  MessageVerdict(flagged: risk >= .medium, risk: risk, score: Double(risk.rawValue) / 4, categories: categories, matches: [])
}

@Suite("Intervention engine")
struct InterventionEngineTests {
  func engine(_ configuration: InterventionConfiguration = InterventionConfiguration()) throws -> InterventionEngine {
    try InterventionEngine.defaults.with(configuration)
  }

  func context(sender: Int? = 34, recipient: Int? = 12) -> MessageContext {
    MessageContext(senderAge: sender, recipientAge: recipient, conversationID: "conv-7", timestamp: 1_000)
  }

  @Test func highRiskFromAnAdultToAChildReachesEveryAudience() throws {
    let out = try engine(InterventionConfiguration(country: "GB")).interventions(
      for: chatVerdict(.high), context: context(recipient: 11))
    #expect(out.map(\.audience) == [.sender, .recipient, .guardian])
    #expect(out.map(\.kind) == [.deterrence, .safetyPrompt, .guardianNotice])
    let sender = out[0], recipient = out[1], guardian = out[2]
    #expect(sender.signpost?.name == "Stop It Now")
    #expect(sender.message.contains("Stop It Now"))
    #expect(sender.message.contains("0808 1000 900"))
    #expect(recipient.signpost?.name == "Childline")
    #expect(recipient.ageBand == "10-12")
    #expect(recipient.message.contains("not your fault"))
    #expect(recipient.message.contains("block and report"))
    #expect(guardian.signpost?.name == "NSPCC Helpline")
    #expect(guardian.message.contains("asking for pictures"))  // the category label, most serious first
    #expect(guardian.message.contains("risk: high"))
    for i in out {
      #expect(i.category == .imageRequest)
      #expect(i.risk == .high)
      #expect(i.conversationID == "conv-7")
      #expect(i.time == 1_000)
    }
  }

  @Test func mediumRiskOnlyPromptsTheChild() throws {
    let out = try engine().interventions(for: chatVerdict(.medium), context: context())
    #expect(out.map(\.audience) == [.recipient])
  }

  @Test func cleanMessagesInACleanConversationGetNothing() throws {
    #expect(try engine().interventions(for: .clean, context: context()).isEmpty)
  }

  @Test func theConversationRiskCountsEvenForACleanMessage() throws {
    let conversation = ConversationVerdict(
      flagged: true, flaggedAt: 3, risk: .high, score: 0.8, stages: [.flattery, .meeting], riskySender: "u1",
      messageCount: 9)
    let out = try engine().interventions(for: .clean, conversation: conversation, context: context())
    #expect(out.map(\.audience) == [.sender, .recipient, .guardian])
    #expect(out.first?.category == .meeting)
  }

  @Test func unknownAgeSendersAreWarnedButChildSendersAreNot() throws {
    let unknown = try engine().interventions(for: chatVerdict(.high), context: context(sender: nil))
    #expect(unknown.contains { $0.audience == .sender })
    let peer = try engine().interventions(for: chatVerdict(.high), context: context(sender: 14, recipient: 13))
    #expect(!peer.contains { $0.audience == .sender })
    #expect(peer.contains { $0.audience == .recipient })
  }

  @Test func adultRecipientsGetNothingAndUnknownRecipientsAreTreatedAsChildren() throws {
    #expect(try engine().interventions(for: chatVerdict(.critical), context: context(recipient: 30)).isEmpty)
    let unknown = try engine().interventions(for: chatVerdict(.high), context: context(recipient: nil))
    #expect(unknown.map(\.audience) == [.sender, .recipient])
    #expect(unknown[1].ageBand == nil)
    let strict = try engine(InterventionConfiguration(unknownRecipientIsChild: false))
    #expect(strict.interventions(for: chatVerdict(.high), context: context(recipient: nil)).isEmpty)
  }

  @Test func guardianNoticesFollowTheConfiguredAgeLimit() throws {
    let eleven = try engine().interventions(for: chatVerdict(.high), context: context(recipient: 11))
    #expect(eleven.contains { $0.audience == .guardian })
    let fourteen = try engine().interventions(for: chatVerdict(.high), context: context(recipient: 14))
    #expect(!fourteen.contains { $0.audience == .guardian })
    let teens = try engine(InterventionConfiguration(guardianNoticeBelowAge: 18))
    #expect(teens.interventions(for: chatVerdict(.high), context: context(recipient: 14)).contains { $0.audience == .guardian })
    let never = try engine(InterventionConfiguration(guardianNoticeBelowAge: nil))
    #expect(!never.interventions(for: chatVerdict(.critical), context: context(recipient: 8)).contains { $0.audience == .guardian })
  }

  @Test func thresholdsAreConfigurable() throws {
    let eager = try engine(InterventionConfiguration(senderThreshold: .medium, recipientThreshold: .low))
    #expect(eager.interventions(for: chatVerdict(.medium), context: context()).map(\.audience) == [.sender, .recipient])
    #expect(eager.interventions(for: chatVerdict(.low), context: context()).map(\.audience) == [.recipient])
  }

  @Test(arguments: [
    (4, "0-5", "grown-up you trust"), (7, "6-9", "grown-up you trust, like a parent"),
    (11, "10-12", "send photos or keep secrets"), (14, "13-15", "pressure or manipulate"),
    (17, "16-17", "meet anyone"),
  ])
  func childWordingFollowsTheAgeBand(age: Int, band: String, phrase: String) throws {
    let prompt = try engine().interventions(for: chatVerdict(.medium), context: context(recipient: age))
      .first { $0.audience == .recipient }
    #expect(prompt?.ageBand == band)
    #expect(prompt?.message.contains(phrase) == true, "\(prompt?.message ?? "")")
  }

  @Test func everyBandHasItsOwnWording() throws {
    let messages = try [4, 7, 11, 14, 17].map { age in
      try engine().interventions(for: chatVerdict(.medium), context: context(recipient: age)).first?.message ?? ""
    }
    #expect(Set(messages).count == 5)
  }

  // MARK: Query context

  func query(_ text: String, sender: Int? = nil, country: String = "US") throws -> [Intervention] {
    let ctx = MessageContext(senderAge: sender, context: .query)
    let verdict = try QueryClassifier.defaults.classify(text, context: ctx)
    return try engine(InterventionConfiguration(country: country)).interventions(for: verdict, context: ctx)
  }

  @Test func searchesForSexualMaterialInvolvingMinorsGetDeterrence() throws {
    let out = try query("child nudes")
    #expect(out.count == 1)
    #expect(out[0].audience == .sender)
    #expect(out[0].kind == .deterrence)
    #expect(out[0].category == .csamQuery)
    #expect(out[0].signpost?.name == "Stop It Now")
    #expect(out[0].message.contains("illegal"))
    #expect(out[0].message.contains("1-888-773-8368"))
  }

  @Test func helpSeekingSearchesGetHelpWithASignpost() throws {
    let report = try query("how to report child abuse")
    #expect(report.map(\.kind) == [.help])
    #expect(report[0].category == .helpSeeking)
    #expect(report[0].signpost != nil)
    #expect(!report[0].message.contains("illegal"))
    let selfHelp = try query("am I a paedophile help", country: "DE")
    #expect(selfHelp.map(\.kind) == [.help])
    #expect(selfHelp[0].signpost?.name == "Kein Täter werden")
    let child = try query("how to report child abuse", sender: 13, country: "AU")
    #expect(child[0].signpost?.name == "Kids Helpline")
  }

  @Test func ordinarySearchesGetNothing() throws {
    for text in ["13th birthday party ideas", "teen book club", "nude beach france"] {
      #expect(try query(text).isEmpty, "\(text)")
    }
  }

  @Test func youngSearchersGetWordingForTheirAgeAndAChildrensLine() throws {
    let out = try query("teen nudes", sender: 15, country: "GB")
    #expect(out.first?.kind == .deterrence)
    #expect(out.first?.signpost?.name == "Childline")
    #expect(out.first?.message.contains("even between young people") == true)
  }

  // MARK: Signposts

  @Test func configuredSignpostsOverrideTheCatalog() throws {
    let own = Signpost(name: "Example Family Line", phone: "555-0100", url: "https://help.example")
    let e = try engine(InterventionConfiguration(country: "GB", signposts: [.children: own]))
    let prompt = e.interventions(for: chatVerdict(.medium), context: context()).first
    #expect(prompt?.signpost == own)
    #expect(prompt?.message.contains("Example Family Line") == true)
    #expect(prompt?.message.contains("555-0100 / https://help.example") == true)
  }

  @Test func unknownCountriesUseTheInternationalEntries() throws {
    let e = try engine(InterventionConfiguration(country: "JP"))
    let out = e.interventions(for: chatVerdict(.high), context: context(recipient: 10))
    #expect(out[0].signpost?.name == "Troubled Desire")
    #expect(out[1].signpost?.url.hasPrefix("https://childhelplineinternational.org") == true)
    #expect(out[2].signpost?.url.hasPrefix("https://childhelplineinternational.org") == true)
  }

  @Test(arguments: ["GB", "US", "IE", "ES", "FR", "DE", "PT", "IT", "AU", "CA", "NZ"])
  func everyRequiredCountryHasAllThreeServices(_ country: String) throws {
    for service in SignpostService.allCases {
      let signpost = InterventionEngine.defaults.signposts.signpost(service, country: country)
      #expect(signpost != nil)
      #expect(InterventionEngine.defaults.signposts.entries[country]?[service] != nil, "\(country) \(service)")
    }
  }

  @Test func parentsFallBackToTheDeterrenceServiceWhenNoParentsEntryExists() throws {
    let files = RuleFiles.embedded.under("deterrence/").map { file -> (path: String, text: String) in
      guard file.path == "deterrence/signposts.list" else { return file }
      return (file.path, "GB deterrence = Stop It Now | 0808 1000 900 | https://www.stopitnow.org.uk\n")
    }
    let e = try InterventionEngine(rules: RuleFiles(files: files), configuration: InterventionConfiguration(country: "GB"))
    let notice = e.interventions(for: chatVerdict(.high), context: context(recipient: 9)).first { $0.audience == .guardian }
    #expect(notice?.signpost?.name == "Stop It Now")
    let prompt = e.interventions(for: chatVerdict(.high), context: context(recipient: 9)).first { $0.audience == .recipient }
    #expect(prompt?.signpost == nil)  // no children's line known: the record says so rather than inventing one
    #expect(prompt?.message.isEmpty == false)
  }

  @Test func badConfigurationIsRejected() {
    #expect(throws: ChildSafeError.self) { try InterventionEngine.defaults.with(InterventionConfiguration(country: "GBR")) }
    #expect(throws: ChildSafeError.self) { try InterventionEngine.defaults.with(InterventionConfiguration(locale: "english!")) }
  }
}

@Suite("Embedded wording, parsed on first use")
struct EmbeddedWordingTests {
  @Test func theDefaultEngineWordsAsAnEngineParsedFromTheEmbeddedFiles() throws {
    let parsed = try InterventionEngine(rules: .embedded)
    let lazy = InterventionEngine.defaults
    #expect(lazy.catalog.availableLocales == parsed.catalog.availableLocales)
    #expect(lazy.signposts.countries == parsed.signposts.countries)
    let verdicts = [chatVerdict(.medium), chatVerdict(.high), chatVerdict(.high, [.sexual, .meeting])]
    for locale in ["en", "de", "pt-BR", "fr"] {
      for country in [nil, "GB", "US", "DE"] as [String?] {
        let configuration = InterventionConfiguration(locale: locale, country: country)
        let a = try lazy.with(configuration), b = try parsed.with(configuration)
        for verdict in verdicts {
          for recipient in [4, 8, 12, 15, nil] as [Int?] {
            let context = MessageContext(senderAge: 30, recipientAge: recipient, conversationID: "c", timestamp: 1)
            #expect(a.interventions(for: verdict, context: context) == b.interventions(for: verdict, context: context))
          }
        }
      }
    }
  }
}
