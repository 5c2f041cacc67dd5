/// Where in a file something went wrong: 1-based line and column.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
  public var file: String
  public var line: Int
  public var column: Int

  public init(file: String, line: Int, column: Int) {
    self.file = file
    self.line = line
    self.column = column
  }

  public var description: String { "\(file):\(line):\(column)" }
}

/// The one error type of the library: a stable code, a message for people, and, for errors in
/// files, where the problem is.
public struct ChildSafeError: Error, Sendable, Hashable, CustomStringConvertible {
  /// A stable, machine-readable error code. New codes may be added without breaking clients.
  public struct Code: Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    /// The input is not valid UTF-8.
    public static let invalidUTF8 = Code("invalid_utf8")
    /// The input is larger than the documented limit.
    public static let inputTooLarge = Code("input_too_large")
    /// A rule, list, policy or JSON text does not follow its grammar.
    public static let syntax = Code("syntax")
    /// A value is out of range or otherwise not allowed (age, time, category...).
    public static let invalidValue = Code("invalid_value")
    /// A caller passed an argument the API does not accept.
    public static let invalidArgument = Code("invalid_argument")
    /// A file could not be read or written.
    public static let io = Code("io")
    /// A compiled file is corrupt, truncated or of another format or version.
    public static let corrupt = Code("corrupt")
    /// ICU is missing or failed.
    public static let unicode = Code("unicode")
  }

  public var code: Code
  public var message: String
  public var location: SourceLocation?

  public init(_ code: Code, _ message: String, at location: SourceLocation? = nil) {
    self.code = code
    self.message = message
    self.location = location
  }

  public var description: String {
    if let location { return "\(location): error: \(message)" }
    return "error: \(message)"
  }
}
