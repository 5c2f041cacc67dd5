/// Splits catalog-style files into lines and finds `key = value` pairs, keeping 1-based line and
/// column numbers (columns count Unicode scalars) so that every error can point at its place.
struct CatalogLine {
  var number: Int
  /// The line's scalars (no line terminator).
  var scalars: [Unicode.Scalar]

  static func split(_ text: String) -> [CatalogLine] {
    var lines: [CatalogLine] = []
    var current: [Unicode.Scalar] = []
    var number = 1
    for scalar in text.unicodeScalars {
      if scalar == "\n" {
        if current.last == "\r" { current.removeLast() }
        lines.append(CatalogLine(number: number, scalars: current))
        current = []
        number += 1
      } else {
        current.append(scalar)
      }
    }
    if !current.isEmpty { lines.append(CatalogLine(number: number, scalars: current)) }
    return lines
  }

  static func isSpace(_ s: Unicode.Scalar) -> Bool { s == " " || s == "\t" || s == "\u{FEFF}" }

  /// True for empty lines and `#` comments.
  var isBlankOrComment: Bool {
    guard let first = scalars.firstIndex(where: { !CatalogLine.isSpace($0) }) else { return true }
    return scalars[first] == "#"
  }

  /// 0-based index of the first non-space scalar at or after `from`.
  func skipSpaces(from: Int) -> Int {
    var i = from
    while i < scalars.count && CatalogLine.isSpace(scalars[i]) { i += 1 }
    return i
  }

  /// Index just past the last non-space scalar.
  var trimmedEnd: Int {
    var end = scalars.count
    while end > 0 && CatalogLine.isSpace(scalars[end - 1]) { end -= 1 }
    return end
  }

  func text(_ range: Range<Int>) -> String {
    // Through UTF-8 bytes: appending scalars to a String one by one costs several times more, and
    // catalogs (every locale's messages) are read at every engine start.
    var bytes: [UInt8] = []
    bytes.reserveCapacity(range.count)
    for scalar in scalars[range] {
      if scalar.isASCII {
        bytes.append(UInt8(truncatingIfNeeded: scalar.value))
      } else {
        bytes.append(contentsOf: UTF8.encode(scalar)!)
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}

/// Splits `key = value`; returns the key, its column, and the value's start index (0-based), or nil
/// when the line has no `=`.
func splitKeyValue(_ line: CatalogLine) -> (key: String, keyColumn: Int, valueStart: Int)? {
  guard let equals = line.scalars.firstIndex(of: "=") else { return nil }
  let keyStart = line.skipSpaces(from: 0)
  var keyEnd = equals
  while keyEnd > keyStart && CatalogLine.isSpace(line.scalars[keyEnd - 1]) { keyEnd -= 1 }
  return (line.text(keyStart..<keyEnd), keyStart + 1, line.skipSpaces(from: equals + 1))
}

/// The known word closest to `word` (edit distance at most 3), for "did you mean" hints.
func closestWord(to word: String, in candidates: [String]) -> String? {
  var best: (String, Int)?
  let a = Array(word.unicodeScalars)
  for candidate in candidates {
    let b = Array(candidate.unicodeScalars)
    if abs(a.count - b.count) > 3 || a.count > 64 || b.count > 64 { continue }
    var previous = Array(0...b.count)
    for i in 1...max(a.count, 1) where !a.isEmpty {
      var row = [i] + Array(repeating: 0, count: b.count)
      for j in 1...max(b.count, 1) where !b.isEmpty {
        row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
      }
      previous = row
    }
    let distance = previous[b.count]
    if distance <= 3 && (best.map { distance < $0.1 } ?? true) { best = (candidate, distance) }
  }
  return best?.0
}
