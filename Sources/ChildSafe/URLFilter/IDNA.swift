import CChildSafeICU

/// UTS #46 processing of host names through ICU (nontransitional, as browsers do today).
public enum IDNA {
  /// The Punycode (ASCII) form of a UTF-8 host name, or nil when it is not a valid IDN.
  public static func toASCII(_ host: [UInt8]) -> [UInt8]? {
    convert(host, toASCII: true)
  }

  /// The Unicode form of a host name ("xn--" labels decoded), or nil when it is not valid.
  public static func toUnicode(_ host: [UInt8]) -> [UInt8]? {
    convert(host, toASCII: false)
  }

  static func convert(_ host: [UInt8], toASCII: Bool) -> [UInt8]? {
    if host.count > 4096 { return nil }
    var output = [UInt8](repeating: 0, count: max(64, host.count * 4 + 16))
    let needed = host.withUnsafeBufferPointer { source in
      output.withUnsafeMutableBufferPointer { target in
        source.withMemoryRebound(to: CChar.self) { src in
          target.withMemoryRebound(to: CChar.self) { dst in
            toASCII
              ? csicu_idna_to_ascii(src.baseAddress, Int32(src.count), dst.baseAddress, Int32(dst.count))
              : csicu_idna_to_unicode(src.baseAddress, Int32(src.count), dst.baseAddress, Int32(dst.count))
          }
        }
      }
    }
    guard needed >= 0, Int(needed) <= output.count else { return nil }
    return Array(output[0..<Int(needed)])
  }
}

/// Homograph detection on host names (UTS #39 through ICU).
///
/// A host is a homograph when one of its labels (the top-level domain excepted) mixes scripts beyond
/// what UTS #39 "highly restrictive" allows (Latin + Cyrillic, Latin + Greek...), holds invisible
/// characters or mixed digit systems, or is written in one non-Latin script and looks entirely like
/// Latin ("аррӏе" in Cyrillic). The last check is skipped when the top-level domain belongs to that
/// script's users (".рф", ".ru" for Cyrillic; ".ελ", ".gr" for Greek): there a Cyrillic or Greek name
/// is the normal case, as Chromium does too.
public enum HomographCheck {
  /// Top-level domains (ASCII form) under which a whole-script Cyrillic or Greek label is expected.
  static let cyrillicTLDs: Set<String> = [
    "xn--p1ai", "xn--90ais", "xn--d1alf", "xn--90a3ac", "xn--j1amh", "xn--80ao21a", "xn--90ae", "xn--p1acf",
    "xn--c1avg", "xn--80asehdb", "xn--80aswg", "xn--d1acj3b", "xn--80adxhks", "xn--j1aef", "xn--l1acc",
    "ru", "su", "ua", "by", "bg", "kz", "mk", "rs", "me", "ba", "kg", "tj", "mn", "uz",
  ]
  static let greekTLDs: Set<String> = ["xn--qxam", "xn--qxa6a", "gr", "cy"]

  /// True when some label starts with "xn--" (a byte scan: this runs on every URL).
  static func hasPunycodeLabel(_ host: String) -> Bool {
    // Read in place: `withUTF8` would need a copy of the String (a retain and a release).
    if let found = host.utf8.withContiguousStorageIfAvailable({ hasPunycodeLabel($0) }) { return found }
    var copy = host
    return copy.withUTF8 { hasPunycodeLabel($0) }
  }

  /// The same, over the host's bytes.
  static func hasPunycodeLabel(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    // Each label's first four bytes, label after label: a label's start is never skipped, so
    // "x.xn--…" is found like "a.xn--…" (a scan that consumed the byte after an "x" missed it).
    var start = 0
    let count = bytes.count
    while start < count {
      if count - start >= 4 && bytes[start] == UInt8(ascii: "x") && bytes[start + 1] == UInt8(ascii: "n")
        && bytes[start + 2] == UInt8(ascii: "-") && bytes[start + 3] == UInt8(ascii: "-")
      {
        return true
      }
      guard let dot = UnsafeBufferPointer(rebasing: bytes[start...]).firstIndex(of: UInt8(ascii: ".")) else {
        return false
      }
      start += dot + 1
    }
    return false
  }

  /// True when the canonical (ASCII) host looks like a homograph attack. IP addresses never are.
  public static func isHomograph(asciiHost host: String) -> Bool {
    // Only hosts with Punycode labels can hold non-ASCII characters after canonicalisation.
    guard hasPunycodeLabel(host) else { return false }
    guard let unicode = IDNA.toUnicode(Array(host.utf8)) else { return true }  // undecodable Punycode
    var labels = unicode.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: true)
    let asciiLabels = host.split(separator: ".")
    let tld = asciiLabels.last.map(String.init) ?? ""
    if labels.count > 1 { labels.removeLast() }
    for label in labels where label.contains(where: { $0 >= 0x80 }) {
      var script: Int32 = 0
      let flags = label.withUnsafeBufferPointer { buffer in
        buffer.withMemoryRebound(to: CChar.self) { csicu_label_spoof($0.baseAddress, Int32($0.count), &script) }
      }
      if flags < 0 { return true }
      if flags & Int32(CSICU_SPOOF_MIXED_SCRIPT) != 0 { return true }
      if flags & Int32(CSICU_SPOOF_INVISIBLE) != 0 { return true }
      if flags & Int32(CSICU_SPOOF_MIXED_NUMBERS) != 0 { return true }
      if flags & Int32(CSICU_SPOOF_WHOLE_SCRIPT_LATIN) != 0 {
        let expected =
          (script == Int32(CSICU_SCRIPT_CYRILLIC) && cyrillicTLDs.contains(tld))
          || (script == Int32(CSICU_SCRIPT_GREEK) && greekTLDs.contains(tld))
        if !expected { return true }
      }
    }
    return false
  }
}
