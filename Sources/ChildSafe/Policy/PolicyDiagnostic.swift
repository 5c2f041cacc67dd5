/// A problem found in a family policy file: an error (the file is not applied) or a warning
/// (the file works, but probably not as the parent meant).
public struct PolicyDiagnostic: Sendable, Hashable, CustomStringConvertible {
  /// Whether the file is refused (`error`) or applied with a caution (`warning`).
  public enum Severity: String, Sendable, Hashable {
    case error, warning
  }

  public var severity: Severity
  /// Code, message and file:line:column.
  public var error: ChildSafeError

  public init(_ severity: Severity, _ error: ChildSafeError) {
    self.severity = severity
    self.error = error
  }

  public var location: SourceLocation? { error.location }
  public var message: String { error.message }

  /// `file:line:column: error: message`, the form compilers use, so editors can jump to it.
  public var description: String {
    if let location = error.location { return "\(location): \(severity.rawValue): \(error.message)" }
    return "\(severity.rawValue): \(error.message)"
  }
}
