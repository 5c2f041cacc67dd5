import CChildSafeICU
import CChildSafeRules

/// The normaliser's per-scalar tables (``ScalarTable``, ``FoldTable``) as `scripts/embed-rules`
/// built them from ICU: raw bytes in the library's read-only data (`CChildSafeRules`), used in
/// place. Building them from ICU takes about 20M instructions, once per process, on the first
/// message; reading them takes a checksum of 75 KB. They hold ICU's answers, so they are used only
/// by the ICU version that made them, only in this format version, only when their checksum holds
/// and only on a little-endian machine; otherwise the tables are built from ICU as before (same
/// answers). Layout: format version and checksum of the payload (8 bytes each, little-endian),
/// the ICU version (a length byte and its bytes, zero-padded to a multiple of 8), then the payload:
/// the fold tables (8-byte entries) and the scalar tables (bytes), in the order of ``ranges``.
enum EmbeddedScalarTables {
  static let formatVersion: UInt64 = 1

  /// (first scalar, end) of each table, in payload order.
  static let foldRanges: [(UInt32, UInt32)] = [
    FoldTable.latinRange, FoldTable.punctuationRange, FoldTable.fullwidthRange, FoldTable.emojiRange,
    FoldTable.asciiRange,
  ]
  static let scalarRanges: [(UInt32, UInt32)] = [ScalarTable.lowRange, ScalarTable.fullwidthRange, ScalarTable.emojiRange]

  /// Where each table starts in the library's bytes; nil when they do not suit this library.
  struct Tables {
    let folds: [UnsafePointer<UInt64>]
    let scalars: [UnsafePointer<UInt8>]
  }

  /// The embedded tables, checked once per process.
  nonisolated(unsafe) static let embedded: Tables? = {
    var length = 0
    let start = csrules_scalar_tables(&length)
    return tables(in: UnsafeBufferPointer(start: start, count: length))
  }()

  /// The tables built from this library's ICU, in the embedded form.
  static func encode(icuVersion: String = CompiledRulesArchive.icuVersion) -> [UInt8] {
    var payload: [UInt8] = []
    for (first, end) in foldRanges {
      for entry in FoldTable.build(first, end) { withUnsafeBytes(of: entry.littleEndian) { payload.append(contentsOf: $0) } }
    }
    for (first, end) in scalarRanges { payload += ScalarTable.build(first, end) }
    var out: [UInt8] = []
    withUnsafeBytes(of: formatVersion.littleEndian) { out.append(contentsOf: $0) }
    let checksum = payload.withUnsafeBufferPointer { archiveChecksum($0) }
    withUnsafeBytes(of: checksum.littleEndian) { out.append(contentsOf: $0) }
    let icu = Array(icuVersion.utf8.prefix(255))
    out.append(UInt8(icu.count))
    out += icu
    while out.count % 8 != 0 { out.append(0) }
    return out + payload
  }

  /// The tables in `bytes` (which must stay where they are for the life of the process), or nil
  /// when they were made by another ICU or format version, are damaged, truncated or misaligned.
  static func tables(
    in bytes: UnsafeBufferPointer<UInt8>, icuVersion: String = CompiledRulesArchive.icuVersion
  ) -> Tables? {
    #if _endian(little)
      guard let base = bytes.baseAddress, bytes.count >= 17, Int(bitPattern: base) % 8 == 0 else { return nil }
      let raw = UnsafeRawPointer(base)
      guard UInt64(littleEndian: raw.load(as: UInt64.self)) == formatVersion else { return nil }
      let icuLength = Int(bytes[16])
      let payloadStart = (17 + icuLength + 7) / 8 * 8
      let foldCount = foldRanges.reduce(0) { $0 + Int($1.1 - $1.0) }
      let scalarCount = scalarRanges.reduce(0) { $0 + Int($1.1 - $1.0) }
      guard bytes.count == payloadStart + 8 * foldCount + scalarCount,
        String(decoding: UnsafeBufferPointer(rebasing: bytes[17..<(17 + icuLength)]), as: UTF8.self) == icuVersion,
        archiveChecksum(UnsafeBufferPointer(rebasing: bytes[payloadStart...]))
          == UInt64(littleEndian: raw.load(fromByteOffset: 8, as: UInt64.self))
      else { return nil }
      var offset = payloadStart
      var folds: [UnsafePointer<UInt64>] = []
      for (first, end) in foldRanges {
        folds.append((raw + offset).assumingMemoryBound(to: UInt64.self))
        offset += 8 * Int(end - first)
      }
      var scalars: [UnsafePointer<UInt8>] = []
      for (first, end) in scalarRanges {
        scalars.append((raw + offset).assumingMemoryBound(to: UInt8.self))
        offset += Int(end - first)
      }
      return Tables(folds: folds, scalars: scalars)
    #else
      return nil
    #endif
  }
}
