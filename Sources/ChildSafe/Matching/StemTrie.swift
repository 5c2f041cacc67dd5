/// Stems (`pic*`) as a byte trie: a dense table at the root, sorted edge lists below.
struct StemTrie: Sendable {
  private var root = [Int32](repeating: -1, count: 256)
  private var edgeStart: [Int32] = []
  private var edgeBytes: [UInt8] = []
  private var edgeChildren: [Int32] = []
  private var atoms: [Int32] = []

  var isEmpty: Bool { atoms.isEmpty }
  /// The most stems one word can start with (stems on one root-to-leaf path of the trie).
  private(set) var longestChain = 0

  init(_ stems: [String: Int32]) {
    // Build a pointer trie first, then flatten it.
    var children: [[UInt8: Int32]] = [[:]]
    var nodeAtoms: [Int32] = [-1]
    // In atom order, so that the same stems always make the same trie (the embedded packs'
    // compiled form is compared byte for byte with a fresh compile).
    for (stem, atom) in stems.sorted(by: { $0.value < $1.value }) {
      var node = 0
      for byte in stem.utf8 {
        if let child = children[node][byte] {
          node = Int(child)
        } else {
          children.append([:])
          nodeAtoms.append(-1)
          children[node][byte] = Int32(children.count - 1)
          node = children.count - 1
        }
      }
      nodeAtoms[node] = atom
    }
    // Stems on each path: a stem's node counts the stems above it.
    for (stem, _) in stems {
      var node = 0
      var chain = 0
      for byte in stem.utf8 {
        guard let child = children[node][byte] else { break }
        node = Int(child)
        if nodeAtoms[node] >= 0 { chain += 1 }
      }
      longestChain = max(longestChain, chain)
    }
    guard !stems.isEmpty else { return }
    atoms = nodeAtoms
    for (byte, child) in children[0] { root[Int(byte)] = child }
    for node in children.indices {
      edgeStart.append(Int32(edgeBytes.count))
      for (byte, child) in children[node].sorted(by: { $0.key < $1.key }) {
        edgeBytes.append(byte)
        edgeChildren.append(child)
      }
    }
    edgeStart.append(Int32(edgeBytes.count))
  }

  private init(root: [Int32], edgeStart: [Int32], edgeBytes: [UInt8], edgeChildren: [Int32], atoms: [Int32], longestChain: Int) {
    self.root = root
    self.edgeStart = edgeStart
    self.edgeBytes = edgeBytes
    self.edgeChildren = edgeChildren
    self.atoms = atoms
    self.longestChain = longestChain
  }

  /// Appends the atom of every stem that `bytes` starts with.
  @inline(__always)
  func appendStems(of bytes: UnsafeBufferPointer<UInt8>, to out: UnsafeMutablePointer<Int32>, _ count: inout Int) {
    guard let first = bytes.first else { return }
    var node = Int(root[Int(first)])
    var k = 1
    while node >= 0 {
      if atoms[node] >= 0 {
        out[count] = atoms[node]
        count += 1
      }
      guard k < bytes.count else { return }
      let byte = bytes[k]
      k += 1
      var next = -1
      var e = Int(edgeStart[node])
      let end = Int(edgeStart[node + 1])
      while e < end {
        let b = edgeBytes[e]
        if b == byte {
          next = Int(edgeChildren[e])
          break
        }
        if b > byte { break }
        e += 1
      }
      node = next
    }
  }
}

extension StemTrie {
  /// Writes the flattened trie as it is, so that reading it back builds nothing.
  func write(to writer: inout ArchiveWriter) {
    writer.int32s(root)
    writer.int32s(edgeStart)
    writer.varint(UInt64(edgeBytes.count))
    for byte in edgeBytes { writer.byte(byte) }
    writer.int32s(edgeChildren)
    writer.int32s(atoms)
    writer.int(longestChain)
  }

  /// Reads a trie written by ``write(to:)`` (lookups are bounds-checked: a bad trie cannot read
  /// outside its arrays).
  init(reading reader: inout ArchiveReader) throws(ChildSafeError) {
    let root = try reader.int32s()
    let edgeStart = try reader.int32s()
    let byteCount = try reader.length()
    let edgeBytes = Array(UnsafeBufferPointer(rebasing: reader.bytes[reader.offset..<reader.offset + byteCount]))
    try reader.skip(byteCount)
    let edgeChildren = try reader.int32s()
    let atoms = try reader.int32s()
    let longestChain = try reader.int()
    guard root.count == 256, atoms.isEmpty || edgeStart.count == atoms.count + 1,
      edgeChildren.count == edgeBytes.count
    else { throw reader.corrupt("malformed stem trie") }
    self.init(
      root: root, edgeStart: edgeStart, edgeBytes: edgeBytes, edgeChildren: edgeChildren, atoms: atoms,
      longestChain: longestChain)
  }
}
