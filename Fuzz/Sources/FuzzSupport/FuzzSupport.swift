/// libFuzzer's driver, called from each target's entry point. SwiftPM links an executable target's
/// entry point as `main`, so each target forwards to libFuzzer explicitly.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
  _ argc: UnsafeMutablePointer<Int32>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
  _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

public typealias FuzzCallback = @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32

public func runFuzzer(
  _ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ callback: FuzzCallback
) -> Int32 {
  var count = argc
  var vector = argv
  return LLVMFuzzerRunDriver(&count, &vector, callback)
}

/// The fuzz input as a buffer (libFuzzer may pass a null pointer for empty input).
public func fuzzInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> UnsafeBufferPointer<UInt8> {
  guard let data, size > 0 else { return UnsafeBufferPointer(start: nil, count: 0) }
  return UnsafeBufferPointer(start: data, count: size)
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Writes `bytes` to `path` (for targets whose library entry point takes a file path).
public func writeScratchFile(_ path: String, _ bytes: UnsafeBufferPointer<UInt8>) {
  let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
  precondition(fd >= 0, "cannot create the scratch file \(path)")
  var written = 0
  while written < bytes.count {
    let n = write(fd, bytes.baseAddress! + written, bytes.count - written)
    precondition(n > 0, "cannot write the scratch file \(path)")
    written += n
  }
  close(fd)
}

/// The scratch paths handed out, removed when the process exits. A fuzz target runs on one thread.
nonisolated(unsafe) private var scratchPaths: [String] = []

/// A per-process scratch path, so that parallel fuzzing jobs (-jobs=N) never share a file; the
/// file is removed when the process exits normally (a crash leaves it beside its reproducer).
public func scratchPath(_ name: String) -> String {
  let path = "/tmp/childsafe-fuzz-\(getpid())-\(name)"
  if scratchPaths.isEmpty {
    atexit {
      for path in scratchPaths { unlink(path) }
    }
  }
  if !scratchPaths.contains(path) { scratchPaths.append(path) }
  return path
}
