import ChildSafe
import NIOCore
import Testing

@testable import ChildSafeDaemon

@Suite("DaemonOptions")
struct DaemonOptionsTests {
  func options(_ arguments: [String]) throws -> DaemonOptions {
    guard case .run(let options) = try DaemonOptions.parse(arguments) else {
      Issue.record("expected options to run with")
      return DaemonOptions()
    }
    return options
  }

  @Test func defaultsListenOnLoopbackOnly() throws {
    let o = try options([])
    #expect(o.addresses == [.tcp(host: "127.0.0.1", port: 8088)])
    #expect(o.addresses.allSatisfy { $0.isLocalOnly })
  }

  @Test func socketAloneMeansNoTCP() throws {
    #expect(try options(["--socket", "/run/childsafed/api.sock"]).addresses == [.unixSocket(path: "/run/childsafed/api.sock")])
    let both = try options(["--socket", "/tmp/s", "--listen", "127.0.0.1:0"])
    #expect(both.addresses == [.tcp(host: "127.0.0.1", port: 0), .unixSocket(path: "/tmp/s")])
  }

  @Test func readsEveryFlagInBothSpellings() throws {
    let o = try options([
      "--listen=[::1]:9000", "--rules", "/etc/cs/rules", "--lists", "a.list", "--lists=b.idx", "--policy", "p.policy",
      "--max-body-bytes", "1024", "--max-conversations=10", "--conversation-ttl", "1.5", "--request-timeout", "2",
      "--idle-timeout", "3", "--log-level", "trace", "--child", "Sam", "--locale", "pt-BR", "--country=GB",
      "--categories", "gambling, adult", "--rate-limit-seconds", "60", "--rate-limit-messages=0",
    ])
    #expect(o.listen == .tcp(host: "::1", port: 9000))
    #expect(o.rulesDirectory == "/etc/cs/rules")
    #expect(o.lists == ["a.list", "b.idx"])
    #expect(o.policyFile == "p.policy")
    #expect(o.maxBodyBytes == 1024 && o.maxConversations == 10)
    #expect(o.conversationTTL == 1.5 && o.requestTimeout == 2 && o.idleTimeout == 3)
    #expect(o.logLevel == "trace")
    #expect(o.child == "Sam" && o.locale == "pt-BR" && o.country == "GB")
    #expect(o.categories == ["gambling", "adult"])
    #expect(o.rateLimit == RateLimit(minimumSeconds: 60, minimumMessages: 0))
    #expect(try options([]).rateLimit == RateLimit())
  }

  @Test(arguments: [
    ["--listen", "8080"], ["--listen", "host:99999"], ["--max-body-bytes", "-1"], ["--max-conversations", "0"],
    ["--log-level", "loud"], ["--bogus"], ["--rules"], ["--listen", "none"], ["--request-timeout", "nan"],
    ["--child", "Sam"], ["--locale", "en us"], ["--country", ""], ["--categories", ","], ["--lists", ""],
    ["--socket", ""], ["--idle-timeout", "0"], ["--conversation-ttl", "x"], ["--rate-limit-seconds", "-1"],
    ["--rate-limit-seconds", "inf"], ["--rate-limit-messages", "1.5"], ["--rate-limit-messages", "100001"],
  ])
  func refusesBadArguments(_ arguments: [String]) {
    #expect(throws: ChildSafeError.self) { try DaemonOptions.parse(arguments) }
  }

  @Test func nonLoopbackIsNotLocal() {
    #expect(!ListenAddress.tcp(host: "0.0.0.0", port: 1).isLocalOnly)
    #expect(ListenAddress.tcp(host: "127.0.0.2", port: 1).isLocalOnly)
    #expect(ListenAddress.unixSocket(path: "/x").isLocalOnly)
  }
}

@Suite("Reload access")
struct ReloadAccessTests {
  @Test func onlyLoopbackAndSocketPeersMayReload() throws {
    #expect(DaemonRequestContext.isLocal(try SocketAddress(ipAddress: "127.0.0.1", port: 5000)))
    #expect(DaemonRequestContext.isLocal(try SocketAddress(ipAddress: "::1", port: 5000)))
    #expect(DaemonRequestContext.isLocal(try SocketAddress(ipAddress: "::ffff:127.0.0.1", port: 5000)))
    #expect(DaemonRequestContext.isLocal(try SocketAddress(unixDomainSocketPath: "/run/childsafed/api.sock")))
    #expect(!DaemonRequestContext.isLocal(try SocketAddress(ipAddress: "10.0.0.7", port: 5000)))
    #expect(!DaemonRequestContext.isLocal(try SocketAddress(ipAddress: "192.168.1.127", port: 5000)))
    #expect(!DaemonRequestContext.isLocal(try SocketAddress(ipAddress: "2001:db8::1", port: 5000)))
  }
}
