import ChildSafe

/// Where the daemon listens: a TCP host and port, or a Unix domain socket path.
public enum ListenAddress: Sendable, Hashable, CustomStringConvertible {
  case tcp(host: String, port: Int)
  case unixSocket(path: String)

  public var description: String {
    switch self {
    case .tcp(let host, let port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    case .unixSocket(let path): "unix:\(path)"
    }
  }

  /// True for addresses only this machine can reach: loopback hosts and Unix sockets.
  public var isLocalOnly: Bool {
    switch self {
    case .unixSocket: true
    case .tcp(let host, _): Self.isLoopbackHost(host)
    }
  }

  static func isLoopbackHost(_ host: String) -> Bool {
    host == "localhost" || host == "::1" || host.hasPrefix("127.")
  }
}

/// The daemon's configuration, validated (`DaemonCommand` reads it from the command line and the
/// environment). Every limit has a default that suits a chat service.
public struct DaemonOptions: Sendable, Equatable {
  public var listen: ListenAddress? = .tcp(host: "127.0.0.1", port: 8088)
  public var socketPath: String?
  public var rulesDirectory: String?
  public var lists: [String] = []
  /// Model files (`childsafe train`) combined with the rules; reloaded with them.
  public var models: [String] = []
  public var policyFile: String?
  /// The child in the policy whose settings apply (nil: the family-wide ones).
  public var child: String?
  /// Locale of safety messages and country of helplines; they override the policy's.
  public var locale: String?
  public var country: String?
  /// URL categories to block; nil blocks every listed category.
  public var categories: Set<String>?
  public var maxBodyBytes = 64 * 1024
  public var maxConversations = 100_000
  /// Seconds a conversation may stay idle before its state is dropped.
  public var conversationTTL: Double = 3600
  /// Seconds a client has to send its whole request body (slow-client guard).
  public var requestTimeout: Double = 10
  /// Seconds a connection may stay idle (no request, or headers not complete) before it is closed.
  public var idleTimeout: Double = 30
  /// How often one audience of one conversation may get an intervention (the library's default:
  /// once per 10 messages and 300 seconds of message time, sooner when the risk rises).
  public var rateLimit = RateLimit()
  public var logLevel = "info"

  public init() {}

  /// All addresses to serve, in order.
  public var addresses: [ListenAddress] {
    (listen.map { [$0] } ?? []) + (socketPath.map { [.unixSocket(path: $0)] } ?? [])
  }

  static func nonEmpty(_ flag: String, _ text: String) throws(ChildSafeError) -> String {
    if text.isEmpty { throw ChildSafeError(.invalidArgument, "\(flag): empty path") }
    return text
  }

  /// A locale or country code: letters, digits, '-' and '_', at most 16 bytes.
  static func code(_ flag: String, _ text: String) throws(ChildSafeError) -> String {
    let allowed = text.utf8.allSatisfy {
      ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x5F
    }
    guard !text.isEmpty, text.utf8.count <= 16, allowed else {
      throw ChildSafeError(.invalidArgument, "\(flag): expected a code such as 'en', 'pt-BR' or 'GB', got '\(text)'")
    }
    return text
  }

  static func integer(_ flag: String, _ text: String, in range: ClosedRange<Int>) throws(ChildSafeError) -> Int {
    guard let n = Int(text), range.contains(n) else {
      throw ChildSafeError(
        .invalidArgument, "\(flag): expected a whole number from \(range.lowerBound) to \(range.upperBound), got '\(text)'")
    }
    return n
  }

  static func seconds(_ flag: String, _ text: String, in range: ClosedRange<Double>) throws(ChildSafeError) -> Double {
    guard let n = Double(text), n.isFinite, range.contains(n) else {
      throw ChildSafeError(
        .invalidArgument, "\(flag): expected seconds from \(range.lowerBound) to \(range.upperBound), got '\(text)'")
    }
    return n
  }

  /// "127.0.0.1:8088", "localhost:0", "[::1]:8088".
  static func parseHostPort(_ text: String) throws(ChildSafeError) -> ListenAddress {
    let host: Substring
    let portText: Substring
    if text.hasPrefix("[") {
      guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
        throw ChildSafeError(.invalidArgument, "--listen: expected [IPv6]:PORT, got '\(text)'")
      }
      host = text[text.index(after: text.startIndex)..<close]
      portText = text[text.index(close, offsetBy: 2)...]
    } else {
      guard let colon = text.lastIndex(of: ":") else {
        throw ChildSafeError(.invalidArgument, "--listen: expected HOST:PORT, got '\(text)'")
      }
      host = text[..<colon]
      portText = text[text.index(after: colon)...]
    }
    guard !host.isEmpty, let port = Int(portText), (0...65535).contains(port) else {
      throw ChildSafeError(.invalidArgument, "--listen: expected HOST:PORT with a port from 0 to 65535, got '\(text)'")
    }
    return .tcp(host: String(host), port: port)
  }
}
