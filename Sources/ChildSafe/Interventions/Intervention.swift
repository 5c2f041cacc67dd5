/// Who an intervention is for.
public enum Audience: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
  /// The person who wrote the message or typed the search: an adult messaging a child, or a searcher.
  case sender
  /// The child who received the message.
  case recipient
  /// A parent or carer linked to the child.
  case guardian

  public var description: String { rawValue }
}

/// What an intervention does.
public enum InterventionKind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
  /// Interrupts a sender: illegal, harmful, consequences, confidential help exists.
  case deterrence
  /// Reassures a child: not your fault, block and report, talk to a trusted adult.
  case safetyPrompt = "safety_prompt"
  /// Tells a guardian that something happened: category, risk and time only.
  case guardianNotice = "guardian_notice"
  /// Answers a help-seeking search with a help service, not a warning.
  case help

  public var description: String { rawValue }
}

/// A help service to point someone to. Every field is display text; `phone` or `url` may be empty.
public struct Signpost: Sendable, Hashable {
  public var name: String
  public var phone: String
  public var url: String

  public init(name: String, phone: String = "", url: String = "") {
    self.name = name
    self.phone = phone
    self.url = url
  }

  /// `{"name", "phone", "url"}`; an empty phone or URL is null.
  public var json: JSONValue {
    .object([
      ("name", .string(name)), ("phone", phone.isEmpty ? .null : .string(phone)),
      ("url", url.isEmpty ? .null : .string(url)),
    ])
  }
}

/// The kinds of help service a country's signposts name.
public enum SignpostService: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
  /// A confidential, anonymous service for people worried about their own sexual thoughts or behaviour
  /// towards children (Stop It Now and its equivalents).
  case deterrence
  /// A children's helpline.
  case children
  /// A service for parents and carers worried about a child.
  case parents

  public var description: String { rawValue }
}

/// One intervention for the host app to deliver.
///
/// It is built only from a verdict (categories, risk, scores) and the message's context (ages, ids,
/// time), never from the message text: the engine that makes it never sees the text.
public struct Intervention: Sendable, Hashable {
  public var audience: Audience
  public var kind: InterventionKind
  /// The category that caused it (the most serious one present), e.g. "image_request" or "csam_query".
  public var category: Category
  public var risk: RiskLevel
  /// The localised message, from the catalog, with its placeholders filled in.
  public var message: String
  /// The catalog locale the message came from (the requested one, or a fallback such as "en").
  public var locale: String
  /// The age band whose wording was used, for recipient prompts ("0-5", "6-9", "10-12", "13-15", "16-17").
  public var ageBand: String?
  public var signpost: Signpost?
  public var conversationID: String?
  /// The message's timestamp from its context (seconds, any epoch), when known.
  public var time: Double?

  public init(
    audience: Audience, kind: InterventionKind, category: Category, risk: RiskLevel, message: String,
    locale: String, ageBand: String? = nil, signpost: Signpost?, conversationID: String?, time: Double?
  ) {
    self.audience = audience
    self.kind = kind
    self.category = category
    self.risk = risk
    self.message = message
    self.locale = locale
    self.ageBand = ageBand
    self.signpost = signpost
    self.conversationID = conversationID
    self.time = time
  }

  /// `{"audience", "kind", "category", "risk", "message", "signpost", "conversation", "time"}`.
  public var jsonMembers: [(String, JSONValue)] {
    [
      ("audience", .string(audience.rawValue)), ("kind", .string(kind.rawValue)),
      ("category", .string(category.name)), ("risk", .string(risk.description)), ("message", .string(message)),
      ("signpost", signpost?.json ?? .null), ("conversation", conversationID.map { .string($0) } ?? .null),
      ("time", time.map { .number($0) } ?? .null),
    ]
  }

  public var json: JSONValue { .object(jsonMembers) }
}

extension Category {
  /// A search for sexual material involving minors (query context).
  public static let csamQuery = Category("csam_query")
  /// A search for help or for how to report abuse (query context).
  public static let helpSeeking = Category("help_seeking")
  /// A help-seeking search about one's own sexual thoughts about children: signposts the deterrence service.
  public static let selfHelp = Category("self_help")
}
