/// The line-based `key = value` text shared by the defaults files (Rules/defaults/*.defaults) and
/// family policy files: `#` comments, `[section name]` headers, an optional `!` override marker
/// before a key. Everything keeps its line and column so that errors point at the exact spot.

/// A piece of one line and the 1-based column where it starts.
package struct ConfigToken: Sendable, Hashable {
  package var scalars: [Unicode.Scalar]
  package var line: Int
  package var column: Int

  package init(scalars: [Unicode.Scalar], line: Int, column: Int) {
    self.scalars = scalars
    self.line = line
    self.column = column
  }

  package var text: String {
    var view = String.UnicodeScalarView()
    view.append(contentsOf: scalars)
    return String(view)
  }

  package var isEmpty: Bool { scalars.isEmpty }

  package func location(in file: String) -> SourceLocation { SourceLocation(file: file, line: line, column: column) }

  package static func isSpace(_ scalar: Unicode.Scalar) -> Bool { scalar == " " || scalar == "\t" }

  /// The token without leading and trailing spaces or tabs (columns adjusted).
  package func trimmed() -> ConfigToken {
    var start = 0
    var end = scalars.count
    while start < end && ConfigToken.isSpace(scalars[start]) { start += 1 }
    while end > start && ConfigToken.isSpace(scalars[end - 1]) { end -= 1 }
    return ConfigToken(scalars: Array(scalars[start..<end]), line: line, column: column + start)
  }

  /// The pieces between `separator`s, each trimmed; empty pieces are kept so callers can report them.
  package func split(_ separator: Unicode.Scalar) -> [ConfigToken] {
    var pieces: [ConfigToken] = []
    var start = 0
    for (i, scalar) in scalars.enumerated() where scalar == separator {
      pieces.append(ConfigToken(scalars: Array(scalars[start..<i]), line: line, column: column + start).trimmed())
      start = i + 1
    }
    pieces.append(ConfigToken(scalars: Array(scalars[start...]), line: line, column: column + start).trimmed())
    return pieces
  }

  /// The same text lowercased (ASCII only: keys and keywords are ASCII).
  package var lowercased: String {
    var view = String.UnicodeScalarView()
    for scalar in scalars {
      if scalar.value >= 0x41 && scalar.value <= 0x5A, let lower = Unicode.Scalar(scalar.value + 32) {
        view.append(lower)
      } else {
        view.append(scalar)
      }
    }
    return String(view)
  }
}

/// One meaningful line.
package enum ConfigLine: Sendable {
  /// `[kind name]`, e.g. `[family]` or `[child Sam]`.
  case section(kind: ConfigToken, name: ConfigToken?)
  /// `key = value`, or `!key = value` with the override marker.
  case entry(key: ConfigToken, marker: ConfigToken?, value: ConfigToken)
}

package enum ConfigText {
  /// Longest line accepted (bytes); longer lines are an error, not a slow path.
  package static let maximumLineLength = 8192
  /// Largest file accepted (bytes).
  package static let maximumSize = 1 << 20

  /// Splits `text` into meaningful lines. Each malformed line adds an error and is skipped, so a
  /// caller can report every problem at once; callers never apply a file that produced errors.
  package static func lines(_ text: String, file: String, errors: inout [ChildSafeError]) -> [ConfigLine] {
    if text.utf8.count > maximumSize {
      errors.append(ChildSafeError(.inputTooLarge, "\(file) is larger than \(maximumSize) bytes"))
      return []
    }
    var result: [ConfigLine] = []
    var lineNumber = 0
    // Split scalars, not Characters: "\r\n" is one Character and would hide the line break.
    for rawLine in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
      lineNumber += 1
      if String(String.UnicodeScalarView(rawLine)).utf8.count > maximumLineLength {
        errors.append(
          ChildSafeError(
            .inputTooLarge, "line is longer than \(maximumLineLength) bytes",
            at: SourceLocation(file: file, line: lineNumber, column: 1)))
        continue
      }
      var scalars = Array(rawLine)
      if scalars.last == "\r" { scalars.removeLast() }
      if lineNumber == 1 && scalars.first == "\u{FEFF}" { scalars.removeFirst() }
      // A '#' starts a comment at the start of a line or after a space, so "a#b" stays a value.
      if let hash = scalars.indices.first(where: { scalars[$0] == "#" && ($0 == 0 || ConfigToken.isSpace(scalars[$0 - 1])) }) {
        scalars.removeSubrange(hash...)
      }
      if let bad = scalars.firstIndex(where: { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F }) {
        let hex = String(scalars[bad].value, radix: 16, uppercase: true)
        errors.append(
          ChildSafeError(
            .syntax, "control character U+\(String(repeating: "0", count: 4 - hex.count))\(hex) is not allowed",
            at: SourceLocation(file: file, line: lineNumber, column: bad + 1)))
        continue
      }
      let token = ConfigToken(scalars: scalars, line: lineNumber, column: 1).trimmed()
      if token.isEmpty { continue }
      do {
        result.append(try parseLine(token, file: file))
      } catch {
        errors.append(error)
      }
    }
    return result
  }

  static func parseLine(_ token: ConfigToken, file: String) throws(ChildSafeError) -> ConfigLine {
    let s = token.scalars
    func at(_ index: Int) -> SourceLocation {
      SourceLocation(file: file, line: token.line, column: token.column + index)
    }
    if s[0] == "[" {
      guard let close = s.lastIndex(of: "]") else {
        throw ChildSafeError(.syntax, "expected ']' to close the section header", at: at(s.count))
      }
      if close != s.count - 1 {
        throw ChildSafeError(.syntax, "expected the end of the line after ']'", at: at(close + 1))
      }
      let inside = ConfigToken(scalars: Array(s[1..<close]), line: token.line, column: token.column + 1).trimmed()
      if inside.isEmpty {
        throw ChildSafeError(.syntax, "expected a section name such as [family] or [child NAME]", at: at(1))
      }
      let kindEnd = inside.scalars.firstIndex(where: ConfigToken.isSpace) ?? inside.scalars.count
      let kind = ConfigToken(scalars: Array(inside.scalars[..<kindEnd]), line: token.line, column: inside.column)
      var name = ConfigToken(
        scalars: Array(inside.scalars[kindEnd...]), line: token.line, column: inside.column + kindEnd
      ).trimmed()
      if name.scalars.count >= 2 && name.scalars.first == "\"" && name.scalars.last == "\"" {
        name = ConfigToken(scalars: Array(name.scalars.dropFirst().dropLast()), line: name.line, column: name.column + 1)
          .trimmed()
      }
      return .section(kind: kind, name: name.isEmpty ? nil : name)
    }
    var index = 0
    var marker: ConfigToken?
    if s[0] == "!" {
      marker = ConfigToken(scalars: ["!"], line: token.line, column: token.column)
      index = 1
      while index < s.count && ConfigToken.isSpace(s[index]) { index += 1 }
    }
    let keyStart = index
    while index < s.count && s[index] != "=" && !ConfigToken.isSpace(s[index]) { index += 1 }
    let key = ConfigToken(scalars: Array(s[keyStart..<index]), line: token.line, column: token.column + keyStart)
    if key.isEmpty {
      throw ChildSafeError(.syntax, "expected a setting name before '='", at: at(keyStart))
    }
    while index < s.count && ConfigToken.isSpace(s[index]) { index += 1 }
    guard index < s.count, s[index] == "=" else {
      throw ChildSafeError(.syntax, "expected '=' after '\(key.text)' (write: \(key.text) = value)", at: at(index))
    }
    let value = ConfigToken(scalars: Array(s[(index + 1)...]), line: token.line, column: token.column + index + 1)
      .trimmed()
    if value.isEmpty {
      throw ChildSafeError(.syntax, "expected a value after '\(key.text) ='", at: at(index + 1))
    }
    return .entry(key: key, marker: marker, value: value)
  }
}

/// Levenshtein distance, for "did you mean" suggestions on short names (also used by the
/// evaluation tools, hence `package`).
package enum EditDistance {
  package static func between(_ a: String, _ b: String) -> Int {
    let x = Array(a.unicodeScalars.prefix(64))
    let y = Array(b.unicodeScalars.prefix(64))
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var previous = Array(0...y.count)
    var current = [Int](repeating: 0, count: y.count + 1)
    for i in 1...x.count {
      current[0] = i
      for j in 1...y.count {
        let substitution = previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1)
        current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
      }
      swap(&previous, &current)
    }
    return previous[y.count]
  }

  /// The candidate closest to `word`, if it is close enough to be a likely typo.
  package static func suggestion(for word: String, among candidates: [String]) -> String? {
    let limit = max(2, word.unicodeScalars.count / 3)
    var best: (String, Int)?
    for candidate in candidates {
      let distance = between(word, candidate)
      if distance <= limit && distance < (best?.1 ?? Int.max) { best = (candidate, distance) }
    }
    return best?.0
  }

  /// " (did you mean 'x'?)" or "".
  package static func hint(for word: String, among candidates: [String]) -> String {
    suggestion(for: word, among: candidates).map { "; did you mean '\($0)'?" } ?? ""
  }
}
