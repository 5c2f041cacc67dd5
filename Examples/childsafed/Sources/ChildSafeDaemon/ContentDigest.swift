import ChildSafe

/// A short, stable fingerprint of configuration files, reported as their "version" in /healthz so that
/// operators can tell which rules and lists are serving. FNV-1a 64: fast, not cryptographic (it only
/// has to tell versions apart, not resist forgery).
struct ContentDigest {
  private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

  mutating func add<Bytes: Sequence<UInt8>>(_ bytes: Bytes) {
    for byte in bytes {
      value ^= UInt64(byte)
      value = value &* 0x0000_0100_0000_01b3
    }
    // A separator, so that ("ab", "c") and ("a", "bc") differ.
    value ^= 0xff
    value = value &* 0x0000_0100_0000_01b3
  }

  mutating func add(_ text: String) { add(text.utf8) }

  var hex: String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
  }
}

/// What a configuration part was loaded from, for /healthz.
public struct SourceInfo: Sendable, Equatable {
  /// "embedded" or the paths given on the command line.
  public var source: [String]
  public var files: Int
  public var version: String
  /// Lines skipped while loading (bad list lines); the rest loaded.
  public var warnings = 0

  var json: JSONValue {
    .object([
      ("version", .string(version)), ("files", .int(files)), ("source", .array(source.map { .string($0) })),
      ("warnings", .int(warnings)),
    ])
  }
}

extension SourceInfo {
  static func of(rules: RuleFiles, source: [String]) -> SourceInfo {
    var digest = ContentDigest()
    for file in rules.files {
      digest.add(file.path)
      digest.add(file.text)
    }
    return SourceInfo(source: source, files: rules.files.count, version: digest.hex)
  }

  /// Fingerprints files (directories recursively, hidden files skipped, in name order). No paths:
  /// the embedded lists.
  static func of(paths: [String]) throws(ChildSafeError) -> SourceInfo {
    var digest = ContentDigest()
    var count = 0
    for path in paths {
      try add(path: path, to: &digest, count: &count, depth: 0)
    }
    return SourceInfo(source: paths.isEmpty ? ["embedded"] : paths, files: count, version: digest.hex)
  }

  private static func add(path: String, to digest: inout ContentDigest, count: inout Int, depth: Int)
    throws(ChildSafeError)
  {
    if depth > 16 { throw ChildSafeError(.io, "\(path): directories nested too deeply") }
    if FileSystem.isDirectory(path) {
      for name in try FileSystem.listDirectory(path).sorted() where !name.hasPrefix(".") {
        try add(path: FileSystem.join(path, name), to: &digest, count: &count, depth: depth + 1)
      }
    } else {
      digest.add(path)
      digest.add(try FileSystem.readFile(path))
      count += 1
    }
  }
}
