// Huge list files (issue 10): a generated list of N lines (default 10M) mixing every format, with
// one malformed line in ten, written to a temporary directory, then loaded as `--lists FILE` does,
// compiled, and the compiled index loaded. Prints time and peak memory per step, and the time per
// line at N/10 and N lines measured in this run (flat when loading is linear). Never fails on time.
//
//   swift run -c release --package-path Benchmarks lists-bench [LINES]
#if canImport(Glibc)
import Glibc
#endif
import BenchmarkSupport
import ChildSafe

let lines = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 10_000_000 : 10_000_000

func listText(lines: Int) -> String {
  var text = ""
  text.reserveCapacity(lines * 26)
  for k in 0..<lines {
    switch k % 10 {
    case 0, 1, 2, 3: text += "site\(k).example\n"
    case 4: text += "0.0.0.0 ads\(k).example\n"
    case 5: text += "||ad\(k).example^\n"
    case 6: text += "example.org/p\(k)/\n"
    case 7: text += "#! category: cat\(k % 50)\n"
    case 8:
      let hex = String(k, radix: 16)
      text += String(repeating: "0", count: max(0, 8 - hex.count)) + hex + "\n"
    default: text += "not a domain \(k)\n"
    }
  }
  return text
}

var template = Array("/tmp/childsafe-lists-bench-XXXXXX".utf8CString)
guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else { fatalError("mkdtemp") }
let directory = String(cString: made)
defer { _ = system("rm -rf '\(directory)'") }

func seconds(_ start: UInt64) -> Double { Double(nowNanoseconds() - start) / 1e9 }

/// CPU time of this process, in seconds: on a shared machine wall time also counts other processes.
func cpuSeconds() -> Double {
  var t = timespec()
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
  return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

func measure(_ count: Int) throws -> Double {
  let path = directory + "/list-\(count).list"
  try FileSystem.writeFile(path, Array(listText(lines: count).utf8))
  let start = nowNanoseconds()
  let cpuStart = cpuSeconds()
  let filter = try URLFilter(lists: [path], categories: nil, includeDefaults: false)
  let wall = seconds(start)
  let elapsed = cpuSeconds() - cpuStart
  print("load \(count) lines: \(fixed(elapsed, 2)) s CPU (\(fixed(wall, 2)) s wall), \(fixed(elapsed / Double(count) * 1e9, 0)) ns/line, \(filter.entryCount) entries, \(filter.warnings.count) warnings, peak RSS \(peakRSSBytes() >> 20) MiB")
  if count == lines {
    var c = cpuSeconds()
    let compiled = try URLFilter.compile(lists: [path])
    print("compile: \(fixed(cpuSeconds() - c, 2)) s CPU, index \(compiled.index.count >> 20) MiB")
    let indexPath = directory + "/list.idx"
    try FileSystem.writeFile(indexPath, compiled.index)
    let t = nowNanoseconds()
    let mapped = try URLFilter(lists: [indexPath], categories: nil, includeDefaults: false)
    print("load compiled index: \(fixed(seconds(t) * 1000, 1)) ms, \(mapped.entryCount) entries")
    c = cpuSeconds()
    var blocked = 0
    for k in stride(from: 0, to: 1_000_000, by: 1) where mapped.check("http://www.site\(k * 10 % count).example/").blocked { blocked += 1 }
    print("1M checks against it: \(fixed(cpuSeconds() - c, 2)) s CPU, including building each URL string (\(blocked) blocked)")
  }
  return elapsed / Double(count)
}

let small = try measure(lines / 10)
let large = try measure(lines)
print("time per line at \(lines) / at \(lines / 10): \(fixed(large / small, 2))x (1 = linear; CPU time)")
