/// One unit of normalised text that rules match against, mapped back to the original input.
public struct Token: Sendable, Hashable {
  /// What a token is, so that rules and filters can treat numbers, links and emoji apart from words.
  public enum Kind: UInt8, Sendable, Hashable, CustomStringConvertible {
    /// Letters (any script), possibly after leetspeak, look-alike, stretch and spacing repairs.
    case word
    /// A number in ordinary use ("13", "5pm", "101", "13yo"): its digits are kept.
    case number
    /// An emoji (with its modifiers).
    case emoji
    /// Something that looks like a URL or domain ("www.example.com", "example.com/x").
    case url
    /// An e-mail address.
    case email
    /// A handle such as "@name".
    case handle

    public var description: String {
      switch self {
      case .word: "word"
      case .number: "number"
      case .emoji: "emoji"
      case .url: "url"
      case .email: "email"
      case .handle: "handle"
      }
    }
  }

  /// The normalised form (case-folded, evasions undone).
  public var text: String
  /// UTF-8 byte offset of the token's first byte in the ORIGINAL input.
  public var start: Int
  /// UTF-8 byte offset just past the token's last byte in the ORIGINAL input.
  public var end: Int
  public var kind: Kind

  public init(text: String, start: Int, end: Int, kind: Kind) {
    self.text = text
    self.start = start
    self.end = end
    self.kind = kind
  }
}

/// The result of normalising one text: its tokens, in order.
public struct NormalizedText: Sendable, Hashable {
  public var tokens: [Token]

  public init(tokens: [Token]) { self.tokens = tokens }

  /// The tokens' normalised forms separated by single spaces.
  public var text: String {
    var out = ""
    for (i, token) in tokens.enumerated() {
      if i > 0 { out += " " }
      out += token.text
    }
    return out
  }
}
