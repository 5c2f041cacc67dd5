/// Everything a host needs behind one immutable, shareable value: the grooming classifier (with the
/// query rules for search boxes), the interventions that verdicts call for, the URL filter, and the
/// family policy that sets locale, country and helplines.
///
/// The CLI, the C API and the example daemon all go through this type, so a message classified by
/// any of them gets the same verdict, the same interventions and the same JSON.
public struct SafetyEngine: Sendable {
  /// How to build an engine. Every field has a working default: `SafetyEngine()` uses the rule
  /// packs, catalogs and sample lists embedded in the library.
  public struct Configuration: Sendable {
    /// A rules directory (`grooming/`, `deterrence/`, `urls/`...) that extends or replaces the embedded rules.
    public var rulesDirectory: String?
    /// Whether the directory's grooming packs and URL lists replace the embedded ones or extend them
    /// (message catalogs, helplines and query terms always extend the embedded ones).
    public var rulesMode: ClassifierEngine.RulesMode
    /// URL lists: files, directories or compiled indexes. Empty: the embedded sample lists (and
    /// `rulesDirectory/urls` when it exists).
    public var lists: [String]
    /// URL categories to block; nil blocks every listed category.
    public var categories: Set<String>?
    /// A family policy file: its locale, country and helplines configure interventions.
    public var policyPath: String?
    /// The child in the policy whose settings apply (nil: the family-wide settings).
    public var child: String?
    /// Locale and country for safety messages and helplines; they override the policy's.
    public var locale: String?
    public var country: String?
    /// Thresholds and audiences of interventions (locale, country and signposts are filled in from above).
    public var interventions: InterventionConfiguration
    /// How often one audience of one conversation may be interrupted.
    public var rateLimit: RateLimit
    /// Model files (``LinearModel``) combined with the rules, at most one per level.
    public var models: [String] = []

    public init(
      rulesDirectory: String? = nil, rulesMode: ClassifierEngine.RulesMode = .extend, lists: [String] = [],
      categories: Set<String>? = nil, policyPath: String? = nil, child: String? = nil, locale: String? = nil,
      country: String? = nil, interventions: InterventionConfiguration = InterventionConfiguration(),
      rateLimit: RateLimit = RateLimit(), models: [String] = []
    ) {
      self.models = models
      self.rulesDirectory = rulesDirectory
      self.rulesMode = rulesMode
      self.lists = lists
      self.categories = categories
      self.policyPath = policyPath
      self.child = child
      self.locale = locale
      self.country = country
      self.interventions = interventions
      self.rateLimit = rateLimit
    }
  }

  public let classifier: ClassifierEngine
  /// The query rules (search boxes): a rules directory's, else the embedded ones, which are built
  /// the first time any engine needs them (a `check` of chat messages never does).
  public var queries: QueryClassifier { ownQueries ?? QueryClassifier.defaults }
  /// nil: the embedded query rules.
  let ownQueries: QueryClassifier?
  public let interventions: InterventionEngine
  public let urls: URLFilter
  public let policy: FamilyPolicy?
  public let rateLimit: RateLimit

  /// Builds every part; a bad file anywhere fails the whole build with a located error, so a host
  /// never runs with half a configuration.
  public init(_ configuration: Configuration = Configuration()) throws(ChildSafeError) {
    let directory = configuration.rulesDirectory
    let extending = configuration.rulesMode == .extend
    // `rulesMode` decides whether the directory's grooming packs replace the embedded ones. Message
    // catalogs, helplines and query terms always extend the embedded ones: a pack author replacing
    // the grooming rules still wants safety messages in every locale.
    var classifier: ClassifierEngine
    if let directory {
      classifier = try ClassifierEngine(directory: directory, mode: configuration.rulesMode)
      ownQueries = try QueryClassifier.load(directory: directory, extendingDefaults: true)
    } else {
      classifier = ClassifierEngine.defaults
      ownQueries = nil
    }
    classifier = try classifier.adding(modelFiles: configuration.models)
    self.classifier = classifier

    var policy: FamilyPolicy? = nil
    var childSettings: EffectiveSettings? = nil
    var interventionConfiguration = configuration.interventions
    if let path = configuration.policyPath {
      let loaded = try FamilyPolicy.load(path: path)
      policy = loaded
      if let child = configuration.child {
        let settings = try loaded.effectiveSettings(forChild: child)
        childSettings = settings
        interventionConfiguration = settings.interventionConfiguration(base: interventionConfiguration)
      } else {
        interventionConfiguration = loaded.interventionConfiguration(base: interventionConfiguration)
      }
    }
    if let locale = configuration.locale { interventionConfiguration.locale = locale }
    if let country = configuration.country { interventionConfiguration.country = country }
    self.policy = policy

    if let directory, FileSystem.isDirectory(FileSystem.join(directory, "deterrence")) {
      interventions = try InterventionEngine.load(
        directory: directory, configuration: interventionConfiguration, extendingDefaults: true)
    } else {
      interventions = try InterventionEngine.defaults.with(interventionConfiguration)
    }

    // Lists given explicitly are used alone; otherwise the embedded samples, extended (or replaced)
    // by the rules directory's urls/.
    var lists = configuration.lists
    var includeDefaults = lists.isEmpty
    if lists.isEmpty, let directory {
      let own = FileSystem.join(directory, "urls")
      if FileSystem.isDirectory(own) {
        lists = [own]
        includeDefaults = extending
      }
    }
    // A child's policy decides the URL categories blocked (unless the caller names them) and adds the
    // family's own blocked and allowed domains.
    var categories = configuration.categories
    var extra: [(text: String, list: String, category: String)] = []
    if let childSettings {
      if categories == nil { categories = Set(childSettings.settings.blockedCategories) }
      if !childSettings.blockedDomains.isEmpty {
        extra.append((childSettings.blockedDomains.joined(separator: "\n"), "policy:blocked", SafetyEngine.policyCategory))
        categories?.insert(SafetyEngine.policyCategory)
      }
      if !childSettings.allowedDomains.isEmpty {
        extra.append((childSettings.allowedDomains.joined(separator: "\n"), "policy:allowed", "allow"))
      }
    }
    urls = try URLFilter(lists: lists, categories: categories, includeDefaults: includeDefaults, extra: extra)
    rateLimit = configuration.rateLimit
  }

  /// An engine from parts already built (e.g. a classifier over a host's own rule set); `queries`
  /// nil: the embedded query rules.
  public init(
    classifier: ClassifierEngine, queries: QueryClassifier? = nil, interventions: InterventionEngine = .defaults,
    urls: URLFilter = .defaults, policy: FamilyPolicy? = nil, rateLimit: RateLimit = RateLimit()
  ) {
    self.classifier = classifier
    self.ownQueries = queries
    self.interventions = interventions
    self.urls = urls
    self.policy = policy
    self.rateLimit = rateLimit
  }

  /// This engine with `model` combined with its rules (replacing a model of the same level); the
  /// URL filter, interventions and policy are shared, not rebuilt.
  public func adding(_ model: LinearModel) -> SafetyEngine {
    SafetyEngine(
      classifier: classifier.adding(model), queries: ownQueries, interventions: interventions, urls: urls, policy: policy,
      rateLimit: rateLimit)
  }

  /// This engine with its sessions' interventions rate-limited by `rateLimit`; everything else is
  /// shared, not rebuilt.
  public func rateLimited(_ rateLimit: RateLimit) -> SafetyEngine {
    SafetyEngine(
      classifier: classifier, queries: ownQueries, interventions: interventions, urls: urls, policy: policy,
      rateLimit: rateLimit)
  }

  /// The URL category of domains a family policy blocks itself.
  public static let policyCategory = "policy"

  /// An engine over everything embedded in the library.
  public static let defaults: SafetyEngine = {
    do { return try SafetyEngine() } catch { fatalError("embedded rules are invalid: \(error)") }
  }()

  /// The verdict on one text. In a search box (`context.context == .query`) the query rules add
  /// their signals (searches for abuse material, help-seeking) to the grooming rules'.
  public func classify(_ text: String, context: MessageContext = MessageContext()) throws(ChildSafeError)
    -> MessageVerdict
  {
    let verdict = try classifier.classify(text, context: context)
    guard context.context == .query else { return verdict }
    return verdict.merging(try queries.classify(text, context: context))
  }

  /// One message on its own (no conversation, no rate limiting): its verdict and the interventions
  /// it calls for.
  public func check(_ text: String, context: MessageContext = MessageContext()) throws(ChildSafeError)
    -> CheckResult
  {
    let verdict = try classify(text, context: context)
    return CheckResult(
      verdict: verdict, conversation: nil, interventions: interventions.interventions(for: verdict, context: context))
  }

  /// The same engine with its interventions worded in `locale` (catalogs and everything else shared).
  public func worded(in locale: String) throws(ChildSafeError) -> SafetyEngine {
    var configuration = interventions.configuration
    configuration.locale = locale
    return SafetyEngine(
      classifier: classifier, queries: ownQueries, interventions: try interventions.with(configuration), urls: urls,
      policy: policy, rateLimit: rateLimit)
  }

  /// The locale that words the interventions of a `check --jsonl` line (or a C API `context_json`),
  /// when it is not the engine's own: the line's `"locale"`, else its `"lang"` when the catalogs
  /// have messages in that language (a language without messages keeps the engine's locale rather
  /// than falling back to English). nil: the engine's locale applies.
  public func lineLocale(_ object: JSONValue) throws(ChildSafeError) -> String? {
    let locale: String
    if let value = object["locale"], !value.isNull {
      guard let tag = value.stringValue, let canonical = MessageCatalog.canonicalLocale(tag) else {
        throw ChildSafeError(.invalidValue, "\"locale\" must be a locale tag such as en or pt-BR")
      }
      locale = canonical
    } else if let tag = object["lang"]?.stringValue, let canonical = MessageCatalog.canonicalLocale(tag),
      hasMessages(in: canonical)
    {
      locale = canonical
    } else {
      return nil
    }
    return locale == MessageCatalog.canonicalLocale(interventions.configuration.locale) ? nil : locale
  }

  /// Whether the catalogs word messages in `locale` or in its language.
  func hasMessages(in locale: String) -> Bool {
    let available = interventions.catalog.availableLocales
    // The lookup chain ends with the fallback language: only the locale's own language counts.
    return MessageCatalog.lookupChain(for: locale).contains {
      ($0 == locale || locale.hasPrefix($0 + "-")) && available.contains($0)
    }
  }

  /// A conversation: fed messages in order, it keeps the running verdict (never text) and
  /// rate-limits interventions per audience.
  public func makeSession(handler: (any InterventionHandler)? = nil) -> SafetySession {
    SafetySession(engine: self, handler: handler)
  }

  /// The verdict on one URL, with the engine's lists and categories.
  public func checkURL(_ url: String) -> URLVerdict { urls.check(url) }
}

/// What one message produced: its verdict, the running conversation verdict when it belongs to a
/// conversation, and the interventions to deliver (after rate limiting). Holds no text.
public struct CheckResult: Sendable {
  public var verdict: MessageVerdict
  public var conversation: ConversationVerdict?
  public var interventions: [Intervention]

  public init(verdict: MessageVerdict, conversation: ConversationVerdict?, interventions: [Intervention]) {
    self.verdict = verdict
    self.conversation = conversation
    self.interventions = interventions
  }

  /// The `childsafe check --jsonl` output line: `{"id", "flagged", "risk", "score", "categories",
  /// "matches", ("conversation"), ("interventions")}`. `interventions` appears when any fired.
  public func json(id: JSONValue) -> JSONValue {
    var extra: [(String, JSONValue)] = []
    if !interventions.isEmpty { extra.append(("interventions", .array(interventions.map(\.json)))) }
    return VerdictJSON.message(id: id, verdict: verdict, conversation: conversation, extra: extra)
  }
}

/// One conversation's running state: the classifier's tracker (scores and categories only) and the
/// rate limiter's state for its audiences. Not thread-safe: use one session from one thread at a time.
public struct SafetySession: Sendable {
  public let engine: SafetyEngine
  var tracker: ConversationTracker
  let dispatcher: InterventionDispatcher

  init(engine: SafetyEngine, handler: (any InterventionHandler)?) {
    self.engine = engine
    tracker = engine.classifier.makeConversation()
    dispatcher = InterventionDispatcher(
      handler: handler ?? ClosureInterventionHandler { _ in .shown }, rateLimit: engine.rateLimit)
  }

  /// The running verdict on the conversation so far.
  public var verdict: ConversationVerdict { tracker.verdict }

  /// Counters of interventions shown, acknowledged and held back in this session.
  public var statistics: DispatchStatistics { dispatcher.statistics }

  /// Adds the next message. Interventions go through the session's handler (if any) and rate
  /// limiting; the result lists those that were delivered and not suppressed by the host.
  public mutating func add(_ text: String, context: MessageContext = MessageContext()) throws(ChildSafeError)
    -> CheckResult
  {
    try add(text, context: context, wording: engine.interventions)
  }

  /// The same, with the interventions worded by `wording` (a stream line that names its own locale,
  /// see ``SafetyEngine/lineLocale(_:)``).
  public mutating func add(_ text: String, context: MessageContext, wording: InterventionEngine) throws(ChildSafeError)
    -> CheckResult
  {
    // Chat messages are classified and read for ages from one normalisation; queries as before.
    let verdict: MessageVerdict
    if context.context == .chat {
      let (message, cues) = try engine.classifier.classifyReadingRoles(text, context: context)
      verdict = message
      tracker.record(verdict, cues: cues, context: context)
    } else {
      verdict = try engine.classify(text, context: context)
      tracker.record(verdict, context: context)
    }
    return deliver(verdict, context: context, wording: wording)
  }

  /// The interventions a recorded message calls for, after rate limiting, with the running verdict.
  mutating func deliver(_ verdict: MessageVerdict, context: MessageContext, wording: InterventionEngine) -> CheckResult {
    let conversation = tracker.verdict
    let candidates = wording.interventions(for: verdict, conversation: conversation, context: context)
    // Dispatch even an empty list: the rate limiter counts messages since the last intervention.
    let outcomes = dispatcher.dispatch(candidates, conversation: context.conversationID, time: context.timestamp)
    var delivered: [Intervention] = []
    for (intervention, outcome) in zip(candidates, outcomes) {
      switch outcome {
      case .delivered(.shown), .delivered(.acknowledged): delivered.append(intervention)
      default: break
      }
    }
    return CheckResult(verdict: verdict, conversation: conversation, interventions: delivered)
  }

  /// Stops interventions for one audience in this conversation (the host's "don't show again").
  public func mute(_ audience: Audience, conversation: String?, from time: Double?, seconds: Double = 0, messages: Int = 0) {
    dispatcher.mute(conversation: conversation, audience: audience, from: time, seconds: seconds, messages: messages)
  }
}
