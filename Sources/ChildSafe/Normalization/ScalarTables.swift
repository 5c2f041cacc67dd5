import CChildSafeICU

/// Per-scalar facts the normaliser needs for every non-ASCII scalar (character class, whether the
/// script is written without spaces, whether NFKC_Casefold may start a new segment before it),
/// asked of ICU once per scalar of the blocks chat uses and kept in byte tables. The hot loops then
/// do not cross into ICU (several property lookups each) for every accented letter, Cyrillic or
/// CJK character, fullwidth form or emoji. Scalars outside the tables are asked of ICU directly,
/// so the answers are the same either way.
enum ScalarTable {
  // The tables live at fixed addresses (built once, never freed) so that a run can fetch them once
  // into a ``ScalarLookup``: every read of a `static let` is a call (swift_once) in the hot loops.
  // Embedded in the library when its ICU made them (``EmbeddedScalarTables``), else built here.
  /// Everything below U+A000 (Latin, Greek, Cyrillic, ... Thai, CJK ideographs).
  nonisolated(unsafe) static let low: UnsafePointer<UInt8> = table(0, lowRange)
  /// Halfwidth and fullwidth forms.
  nonisolated(unsafe) static let fullwidth: UnsafePointer<UInt8> = table(1, fullwidthRange)
  /// Emoji and pictographs.
  nonisolated(unsafe) static let emoji: UnsafePointer<UInt8> = table(2, emojiRange)
  static let lowRange: (UInt32, UInt32) = (0x80, 0xA000)
  static let fullwidthRange: (UInt32, UInt32) = (0xFF00, 0x1_0000)
  static let emojiRange: (UInt32, UInt32) = (0x1_F000, 0x1_FB00)

  static func table(_ index: Int, _ range: (UInt32, UInt32)) -> UnsafePointer<UInt8> {
    EmbeddedScalarTables.embedded?.scalars[index] ?? immortal(build(range.0, range.1))
  }

  /// A copy of `table` that is never freed.
  static func immortal<T>(_ table: [T]) -> UnsafePointer<T> {
    let copy = UnsafeMutableBufferPointer<T>.allocate(capacity: max(1, table.count))
    _ = copy.initialize(from: table)
    return UnsafePointer(copy.baseAddress ?? UnsafeMutablePointer<T>.allocate(capacity: 1))
  }

  /// Entry bits: 0-2 the ``CharClass`` raw value, 3 a letter of a dictionary script (Thai, Han,
  /// kana...), 4 NFKC_Casefold has a segment boundary before the scalar.
  static let classMask: UInt8 = 7
  static let dictionaryBit: UInt8 = 1 << 3
  static let boundaryBit: UInt8 = 1 << 4

  static func build(_ first: UInt32, _ end: UInt32) -> [UInt8] {
    var table = [UInt8](repeating: 0, count: Int(end - first))
    for cp in first..<end {
      let cls = CharClass.fromICU(cp)
      var entry = cls.rawValue
      if cls == .letter && csicu_script_class(cp) == Int32(CSICU_SCRIPT_DICTIONARY) { entry |= dictionaryBit }
      if csicu_fold_boundary_before(cp) != 0 { entry |= boundaryBit }
      table[Int(cp - first)] = entry
    }
    return table
  }

  /// The table entry of `cp`, or nil when it lies outside the tables.
  @inline(__always)
  static func entry(_ cp: UInt32) -> UInt8? {
    if cp < 0xA000 { return cp >= 0x80 ? low[Int(cp - 0x80)] : nil }
    if cp >= 0xFF00 && cp < 0x1_0000 { return fullwidth[Int(cp - 0xFF00)] }
    if cp >= 0x1_F000 && cp < 0x1_FB00 { return emoji[Int(cp - 0x1_F000)] }
    return nil
  }

  /// The class of `cp` (>= U+0080).
  @inline(__always)
  static func charClass(_ cp: UInt32) -> CharClass {
    if let e = entry(cp) { return CharClass.fromTable(e) }
    return CharClass.fromICU(cp)
  }

  /// Whether `cp` is a letter of a script written without spaces (Thai, Han, kana...).
  @inline(__always)
  static func isDictionaryLetter(_ cp: UInt32) -> Bool {
    if let e = entry(cp) { return e & dictionaryBit != 0 }
    return CharClass.fromICU(cp) == .letter && csicu_script_class(cp) == Int32(CSICU_SCRIPT_DICTIONARY)
  }

  /// Whether NFKC_Casefold may start a new segment before `cp` (>= U+0080).
  @inline(__always)
  static func hasFoldBoundaryBefore(_ cp: UInt32) -> Bool {
    if let e = entry(cp) { return e & boundaryBit != 0 }
    return csicu_fold_boundary_before(cp) != 0
  }
}

/// The scalar tables fetched once (see ``ScalarTable``), with the same answers as its functions.
struct ScalarLookup {
  let low: UnsafePointer<UInt8>
  let fullwidth: UnsafePointer<UInt8>
  let emoji: UnsafePointer<UInt8>
  let confusables: UnsafePointer<UInt8>

  /// All of them behind one lazily initialised global: one check per run instead of one per table.
  nonisolated(unsafe) static let shared = ScalarLookup(
    low: ScalarTable.low, fullwidth: ScalarTable.fullwidth, emoji: ScalarTable.emoji, confusables: Confusables.table)

  @inline(__always)
  func entry(_ cp: UInt32) -> UInt8? {
    if cp < 0xA000 { return cp >= 0x80 ? low[Int(cp - 0x80)] : nil }
    if cp >= 0xFF00 && cp < 0x1_0000 { return fullwidth[Int(cp - 0xFF00)] }
    if cp >= 0x1_F000 && cp < 0x1_FB00 { return emoji[Int(cp - 0x1_F000)] }
    return nil
  }

  /// ``CharClass/of(_:)``.
  @inline(__always)
  func charClass(_ c: UInt32) -> CharClass {
    if c < 0x80 { return CharClass.ascii(c) }
    if let e = entry(c) { return CharClass.fromTable(e) }
    return CharClass.fromICU(c)
  }

  /// ``ScalarTable/isDictionaryLetter(_:)``.
  @inline(__always)
  func isDictionaryLetter(_ cp: UInt32) -> Bool {
    if let e = entry(cp) { return e & ScalarTable.dictionaryBit != 0 }
    return ScalarTable.isDictionaryLetter(cp)
  }

  /// ``ScalarTable/hasFoldBoundaryBefore(_:)``.
  @inline(__always)
  func hasFoldBoundaryBefore(_ cp: UInt32) -> Bool {
    if let e = entry(cp) { return e & ScalarTable.boundaryBit != 0 }
    return csicu_fold_boundary_before(cp) != 0
  }

  /// ``Confusables/latin(for:)``.
  @inline(__always)
  func latin(for cp: UInt32) -> UInt8? {
    if cp < 0x0370 || cp > 0x052F { return nil }
    let c = confusables[Int(cp - 0x0370)]
    return c == 0 ? nil : c
  }
}
