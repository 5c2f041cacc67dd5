/// The model file: little-endian, versioned and checksummed (see `docs/model.md`).
///
///     offset  size  field
///     0       8     magic "CSMODEL\0"
///     8       4     format version (4 with a threshold toward a known minor, 3 with thresholds per
///                   language, else 2; version 1 files, without participant features, are read too)
///     12      1     level (1 message, 2 conversation)
///     13      1     hash bits
///     14      1     character n-gram length (0 none)
///     15      1     flags: bit 0 word pairs, bit 1 rule categories, bit 2 participants (version 2);
///                   other bits are an error, so a feature this library does not compute is never ignored
///     16      4     window (messages per sender)
///     20      4     bias (IEEE 754 binary32)
///     24      4     threshold (binary32)
///     28      4     confirm level (binary32)
///     32      4     description length D
///     36      D     description (UTF-8), then zero bytes up to a multiple of 4
///     ...     versions 3 and 4: 4 bytes L (at least 1 in version 3), then L entries of a language
///                   code (4 bytes, ASCII, zero-padded) and its threshold (binary32)
///     ...     version 4 only: 4 bytes, the threshold toward a known minor (binary32)
///     ...     4·2^hash bits   weights (binary32)
///     end-8   8     FNV-1a 64 of every byte before it
extension LinearModel {
  public static let fileMagic: [UInt8] = Array("CSMODEL".utf8) + [0]
  /// The newest version this library writes (each model is written in the oldest version that
  /// holds it, so older libraries read every model that needs nothing newer).
  public static let fileVersion: UInt32 = 4
  /// The flag bits each version may set.
  static let knownFlags: [UInt32: UInt8] = [1: 0b011, 2: 0b111, 3: 0b111, 4: 0b111]

  /// The oldest file format version that holds this model.
  var fileFormatVersion: UInt32 { minorThreshold != nil ? 4 : languageThresholds.isEmpty ? 2 : 3 }

  /// The model as the bytes of a model file.
  public func encoded() -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(48 + description.utf8.count + 4 * weights.count)
    out += LinearModel.fileMagic
    let version = fileFormatVersion
    out.appendLittleEndian(version)
    out.append(level.rawValue)
    out.append(UInt8(settings.hashBits))
    out.append(UInt8(settings.characterGrams))
    out.append((settings.wordPairs ? 1 : 0) | (settings.ruleCategories ? 2 : 0) | (settings.participants ? 4 : 0))
    out.appendLittleEndian(UInt32(window))
    out.appendLittleEndian(bias.bitPattern)
    out.appendLittleEndian(threshold.bitPattern)
    out.appendLittleEndian(confirm.bitPattern)
    out.appendLittleEndian(UInt32(description.utf8.count))
    out += description.utf8
    while out.count % 4 != 0 { out.append(0) }
    if version >= 3 {
      out.appendLittleEndian(UInt32(languageThresholds.count))
      for entry in languageThresholds {
        let code = Array(entry.language.utf8)
        out += code + [UInt8](repeating: 0, count: 4 - code.count)
        out.appendLittleEndian(entry.threshold.bitPattern)
      }
    }
    if let minorThreshold { out.appendLittleEndian(minorThreshold.bitPattern) }
    for w in weights { out.appendLittleEndian(w.bitPattern) }
    out.appendLittleEndian(ModelFileChecksum.fnv1a64(out[...]))
    return out
  }

  /// Reads a model file's bytes; a damaged, truncated or foreign file is a `corrupt` error that
  /// says what is wrong.
  public init(bytes: [UInt8]) throws(ChildSafeError) {
    func corrupt(_ what: String) -> ChildSafeError { ChildSafeError(.corrupt, "not a valid ChildSafe model: \(what)") }
    guard bytes.count >= 44, Array(bytes[0..<8]) == LinearModel.fileMagic else {
      throw corrupt("it does not start with the model file signature")
    }
    let version = bytes.littleEndianUInt32(at: 8)
    guard let knownFlags = LinearModel.knownFlags[version] else {
      throw ChildSafeError(
        .corrupt,
        "model file format version \(version) is not supported (this library reads versions 1 to \(LinearModel.fileVersion))")
    }
    let stored = bytes.littleEndianUInt64(at: bytes.count - 8)
    guard stored == ModelFileChecksum.fnv1a64(bytes[..<(bytes.count - 8)]) else {
      throw corrupt("its checksum does not match (the file is damaged or truncated)")
    }
    guard let level = Level(rawValue: bytes[12]) else { throw corrupt("unknown level \(bytes[12])") }
    guard bytes[15] & ~knownFlags == 0 else {
      throw corrupt("feature flags \(bytes[15]) name features a version \(version) file cannot have")
    }
    let settings = FeatureSettings(
      hashBits: Int(bytes[13]), characterGrams: Int(bytes[14]), wordPairs: bytes[15] & 1 != 0,
      ruleCategories: bytes[15] & 2 != 0, participants: bytes[15] & 4 != 0)
    if let problem = settings.problem { throw corrupt(problem) }
    let window = Int(bytes.littleEndianUInt32(at: 16))
    let bias = Float(bitPattern: bytes.littleEndianUInt32(at: 20))
    let threshold = Float(bitPattern: bytes.littleEndianUInt32(at: 24))
    let confirm = Float(bitPattern: bytes.littleEndianUInt32(at: 28))
    let descriptionCount = Int(bytes.littleEndianUInt32(at: 32))
    guard descriptionCount <= LinearModel.maximumDescriptionBytes else { throw corrupt("its description is too long") }
    var offset = 36 + descriptionCount
    offset += (4 - offset % 4) % 4
    var languageThresholds: [LanguageThreshold] = []
    if version >= 3 {
      guard offset + 4 <= bytes.count - 8 else { throw corrupt("it ends inside its language thresholds") }
      let count = Int(bytes.littleEndianUInt32(at: offset))
      offset += 4
      guard count >= (version == 3 ? 1 : 0), count <= LinearModel.maximumLanguageThresholds, offset + 8 * count <= bytes.count - 8 else {
        throw corrupt("it announces \(count) language thresholds")
      }
      for k in 0..<count {
        let code = bytes[(offset + 8 * k)..<(offset + 8 * k + 4)].prefix { $0 != 0 }
        languageThresholds.append(
          LanguageThreshold(
            language: String(decoding: code, as: UTF8.self),
            threshold: Float(bitPattern: bytes.littleEndianUInt32(at: offset + 8 * k + 4))))
      }
      offset += 8 * count
    }
    var minorThreshold: Float?
    if version >= 4 {
      guard offset + 4 <= bytes.count - 8 else { throw corrupt("it ends before its threshold toward a known minor") }
      minorThreshold = Float(bitPattern: bytes.littleEndianUInt32(at: offset))
      offset += 4
    }
    let weightCount = settings.weightCount
    guard bytes.count == offset + 4 * weightCount + 8 else {
      throw corrupt("it holds \(bytes.count) bytes where its header announces \(offset + 4 * weightCount + 8)")
    }
    guard let description = String(validating: bytes[36..<(36 + descriptionCount)], as: UTF8.self) else {
      throw corrupt("its description is not UTF-8")
    }
    let weights = bytes.withUnsafeBytes { raw in
      [Float](unsafeUninitializedCapacity: weightCount) { buffer, count in
        for k in 0..<weightCount {
          buffer[k] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 4 * k, as: UInt32.self)))
        }
        count = weightCount
      }
    }
    do {
      try self.init(
        level: level, settings: settings, bias: bias, threshold: threshold, confirm: confirm, window: window,
        languageThresholds: languageThresholds, minorThreshold: minorThreshold, description: description,
        weights: weights)
    } catch {
      throw corrupt(error.message)
    }
  }

  /// Reads a model file.
  public init(contentsOf path: String) throws(ChildSafeError) {
    let bytes = try FileSystem.readFile(path)
    do {
      try self.init(bytes: bytes)
    } catch {
      throw ChildSafeError(error.code, "\(path): \(error.message)")
    }
  }

  /// Writes the model file.
  public func write(to path: String) throws(ChildSafeError) {
    try FileSystem.writeFile(path, encoded())
  }
}

enum ModelFileChecksum {
  static func fnv1a64(_ bytes: ArraySlice<UInt8>) -> UInt64 {
    bytes.withUnsafeBufferPointer { buffer in
      var h: UInt64 = 0xcbf2_9ce4_8422_2325
      for b in buffer { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
      return h
    }
  }
}

extension [UInt8] {
  mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
    var v = value.littleEndian
    Swift.withUnsafeBytes(of: &v) { self += $0 }
  }

  func littleEndianUInt32(at offset: Int) -> UInt32 {
    var v: UInt32 = 0
    for k in 0..<4 { v |= UInt32(self[offset + k]) << (8 * k) }
    return v
  }

  func littleEndianUInt64(at offset: Int) -> UInt64 {
    var v: UInt64 = 0
    for k in 0..<8 { v |= UInt64(self[offset + k]) << (8 * k) }
    return v
  }
}
