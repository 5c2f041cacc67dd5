import CChildSafe
import ChildSafe
import Glibc

/// A failure on its way to the C caller: a status code and a message for people.
/// Every entry point catches these; nothing thrown or trapped may cross the C boundary.
struct CAPIFailure: Error {
  var status: cs_status
  var message: String

  init(_ status: cs_status, _ message: String) {
    self.status = status
    self.message = message
  }

  /// Maps the core's error codes onto the stable C status codes.
  init(_ error: ChildSafeError) {
    let status: cs_status
    switch error.code {
    case .invalidUTF8: status = CS_ERR_INVALID_UTF8
    case .inputTooLarge: status = CS_ERR_TOO_LARGE
    case .syntax: status = CS_ERR_SYNTAX
    case .invalidValue: status = CS_ERR_INVALID_VALUE
    case .invalidArgument: status = CS_ERR_INVALID_ARGUMENT
    case .io: status = CS_ERR_IO
    case .corrupt: status = CS_ERR_CORRUPT
    case .unicode: status = CS_ERR_UNICODE
    default: status = CS_ERR_INTERNAL
    }
    self.init(status, error.description)
  }

  static func invalidArgument(_ message: String) -> CAPIFailure { CAPIFailure(CS_ERR_INVALID_ARGUMENT, message) }
  static func invalidValue(_ message: String) -> CAPIFailure { CAPIFailure(CS_ERR_INVALID_VALUE, message) }
  static let noMemory = CAPIFailure(CS_ERR_NO_MEMORY, "out of memory")
}

typealias ErrorMessageOut = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?

/// The C status code as the `int` the API returns.
@inline(__always) func code(_ status: cs_status) -> Int32 { Int32(truncatingIfNeeded: status.rawValue) }

/// Runs an entry point's body: clears `errmsg`, and turns a failure into its status and, when the
/// caller asked for one, a message it frees with cs_free().
func boundary(_ errmsg: ErrorMessageOut = nil, _ body: () throws(CAPIFailure) -> Void) -> Int32 {
  errmsg?.pointee = nil
  do {
    try body()
    return code(CS_OK)
  } catch {
    if let errmsg { errmsg.pointee = try? CBlock.string(error.message) }
    return code(error.status)
  }
}

/// Runs a core call, converting its typed error.
@inline(__always) func core<T>(_ body: () throws(ChildSafeError) -> T) throws(CAPIFailure) -> T {
  do { return try body() } catch { throw CAPIFailure(error) }
}
