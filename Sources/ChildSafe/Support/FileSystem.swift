#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Minimal file access for the core, which imports no Foundation.
public enum FileSystem {
  /// Largest file the library reads into memory (rule packs, policies, lists). Compiled indexes are mapped, not read.
  public static let maximumFileSize = 512 * 1024 * 1024

  /// Reads a whole file.
  public static func readFile(_ path: String) throws(ChildSafeError) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 { throw ChildSafeError(.io, "cannot open \(path): \(errnoText())") }
    defer { close(fd) }
    var info = stat()
    if fstat(fd, &info) != 0 { throw ChildSafeError(.io, "cannot stat \(path): \(errnoText())") }
    if (info.st_mode & S_IFMT) == S_IFDIR { throw ChildSafeError(.io, "\(path) is a directory") }
    if Int(info.st_size) > maximumFileSize {
      throw ChildSafeError(.inputTooLarge, "\(path) is larger than \(maximumFileSize) bytes")
    }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(Int(info.st_size))
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        throw ChildSafeError(.io, "cannot read \(path): \(errnoText())")
      }
      if n == 0 { break }
      bytes.append(contentsOf: chunk[0..<n])
      if bytes.count > maximumFileSize {
        throw ChildSafeError(.inputTooLarge, "\(path) is larger than \(maximumFileSize) bytes")
      }
    }
    return bytes
  }

  /// Reads a whole file as UTF-8 text.
  public static func readText(_ path: String) throws(ChildSafeError) -> String {
    let bytes = try readFile(path)
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw ChildSafeError(.invalidUTF8, "\(path) is not valid UTF-8")
    }
    return text
  }

  /// Writes a whole file, replacing it atomically (write to a temporary name, then rename).
  public static func writeFile(_ path: String, _ bytes: [UInt8]) throws(ChildSafeError) {
    let temporary = path + ".tmp-\(getpid())"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    if fd < 0 { throw ChildSafeError(.io, "cannot create \(temporary): \(errnoText())") }
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
      if n < 0 {
        if errno == EINTR { continue }
        let text = errnoText()
        close(fd)
        unlink(temporary)
        throw ChildSafeError(.io, "cannot write \(path): \(text)")
      }
      offset += n
    }
    if close(fd) != 0 || rename(temporary, path) != 0 {
      let text = errnoText()
      unlink(temporary)
      throw ChildSafeError(.io, "cannot write \(path): \(text)")
    }
  }

  public static func isDirectory(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
  }

  public static func exists(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0
  }

  /// Names of the entries of a directory (no "." or ".."), sorted so that loading order is stable.
  public static func listDirectory(_ path: String) throws(ChildSafeError) -> [String] {
    guard let dir = opendir(path) else { throw ChildSafeError(.io, "cannot open directory \(path): \(errnoText())") }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
      // Read the name in place up to its NUL: copying the whole d_name array would read the
      // uninitialised bytes after it.
      guard let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name) else { continue }
      let name = String(cString: UnsafeRawPointer(entry).advanced(by: offset).assumingMemoryBound(to: CChar.self))
      if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
  }

  /// Joins two path components with one slash.
  public static func join(_ base: String, _ name: String) -> String {
    if base.isEmpty { return name }
    return base.hasSuffix("/") ? base + name : base + "/" + name
  }

  static func errnoText() -> String {
    guard let text = strerror(errno) else { return "error \(errno)" }
    return String(cString: text)
  }
}
