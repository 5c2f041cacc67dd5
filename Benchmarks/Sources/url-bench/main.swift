// URL filter benchmark: a generated list of 1M domains and 1M URLs (hits, misses, subdomains, paths).
// Prints compile time, index size, load time, memory, and median/p99 per URL check in-process.
// Writes the generated files to a work directory (argument 1, default /tmp/childsafe-url-bench) so that
// Benchmarks/scripts/url-compare.py can run the whole-process comparison with Brave's adblock engine.
//
//   swift run -c release --package-path Benchmarks url-bench [WORKDIR] [DOMAINS]
#if canImport(Glibc)
import Glibc
#endif
import BenchmarkSupport
import ChildSafe

let arguments = CommandLine.arguments
let workDirectory = arguments.count > 1 ? arguments[1] : "/tmp/childsafe-url-bench"
let domainCount = arguments.count > 2 ? Int(arguments[2]) ?? 1_000_000 : 1_000_000
let urlCount = 1_000_000
mkdir(workDirectory, 0o755)

var rng = SplitMix64(seed: 2026)
let letters = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)
let tlds = ["com", "net", "org", "info", "io", "co.uk", "de", "ru", "xyz", "example"]
@MainActor func label(_ length: Int) -> String {
  String(decoding: (0..<length).map { _ in letters[Int(rng.next() % UInt64(letters.count))] }, as: UTF8.self)
}
@MainActor func randomDomain() -> String {
  label(5 + Int(rng.next() % 10)) + "." + tlds[Int(rng.next() % UInt64(tlds.count))]
}

// The list: 1M distinct registrable domains.
var domains: [String] = []
domains.reserveCapacity(domainCount)
var seen: Set<String> = []
while domains.count < domainCount {
  let d = randomDomain()
  if seen.insert(d).inserted { domains.append(d) }
}
seen = []
var listText = ""
var adblockText = ""
listText.reserveCapacity(domainCount * 16)
adblockText.reserveCapacity(domainCount * 20)
for d in domains {
  listText += d + "\n"
  adblockText += "||" + d + "^\n"
}
let listPath = workDirectory + "/adult.list"
try FileSystem.writeFile(listPath, Array(listText.utf8))
try FileSystem.writeFile(workDirectory + "/adblock.txt", Array(adblockText.utf8))
listText = ""
adblockText = ""

// 1M URLs: 25% exact hits, 25% subdomain hits with paths, 50% misses (random domains, mostly unlisted).
let paths = ["/", "/index.html", "/a/b/c.html?x=1&y=2", "/videos/watch?v=abc123", "/img/logo.png", "/search?q=kids+games"]
var urls: [String] = []
urls.reserveCapacity(urlCount)
for i in 0..<urlCount {
  let path = paths[Int(rng.next() % UInt64(paths.count))]
  switch i % 4 {
  case 0: urls.append("http://" + domains[Int(rng.next() % UInt64(domains.count))] + path)
  case 1: urls.append("https://www." + domains[Int(rng.next() % UInt64(domains.count))] + path)
  default: urls.append("https://" + (i % 8 == 2 ? "cdn." : "") + randomDomain() + path)
  }
}
var urlText = ""
urlText.reserveCapacity(urlCount * 40)
for u in urls { urlText += u + "\n" }
try FileSystem.writeFile(workDirectory + "/urls.txt", Array(urlText.utf8))
urlText = ""
print("generated \(domains.count) domains and \(urls.count) URLs in \(workDirectory)")
domains = []

// Compile.
var start = nowNanoseconds()
let compiled = try URLFilter.compile(lists: [listPath])
let compileSeconds = Double(nowNanoseconds() - start) / 1e9
let indexPath = workDirectory + "/lists.idx"
try FileSystem.writeFile(indexPath, compiled.index)
print("compile: \(fixed(compileSeconds, 2)) s for \(compiled.entries) entries (parse + sort + serialise, in-process)")
print("index: \(compiled.index.count) bytes = \(fixed(Double(compiled.index.count) / Double(compiled.entries), 2)) bytes per entry")

// Load (mmap + checksum + validation), several times; take the median.
var loads: [Double] = []
var filter: URLFilter? = nil
for _ in 0..<5 {
  start = nowNanoseconds()
  filter = try URLFilter(lists: [indexPath], categories: nil, includeDefaults: false, blockHomographs: true)
  loads.append(Double(nowNanoseconds() - start) / 1e6)
}
loads.sort()
print("load: median \(fixed(quantile(loads, 0.5), 2)) ms (min \(fixed(loads[0], 2)) ms) for the \(compiled.entries)-entry index")
guard let filter else { fatalError() }

// Per-URL checks in-process.
var samples: [Double] = []
samples.reserveCapacity(urls.count)
var blocked = 0
for url in urls.prefix(20_000) { _ = filter.check(url) }  // warm-up
let wallStart = nowNanoseconds()
for url in urls {
  let t0 = nowNanoseconds()
  let verdict = filter.check(url)
  let t1 = nowNanoseconds()
  if verdict.blocked { blocked += 1 }
  samples.append(Double(t1 - t0))
}
let wall = Double(nowNanoseconds() - wallStart) / 1e9
samples.sort()
print("check: median \(fixed(quantile(samples, 0.5) / 1000, 2)) µs, p99 \(fixed(quantile(samples, 0.99) / 1000, 2)) µs, "
  + "mean \(fixed(wall / Double(urls.count) * 1e6, 2)) µs over \(urls.count) URLs (\(blocked) blocked)")
print("peak RSS of this benchmark process: \(peakRSSBytes() / 1_048_576) MiB (includes the generated strings)")
