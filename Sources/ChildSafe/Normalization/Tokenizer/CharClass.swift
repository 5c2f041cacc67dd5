import CChildSafeICU

/// Character classes of folded text, with an ASCII fast path.
enum CharClass: UInt8 {
  case letter, digit, mark, space, emoji, emojiModifier, ignorable, other

  @inline(__always)
  static func of(_ c: UInt32) -> CharClass {
    if c < 0x80 { return ascii(c) }
    return ScalarTable.charClass(c)
  }

  /// The class of an ASCII character.
  @inline(__always)
  static func ascii(_ c: UInt32) -> CharClass {
    switch c {
    case 0x61...0x7A, 0x41...0x5A: return .letter
    case 0x30...0x39: return .digit
    case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D: return .space
    default: return .other
    }
  }

  /// The class in a ``ScalarTable`` entry (bits 0-2). Every 3-bit value is a case (eight cases,
  /// `other` = 7, checked by a test), so no conversion can fail.
  @inline(__always)
  static func fromTable(_ entry: UInt8) -> CharClass {
    unsafeBitCast(entry & ScalarTable.classMask, to: CharClass.self)
  }

  /// The class of a non-ASCII scalar as ICU says (see ``ScalarTable``, which caches it).
  static func fromICU(_ c: UInt32) -> CharClass {
    switch csicu_char_class(c) {
    case Int32(CSICU_CHAR_LETTER): return .letter
    case Int32(CSICU_CHAR_DIGIT): return .digit
    case Int32(CSICU_CHAR_MARK): return .mark
    case Int32(CSICU_CHAR_SPACE): return .space
    case Int32(CSICU_CHAR_EMOJI): return .emoji
    case Int32(CSICU_CHAR_EMOJI_MODIFIER): return .emojiModifier
    case Int32(CSICU_CHAR_IGNORABLE): return .ignorable
    default: return .other
    }
  }
}
