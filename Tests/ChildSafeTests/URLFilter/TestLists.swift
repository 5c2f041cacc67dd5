import Foundation

@testable import ChildSafe

/// A temporary directory of list files for one test, removed when the value is dropped.
final class TemporaryLists {
  let root: String

  init() {
    root = NSTemporaryDirectory() + "childsafe-url-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
    try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: root) }

  /// Writes `text` at `relative` (creating directories) and returns its full path.
  @discardableResult
  func write(_ relative: String, _ text: String) -> String {
    let path = root + "/" + relative
    try? FileManager.default.createDirectory(
      atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    return path
  }

  func path(_ relative: String) -> String { root + "/" + relative }
}

func sha256Hex(_ text: String) -> String {
  SHA256.hash(Array(text.utf8)).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
}
