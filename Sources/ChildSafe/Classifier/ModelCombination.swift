/// The learnt models an engine combines with its rules, and how (see `docs/model.md`).
///
/// - A message-level model scores every message; when its score reaches the model's threshold
///   (chosen when training so that ordinary chat is almost never flagged) the message is flagged
///   even though no rule acted. The verdict keeps the rules' score and adds the model's score and
///   the features that raised it.
/// - Toward a known minor, a model trained with a lower threshold for such messages
///   (``LinearModel/minorThreshold``) flags from there: the rules' evidence-only signals act there too.
/// - Where the model's score is below its `confirm` level (it finds the text clearly ordinary),
///   the rules' decision to act is withheld: their matches and categories are still reported.
/// - A conversation-level model is not applied to single messages: each message only contributes
///   its feature sums to its sender's window, and the conversation escalates when a window's score
///   reaches the threshold.
public struct Models: Sendable {
  public internal(set) var message: LinearModel?
  public internal(set) var conversation: LinearModel?

  public init() {}

  var isEmpty: Bool { message == nil && conversation == nil }

  /// Combines the models with the rules' `verdict`, in place (the verdict is not copied: this runs
  /// for every message).
  func apply(to verdict: inout MessageVerdict, tokens: TokenView, context: MessageContext, policy: MessageScoring) {
    let towardKnownMinor = message?.minorThreshold != nil && policy.towardKnownMinor(context)
    if let model = message, let conversation, model.settings.readsSameFeatures(as: conversation.settings) {
      // Both models read the same features: hash them once, sum both tables.
      let (assessment, terms) = LinearModel.assess(
        tokens, rules: verdict.matches, message: model, conversation: conversation, towardKnownMinor: towardKnownMinor)
      verdict.conversationTerms = terms
      Models.combine(&verdict, assessment, model: model, policy: policy)
      return
    }
    if let model = message {
      let assessment = model.assess(tokens, rules: verdict.matches, towardKnownMinor: towardKnownMinor).assessment
      Models.combine(&verdict, assessment, model: model, policy: policy)
    }
    if let model = conversation {
      verdict.conversationTerms = model.assess(tokens, rules: verdict.matches).terms
    }
  }

  /// Combines a message-level model's assessment with the verdict (see the type's description).
  static func combine(
    _ verdict: inout MessageVerdict, _ assessment: ModelAssessment, model: LinearModel, policy: MessageScoring
  ) {
    verdict.model = assessment
    if assessment.acts && !verdict.flagged {
      verdict.risk = max(verdict.risk, policy.flagAt == .none ? .low : policy.flagAt)
      verdict.flagged = true
    } else if verdict.flagged && !assessment.acts && Float(assessment.score) < model.confirm {
      // The model finds the message clearly ordinary: its signals are reported, not acted on.
      verdict.risk = ModelVeto.belowActing(policy.flagAt)
      verdict.flagged = verdict.risk >= policy.flagAt
    }
  }
}

extension ClassifierEngine {
  /// This engine with `model` combined with its rules, at the model's level (replacing a model of
  /// the same level). Rules, policy and the other level's model are unchanged.
  public func adding(_ model: LinearModel) -> ClassifierEngine {
    var engine = self
    switch model.level {
    case .message: engine.models.message = model
    case .conversation: engine.models.conversation = model
    }
    return engine
  }

  /// This engine with the models of `paths` (at most one per level).
  public func adding(modelFiles paths: [String]) throws(ChildSafeError) -> ClassifierEngine {
    var engine = self
    var levels: Set<LinearModel.Level> = []
    for path in paths {
      let model = try LinearModel(contentsOf: path)
      guard levels.insert(model.level).inserted else {
        throw ChildSafeError(.invalidArgument, "\(path): a second \(model.level)-level model (give at most one per level)")
      }
      engine = engine.adding(model)
    }
    return engine
  }

  /// This engine without learnt models (rules only).
  public var rulesOnly: ClassifierEngine {
    var engine = self
    engine.models = Models()
    return engine
  }

  /// The hashed features a model with `settings` reads from `text`, in order: what training must
  /// learn from, computed by the very code inference runs. Rule categories come from this engine's
  /// rules (learnt models are not applied).
  public func modelFeatures(_ text: String, context: MessageContext = MessageContext(), settings: FeatureSettings)
    throws(ChildSafeError) -> [HashedFeature]
  {
    if let problem = settings.problem { throw ChildSafeError(.invalidArgument, problem) }
    let rules = settings.ruleCategories ? try rulesOnly.classify(text, context: context).matches : []
    return try normalizer.withTokens(text) { tokens in
      var sink = FeatureListSink()
      Featurizer.visit(tokens, rules: rules, settings: settings, into: &sink)
      return sink.features
    }
  }
}

enum ModelVeto {
  /// The highest risk that does not act, when the model withholds the rules' decision.
  static func belowActing(_ flagAt: RiskLevel) -> RiskLevel {
    RiskLevel(rawValue: max(0, flagAt.rawValue - 1)) ?? .none
  }
}
