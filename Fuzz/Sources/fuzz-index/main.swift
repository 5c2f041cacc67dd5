import ChildSafe
import FuzzSupport

/// A valid compiled index with domains, URL prefixes, hashed entries and an allowlist.
let validIndex: [UInt8] = {
  var builder = URLListBuilder()
  builder.add(
    text: "example.com\n||ads.example.net^\nexample.org/private/\n10.0.0.1\n#! format: hashed\na8c2d5ea\n",
    file: "block.list", list: "block.list", category: "adult")
  builder.add(text: "ok.example.com\n", file: "allow.list", list: "allow.list", category: "allow")
  do { return try builder.build() } catch { fatalError("cannot build the seed index: \(error)") }
}()

let probes = [
  "http://example.com/", "https://a.b.ok.example.com/x", "ads.example.net/y?z", "http://example.org/private/a/b",
  "http://10.0.0.1/", "http://unlisted.test/",
]

/// The FNV-style checksum of the index format (URLIndex.checksum), so that mutations get past the
/// checksum and reach the structural checks behind it.
func checksum(_ bytes: [UInt8]) -> UInt64 {
  var h: UInt64 = 0x9E37_79B9_7F4A_7C15
  let words = bytes.count / 8
  for i in 0..<words {
    var w: UInt64 = 0
    if i != 3 { for k in 0..<8 { w |= UInt64(bytes[i * 8 + k]) << UInt64(8 * k) } }
    h = ((h << 23 | h >> 41) ^ w) &* 0xff51_afd7_ed55_8ccd
  }
  return h ^ UInt64(words)
}

/// Loads `bytes` as a compiled index file: the loader must refuse it with a `corrupt` (or io) error
/// or load it; a loaded index answers lookups (AddressSanitizer checks every read stays in the file).
func load(_ bytes: [UInt8]) {
  let path = scratchPath("index.idx")
  bytes.withUnsafeBufferPointer { writeScratchFile(path, $0) }
  let filter: URLFilter
  do { filter = try URLFilter(lists: [path], categories: nil, includeDefaults: false) } catch {
    return
  }
  _ = filter.availableCategories
  for url in probes { _ = filter.check(url) }
}

/// Mode by the first byte: even = the remaining bytes are the index file itself (arbitrary bytes,
/// mostly refused at the magic or checksum); odd = the bytes are patches (u16 offset, u8 value) to a
/// valid index whose checksum is then fixed, so that the structural checks see damaged sections.
@_cdecl("fuzz_index_main")
func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
  runFuzzer(argc, argv) { data, size in
    let input = Array(fuzzInput(data, size))
    guard let mode = input.first else { return 0 }
    if mode & 1 == 0 {
      load(Array(input.dropFirst()))
      return 0
    }
    var index = validIndex
    var k = 1
    while k + 2 < input.count {
      let offset = (Int(input[k]) | Int(input[k + 1]) << 8) % index.count
      index[offset] = input[k + 2]
      k += 3
    }
    if mode & 2 != 0 {
      let sum = checksum(index)
      for i in 0..<8 { index[24 + i] = UInt8(truncatingIfNeeded: sum >> UInt64(8 * i)) }
    }
    load(index)
    return 0
  }
}
