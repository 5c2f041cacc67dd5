import ChildSafe
import Testing

@testable import ChildSafeDaemon

/// The command line (swift-argument-parser) and its environment variables.
@Suite("DaemonCommand")
struct DaemonCommandTests {
  func options(_ arguments: [String], _ environment: [String: String]) throws -> DaemonOptions {
    guard case .run(let options) = try DaemonOptions.parse(arguments, environment: environment) else {
      Issue.record("expected options to run with")
      return DaemonOptions()
    }
    return options
  }

  @Test func everyFlagHasAnEnvironmentVariable() throws {
    let o = try options([], [
      "CHILDSAFED_LISTEN": "[::1]:9000", "CHILDSAFED_SOCKET": "/tmp/s", "CHILDSAFED_RULES": "/etc/cs/rules",
      "CHILDSAFED_LISTS": "a.list:b.idx", "CHILDSAFED_MODEL": "m.csm:c.csm", "CHILDSAFED_POLICY": "p.policy", "CHILDSAFED_CHILD": "Sam",
      "CHILDSAFED_LOCALE": "pt-BR", "CHILDSAFED_COUNTRY": "GB", "CHILDSAFED_CATEGORIES": "gambling,adult",
      "CHILDSAFED_MAX_BODY_BYTES": "1024", "CHILDSAFED_MAX_CONVERSATIONS": "10", "CHILDSAFED_CONVERSATION_TTL": "1.5",
      "CHILDSAFED_REQUEST_TIMEOUT": "2", "CHILDSAFED_IDLE_TIMEOUT": "3", "CHILDSAFED_LOG_LEVEL": "trace",
    ])
    #expect(o.addresses == [.tcp(host: "::1", port: 9000), .unixSocket(path: "/tmp/s")])
    #expect(o.rulesDirectory == "/etc/cs/rules" && o.lists == ["a.list", "b.idx"] && o.policyFile == "p.policy")
    #expect(o.models == ["m.csm", "c.csm"])
    #expect(o.child == "Sam" && o.locale == "pt-BR" && o.country == "GB" && o.categories == ["gambling", "adult"])
    #expect(o.maxBodyBytes == 1024 && o.maxConversations == 10)
    #expect(o.conversationTTL == 1.5 && o.requestTimeout == 2 && o.idleTimeout == 3 && o.logLevel == "trace")
  }

  @Test func theCommandLineWinsOverTheEnvironment() throws {
    let o = try options(
      ["--max-body-bytes=2048", "--lists", "c.list", "--log-level", "debug"],
      ["CHILDSAFED_MAX_BODY_BYTES": "1024", "CHILDSAFED_LISTS": "a.list", "CHILDSAFED_LOG_LEVEL": "trace",
       "CHILDSAFED_LOCALE": "fr", "CHILDSAFED_UNRELATED": "x", "OTHER": "y"])
    #expect(o.maxBodyBytes == 2048 && o.lists == ["c.list"] && o.logLevel == "debug" && o.locale == "fr")
  }

  @Test func aSocketFromTheEnvironmentAloneMeansNoTCP() throws {
    #expect(try options([], ["CHILDSAFED_SOCKET": "/run/x.sock"]).addresses == [.unixSocket(path: "/run/x.sock")])
    #expect(try options([], ["CHILDSAFED_SOCKET": "/run/x.sock", "CHILDSAFED_LISTEN": "127.0.0.1:0"]).addresses.count == 2)
  }

  @Test func badEnvironmentValuesNameTheFlag() {
    #expect {
      try DaemonOptions.parse([], environment: ["CHILDSAFED_MAX_CONVERSATIONS": "0"])
    } throws: { error in
      (error as? ChildSafeError)?.message.contains("--max-conversations") == true
    }
  }

  @Test func helpIsGeneratedAndListsEveryFlagWithItsVariable() throws {
    guard case .print(let wrapped) = try DaemonOptions.parse(["--help"]) else {
      Issue.record("--help should print")
      return
    }
    let help = wrapped.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")  // unwrapped
    #expect(help.contains("USAGE: childsafed"))
    for flag in DaemonCommand.environmentFlags {
      #expect(help.contains("--\(flag) <"), "\(flag)")
      #expect(help.contains("[env: \(DaemonCommand.environmentVariable(flag))]"), "\(flag)")
    }
    // Every option in the help has a variable (the list above is complete).
    let flags = Set(help.split(whereSeparator: { " ,".contains($0) }).filter { $0.hasPrefix("--") }.map { String($0.dropFirst(2)) })
    #expect(flags.subtracting(["help", "version"]) == Set(DaemonCommand.environmentFlags))
    guard case .print(let version) = try DaemonOptions.parse(["--version"]) else {
      Issue.record("--version should print")
      return
    }
    #expect(version.hasPrefix("childsafed \(ChildSafeVersion.string)"))
  }

  @Test func unknownFlagsAreRefusedWithArgumentParsersMessage() {
    #expect {
      try DaemonOptions.parse(["--bogus"])
    } throws: { error in
      (error as? ChildSafeError)?.message.contains("--bogus") == true
    }
  }
}
