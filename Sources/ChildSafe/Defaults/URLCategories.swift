/// The URL filter category names that age bands and family policies may block or allow, read from
/// `defaults/categories.txt` (one `name  description` per line). The URL filter's category lists
/// use the same names, so a band's `blocked_categories` can be handed to it directly.
public struct URLCategories: Sendable, Hashable {
  /// (name, description) in file order.
  public let entries: [(name: String, description: String)]

  public var names: [String] { entries.map(\.name) }

  public func contains(_ name: String) -> Bool { entries.contains { $0.name == name } }

  public static func == (a: URLCategories, b: URLCategories) -> Bool { a.names == b.names }
  public func hash(into hasher: inout Hasher) { hasher.combine(names) }

  /// Parses the categories file; names are lowercase letters, digits and '-'.
  public init(text: String, file: String = "defaults/categories.txt") throws(ChildSafeError) {
    var errors: [ChildSafeError] = []
    var found: [(String, String)] = []
    var lineNumber = 0
    for scalars in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
      let line = String(String.UnicodeScalarView(scalars))
      lineNumber += 1
      let content = line.prefix(while: { $0 != "#" })
      let words = content.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
      guard let first = words.first else { continue }
      let name = String(first)
      let valid = name.unicodeScalars.allSatisfy {
        ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
      }
      if !valid || name.count > 32 {
        errors.append(
          ChildSafeError(
            .syntax, "expected a category name of lowercase letters, digits and '-', found '\(name)'",
            at: SourceLocation(file: file, line: lineNumber, column: 1)))
        continue
      }
      if found.contains(where: { $0.0 == name }) {
        errors.append(
          ChildSafeError(.syntax, "category '\(name)' is listed twice", at: SourceLocation(file: file, line: lineNumber, column: 1)))
        continue
      }
      found.append((name, words.dropFirst().joined(separator: " ")))
    }
    if let first = errors.first { throw first }
    entries = found
  }

  init(entries: [(String, String)]) { self.entries = entries }

  /// These categories plus `extra` names (a family's own categories), without duplicates.
  func adding(_ extra: [String]) -> URLCategories {
    URLCategories(entries: entries + extra.filter { !contains($0) }.map { ($0, "declared by the family policy") })
  }
}
