#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ChildSafe

/// Standard input, read one way for every command: in chunks with read(2), retrying on EINTR.
enum StandardInput {
  /// Calls `body` with each chunk read until the end of input.
  static func forEachChunk(_ body: (ArraySlice<UInt8>) throws(ChildSafeError) -> Void) throws(ChildSafeError) {
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        throw ChildSafeError(.io, "cannot read standard input")
      }
      if n == 0 { return }
      try body(chunk[0..<n])
    }
  }

  /// Reads all of standard input as bytes (no UTF-8 check: callers report invalid input themselves);
  /// past `limit` bytes, fails with `tooLarge`.
  static func readAll(limit: Int = .max, tooLarge: @autoclosure () -> ChildSafeError = ChildSafeError(.inputTooLarge, "standard input is too large")) throws(ChildSafeError) -> [UInt8] {
    var bytes: [UInt8] = []
    try forEachChunk { chunk throws(ChildSafeError) in
      bytes.append(contentsOf: chunk)
      if bytes.count > limit { throw tooLarge() }
    }
    return bytes
  }

  /// Reads standard input line by line, answering each line before reading the next: `body` gets
  /// each line's bytes without its "\n", and whether a "\n" ended it (the last line may have none).
  /// A read error ends the input, as the end of input does.
  static func forEachLine(_ body: (_ line: [UInt8], _ terminated: Bool) -> Void) {
    var line: [UInt8] = []
    try? forEachChunk { chunk in
      for byte in chunk {
        if byte == UInt8(ascii: "\n") {
          body(line, true)
          line.removeAll(keepingCapacity: true)
        } else {
          line.append(byte)
        }
      }
    }
    if !line.isEmpty { body(line, false) }
  }
}

/// Reads standard input line by line (see ``StandardInput/forEachLine(_:)``), without a trailing
/// "\r". A line that is not valid UTF-8 is passed as nil (the caller answers with an error and goes on).
func forEachInputLine(_ body: (String?) -> Void) {
  StandardInput.forEachLine { line, _ in
    var line = line
    if line.last == UInt8(ascii: "\r") { line.removeLast() }
    body(String(validating: line, as: UTF8.self))
  }
}

/// Writes a line to standard error.
func printError(_ message: String) {
  var text = message
  text += "\n"
  _ = text.withCString { write(2, $0, strlen($0)) }
}
