/// How interventions are chosen and worded. Every field has a safe default; a family policy or the
/// host sets locale, country and signposts.
public struct InterventionConfiguration: Sendable, Hashable {
  /// BCP 47-like locale for the wording ("en", "es", "pt-BR"); unknown locales fall back to English.
  public var locale: String
  /// ISO 3166-1 alpha-2 country for the signposts ("GB"); nil uses the international entries.
  public var country: String?
  /// Signposts that replace the catalog's, per service (set by a family policy or the host app).
  public var signposts: [SignpostService: Signpost]
  /// A sender (adult or of unknown age) writing to a child is warned at or above this risk.
  public var senderThreshold: RiskLevel
  /// A child is shown a safety prompt at or above this risk.
  public var recipientThreshold: RiskLevel
  /// A guardian is notified at or above this risk (and only for children under `guardianNoticeBelowAge`).
  public var guardianThreshold: RiskLevel
  /// A search for sexual material involving minors is answered with deterrence at or above this risk.
  public var queryThreshold: RiskLevel
  /// Guardian notices go only to guardians of children younger than this (default 13: older children
  /// are not reported on automatically, as Apple's Communication Safety decided); nil: never.
  public var guardianNoticeBelowAge: Int?
  /// Treat a recipient of unknown age as a child (cautious default).
  public var unknownRecipientIsChild: Bool

  public init(
    locale: String = "en", country: String? = nil, signposts: [SignpostService: Signpost] = [:],
    senderThreshold: RiskLevel = .high, recipientThreshold: RiskLevel = .medium, guardianThreshold: RiskLevel = .high,
    queryThreshold: RiskLevel = .medium, guardianNoticeBelowAge: Int? = 13, unknownRecipientIsChild: Bool = true
  ) {
    self.locale = locale
    self.country = country
    self.signposts = signposts
    self.senderThreshold = senderThreshold
    self.recipientThreshold = recipientThreshold
    self.guardianThreshold = guardianThreshold
    self.queryThreshold = queryThreshold
    self.guardianNoticeBelowAge = guardianNoticeBelowAge
    self.unknownRecipientIsChild = unknownRecipientIsChild
  }
}

/// Age bands for the child's wording (the UK Children's code ranges).
public enum WordingBand {
  /// "0-5", "6-9", "10-12", "13-15", "16-17", or nil for unknown ages and adults.
  public static func band(forAge age: Int?) -> String? {
    guard let age, age >= 0 else { return nil }
    switch age {
    case 0...5: return "0-5"
    case 6...9: return "6-9"
    case 10...12: return "10-12"
    case 13...15: return "13-15"
    case 16...17: return "16-17"
    default: return nil
    }
  }

  /// Catalog qualifiers to try for a band: the youngest band borrows the 6-9 wording if it has none.
  static func qualifiers(for band: String?) -> [String] {
    guard let band else { return [] }
    return band == "0-5" ? ["0-5", "6-9"] : [band]
  }
}

/// Turns verdicts into interventions for the sender, the child and the guardian. Immutable and
/// shareable across threads.
///
/// Its inputs are a `MessageVerdict`, an optional `ConversationVerdict` and a `MessageContext`:
/// categories, risks, ages, ids and times. It never receives message text, so no intervention can
/// contain any.
public struct InterventionEngine: Sendable {
  public let configuration: InterventionConfiguration
  /// Where the catalogs and signposts come from (see ``Wording``).
  let wording: Wording
  /// The message catalogs.
  public var catalog: MessageCatalog { wording.catalog }
  /// The help services per country.
  public var signposts: SignpostDirectory { wording.signposts }
  /// The locales a message is looked for in, most specific first (made once: every intervention
  /// of every message asks).
  let localeChain: [String]
  /// Messages worded so far (see ``WordingMemo``).
  let memo = WordingMemo()

  /// Builds the engine from the `deterrence/` files of `rules` (the embedded defaults unless given).
  public init(rules: RuleFiles = .embedded, configuration: InterventionConfiguration = InterventionConfiguration())
    throws(ChildSafeError)
  {
    try self.init(
      catalog: MessageCatalog(files: rules), signposts: SignpostDirectory(files: rules), configuration: configuration)
  }

  public init(catalog: MessageCatalog, signposts: SignpostDirectory, configuration: InterventionConfiguration)
    throws(ChildSafeError)
  {
    try self.init(wording: .given(catalog, signposts), configuration: configuration)
  }

  init(wording: Wording, configuration: InterventionConfiguration) throws(ChildSafeError) {
    if let country = configuration.country,
      !(country.unicodeScalars.count == 2 && country.unicodeScalars.allSatisfy { ($0 >= "A" && $0 <= "Z") || ($0 >= "a" && $0 <= "z") })
    {
      throw ChildSafeError(.invalidValue, "country '\(country)' is not a two-letter ISO 3166-1 code such as GB")
    }
    if MessageCatalog.canonicalLocale(configuration.locale) == nil {
      throw ChildSafeError(.invalidValue, "locale '\(configuration.locale)' is not a locale tag such as en or pt-BR")
    }
    self.wording = wording
    self.configuration = configuration
    localeChain = MessageCatalog.lookupChain(for: configuration.locale)
  }

  /// Reads `DIRECTORY/deterrence/`: its files replace embedded files of the same path and add to the
  /// others (`extendingDefaults`), or are used alone.
  public static func load(
    directory: String, configuration: InterventionConfiguration = InterventionConfiguration(),
    extendingDefaults: Bool = true
  ) throws(ChildSafeError) -> InterventionEngine {
    let own = try RuleFiles.load(directory: directory, prefix: "deterrence/")
    guard extendingDefaults else { return try InterventionEngine(rules: own, configuration: configuration) }
    return try InterventionEngine(
      rules: RuleFiles.embedded.overlaid(with: own, under: "deterrence/"), configuration: configuration)
  }

  /// An engine over the embedded catalogs with the default configuration. The catalogs are parsed
  /// on first use, not here: most engines never word an intervention (tests check them valid).
  public static let defaults: InterventionEngine = {
    do { return try InterventionEngine(wording: .embedded, configuration: InterventionConfiguration()) } catch {
      fatalError("the default intervention configuration is invalid: \(error)")
    }
  }()

  /// The same catalogs with another configuration (cheap: catalogs are shared).
  public func with(_ configuration: InterventionConfiguration) throws(ChildSafeError) -> InterventionEngine {
    try InterventionEngine(wording: wording, configuration: configuration)
  }

  /// The signpost for a service: the configuration's override, else the country's, else the international one.
  public func signpost(_ service: SignpostService) -> Signpost? {
    configuration.signposts[service] ?? signposts.signpost(service, country: configuration.country)
  }

  /// The interventions a message calls for, for every audience, in the order sender, recipient, guardian.
  ///
  /// - Chat: the risk is the higher of the message's and the conversation's. A sender who is an adult
  ///   or of unknown age, writing to a child (or to a recipient of unknown age, see
  ///   `unknownRecipientIsChild`), gets `deterrence` at `senderThreshold`; the child gets a
  ///   `safety_prompt` worded for their age band at `recipientThreshold`; the guardian of a child under
  ///   `guardianNoticeBelowAge` gets a `guardian_notice` at `guardianThreshold`. Nothing fires when the
  ///   recipient is known to be an adult.
  /// - Query: `help_seeking` gives the searcher `help`; `csam_query` at `queryThreshold` gives `deterrence`.
  public func interventions(
    for verdict: MessageVerdict, conversation: ConversationVerdict? = nil, context: MessageContext
  ) -> [Intervention] {
    switch context.context {
    case .query: return queryInterventions(verdict, context)
    case .chat: return chatInterventions(verdict, conversation, context)
    }
  }

  func chatInterventions(_ verdict: MessageVerdict, _ conversation: ConversationVerdict?, _ context: MessageContext)
    -> [Intervention]
  {
    let risk = max(verdict.risk, conversation?.risk ?? .none)
    guard risk > .none else { return [] }
    let recipientIsChild: Bool
    if let age = context.recipientAge { recipientIsChild = age < 18 } else { recipientIsChild = configuration.unknownRecipientIsChild }
    guard recipientIsChild else { return [] }
    let category = InterventionEngine.primaryCategory(verdict.categories, conversation?.stages ?? [])
    var out: [Intervention] = []
    out.reserveCapacity(3)
    let senderMayBeAdult = context.senderAge.map { $0 >= 18 } ?? true
    if senderMayBeAdult && risk >= configuration.senderThreshold {
      out.append(make(.sender, .deterrence, keys: ["sender.deterrence"], category, risk, .deterrence, nil, context))
    }
    if risk >= configuration.recipientThreshold {
      let band = WordingBand.band(forAge: context.recipientAge)
      let keys = WordingBand.qualifiers(for: band).map { "recipient.safety_prompt.\($0)" } + ["recipient.safety_prompt"]
      out.append(make(.recipient, .safetyPrompt, keys: keys, category, risk, .children, band, context))
    }
    if risk >= configuration.guardianThreshold, let limit = configuration.guardianNoticeBelowAge,
      let age = context.recipientAge, age < limit
    {
      out.append(
        make(.guardian, .guardianNotice, keys: ["guardian.guardian_notice"], category, risk, .parents,
          WordingBand.band(forAge: age), context))
    }
    return out
  }

  func queryInterventions(_ verdict: MessageVerdict, _ context: MessageContext) -> [Intervention] {
    let searcherIsChild = context.senderAge.map { $0 < 18 } ?? false
    if verdict.categories.contains(.helpSeeking) {
      let selfHelp = verdict.categories.contains(.selfHelp)
      let keys: [String]
      let service: SignpostService
      if searcherIsChild {
        (keys, service) = (["sender.help.young", "sender.help"], .children)
      } else if selfHelp {
        (keys, service) = (["sender.help.self", "sender.help"], .deterrence)
      } else {
        (keys, service) = (["sender.help"], .parents)
      }
      return [make(.sender, .help, keys: keys, .helpSeeking, verdict.risk, service, nil, context)]
    }
    if verdict.categories.contains(.csamQuery) && verdict.risk >= configuration.queryThreshold {
      let keys = searcherIsChild ? ["sender.deterrence.young", "sender.deterrence"] : ["sender.deterrence.query", "sender.deterrence"]
      return [make(.sender, .deterrence, keys: keys, .csamQuery, verdict.risk, searcherIsChild ? .children : .deterrence, nil, context)]
    }
    return []
  }

  /// The most serious category present, so that a prompt names what matters most.
  static let severityOrder: [Category] = [
    .csamQuery, .sexual, .coercion, .imageRequest, .meeting, .secrecy, .isolation, .platformSwitch, .personalInfo,
    .riskCheck, .ageProbe, .gifts, .flattery,
  ]

  static func primaryCategory(_ categories: [Category], _ more: [Category] = []) -> Category {
    for category in severityOrder where categories.contains(category) || more.contains(category) { return category }
    let least = [categories.min(), more.min()].compactMap { $0 }.min()
    return least ?? Category("unspecified")
  }

  func make(
    _ audience: Audience, _ kind: InterventionKind, keys: @autoclosure () -> [String], _ category: Category,
    _ risk: RiskLevel, _ service: SignpostService, _ band: String?, _ context: MessageContext
  ) -> Intervention {
    // In each context, audience, kind, service and band decide the catalog keys.
    let key = WordingMemo.Key(
      query: context.context == .query, audience: audience, kind: kind, service: service, risk: risk, band: band,
      category: category)
    let wording = memo.wording(key) { word(keys: keys(), category, risk, service, band) }
    return Intervention(
      audience: audience, kind: kind, category: category, risk: risk, message: wording.message, locale: wording.locale,
      ageBand: audience == .recipient ? band : nil, signpost: wording.signpost, conversationID: context.conversationID,
      time: context.timestamp)
  }

  func word(keys: [String], _ category: Category, _ risk: RiskLevel, _ service: SignpostService, _ band: String?)
    -> WordingMemo.Wording
  {
    // Services fall back so that there is always somewhere to turn: parents -> deterrence (Stop It Now
    // kind services also advise worried parents) and children -> any children's line.
    var signpost = self.signpost(service)
    if signpost == nil && service == .parents { signpost = self.signpost(.deterrence) }
    let found = catalog.template(keys: keys, chain: localeChain[...])
    let locale = found.map { localeChain[$0.index] } ?? MessageCatalog.fallbackLocale
    // Labels in the message's language: the rest of the chain from where the message was found
    // (the lookup chain of that locale).
    let labelChain = found.map { localeChain[$0.index...] } ?? [MessageCatalog.fallbackLocale][...]
    let message =
      found?.template.render { placeholder in
        switch placeholder {
        case .helplineName: return signpost?.name ?? ""
        case .helplinePhone: return signpost?.phone ?? ""
        case .helplineURL: return signpost?.url ?? ""
        case .helplineContact:
          return [signpost?.phone ?? "", signpost?.url ?? ""].filter { !$0.isEmpty }.joined(separator: " / ")
        case .category:
          return catalog.label("category.\(category.name)", chain: labelChain)
            ?? category.name.replacingUnderscores()
        case .risk: return catalog.label("risk.\(risk.description)", chain: labelChain) ?? risk.description
        case .ageBand: return band ?? ""
        }
      } ?? ""
    return WordingMemo.Wording(message: message, locale: locale, signpost: signpost)
  }
}

extension InterventionEngine {
  /// The catalogs and signposts an engine words its interventions with: given (parsed when the
  /// engine was made, so that their errors reach its maker), or the embedded ones, parsed once per
  /// process when first asked for.
  enum Wording: Sendable {
    case given(MessageCatalog, SignpostDirectory)
    case embedded

    static let embeddedCatalog: MessageCatalog = {
      do { return try MessageCatalog(files: .embedded) } catch {
        fatalError("embedded deterrence catalogs are invalid: \(error)")
      }
    }()

    static let embeddedSignposts: SignpostDirectory = {
      do { return try SignpostDirectory(files: .embedded) } catch {
        fatalError("embedded signposts are invalid: \(error)")
      }
    }()

    var catalog: MessageCatalog {
      switch self {
      case .given(let catalog, _): return catalog
      case .embedded: return Wording.embeddedCatalog
      }
    }

    var signposts: SignpostDirectory {
      switch self {
      case .given(_, let signposts): return signposts
      case .embedded: return Wording.embeddedSignposts
      }
    }
  }
}

extension RuleFiles {
  /// The files of `self` under `prefix`, with `other`'s files replacing those of the same path and
  /// adding the rest.
  func overlaid(with other: RuleFiles, under prefix: String) -> RuleFiles {
    var merged: [String: String] = [:]
    for file in under(prefix) { merged[file.path] = file.text }
    for file in other.under(prefix) { merged[file.path] = file.text }
    return RuleFiles(files: merged.map { (path: $0.key, text: $0.value) })
  }
}

extension String {
  func replacingUnderscores() -> String { String(map { $0 == "_" ? " " : $0 }) }
}
