/// The values a catalog message may refer to. Message text can only ever contain these and the
/// catalog's own wording: there is no placeholder for anything a user wrote.
public enum Placeholder: String, Sendable, Hashable, CaseIterable {
  case helplineName = "helpline_name"
  case helplinePhone = "helpline_phone"
  case helplineURL = "helpline_url"
  /// Phone and URL together ("0808 1000 900 / https://..."), whichever exist.
  case helplineContact = "helpline_contact"
  /// The category's label in the catalog's language (`category.NAME = label`), else its name.
  case category
  /// The risk level's label in the catalog's language (`risk.LEVEL = label`), else its name.
  case risk
  /// "0-5", "6-9", "10-12", "13-15" or "16-17"; empty when the age is unknown.
  case ageBand = "age_band"
}

/// A parsed catalog message: literal text and placeholders.
struct MessageTemplate: Sendable, Hashable {
  enum Part: Sendable, Hashable {
    case literal(String)
    case placeholder(Placeholder)
  }

  var parts: [Part]

  /// Parses the value of a catalog line starting at `start`. `{name}` is a placeholder, `{{` and `}}`
  /// are literal braces, `\n` is a line break and `\\` a backslash.
  static func parse(
    _ line: CatalogLine, from start: Int, file: String, allowed: Set<Placeholder>
  ) throws(ChildSafeError) -> MessageTemplate {
    var parts: [Part] = []
    var literal = ""
    var i = start
    let end = line.trimmedEnd
    func location(_ index: Int) -> SourceLocation { SourceLocation(file: file, line: line.number, column: index + 1) }
    func flush() {
      if !literal.isEmpty { parts.append(.literal(literal)) }
      literal = ""
    }
    while i < end {
      let s = line.scalars[i]
      switch s {
      case "{":
        if i + 1 < end && line.scalars[i + 1] == "{" {
          literal.append("{")
          i += 2
          continue
        }
        guard let close = line.scalars[(i + 1)..<end].firstIndex(of: "}") else {
          throw ChildSafeError(.syntax, "unclosed placeholder: expected '}' (write '{{' for a literal brace)", at: location(i))
        }
        let name = line.text((i + 1)..<close)
        guard let placeholder = Placeholder(rawValue: name) else {
          let known = Placeholder.allCases.map(\.rawValue)
          let hint = closestWord(to: name, in: known).map { "; did you mean {\($0)}?" } ?? ""
          throw ChildSafeError(
            .syntax, "unknown placeholder {\(name)}\(hint) (known: \(known.map { "{\($0)}" }.joined(separator: ", ")))",
            at: location(i))
        }
        guard allowed.contains(placeholder) else {
          throw ChildSafeError(.syntax, "placeholder {\(name)} is not allowed in this entry", at: location(i))
        }
        flush()
        parts.append(.placeholder(placeholder))
        i = close + 1
      case "}":
        guard i + 1 < end && line.scalars[i + 1] == "}" else {
          throw ChildSafeError(.syntax, "unmatched '}' (write '}}' for a literal brace)", at: location(i))
        }
        literal.append("}")
        i += 2
      case "\\":
        guard i + 1 < end else { throw ChildSafeError(.syntax, "'\\' at the end of a line", at: location(i)) }
        switch line.scalars[i + 1] {
        case "n": literal.append("\n")
        case "\\": literal.append("\\")
        default:
          throw ChildSafeError(.syntax, "unknown escape '\\\(line.scalars[i + 1])': expected \\n or \\\\", at: location(i))
        }
        i += 2
      default:
        // A run of plain text at once (most of a message).
        var j = i + 1
        while j < end, line.scalars[j] != "{", line.scalars[j] != "}", line.scalars[j] != "\\" { j += 1 }
        literal += line.text(i..<j)
        i = j
      }
    }
    flush()
    if parts.isEmpty { throw ChildSafeError(.syntax, "empty message: expected text after '='", at: location(start)) }
    return MessageTemplate(parts: parts)
  }

  func render(_ value: (Placeholder) -> String) -> String {
    var out = ""
    for part in parts {
      switch part {
      case .literal(let text): out += text
      case .placeholder(let p): out += value(p)
      }
    }
    return out
  }
}
