/// Reading the compiled form of the embedded packs (``CompiledRulesArchive``), kept as Base64 text
/// in ``EmbeddedCompiledRules/base64`` (a Swift string literal compiles quickly at any size; an
/// array literal of a million numbers does not).
extension EmbeddedCompiledRules {
  /// The archive's bytes (line breaks in the text are skipped).
  static func bytes() throws(ChildSafeError) -> [UInt8] {
    var text = base64
    let decoded = text.withUTF8 { Base64.decode($0) }
    guard let decoded else { throw ChildSafeError(.corrupt, "the embedded compiled rules are not Base64") }
    return decoded
  }

  /// The engine parts of the embedded packs; throws when the archive does not suit this library
  /// (another ICU, format version or set of rule files) or is damaged.
  static func contents() throws(ChildSafeError) -> CompiledRulesArchive.Contents {
    let archive = try bytes()
    let digest = CompiledRulesArchive.digest(of: RuleFiles.embedded.files)
    let result = archive.withUnsafeBufferPointer { buffer in
      Result { () throws(ChildSafeError) in try CompiledRulesArchive.decode(buffer, sourceDigest: digest) }
    }
    return try result.get()
  }
}

/// Base64 (RFC 4648, with padding); any other byte but a line break makes the text invalid.
enum Base64 {
  static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

  static func encode(_ bytes: [UInt8]) -> String {
    var out: [UInt8] = []
    out.reserveCapacity((bytes.count + 2) / 3 * 4)
    var k = 0
    while k < bytes.count {
      let b0 = UInt32(bytes[k])
      let b1 = k + 1 < bytes.count ? UInt32(bytes[k + 1]) : 0
      let b2 = k + 2 < bytes.count ? UInt32(bytes[k + 2]) : 0
      let v = b0 << 16 | b1 << 8 | b2
      out.append(alphabet[Int(v >> 18 & 63)])
      out.append(alphabet[Int(v >> 12 & 63)])
      out.append(k + 1 < bytes.count ? alphabet[Int(v >> 6 & 63)] : UInt8(ascii: "="))
      out.append(k + 2 < bytes.count ? alphabet[Int(v & 63)] : UInt8(ascii: "="))
      k += 3
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// 0–63 for the alphabet, 64 for "=", 65 for a line break, 255 otherwise.
  static let values: [UInt8] = {
    var table = [UInt8](repeating: 255, count: 256)
    for (k, c) in alphabet.enumerated() { table[Int(c)] = UInt8(k) }
    table[Int(UInt8(ascii: "="))] = 64
    table[Int(UInt8(ascii: "\n"))] = 65
    return table
  }()

  /// Decodes into memory sized once, four characters at a time (a line break may only fall
  /// between groups of four, as the generated text has them).
  static func decode(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
    guard let input = text.baseAddress else { return [] }
    let n = text.count
    var valid = true
    let out = [UInt8](unsafeUninitializedCapacity: n / 4 * 3) { buffer, count in
      let output = buffer.baseAddress!
      values.withUnsafeBufferPointer { table in
        let values = table.baseAddress!
        var i = 0
        var o = 0
        while i < n {
          if input[i] == UInt8(ascii: "\n") {
            i += 1
            continue
          }
          guard i + 4 <= n else {
            valid = false
            break
          }
          let a = UInt32(values[Int(input[i])])
          let b = UInt32(values[Int(input[i + 1])])
          let c = UInt32(values[Int(input[i + 2])])
          let d = UInt32(values[Int(input[i + 3])])
          i += 4
          if (a | b | c | d) < 64 {
            let v = a << 18 | b << 12 | c << 6 | d
            output[o] = UInt8(truncatingIfNeeded: v >> 16)
            output[o + 1] = UInt8(truncatingIfNeeded: v >> 8)
            output[o + 2] = UInt8(truncatingIfNeeded: v)
            o += 3
            continue
          }
          // Padding, only in the last group: "xy==" or "xyz=".
          guard i == n || (i == n - 1 && input[n - 1] == UInt8(ascii: "\n")), a < 64, b < 64 else {
            valid = false
            break
          }
          if c == 64 && d == 64 {
            output[o] = UInt8(truncatingIfNeeded: (a << 18 | b << 12) >> 16)
            o += 1
          } else if c < 64 && d == 64 {
            let v = a << 18 | b << 12 | c << 6
            output[o] = UInt8(truncatingIfNeeded: v >> 16)
            output[o + 1] = UInt8(truncatingIfNeeded: v >> 8)
            o += 2
          } else {
            valid = false
          }
          break
        }
        count = o
      }
    }
    return valid ? out : nil
  }
}

extension ClassifierEngine {
  /// The compiled form (`CompiledRulesArchive`) of the rule files under `rulesDirectory`, a copy
  /// of Rules/ as `scripts/embed-rules` embeds it: what the library reads at start instead of
  /// compiling its embedded packs. Throws when the rules have errors.
  @_spi(EmbeddedRules)
  public static func compiledRulesArchive(rulesDirectory: String) throws(ChildSafeError) -> [UInt8] {
    let files = try RuleFiles.load(directory: rulesDirectory)
    let embeddable = RuleFiles(files: files.files.filter { RuleFiles.isEmbedded($0.path) })
    let engine = try ClassifierEngine(ruleSet: RuleSetLoader.load(embeddable))
    return CompiledRulesArchive.encode(
      engine.archiveContents, sourceDigest: CompiledRulesArchive.digest(of: embeddable.files))
  }
}
