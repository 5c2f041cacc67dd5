#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The lines of a list file (without their "\n"), read in blocks: a list is parsed while it is read,
/// and no more of it is in memory than a block or its longest line. Each line is checked to be
/// UTF-8: a "\n" byte is never part of a multi-byte sequence, so the lines are valid exactly when
/// the whole file is (what `FileSystem.readText` checks).
struct ListFileLines {
  let path: String
  /// The file's size when it was opened (a hint: to size what is built from it).
  let byteCount: Int
  private let fd: Int32
  /// Bytes read and not yet returned are `buffer[start..<end]`; no "\n" in `buffer[start..<scanned]`.
  private(set) var buffer: [UInt8]
  private var start = 0
  private var scanned = 0
  private var end = 0
  private var atEnd = false
  private var totalBytes = 0
  /// The 1-based number of the line last returned.
  private(set) var lineNumber = 0

  init(path: String, blockSize: Int = 1 << 16) throws(ChildSafeError) {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 { throw ChildSafeError(.io, "cannot open \(path): \(String(cString: strerror(errno)))") }
    var info = stat()
    if fstat(fd, &info) != 0 {
      let text = String(cString: strerror(errno))
      close(fd)
      throw ChildSafeError(.io, "cannot stat \(path): \(text)")
    }
    if (info.st_mode & S_IFMT) == S_IFDIR {
      close(fd)
      throw ChildSafeError(.io, "\(path) is a directory")
    }
    if Int(info.st_size) > FileSystem.maximumFileSize {
      close(fd)
      throw ChildSafeError(.inputTooLarge, "\(path) is larger than \(FileSystem.maximumFileSize) bytes")
    }
    self.path = path
    self.fd = fd
    byteCount = Int(info.st_size)
    buffer = [UInt8](repeating: 0, count: max(blockSize, 1))
  }

  /// Closes the file; call once, when done (also after an error).
  func closeFile() { close(fd) }

  /// The range in `buffer` of the next line, or nil at the end of the file. The range is valid
  /// until the next call.
  mutating func next() throws(ChildSafeError) -> Range<Int>? {
    guard let line = try nextUnchecked() else { return nil }
    try validate(line)
    return line
  }

  /// ``next()`` without the UTF-8 check: the caller checks the line with ``validate(_:)`` before
  /// it reads it as text (a line of ASCII name bytes needs no check).
  mutating func nextUnchecked() throws(ChildSafeError) -> Range<Int>? {
    while true {
      if let newline = findNewline() {
        let line = start..<newline
        start = newline + 1
        scanned = start
        lineNumber += 1
        return line
      }
      if atEnd {
        if start == end { return nil }
        let line = start..<end
        start = end
        scanned = end
        lineNumber += 1
        return line
      }
      try fill()
    }
  }

  private mutating func findNewline() -> Int? {
    let from = scanned
    let found = buffer.withUnsafeBufferPointer { bytes -> Int? in
      guard from < end, let base = bytes.baseAddress,
        let hit = memchr(base + from, 0x0A, end - from)
      else { return nil }
      return UnsafeRawPointer(hit) - UnsafeRawPointer(base)
    }
    if found == nil { scanned = end }
    return found
  }

  /// Moves the unread bytes to the front (growing the buffer when a line fills it) and reads more.
  private mutating func fill() throws(ChildSafeError) {
    if start > 0 {
      let (from, count) = (start, end - start)
      buffer.withUnsafeMutableBufferPointer { bytes in
        if count > 0 { (bytes.baseAddress!).update(from: bytes.baseAddress! + from, count: count) }
      }
      end = count
      scanned -= from
      start = 0
    }
    if end == buffer.count { buffer.append(contentsOf: repeatElement(0, count: buffer.count)) }
    let (offset, room) = (end, buffer.count - end)
    while true {
      let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + offset, room) }
      if n < 0 {
        if errno == EINTR { continue }
        throw ChildSafeError(.io, "cannot read \(path): \(String(cString: strerror(errno)))")
      }
      if n == 0 { atEnd = true }
      end += n
      totalBytes += n
      if totalBytes > FileSystem.maximumFileSize {
        throw ChildSafeError(.inputTooLarge, "\(path) is larger than \(FileSystem.maximumFileSize) bytes")
      }
      return
    }
  }

  /// Throws when the line (a range ``next()`` or ``nextUnchecked()`` returned) is not UTF-8.
  func validate(_ line: Range<Int>) throws(ChildSafeError) {
    let valid = buffer.withUnsafeBufferPointer { bytes in
      let slice = UnsafeBufferPointer(rebasing: bytes[line])
      return !slice.contains(where: { $0 >= 0x80 }) || String(validating: slice, as: UTF8.self) != nil
    }
    if !valid { throw ChildSafeError(.invalidUTF8, "\(path) is not valid UTF-8") }
  }
}
