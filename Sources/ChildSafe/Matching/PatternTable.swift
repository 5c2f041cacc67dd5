/// The distinct pattern trees of a rule set, by pattern id: kept in memory, or decoded from the
/// library's own compiled archive the first time one is asked for.
///
/// Matching needs only the matcher's tables; the trees serve explanations, `lint` and rule
/// listings. Read from the embedded archive, an engine that only classifies never builds them:
/// they were about a fifth of the instructions and 0.9 MB of the heap of opening the embedded
/// packs (docs/performance.md).
final class PatternTable: PatternTrees, @unchecked Sendable {
  /// Where the trees of an archive lie: `count` node records from `offset`, already checked by
  /// ``CompiledRulesArchive/skipNode(_:earlier:)``, and each pattern's node.
  struct ArchiveSource {
    let bytes: UnsafeBufferPointer<UInt8>
    let strings: [String]
    let offset: Int
    let nodeCount: Int
    let patternNodes: [Int32]
    let what: String
  }

  private let archive: ArchiveSource?
  /// The trees by pattern id, once decoded (set at once when built from trees).
  private let decoded: Locked<[PatternNode]?>
  let count: Int

  init(_ patterns: [PatternNode]) {
    archive = nil
    decoded = Locked(patterns)
    count = patterns.count
  }

  /// Trees left in an archive that lives as long as the process.
  init(archive: ArchiveSource) {
    self.archive = archive
    decoded = Locked(nil)
    count = archive.patternNodes.count
  }

  /// Every tree, by pattern id.
  var all: [PatternNode] {
    decoded.withLock { trees in
      if let trees { return trees }
      let built = PatternTable.decode(archive!)
      trees = built
      return built
    }
  }

  /// Pattern `id`'s tree.
  func tree(_ id: Int) -> PatternNode { all[id] }

  /// Whether the trees are in memory (for tests: an engine that only classifies never builds them).
  var isBuilt: Bool { decoded.withLock { $0 != nil } }

  private static func decode(_ source: ArchiveSource) -> [PatternNode] {
    var r = ArchiveReader(resuming: source.bytes, strings: source.strings, at: source.offset, what: source.what)
    var nodes: [PatternNode] = []
    nodes.reserveCapacity(source.nodeCount)
    do {
      for _ in 0..<source.nodeCount { nodes.append(try CompiledRulesArchive.readNode(&r, earlier: nodes)) }
    } catch {
      // The records were checked when the archive was opened, and the archive is immutable.
      fatalError("\(source.what) changed after they were checked: \(error)")
    }
    return source.patternNodes.map { nodes[Int($0)] }
  }
}
