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
  /// `beforeReading` runs whenever every line read so far has been answered and more input is
  /// about to be waited for (a stream flushes its answers there). A read error ends the input, as
  /// the end of input does.
  static func forEachLine(
    _ body: (_ line: ArraySlice<UInt8>, _ terminated: Bool) -> Void, beforeReading: () -> Void = {}
  ) {
    var pending: [UInt8] = []
    try? forEachChunk { chunk in
      var start = chunk.startIndex
      while let newline = chunk[start...].firstIndex(of: UInt8(ascii: "\n")) {
        if pending.isEmpty {
          body(chunk[start..<newline], true)
        } else {
          pending.append(contentsOf: chunk[start..<newline])
          body(pending[...], true)
          pending.removeAll(keepingCapacity: true)
        }
        start = newline + 1
      }
      pending.append(contentsOf: chunk[start...])
      beforeReading()
    }
    if !pending.isEmpty { body(pending[...], false) }
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

/// Answers of a stream, collected in one reused buffer and written to standard output in large writes.
struct StreamOutput {
  var buffer: [UInt8] = []

  init() { buffer.reserveCapacity(1 << 16) }

  mutating func append(_ value: JSONValue) {
    value.serialize(into: &buffer)
    buffer.append(UInt8(ascii: "\n"))
    flushIfFull()
  }

  /// Writes the buffer out once it holds 64 KiB (answers may be appended to `buffer` directly).
  mutating func flushIfFull() {
    if buffer.count >= 1 << 16 { flush() }
  }

  /// Writes everything collected (retrying short writes and EINTR); a closed pipe ends the output.
  mutating func flush() {
    var written = 0
    buffer.withUnsafeBytes { bytes in
      while written < bytes.count {
        let n = write(1, bytes.baseAddress! + written, bytes.count - written)
        if n < 0 {
          if errno == EINTR { continue }
          return
        }
        written += n
      }
    }
    buffer.removeAll(keepingCapacity: true)
  }
}

/// The process's arguments as the operating system passed them.
enum CommandLineArguments {
  /// Whether every argument is valid UTF-8 (`CommandLine.arguments` replaces invalid bytes with U+FFFD).
  static var areValidUTF8: Bool {
    for k in 0..<Int(CommandLine.argc) {
      guard let argument = CommandLine.unsafeArgv[k] else { continue }
      let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(argument).assumingMemoryBound(to: UInt8.self), count: strlen(argument))
      if String(validating: bytes, as: UTF8.self) == nil { return false }
    }
    return true
  }
}

/// Writes a line to standard error.
func printError(_ message: String) {
  var text = message
  text += "\n"
  _ = text.withCString { write(2, $0, strlen($0)) }
}
