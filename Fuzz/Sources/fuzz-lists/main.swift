import ChildSafe
import FuzzSupport

/// Any bytes as a list file, read once in each declared format (and in auto-detection): every bad
/// line is a located warning inside the file and never fails the load; the compiled index the
/// builder writes is one the loader accepts, with the same number of entries; checks against it
/// work.
@_cdecl("fuzz_lists_main")
func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
  runFuzzer(argc, argv) { data, size in
    let text = String(decoding: fuzzInput(data, size), as: UTF8.self)
    let lineCount = text.utf8.reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
    let indexPath = scratchPath("lists.idx")
    for format in ListFormat.allCases {
      var builder = URLListBuilder()
      let header = format == .auto ? "" : "#! format: \(format.rawValue)\n"
      builder.add(text: header + text, file: "fuzz.list", list: "fuzz", category: "adult")
      let extra = header.isEmpty ? 0 : 1
      for warning in builder.warnings {
        guard let location = warning.location else { preconditionFailure("an unlocated list warning: \(warning)") }
        precondition(location.line >= 1 && location.line <= lineCount + extra && location.column >= 1, "warning outside the file")
      }
      let index: [UInt8]
      do throws(ChildSafeError) { index = try builder.build() } catch {
        // Only a documented limit may stop a build: more than 4095 list and category names.
        precondition(error.code == .invalidValue && error.message.contains("names"), "build failed: \(error)")
        continue
      }
      index.withUnsafeBufferPointer { writeScratchFile(indexPath, $0) }
      let filter: URLFilter
      do { filter = try URLFilter(lists: [indexPath], categories: nil, includeDefaults: false) } catch {
        preconditionFailure("the loader refused an index the builder wrote: \(error)")
      }
      precondition(filter.entryCount == builder.entryCount, "entry count changed through the index")
      for line in text.split(separator: "\n").prefix(8) {
        _ = filter.check(String(line))
      }
    }
    return 0
  }
}
