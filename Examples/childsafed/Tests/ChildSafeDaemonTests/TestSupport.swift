import ChildSafe
import Foundation
import Logging
import Synchronization

@testable import ChildSafeDaemon

/// Collects every log line (message and metadata) so tests can check what the daemon logs.
final class LogCapture: Sendable {
  let lines = Mutex<[String]>([])

  var logger: Logger {
    var logger = Logger(label: "test") { _ in CapturingHandler(capture: self) }
    logger.logLevel = .trace
    return logger
  }

  var text: String { lines.withLock { $0.joined(separator: "\n") } }
}

struct CapturingHandler: LogHandler {
  let capture: LogCapture
  var metadata: Logger.Metadata = [:]
  var logLevel: Logger.Level = .trace

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  func log(event: LogEvent) {
    let all = metadata.merging(event.metadata ?? [:]) { $1 }
    capture.lines.withLock { $0.append("\(event.level) \(event.message) \(all)") }
  }
}

/// A fresh temporary directory, removed by the caller.
func temporaryDirectory() throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("childsafed-tests-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

extension ChildSafeService {
  func classify(_ body: String) -> APIResponse {
    var copy = body
    return copy.withUTF8 { classify(body: UnsafeRawBufferPointer($0)) }
  }

  func checkURL(_ body: String) -> APIResponse {
    var copy = body
    return copy.withUTF8 { checkURL(body: UnsafeRawBufferPointer($0)) }
  }
}

extension APIResponse {
  var json: JSONValue? { try? JSONValue.parse(body) }
}
