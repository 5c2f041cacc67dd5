import ChildSafe
import FuzzSupport

/// A filter with every kind of entry (domains, URL prefixes, hashed expressions, an allowlist), so
/// that each lookup path runs on every input.
let filter: URLFilter = {
  let path = scratchPath("url.list")
  let list = """
    #! category: adult
    example.com
    ||ads.example.net^
    example.org/private/
    example.org/search?q=x
    10.0.0.1
    #! format: hashed
    a8c2d5ea
    #! kind: allow
    #! format: auto
    ok.example.com
    """
  var bytes = Array(list.utf8)
  bytes.withUnsafeBufferPointer { writeScratchFile(path, $0) }
  do { return try URLFilter(lists: [path], categories: nil, includeDefaults: true) } catch {
    fatalError("cannot build the fuzzing filter: \(error)")
  }
}()

let reasons: Set<String> = ["blocklist", "allowlist", "hashed", "homograph", "not_listed", "invalid"]

/// Any bytes as a URL: canonicalisation returns a URL or a ChildSafeError; the canonical form is
/// printable ASCII, canonical again (canonical(canonical(x)) == canonical(x), same host), its lookup expressions are
/// bounded (at most 5 hosts x 6 paths); checking gives a known reason and never echoes the input
/// unless it was already canonical.
@_cdecl("fuzz_url_main")
func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
  runFuzzer(argc, argv) { data, size in
    let input = fuzzInput(data, size)
    guard let url = try? URLCanonicalizer.canonicalize(utf8: input) else { return 0 }
    let canonical = url.description
    precondition(canonical.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }, "canonical URL is not printable ASCII: \(canonical)")
    precondition(url.path.hasPrefix("/"), "canonical path does not start with /")
    guard let again = try? URLCanonicalizer.canonicalize(canonical) else {
      preconditionFailure("the canonical form \(canonical) is not a valid URL")
    }
    // The string is what the spec defines (and what is hashed); the host must not move either,
    // since host lookups are made on it. (The path/query split may: "%3F" in a path is a "?".)
    precondition(again.description == canonical, "canonicalisation is not idempotent: \(canonical) -> \(again.description)")
    precondition(again.host == url.host && again.hostIsIPAddress == url.hostIsIPAddress, "the host moved: \(canonical)")
    let hosts = LookupExpressions.hosts(url)
    let paths = LookupExpressions.paths(url)
    precondition(hosts.count >= 1 && hosts.count <= 5 && paths.count >= 1 && paths.count <= 6, "too many lookup expressions")
    precondition(LookupExpressions.expressions(url).count == hosts.count * paths.count, "expressions are not hosts x paths")
    let verdict = filter.check(canonical: url)
    precondition(reasons.contains(verdict.reason), "unknown reason \(verdict.reason)")
    precondition(verdict.canonical == canonical, "the verdict's canonical form differs")
    let viaString = filter.check(String(decoding: input, as: UTF8.self))
    _ = viaString
    return 0
  }
}
