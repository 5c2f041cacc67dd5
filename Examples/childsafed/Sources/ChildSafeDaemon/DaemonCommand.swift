import ArgumentParser
import ChildSafe

/// The daemon's command line, declared with swift-argument-parser (which generates `--help`).
/// Every option can also come from the environment, as containers and unit files expect:
/// `--max-body-bytes` is `CHILDSAFED_MAX_BODY_BYTES`. A flag on the command line wins over its variable.
/// Values are checked and turned into `DaemonOptions` by `options()`.
public struct DaemonCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "childsafed",
    abstract: "Serves ChildSafe's classifier, URL filter and age defaults over HTTP/JSON.",
    discussion: """
      Every option can be set in the environment instead: CHILDSAFED_ and the option's name in capitals \
      with '_' for '-' (CHILDSAFED_LISTEN=127.0.0.1:9000). CHILDSAFED_LISTS holds paths separated by ':'. \
      An option on the command line wins over its variable.

      SIGHUP or POST /v1/reload (loopback or socket only) reloads rules, lists and policy atomically. \
      SIGTERM and SIGINT shut down gracefully, finishing requests in flight.
      """,
    version: "childsafed \(ChildSafeVersion.string) (ICU \(ChildSafeVersion.icu))")

  @Option(
    help: help(
      "listen", "TCP address (default 127.0.0.1:8088; port 0 picks a free one; 'none' disables TCP).",
      value: "host:port"))
  var listen: String?

  @Option(help: help("socket", "Also serve on a Unix domain socket; given alone, the only way in.", value: "path"))
  var socket: String?

  @Option(help: help("rules", "Rule files directory (default: the rules built into the library).", value: "dir"))
  var rules: String?

  @Option(help: help("lists", "URL list file, directory or compiled index (repeatable).", value: "path"))
  var lists: [String] = []

  @Option(help: help("model", "Model file from `childsafe train`, combined with the rules and reloaded with them (repeatable: one per level).", value: "file"))
  var model: [String] = []

  @Option(help: help("policy", "Family policy file: its locale, country and helplines apply.", value: "file"))
  var policy: String?

  @Option(help: help("child", "The child in --policy whose settings apply (default: family-wide).", value: "name"))
  var child: String?

  @Option(help: help("locale", "Locale of safety messages (en, es, fr, de...; overrides the policy's).", value: "code"))
  var locale: String?

  @Option(help: help("country", "Country whose helplines are signposted (ISO 3166-1, e.g. GB).", value: "code"))
  var country: String?

  @Option(help: help("categories", "Comma-separated URL categories to block (default: every listed one).", value: "list"))
  var categories: String?

  @Option(name: .customLong("max-body-bytes"), help: help("max-body-bytes", "Largest request body; larger gets 413.", value: "n"))
  var maxBodyBytes = "65536"

  @Option(
    name: .customLong("max-conversations"),
    help: help("max-conversations", "Conversations kept in memory; the least recently used go first.", value: "n"))
  var maxConversations = "100000"

  @Option(
    name: .customLong("conversation-ttl"),
    help: help("conversation-ttl", "Idle seconds after which a conversation is forgotten.", value: "secs"))
  var conversationTTL = "3600"

  @Option(
    name: .customLong("request-timeout"),
    help: help("request-timeout", "Seconds a client has to send its request body; slower gets 408.", value: "secs"))
  var requestTimeout = "10"

  @Option(
    name: .customLong("idle-timeout"),
    help: help("idle-timeout", "Idle keep-alive and incomplete-header timeout, in seconds.", value: "secs"))
  var idleTimeout = "30"

  @Option(
    name: .customLong("rate-limit-seconds"),
    help: help(
      "rate-limit-seconds",
      "After an intervention, seconds of message time (\"t\") before the same audience of the same conversation gets another, unless the risk rises (0: no wait).",
      value: "secs"))
  var rateLimitSeconds = "300"

  @Option(
    name: .customLong("rate-limit-messages"),
    help: help(
      "rate-limit-messages",
      "After an intervention, messages of the conversation before the same audience gets another, unless the risk rises (0: no wait).",
      value: "n"))
  var rateLimitMessages = "10"

  @Option(
    name: .customLong("log-level"),
    help: help("log-level", "trace|debug|info|notice|warning|error|critical (logs go to stderr).", value: "level"))
  var logLevel = "info"

  public init() {}

  /// Every option that has an environment variable: all of them.
  static let environmentFlags = [
    "listen", "socket", "rules", "lists", "model", "policy", "child", "locale", "country", "categories", "max-body-bytes",
    "max-conversations", "conversation-ttl", "request-timeout", "idle-timeout", "rate-limit-seconds",
    "rate-limit-messages", "log-level",
  ]

  /// `CHILDSAFED_MAX_BODY_BYTES` for `max-body-bytes`.
  public static func environmentVariable(_ flag: String) -> String {
    "CHILDSAFED_" + String(flag.uppercased().map { $0 == "-" ? "_" : $0 })
  }

  static func help(_ flag: String, _ text: String, value: String) -> ArgumentHelp {
    ArgumentHelp("\(text) [env: \(environmentVariable(flag))]", valueName: value)
  }

  /// The command line with the environment's options put before it, for the options the command line
  /// does not give (so that it wins). Empty variables are ignored.
  public static func arguments(_ commandLine: [String], environment: [String: String]) -> [String] {
    var fromEnvironment: [String] = []
    for flag in environmentFlags {
      guard let value = environment[environmentVariable(flag)], !value.isEmpty else { continue }
      let given = commandLine.contains { $0 == "--\(flag)" || $0.hasPrefix("--\(flag)=") }
      if given { continue }
      let values = flag == "lists" || flag == "model" ? value.split(separator: ":").map(String.init) : [value]
      for value in values { fromEnvironment += ["--\(flag)", value] }
    }
    return fromEnvironment + commandLine
  }

  public func validate() throws {
    do {
      _ = try options()
    } catch {
      throw ValidationError(error.message)
    }
  }

  /// The checked configuration; errors name the offending flag.
  public func options() throws(ChildSafeError) -> DaemonOptions {
    var options = DaemonOptions()
    if let listen { options.listen = listen == "none" ? nil : try DaemonOptions.parseHostPort(listen) }
    if let socket {
      if socket.isEmpty || socket.utf8.count > 100 {
        throw ChildSafeError(.invalidArgument, "--socket: path must be 1 to 100 bytes long (Unix socket limit)")
      }
      options.socketPath = socket
    }
    options.rulesDirectory = try rules.map { path throws(ChildSafeError) in try DaemonOptions.nonEmpty("--rules", path) }
    for path in lists { options.lists.append(try DaemonOptions.nonEmpty("--lists", path)) }
    for path in model { options.models.append(try DaemonOptions.nonEmpty("--model", path)) }
    options.policyFile = try policy.map { path throws(ChildSafeError) in try DaemonOptions.nonEmpty("--policy", path) }
    options.child = try child.map { name throws(ChildSafeError) in try DaemonOptions.nonEmpty("--child", name) }
    options.locale = try locale.map { code throws(ChildSafeError) in try DaemonOptions.code("--locale", code) }
    options.country = try country.map { code throws(ChildSafeError) in try DaemonOptions.code("--country", code) }
    if let categories {
      let names = categories.split(separator: ",").map { String($0.filter { $0 != " " }) }.filter { !$0.isEmpty }
      if names.isEmpty { throw ChildSafeError(.invalidArgument, "--categories: expected a comma-separated list") }
      options.categories = Set(names)
    }
    options.maxBodyBytes = try DaemonOptions.integer("--max-body-bytes", maxBodyBytes, in: 64...(64 * 1024 * 1024))
    options.maxConversations = try DaemonOptions.integer("--max-conversations", maxConversations, in: 1...100_000_000)
    options.conversationTTL = try DaemonOptions.seconds("--conversation-ttl", conversationTTL, in: 1...(30 * 86400))
    options.requestTimeout = try DaemonOptions.seconds("--request-timeout", requestTimeout, in: 0.05...3600)
    options.idleTimeout = try DaemonOptions.seconds("--idle-timeout", idleTimeout, in: 0.05...86400)
    options.rateLimit = RateLimit(
      minimumSeconds: try DaemonOptions.seconds("--rate-limit-seconds", rateLimitSeconds, in: 0...(7 * 86400)),
      minimumMessages: try DaemonOptions.integer("--rate-limit-messages", rateLimitMessages, in: 0...100_000))
    guard DaemonOptions.logLevels.contains(logLevel) else {
      throw ChildSafeError(
        .invalidArgument, "--log-level: unknown level '\(logLevel)'; expected \(DaemonOptions.logLevels.joined(separator: "|"))")
    }
    options.logLevel = logLevel
    // A socket alone means "socket only": the systemd unit relies on this to run without a network.
    if options.socketPath != nil && listen == nil { options.listen = nil }
    if options.child != nil && options.policyFile == nil {
      throw ChildSafeError(.invalidArgument, "--child needs --policy FILE")
    }
    if options.addresses.isEmpty {
      throw ChildSafeError(.invalidArgument, "nothing to serve on: give --listen HOST:PORT or --socket PATH")
    }
    return options
  }
}

extension DaemonOptions {
  public static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

  public enum ParseOutcome: Sendable, Equatable {
    case run(DaemonOptions)
    /// `--help` or `--version`: print this text and exit successfully.
    case print(String)
  }

  /// Parses arguments (without the program name) and `CHILDSAFED_*` variables of `environment`.
  /// Errors name the offending flag (or variable's flag).
  public static func parse(_ arguments: [String], environment: [String: String] = [:]) throws(ChildSafeError)
    -> ParseOutcome
  {
    let command: DaemonCommand
    do {
      command = try DaemonCommand.parse(DaemonCommand.arguments(arguments, environment: environment))
    } catch {
      let message = DaemonCommand.fullMessage(for: error)
      if DaemonCommand.exitCode(for: error) == .success { return .print(message) }
      throw ChildSafeError(.invalidArgument, Self.firstLine(message))
    }
    return .run(try command.options())
  }

  /// The error line of ArgumentParser's message, without its "Error: " prefix and usage.
  static func firstLine(_ message: String) -> String {
    let line = message.split(separator: "\n").first.map(String.init) ?? message
    return line.hasPrefix("Error: ") ? String(line.dropFirst(7)) : line
  }
}
