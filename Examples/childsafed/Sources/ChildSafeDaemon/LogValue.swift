import ChildSafe
import Logging

/// Values that come from a client (request ids, conversation ids) or from files (error messages),
/// made safe for a log line: quoted as a JSON string, with every character outside printable ASCII
/// escaped (`\n`, `\u001b`, `\u202e`...), so that no value can end a line, forge another one, move
/// the terminal's cursor or reorder what a reader sees; and cut at a bound (the request validation
/// refuses longer ids before they get here; the cut is the log's own limit).
enum LogValue {
  /// Ids: the longest the API accepts.
  static let maximumBytes = 256
  /// Error messages (with their file and position) from configuration files.
  static let maximumErrorBytes = 2048

  static func quoted(_ text: String, limit: Int = maximumBytes) -> Logger.MetadataValue {
    .string(escaped(text, limit: limit))
  }

  static func error(_ error: some Error) -> Logger.MetadataValue {
    quoted("\(error)", limit: maximumErrorBytes)
  }

  /// A request's `id` (a string, a number or null) as JSON, quoted the same way.
  static func id(_ id: JSONValue) -> Logger.MetadataValue {
    if let text = id.stringValue { return quoted(text) }
    return .string(escaped(id.serialized(), quoting: false))
  }

  static func escaped(_ text: String, quoting: Bool = true, limit: Int = maximumBytes) -> String {
    var out = quoting ? "\"" : ""
    var bytes = 0
    for scalar in text.unicodeScalars {
      bytes += scalar.utf8.count
      if bytes > limit {
        out += "...(\(text.utf8.count) bytes)"
        break
      }
      switch scalar {
      case "\"": out += quoting ? "\\\"" : "\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case " "..."~": out.unicodeScalars.append(scalar)
      default:
        // UTF-16 units, as JSON writes them (a pair for scalars beyond the BMP).
        for unit in String(scalar).utf16 { out += "\\u" + hex4(unit) }
      }
    }
    return quoting ? out + "\"" : out
  }

  private static func hex4(_ unit: UInt16) -> String {
    let digits = String(unit, radix: 16)
    return String(repeating: "0", count: 4 - digits.count) + digits
  }
}
