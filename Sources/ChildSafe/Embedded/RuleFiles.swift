/// Access to rule files by path relative to a rules root: the embedded defaults, or a directory
/// on disk that extends or replaces them.
public struct RuleFiles: Sendable {
  /// (path relative to the rules root, contents), sorted by path.
  public let files: [(path: String, text: String)]

  /// Whether these are the files built into the library, whose compiled form is embedded too
  /// (``CompiledRulesArchive``): an engine over them then reads it instead of compiling.
  let isEmbedded: Bool

  public init(files: [(path: String, text: String)]) {
    self.init(files: files, isEmbedded: false)
  }

  init(files: [(path: String, text: String)], isEmbedded: Bool) {
    self.files = files.sorted { $0.path < $1.path }
    self.isEmbedded = isEmbedded
  }

  /// The rule files built into the library (a copy of Rules/ at build time).
  public static let embedded = RuleFiles(files: EmbeddedRules.files, isEmbedded: true)

  /// The endings of the files of Rules/ that `scripts/embed-rules` embeds.
  static let embeddedSuffixes = [
    ".rules", ".txt", ".conf", ".policy", ".list", ".catalog", ".defaults", ".md", ".hosts", ".json", ".words",
  ]

  /// Whether `scripts/embed-rules` embeds the file at `path` (relative to Rules/).
  static func isEmbedded(_ path: String) -> Bool {
    let name = path.split(separator: "/").last.map(String.init) ?? path
    return !name.hasPrefix(".") && embeddedSuffixes.contains { path.hasSuffix($0) }
  }

  /// The files under `directory` whose path (relative to it) starts with `prefix`, read from disk.
  public static func load(directory: String, prefix: String = "") throws(ChildSafeError) -> RuleFiles {
    var found: [(String, String)] = []
    try collect(directory, relative: "", prefix: prefix, into: &found, depth: 0)
    return RuleFiles(files: found)
  }

  static func collect(
    _ directory: String, relative: String, prefix: String, into found: inout [(String, String)], depth: Int
  ) throws(ChildSafeError) {
    if depth > 16 { throw ChildSafeError(.io, "\(directory): directories nested too deeply") }
    for name in try FileSystem.listDirectory(directory) where !name.hasPrefix(".") {
      let path = FileSystem.join(directory, name)
      let rel = relative.isEmpty ? name : relative + "/" + name
      if FileSystem.isDirectory(path) {
        try collect(path, relative: rel, prefix: prefix, into: &found, depth: depth + 1)
      } else if rel.hasPrefix(prefix) {
        found.append((rel, try FileSystem.readText(path)))
      }
    }
  }

  /// The files whose path starts with `prefix` (e.g. "grooming/").
  public func under(_ prefix: String) -> [(path: String, text: String)] {
    files.filter { $0.path.hasPrefix(prefix) }
  }

  /// The contents of one file, or nil.
  public func text(at path: String) -> String? {
    files.first(where: { $0.path == path })?.text
  }
}
