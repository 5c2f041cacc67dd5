import ChildSafe
import Foundation
import Testing

@testable import ChildSafeDaemon

/// --model: a model file from `childsafe train` combined with the rules, reported in verdicts and in
/// the transparency methodology; a bad file fails the load like a bad rule file.
@Suite("Model option")
struct ModelOptionTests {
  /// A small model that finds every text ordinary (bias only): enough to see it combined.
  static func writeModel(to url: URL) throws {
    let settings = FeatureSettings(hashBits: 12, characterGrams: 3)
    let model = try LinearModel(
      level: .message, settings: settings, bias: -4, threshold: 0.9, description: "daemon test model",
      weights: [Float](repeating: 0, count: 1 << 12))
    try model.write(to: url.path)
  }

  @Test func aModelIsCombinedAndNamedInTheMethodology() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("message.csm")
    try Self.writeModel(to: file)
    var options = DaemonOptions()
    options.models = [file.path]
    let service = try ChildSafeService(options: options, logger: LogCapture().logger)
    let answer = service.classify(#"{"id":"m-1","text":"see you at lunch"}"#)
    #expect(answer.status == 200)
    #expect(answer.body.contains(#""model":{"score":0.018"#))
    let report = service.transparencyReport(period: nil, format: "json", threshold: nil)
    #expect(report.body.contains("daemon test model"))
  }

  @Test func aForeignModelFileFailsTheLoadWithItsPath() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("not-a-model.csm")
    try "hello".write(to: file, atomically: true, encoding: .utf8)
    var options = DaemonOptions()
    options.models = [file.path]
    #expect {
      try ChildSafeService(options: options, logger: LogCapture().logger)
    } throws: { error in
      let error = error as? ChildSafeError
      return error?.code == .corrupt && error?.message.contains("not-a-model.csm") == true
    }
  }
}
