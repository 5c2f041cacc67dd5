// A chunk (text between whitespace) that is a link, an e-mail address or a handle as a whole
// becomes one token; anything else is split into words (Words.swift).

extension Tokenizer {
  // MARK: Chunks

  mutating func chunk(_ start: Int, _ end: Int) {
    cost.add(2 * (end - start))
    var a = start
    var b = end
    // Wrapping punctuation never belongs to a link or address.
    while a < b, Tokenizer.isOpening(s[a]) { a += 1 }
    while b > a, Tokenizer.isClosing(s[b - 1]) { b -= 1 }
    if a < b, let kind = classifyWhole(a, b) {
      emit(from: a, to: b, kind: kind, single: false)
      return
    }
    words(start, end)
  }

  static func isOpening(_ c: UInt32) -> Bool {
    c == 0x28 || c == 0x5B || c == 0x7B || c == 0x22 || c == 0x27 || c == 0x3C || c == 0x2018 || c == 0x201C
  }

  static func isClosing(_ c: UInt32) -> Bool {
    switch c {
    case 0x2E, 0x2C, 0x21, 0x3F, 0x29, 0x5D, 0x7D, 0x22, 0x27, 0x3E, 0x3A, 0x3B, 0x2019, 0x201D: return true
    default: return false
    }
  }

  /// A chunk that is a URL, e-mail address or handle as a whole.
  mutating func classifyWhole(_ a: Int, _ b: Int) -> Token.Kind? {
    guard b - a >= 2 else { return nil }
    // Quick reject: links, addresses and handles all contain one of . @ : /
    var marked = false
    var ascii = true
    for k in a..<b {
      let c = s[k]
      if c == 0x2E || c == 0x40 || c == 0x3A || c == 0x2F { marked = true }
      if c >= 0x80 { ascii = false }
    }
    if !marked { return nil }
    for k in a..<b where s[k] >= 0x80 && tables.charClass(s[k]) != .letter && tables.charClass(s[k]) != .digit
      && tables.charClass(s[k]) != .mark
    {
      return nil
    }
    if s[a] == 0x40 {
      // @handle
      var ok = b - a >= 2
      for k in (a + 1)..<b {
        let c = s[k]
        if !(tables.charClass(c) == .letter || tables.charClass(c) == .digit || c == 0x5F || c == 0x2E) { ok = false }
      }
      // "@r3" and "@ny0n3" are leetspeak for "are" and "anyone", not handles.
      if ok && b - a <= Tokenizer.maximumGuidedLength && lexicon.contains(deLeet(slice(a, b))) { return nil }
      return ok ? .handle : nil
    }
    // Plain ASCII (no line breaks in a chunk): characters are scalars, so bytes can be compared.
    if ascii { return classifyASCII(a, b) }
    let text = string(a, b)
    if text.contains("://") || text.hasPrefix("www.") { return .url }
    if let at = text.firstIndex(of: "@") {
      let local = text[..<at]
      let domain = text[text.index(after: at)...]
      if !local.isEmpty, Tokenizer.isDomain(Substring(domain), requireKnownTLD: false) { return .email }
      return nil
    }
    let host = text.prefix(while: { $0 != "/" && $0 != ":" && $0 != "?" })
    if Tokenizer.isDomain(host, requireKnownTLD: true) { return .url }
    return nil
  }

  /// ``classifyWhole`` after the handle test, for an ASCII chunk, without building strings.
  mutating func classifyASCII(_ a: Int, _ b: Int) -> Token.Kind? {
    var at = -1
    for k in a..<b {
      let c = s[k]
      if c == 0x3A && k + 2 < b && s[k + 1] == 0x2F && s[k + 2] == 0x2F { return .url }  // "://"
      if c == 0x40 && at < 0 { at = k }
    }
    if b - a >= 4 && s[a] == 0x77 && s[a + 1] == 0x77 && s[a + 2] == 0x77 && s[a + 3] == 0x2E { return .url }  // "www."
    if at >= 0 {
      if at > a, isDomainASCII(at + 1, b, requireKnownTLD: false) { return .email }
      return nil
    }
    var hostEnd = a
    while hostEnd < b && s[hostEnd] != 0x2F && s[hostEnd] != 0x3A && s[hostEnd] != 0x3F { hostEnd += 1 }
    return isDomainASCII(a, hostEnd, requireKnownTLD: true) ? .url : nil
  }

  /// ``isDomain`` for ASCII scalars s[a..<b].
  mutating func isDomainASCII(_ a: Int, _ b: Int, requireKnownTLD: Bool) -> Bool {
    var labels = 1
    var labelStart = a
    var allSingle = true
    var lastLabelStart = a
    for k in a...b {
      if k == b || s[k] == 0x2E {
        let length = k - labelStart
        if length == 0 { return false }
        if length != 1 { allSingle = false }
        lastLabelStart = labelStart
        labelStart = k + 1
        if k < b { labels += 1 }
        continue
      }
      let c = s[k]
      let letter = (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A)
      if !(letter || (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x5F) { return false }
    }
    guard labels >= 2, !allSingle, b - lastLabelStart >= 2 else { return false }
    for k in lastLabelStart..<b {
      let c = s[k]
      if !((c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A)) { return false }
    }
    if requireKnownTLD { return Tokenizer.topLevelDomainKeys.contains(slice(lastLabelStart, b)) }
    return true
  }

  static func isDomain(_ host: Substring, requireKnownTLD: Bool) -> Bool {
    let labels = host.split(separator: ".", omittingEmptySubsequences: false)
    guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty }) else { return false }
    // "s.e.c.r.e.t" and "u.s.a" are words spelt out, not hosts.
    if labels.allSatisfy({ $0.count == 1 }) { return false }
    guard let tld = labels.last, tld.count >= 2, tld.allSatisfy({ $0.isLetter }) else { return false }
    for label in labels where !label.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) {
      return false
    }
    if requireKnownTLD { return topLevelDomains.contains(String(tld)) || tld.unicodeScalars.contains { $0.value >= 0x80 } }
    return true
  }
}
