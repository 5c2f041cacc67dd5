import CChildSafeICU

/// Folds of single scalars that appear most in chat, computed once through ICU so that the hot
/// path does not cross into ICU for every accented or Cyrillic letter, fullwidth form, zero-width
/// character or emoji: U+0080..U+052F (Latin-1, Latin Extended, Greek, Cyrillic), general
/// punctuation, halfwidth and fullwidth forms, the emoji blocks, and the identity for CJK
/// ideographs, kana and Hangul.
enum FoldTable {
  // At fixed addresses, fetched once per run into a ``FoldLookup`` (see ``ScalarTable``).
  // Embedded in the library when its ICU made them (``EmbeddedScalarTables``), else built here.
  nonisolated(unsafe) static let latin = table(0, latinRange)
  nonisolated(unsafe) static let punctuation = table(1, punctuationRange)
  nonisolated(unsafe) static let fullwidth = table(2, fullwidthRange)
  nonisolated(unsafe) static let emoji = table(3, emojiRange)
  /// ASCII characters as segments of their own (one that a non-ASCII scalar follows), so that
  /// they do not cross into ICU either.
  nonisolated(unsafe) static let ascii = table(4, asciiRange)
  static let latinRange: (UInt32, UInt32) = (0x80, 0x530)
  static let punctuationRange: (UInt32, UInt32) = (0x2000, 0x2070)
  static let fullwidthRange: (UInt32, UInt32) = (0xFF00, 0xFFF0)
  static let emojiRange: (UInt32, UInt32) = (0x1_F300, 0x1_FB00)
  static let asciiRange: (UInt32, UInt32) = (0, 0x80)

  static func table(_ index: Int, _ range: (UInt32, UInt32)) -> UnsafePointer<UInt64> {
    EmbeddedScalarTables.embedded?.folds[index] ?? ScalarTable.immortal(build(range.0, range.1))
  }

  /// Packed: bits 0-1 the count (0...3), then up to three 21-bit scalars; UInt64.max when the fold
  /// is longer than three scalars (left to ICU).
  static func build(_ first: UInt32, _ end: UInt32) -> [UInt64] {
    var table = [UInt64](repeating: UInt64.max, count: Int(end - first))
    var out = [UInt16](repeating: 0, count: 32)
    var src: [UInt16] = []
    for cp in first..<end {
      let script = csicu_script_class(cp)
      let strip: Int32 =
        (script == Int32(CSICU_SCRIPT_LATIN) || script == Int32(CSICU_SCRIPT_GREEK)
          || script == Int32(CSICU_SCRIPT_CYRILLIC) || script == Int32(CSICU_SCRIPT_COMMON)) ? 1 : 0
      src.removeAll(keepingCapacity: true)
      Folding.appendUTF16(cp, to: &src)
      let n = src.withUnsafeMutableBufferPointer { s in
        out.withUnsafeMutableBufferPointer { d in csicu_fold(s.baseAddress, Int32(s.count), strip, d.baseAddress, Int32(d.count)) }
      }
      guard n >= 0 && n <= out.count else { continue }
      // Decode the UTF-16 result; keep it when it is at most three well-formed scalars.
      var packed: UInt64 = 0
      var scalars: UInt64 = 0
      var k = 0
      var ok = true
      while k < Int(n) && ok {
        let unit = UInt32(out[k])
        var scalar = unit
        if unit >= 0xD800 && unit < 0xDC00 && k + 1 < Int(n) && out[k + 1] >= 0xDC00 && out[k + 1] < 0xE000 {
          scalar = 0x10000 + ((unit - 0xD800) << 10) + (UInt32(out[k + 1]) - 0xDC00)
          k += 2
        } else {
          if unit >= 0xD800 && unit < 0xE000 { ok = false }
          k += 1
        }
        if scalars == 3 { ok = false }
        packed |= UInt64(scalar) << (2 + 21 * scalars)
        scalars += 1
      }
      if ok { table[Int(cp - first)] = packed | scalars }
    }
    return table
  }

  @inline(__always)
  static func lookup(_ cp: UInt32) -> UInt64? {
    if cp < 0x80 { return nil }
    return FoldLookup.shared.lookup(cp)
  }
}

/// The fold tables fetched once (see ``FoldTable``).
struct FoldLookup {
  let latin: UnsafePointer<UInt64>
  let punctuation: UnsafePointer<UInt64>
  let fullwidth: UnsafePointer<UInt64>
  let emoji: UnsafePointer<UInt64>
  let ascii: UnsafePointer<UInt64>

  /// All of them behind one lazily initialised global.
  nonisolated(unsafe) static let shared = FoldLookup(
    latin: FoldTable.latin, punctuation: FoldTable.punctuation, fullwidth: FoldTable.fullwidth, emoji: FoldTable.emoji,
    ascii: FoldTable.ascii)

  /// The cached fold of `cp` (ASCII included), or nil when it must be asked of ICU.
  @inline(__always)
  func lookup(_ cp: UInt32) -> UInt64? {
    let v: UInt64
    if cp < 0x530 {
      v = cp < 0x80 ? ascii[Int(cp)] : latin[Int(cp - 0x80)]
    } else if cp >= 0x2000 && cp < 0x2070 {
      v = punctuation[Int(cp - 0x2000)]
    } else if cp >= 0xFF00 && cp < 0xFFF0 {
      v = fullwidth[Int(cp - 0xFF00)]
    } else if cp >= 0x1_F300 && cp < 0x1_FB00 {
      v = emoji[Int(cp - 0x1_F300)]
    } else if (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3041 && cp <= 0x3096) || (cp >= 0x30A1 && cp <= 0x30FA)
      || (cp >= 0xAC00 && cp <= 0xD7A3)
    {
      // Unified ideographs, hiragana, katakana and Hangul syllables fold to themselves.
      return UInt64(1) | UInt64(cp) << 2
    } else {
      return nil
    }
    return v == UInt64.max ? nil : v
  }
}

enum Folding {
  /// A segment longer than this (a letter drowned in combining marks) keeps only its first
  /// scalars; the rest are junk and are dropped, which keeps folding linear.
  static let maximumSegmentScalars = 12

  static func fold(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout FoldedText) {
    // Scratch for ICU (a segment's UTF-16 and its fold), on the stack.
    withScratch(of: UInt16.self, capacity: segmentCapacity + resultCapacity) { scratch in
      fold(bytes, into: &out, scratch: scratch)
    }
  }

  /// UTF-16 units of a segment: at most `maximumSegmentScalars` scalars of two units each.
  static let segmentCapacity = 2 * maximumSegmentScalars
  static let resultCapacity = 128

  static func fold(
    _ bytes: UnsafeBufferPointer<UInt8>, into out: inout FoldedText, scratch: UnsafeMutableBufferPointer<UInt16>
  ) {
    let n = bytes.count
    var i = 0
    let segment = UnsafeMutableBufferPointer(rebasing: scratch[0..<segmentCapacity])
    let result = UnsafeMutableBufferPointer(rebasing: scratch[segmentCapacity..<(segmentCapacity + resultCapacity)])
    var segmentCount = 0
    let folds = FoldLookup.shared
    let tables = ScalarLookup.shared
    // The non-ASCII scalar at `i` when the last segment ended before it (decoded already), else length 0.
    var pendingScalar: UInt32 = 0
    var pendingLength = 0
    while i < n {
      let b = bytes[i]
      // ASCII fast path: an ASCII character followed by ASCII (or the end) is a segment of its own.
      // A whole run of them is copied at once (one capacity and uniqueness check per run, not per byte);
      // the run's last byte stays for the general path when a non-ASCII scalar (maybe a mark) follows.
      if b < 0x80 && (i + 1 == n || bytes[i + 1] < 0x80) {
        var j = i + 1
        while j < n && bytes[j] < 0x80 { j += 1 }
        let runEnd = j < n ? j - 1 : j  // > i: bytes[i + 1] is ASCII when j < n
        out.appendASCII(bytes, from: i, to: runEnd)
        i = runEnd
        continue
      }
      // General path: gather one segment (a starter and what cannot be separated from it).
      // Most segments are a single scalar with a cached fold: the UTF-16 copy for ICU is made
      // only once a second scalar joins, or when the fold is not cached.
      let start = i
      var (scalar, length) = pendingLength != 0 ? (pendingScalar, pendingLength) : decode(bytes, at: i)
      pendingLength = 0
      var scalarsInSegment = 1
      var segmentCopied = false
      // Whether every later scalar of the segment is removed by folding (zero-width characters and
      // other default ignorables): then the segment folds as its first scalar alone, whose fold
      // is usually cached ("h\u{200B}" is "h" without a call into ICU).
      var restFoldsToNothing = true
      let first = scalar
      i += length
      while i < n {
        (scalar, length) = decode(bytes, at: i)
        if scalar < 0x80 { break }
        if tables.hasFoldBoundaryBefore(scalar) {
          (pendingScalar, pendingLength) = (scalar, length)
          break
        }
        if !segmentCopied {
          segmentCount = appendUTF16(first, to: segment, at: 0)
          segmentCopied = true
        }
        if scalarsInSegment < maximumSegmentScalars {
          segmentCount = appendUTF16(scalar, to: segment, at: segmentCount)
          scalarsInSegment += 1
          if restFoldsToNothing && !isRemovedByFolding(scalar, tables: tables, folds: folds) { restFoldsToNothing = false }
        }
        i += length
      }
      if scalarsInSegment == 1 || restFoldsToNothing, let cached = folds.lookup(first) {
        let count = Int(cached & 3)
        out.reserve(count)
        for k in 0..<count {
          out.append(UInt32(truncatingIfNeeded: (cached >> (2 + 21 * UInt64(k))) & 0x1F_FFFF), start, i)
        }
        continue
      }
      if !segmentCopied { segmentCount = appendUTF16(first, to: segment, at: 0) }
      let script = csicu_script_class(first)
      let strip: Int32 =
        (script == Int32(CSICU_SCRIPT_LATIN) || script == Int32(CSICU_SCRIPT_GREEK)
          || script == Int32(CSICU_SCRIPT_CYRILLIC) || script == Int32(CSICU_SCRIPT_COMMON)) ? 1 : 0
      let produced = Int(csicu_fold(segment.baseAddress, Int32(segmentCount), strip, result.baseAddress, Int32(result.count)))
      if produced < 0 || produced > result.count {
        // ICU could not fold it: keep the starter as it is rather than lose text.
        out.reserve(1)
        out.append(first, start, i)
        continue
      }
      out.reserve(produced)
      var k = 0
      while k < produced {
        let unit = result[k]
        if unit >= 0xD800 && unit < 0xDC00 && k + 1 < produced {
          let low = result[k + 1]
          out.append(0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00), start, i)
          k += 2
        } else {
          out.append(UInt32(unit), start, i)
          k += 1
        }
      }
    }
  }

  /// Whether NFKC_Casefold maps `scalar` to nothing whatever surrounds it: a default-ignorable code
  /// point (which the mapping removes) whose fold is empty. A scalar whose fold is empty only
  /// because its marks are stripped (a halfwidth sound mark) may still compose with its starter.
  @inline(__always)
  static func isRemovedByFolding(_ scalar: UInt32, tables: ScalarLookup, folds: FoldLookup) -> Bool {
    guard scalar == 0x200D || tables.charClass(scalar) == .ignorable else { return false }
    guard let cached = folds.lookup(scalar) else { return false }
    return cached & 3 == 0
  }

  /// Writes `scalar` as UTF-16 at `buffer[at...]` (room for two units is the caller's) and returns
  /// the index after it.
  @inline(__always)
  static func appendUTF16(_ scalar: UInt32, to buffer: UnsafeMutableBufferPointer<UInt16>, at: Int) -> Int {
    if scalar < 0x10000 {
      buffer[at] = UInt16(scalar)
      return at + 1
    }
    let v = scalar - 0x10000
    buffer[at] = UInt16(0xD800 + (v >> 10))
    buffer[at + 1] = UInt16(0xDC00 + (v & 0x3FF))
    return at + 2
  }

  @inline(__always)
  static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int) {
    let b0 = UInt32(bytes[i])
    if b0 < 0x80 { return (b0, 1) }
    if b0 < 0xE0 { return ((b0 & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F), 2) }
    if b0 < 0xF0 {
      return ((b0 & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F), 3)
    }
    return (
      (b0 & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12 | UInt32(bytes[i + 2] & 0x3F) << 6
        | UInt32(bytes[i + 3] & 0x3F), 4
    )
  }

  @inline(__always)
  static func appendUTF16(_ scalar: UInt32, to out: inout [UInt16]) {
    if scalar < 0x10000 {
      out.append(UInt16(scalar))
    } else {
      let v = scalar - 0x10000
      out.append(UInt16(0xD800 + (v >> 10)))
      out.append(UInt16(0xDC00 + (v & 0x3FF)))
    }
  }
}
