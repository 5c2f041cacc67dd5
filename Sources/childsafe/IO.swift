#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ChildSafe

enum StandardInput {
  /// Reads all of standard input as bytes (no UTF-8 check: callers report invalid input themselves).
  static func readAll() throws -> [UInt8] {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        throw ChildSafeError(.io, "cannot read standard input")
      }
      if n == 0 { break }
      bytes.append(contentsOf: chunk[0..<n])
    }
    return bytes
  }
}

/// Writes a line to standard error.
func printError(_ message: String) {
  var text = message
  text += "\n"
  _ = text.withCString { write(2, $0, strlen($0)) }
}
