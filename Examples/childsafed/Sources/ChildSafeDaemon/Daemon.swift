import ChildSafe
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Starts the daemon: loads the configuration, serves every address, reloads on SIGHUP, sweeps idle
/// conversations, and shuts down gracefully on SIGTERM or SIGINT.
public enum Daemon {
  /// Runs `childsafed` with command-line `arguments` (without the program name) and the
  /// `CHILDSAFED_*` variables of `environment`; returns the exit status.
  public static func main(arguments: [String], environment: [String: String] = processEnvironment()) async -> Int32 {
    let options: DaemonOptions
    do {
      switch try DaemonOptions.parse(arguments, environment: environment) {
      case .print(let text):
        print(text)
        return 0
      case .run(let parsed): options = parsed
      }
    } catch {
      printError("childsafed: \(error.message) (see --help)")
      return 64  // EX_USAGE
    }

    let level = Logger.Level(rawValue: options.logLevel) ?? .info
    // Written by a thread of its own, so that a slow log sink never holds up the event loops.
    LoggingSystem.bootstrap { label in
      var handler = StreamLogHandler(label: label, stream: QueuedStandardError.shared)
      handler.logLevel = level
      return handler
    }
    defer { QueuedStandardError.shared.flush() }
    var logger = Logger(label: "childsafed")
    logger.logLevel = level

    let service: ChildSafeService
    do {
      service = try ChildSafeService(options: options, logger: logger)
    } catch {
      logger.critical("cannot load the configuration", metadata: ["error": LogValue.error(error)])
      return 78  // EX_CONFIG
    }
    let current = service.configuration.current
    logger.notice(
      "configuration loaded",
      metadata: [
        "generation": "\(current.generation)", "rules_version": "\(current.rules.version)",
        "rules_files": "\(current.rules.files)", "lists_version": "\(current.lists.version)",
        "policy_version": "\(current.policy?.version ?? "-")",
      ])
    ChildSafeService.logListWarnings(current, logger: logger)

    var services: [any Service] = [
      ConversationSweeper(store: service.conversations, interval: max(1, min(60, options.conversationTTL / 4))),
      ReloadOnHangup(service: service),
    ]
    for address in options.addresses {
      services.append(makeApplication(address: address, service: service, options: options, logger: logger))
      if !address.isLocalOnly {
        logger.warning(
          "listening on a non-loopback address; put TLS and authentication in front of it",
          metadata: ["listen": "\(address)"])
      }
    }
    var configuration = ServiceGroupConfiguration(
      services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
    // In-flight requests get this long to finish; a client still sending after it is cut off.
    configuration.maximumGracefulShutdownDuration = .seconds(options.requestTimeout + 5)
    do {
      try await ServiceGroup(configuration: configuration).run()
    } catch {
      logger.critical("stopped on an error", metadata: ["error": LogValue.error(error)])
      return 1
    }
    logger.notice("stopped")
    return 0
  }

  static func makeApplication(
    address: ListenAddress, service: ChildSafeService, options: DaemonOptions, logger: Logger
  ) -> some Service {
    let bind: BindAddress
    switch address {
    case .tcp(let host, let port): bind = .hostname(host, port: port)
    case .unixSocket(let path): bind = .unixDomainSocket(path: path)
    }
    let http = HTTP1Channel.Configuration(
      additionalChannelHandlers: [
        CloseAfterResponseHandler(), ExpectContinueHandler(maxBodyBytes: options.maxBodyBytes), MalformedRequestHandler(),
      ],
      idleTimeout: .milliseconds(Int64(options.idleTimeout * 1000)))
    let responder = DaemonResponder(service: service, options: options)
    return Application(
      responder: responder,
      server: HTTPServerBuilder { respond in
        DaemonHTTP1Channel(base: HTTP1Channel(responder: respond, configuration: http), responder: responder)
      },
      configuration: ApplicationConfiguration(address: bind, serverName: nil, backlog: 1024),
      onServerRunning: { channel in
        // The bound address, with the port the system chose for --listen HOST:0 (scripts read it here).
        let bound: String
        switch (address, channel.localAddress?.port) {
        case (.tcp(let host, _), let port?): bound = ListenAddress.tcp(host: host, port: port).description
        default: bound = address.description
        }
        logger.notice("listening", metadata: ["address": "\(bound)"])
      },
      logger: logger)
  }

  /// The process's environment variables.
  public static func processEnvironment() -> [String: String] {
    var variables: [String: String] = [:]
    var entry = environ
    while let pointer = entry.pointee {
      let text = String(cString: pointer)
      if let equals = text.firstIndex(of: "=") {
        variables[String(text[..<equals])] = String(text[text.index(after: equals)...])
      }
      entry += 1
    }
    return variables
  }

  static func printError(_ message: String) {
    var line = message + "\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
  }
}

/// Reloads the configuration on every SIGHUP until shutdown.
struct ReloadOnHangup: Service {
  let service: ChildSafeService

  func run() async throws {
    let signals = await UnixSignalsSequence(trapping: .sighup)
    for await _ in signals.cancelOnGracefulShutdown() {
      _ = service.reload(trigger: "sighup")
    }
  }
}

/// Drops idle conversations periodically, so memory is returned even when traffic stops.
struct ConversationSweeper: Service {
  let store: ConversationStore
  let interval: Double

  func run() async throws {
    while !Task.isCancelled && !Task.isShuttingDownGracefully {
      do {
        try await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(Int64(interval * 1000))) }
      } catch {
        return
      }
      store.expire()
    }
  }
}
