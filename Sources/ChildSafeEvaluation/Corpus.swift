import ChildSafe

/// One labelled chat message (the `dev-messages.jsonl` format).
public struct LabelledMessage: Sendable, Hashable {
  public var id: String
  public var language: String?
  public var text: String
  /// Empty when the message is benign.
  public var labels: [Category]
  /// Where the item came from, for error messages (never the text).
  public var origin: SourceLocation?

  public init(id: String, language: String? = nil, text: String, labels: [Category], origin: SourceLocation? = nil) {
    self.id = id
    self.language = language
    self.text = text
    self.labels = labels
    self.origin = origin
  }

  public var isPositive: Bool { !labels.isEmpty }
}

/// One labelled two-party conversation (the `dev-conversations.jsonl` format).
public struct LabelledConversation: Sendable, Hashable {
  public struct Message: Sendable, Hashable {
    public var from: String
    /// Seconds since the start of the conversation.
    public var time: Double?
    public var text: String

    public init(from: String, time: Double? = nil, text: String) {
      self.from = from
      self.time = time
      self.text = text
    }
  }

  public var id: String
  public var language: String?
  public var isGrooming: Bool
  /// 0-based index of the first message at which a moderator would flag the conversation; nil when benign.
  public var onset: Int?
  /// Known age per participant ("A", "B"); a missing entry or nil means unknown.
  public var ages: [String: Int?]
  /// Participants marked `"trusted": true`: contacts a parent approved (``MessageContext/senderTrusted``).
  public var trusted: Set<String>
  public var messages: [Message]
  public var origin: SourceLocation?

  public init(
    id: String, language: String? = nil, isGrooming: Bool, onset: Int?, ages: [String: Int?] = [:],
    trusted: Set<String> = [], messages: [Message], origin: SourceLocation? = nil
  ) {
    self.id = id
    self.language = language
    self.isGrooming = isGrooming
    self.onset = onset
    self.ages = ages
    self.trusted = trusted
    self.messages = messages
    self.origin = origin
  }

  /// The context of message `index`: sender and recipient ages, whether the sender is trusted,
  /// language, ids and time.
  public func context(of index: Int) -> MessageContext {
    let message = messages[index]
    let senderAge = ages[message.from] ?? nil
    // Two-party chats: the recipient is the one other participant (unknown when there are more or fewer).
    let others = ages.keys.filter { $0 != message.from }
    let recipientAge: Int? = others.count == 1 ? (ages[others[0]] ?? nil) : nil
    return MessageContext(
      senderAge: senderAge, recipientAge: recipientAge, language: language, conversationID: id,
      senderID: message.from, timestamp: message.time, context: .chat, senderTrusted: trusted.contains(message.from))
  }
}

/// What a corpus holds once read: both kinds of items, and an error for every line that could not be used.
public struct Corpus: Sendable {
  public var messages: [LabelledMessage] = []
  public var conversations: [LabelledConversation] = []
  /// One per bad line, with file and line number. The other lines are still evaluated.
  public var errors: [ChildSafeError] = []

  public init(
    messages: [LabelledMessage] = [], conversations: [LabelledConversation] = [], errors: [ChildSafeError] = []
  ) {
    self.messages = messages
    self.conversations = conversations
    self.errors = errors
  }

  public mutating func append(_ other: Corpus) {
    messages += other.messages
    conversations += other.conversations
    errors += other.errors
  }

  /// The corpus with every item whose id was already used (by an item of the same kind) turned into an
  /// error, so that overlapping inputs (a directory and a file in it) are not counted twice and every
  /// listed id names one item.
  public func removingDuplicateIDs() -> Corpus {
    var result = Corpus(errors: errors)
    var seenMessages: [String: SourceLocation?] = [:]
    for message in messages {
      if let first = seenMessages[message.id] {
        result.errors.append(Corpus.duplicate("message", message.id, first, message.origin))
      } else {
        seenMessages[message.id] = message.origin
        result.messages.append(message)
      }
    }
    var seenConversations: [String: SourceLocation?] = [:]
    for conversation in conversations {
      if let first = seenConversations[conversation.id] {
        result.errors.append(Corpus.duplicate("conversation", conversation.id, first, conversation.origin))
      } else {
        seenConversations[conversation.id] = conversation.origin
        result.conversations.append(conversation)
      }
    }
    return result
  }

  static func duplicate(_ kind: String, _ id: String, _ first: SourceLocation?, _ here: SourceLocation?)
    -> ChildSafeError
  {
    let where_ = first.map { " (first at \($0.file):\($0.line))" } ?? ""
    return ChildSafeError(.invalidValue, "duplicate \(kind) id \(id)\(where_); this one is skipped", at: here)
  }
}
