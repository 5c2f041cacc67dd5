#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import ChildSafe

/// `childsafe url`: checks URLs against the lists. URLs are echoed only on standard output, to the
/// user who passed them; they are never logged anywhere else.
struct URLCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "url",
    abstract: "Check URLs against category block lists, allowlists and hashed lists.",
    discussion: """
      Prints one JSON object per URL: {"url", "canonical", "host", "blocked", "category", "list", \
      "rule", "reason"} ("host": the host checked, as a browser reads the URL; "error" for reason \
      "invalid"). With no --lists the sample lists built into the library are used. A URL that cannot \
      be parsed is reported "invalid" and blocked unless --allow-invalid is given.
      """
  )

  @Argument(help: "URLs to check.")
  var urls: [String] = []

  @Flag(help: "Read standard input: one JSON object with \"url\" per line, or one plain URL per line.")
  var jsonl = false

  @Flag(help: "Print only the Safe Browsing canonical form of each URL.")
  var canonical = false

  @Option(name: .customLong("lists"), help: "A list file, UT1-style directory or compiled index (repeatable).")
  var lists: [String] = []

  @Flag(help: "Also use the built-in sample lists when --lists is given.")
  var withDefaults = false

  @Option(help: "Comma-separated categories to enable (default: all).")
  var categories: String?

  @Flag(help: "Do not block homograph host names (mixed-script or look-alike scripts).")
  var allowHomographs = false

  @Flag(help: "Do not block URLs that cannot be parsed (reason \"invalid\"); by default they are blocked.")
  var allowInvalid = false

  func run() throws {
    if canonical {
      var failed = false
      for url in urls {
        do { print(try URLCanonicalizer.canonicalize(url).description) } catch {
          printError("\(error)")
          failed = true
        }
      }
      if failed { throw ExitCode(1) }
      return
    }
    let enabled = categories.map { Set($0.split(separator: ",").map { $0.trimmingCharacters() }.filter { !$0.isEmpty }) }
    let filter: URLFilter
    do {
      filter = try URLFilter(
        lists: lists, categories: enabled, includeDefaults: lists.isEmpty || withDefaults, blockHomographs: !allowHomographs)
    } catch {
      printError("\(error)")
      throw ExitCode(1)
    }
    for warning in filter.warnings { printError("warning: \(warning)") }
    var output = BufferedOutput()
    // Read once: a property wrapper's getter costs hundreds of instructions, too much per URL.
    let allowInvalid = allowInvalid
    if jsonl {
      var lineNumber = 0
      var lines = LineReader()
      while let line = lines.next() {
        lineNumber += 1
        let bytes = line.trimmingBlanks()
        if bytes.isEmpty { continue }
        // Checked once, before anything is built from it (ASCII, nearly every URL, eight bytes at a time).
        if !bytes.withUnsafeBufferPointer({ UTF8Validation.isValid($0) }) {
          output.writeError(line: lineNumber, "line is not valid UTF-8")
          continue
        }
        let url: String
        if bytes.first == UInt8(ascii: "{") {
          do {
            // Only the "url" member is built: no JSON tree per line.
            let member = try bytes.withUnsafeBufferPointer { line in
              Result { () throws(ChildSafeError) in try JSONValue.stringMember("url", of: line) }
            }.get()
            guard let value = member else {
              throw ChildSafeError(.invalidArgument, "expected an object with a string \"url\"")
            }
            url = value
          } catch {
            output.writeError(line: lineNumber, (error as? ChildSafeError)?.message ?? "\(error)")
            continue
          }
        } else {
          // A plain line is handed over as bytes: a common URL needs no String.
          bytes.withUnsafeBufferPointer { output.writeVerdict(utf8: $0, filter, allowInvalid: allowInvalid) }
          continue
        }
        output.writeVerdict(url, filter, allowInvalid: allowInvalid)
      }
      output.flush()
      return
    }
    if urls.isEmpty { throw ValidationError("give URLs, or --jsonl to read them from standard input") }
    for url in urls { output.writeVerdict(url, filter, allowInvalid: allowInvalid) }
    output.flush()
  }
}

extension ArraySlice<UInt8> {
  /// Without leading and trailing spaces, tabs and carriage returns.
  func trimmingBlanks() -> ArraySlice<UInt8> {
    withUnsafeBufferPointer { bytes in
      func blank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D }
      var start = 0
      var end = bytes.count
      while start < end && blank(bytes[start]) { start += 1 }
      while end > start && blank(bytes[end - 1]) { end -= 1 }
      return self[(startIndex + start)..<(startIndex + end)]
    }
  }
}

/// Standard input split into lines (without "\n"), read in large blocks.
struct LineReader {
  var buffer: [UInt8] = []
  var start = 0
  var done = false

  mutating func next() -> ArraySlice<UInt8>? {
    while true {
      let from = start
      let found = buffer.withUnsafeBufferPointer { bytes -> Int? in
        guard from < bytes.count, let base = bytes.baseAddress, let hit = memchr(base + from, 0x0A, bytes.count - from) else {
          return nil
        }
        return UnsafeRawPointer(hit) - UnsafeRawPointer(base)
      }
      if let newline = found {
        let line = buffer[start..<newline]
        start = newline + 1
        return line
      }
      if done {
        if start < buffer.count {
          let line = buffer[start...]
          start = buffer.count
          return line
        }
        return nil
      }
      buffer.removeFirst(start)
      start = 0
      var chunk = [UInt8](repeating: 0, count: 1 << 16)
      let n = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
      if n < 0 && errno == EINTR { continue }
      if n <= 0 {
        done = true
      } else {
        buffer.append(contentsOf: chunk[0..<n])
      }
    }
  }
}

/// JSON lines written to standard output through one buffer (one write per 64 KiB, not per line).
struct BufferedOutput {
  var bytes: [UInt8] = []

  init() { bytes.reserveCapacity(1 << 17) }

  /// The verdict line of one URL, written by the library's JSON writer (the same escaping
  /// everywhere) without making the verdict where it can.
  mutating func writeVerdict(_ url: String, _ filter: URLFilter, allowInvalid: Bool) {
    filter.appendVerdictJSON(url: url, allowInvalid: allowInvalid, to: &bytes)
    endLine()
  }

  /// The same for a URL given as valid UTF-8.
  mutating func writeVerdict(utf8 url: UnsafeBufferPointer<UInt8>, _ filter: URLFilter, allowInvalid: Bool) {
    filter.appendVerdictJSON(utf8: url, allowInvalid: allowInvalid, to: &bytes)
    endLine()
  }

  mutating func writeError(line lineNumber: Int, _ message: String) {
    line(.object([("line", .int(lineNumber)), ("error", .string(message))]))
  }

  mutating func line(_ value: JSONValue) {
    value.serialize(into: &bytes)
    endLine()
  }

  mutating func endLine() {
    bytes.append(0x0A)
    if bytes.count >= 1 << 16 { flush() }
  }

  mutating func flush() {
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeBytes { write(1, $0.baseAddress! + offset, $0.count - offset) }
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { break }
      offset += n
    }
    bytes.removeAll(keepingCapacity: true)
  }
}

extension StringProtocol {
  func trimmingCharacters() -> String {
    var s = Substring(self)
    while let f = s.first, f == " " || f == "\t" || f == "\r" { s.removeFirst() }
    while let l = s.last, l == " " || l == "\t" || l == "\r" { s.removeLast() }
    return String(s)
  }
}
