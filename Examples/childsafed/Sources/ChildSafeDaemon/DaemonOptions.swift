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

/// The daemon's command line, validated. Every limit has a default that suits a chat service.
public struct DaemonOptions: Sendable, Equatable {
  public var listen: ListenAddress? = .tcp(host: "127.0.0.1", port: 8088)
  public var socketPath: String?
  public var rulesDirectory: String?
  public var lists: [String] = []
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
  public var logLevel = "info"

  public init() {}

  /// All addresses to serve, in order.
  public var addresses: [ListenAddress] {
    (listen.map { [$0] } ?? []) + (socketPath.map { [.unixSocket(path: $0)] } ?? [])
  }

  public static let usage = """
    USAGE: childsafed [options]

    Serves ChildSafe's classifier, URL filter and age defaults over HTTP/JSON.

    OPTIONS:
      --listen HOST:PORT        TCP address (default 127.0.0.1:8088; port 0 picks a free one;
                                'none' disables TCP, e.g. when --socket is the only way in)
      --socket PATH             also serve on a Unix domain socket
      --rules DIR               rule files directory (default: the rules built into the library)
      --lists PATH              URL list file, directory or compiled index (repeatable)
      --policy FILE             family policy file: its locale, country and helplines apply
      --child NAME              the child in --policy whose settings apply (default: family-wide)
      --locale CODE             locale of safety messages (en, es, fr, de...; overrides the policy's)
      --country CODE            country whose helplines are signposted (ISO 3166-1, e.g. GB)
      --categories LIST         comma-separated URL categories to block (default: every listed one)
      --max-body-bytes N        largest request body (default 65536); larger gets 413
      --max-conversations N     conversations kept in memory (default 100000); least recently used go first
      --conversation-ttl SECS   idle time after which a conversation is forgotten (default 3600)
      --request-timeout SECS    time a client has to send its request body (default 10); slower gets 408
      --idle-timeout SECS       idle keep-alive / incomplete-header timeout (default 30)
      --log-level LEVEL         trace|debug|info|notice|warning|error|critical (default info)
      --version                 print the version and exit
      -h, --help                print this help and exit

    SIGHUP or POST /v1/reload (loopback or socket only) reloads rules, lists and policy atomically.
    SIGTERM and SIGINT shut down gracefully, finishing requests in flight.
    """

  public enum ParseOutcome: Sendable, Equatable {
    case run(DaemonOptions)
    case help
    case version
  }

  /// Parses arguments (without the program name). Errors name the offending flag.
  public static func parse(_ arguments: [String]) throws(ChildSafeError) -> ParseOutcome {
    var options = DaemonOptions()
    var listenGiven = false
    var index = 0
    func value(_ flag: String) throws(ChildSafeError) -> String {
      index += 1
      guard index < arguments.count else { throw ChildSafeError(.invalidArgument, "\(flag) needs a value") }
      return arguments[index]
    }
    while index < arguments.count {
      var flag = arguments[index]
      var inlineValue: String?
      // Accept --flag=value as well as --flag value.
      if flag.hasPrefix("--"), let eq = flag.firstIndex(of: "=") {
        inlineValue = String(flag[flag.index(after: eq)...])
        flag = String(flag[..<eq])
      }
      func next() throws(ChildSafeError) -> String {
        if let inlineValue { return inlineValue }
        return try value(flag)
      }
      switch flag {
      case "-h", "--help": return .help
      case "--version": return .version
      case "--listen":
        let text = try next()
        listenGiven = true
        options.listen = text == "none" ? nil : try parseHostPort(text)
      case "--socket":
        let path = try next()
        if path.isEmpty || path.utf8.count > 100 {
          throw ChildSafeError(.invalidArgument, "--socket: path must be 1 to 100 bytes long (Unix socket limit)")
        }
        options.socketPath = path
      case "--rules": options.rulesDirectory = try nonEmpty(flag, try next())
      case "--lists": options.lists.append(try nonEmpty(flag, try next()))
      case "--policy": options.policyFile = try nonEmpty(flag, try next())
      case "--child": options.child = try nonEmpty(flag, try next())
      case "--locale": options.locale = try code(flag, try next())
      case "--country": options.country = try code(flag, try next())
      case "--categories":
        let names = try next().split(separator: ",").map { String($0.filter { $0 != " " }) }.filter { !$0.isEmpty }
        if names.isEmpty { throw ChildSafeError(.invalidArgument, "--categories: expected a comma-separated list") }
        options.categories = Set(names)
      case "--max-body-bytes": options.maxBodyBytes = try integer(flag, try next(), in: 64...(64 * 1024 * 1024))
      case "--max-conversations": options.maxConversations = try integer(flag, try next(), in: 1...100_000_000)
      case "--conversation-ttl": options.conversationTTL = try seconds(flag, try next(), in: 1...(30 * 86400))
      case "--request-timeout": options.requestTimeout = try seconds(flag, try next(), in: 0.05...3600)
      case "--idle-timeout": options.idleTimeout = try seconds(flag, try next(), in: 0.05...86400)
      case "--log-level":
        let level = try next()
        guard ["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(level) else {
          throw ChildSafeError(
            .invalidArgument, "--log-level: unknown level '\(level)'; expected trace|debug|info|notice|warning|error|critical")
        }
        options.logLevel = level
      default:
        throw ChildSafeError(.invalidArgument, "unknown option '\(flag)' (see --help)")
      }
      index += 1
    }
    // A socket alone means "socket only": the systemd unit relies on this to run without a network.
    if options.socketPath != nil && !listenGiven { options.listen = nil }
    if options.child != nil && options.policyFile == nil {
      throw ChildSafeError(.invalidArgument, "--child needs --policy FILE")
    }
    if options.addresses.isEmpty {
      throw ChildSafeError(.invalidArgument, "nothing to serve on: give --listen HOST:PORT or --socket PATH")
    }
    return .run(options)
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
