// Normaliser throughput on one core: MB/s of UTF-8 input over a few MB of mixed chat-like text.
//   swift run -c release --package-path Benchmarks normalize-bench
// `--quick N` normalises the first N mixed messages once and prints only a checksum: run it under
// `valgrind --tool=callgrind` with two values of N; the difference in instructions divided by the
// difference in bytes is the instruction cost per byte, free of wall-clock noise and of setup.
// `--message TEXT` normalises TEXT a million times (for perf record).
// `--templates` prints the time per message for each distinct benchmark message.
#if canImport(Glibc)
import Glibc
#endif
import BenchmarkSupport
import ChildSafe

func measure(ascii: Bool, joined: Int = 1) {
  let normalizer = Normalizer()
  let single = chatLikeMessages(count: 60_000).filter { !ascii || $0.utf8.allSatisfy { $0 < 0x80 } }
  // `joined` > 1: texts made of that many messages, one per line (a chat log rather than one message).
  let messages = stride(from: 0, to: single.count, by: joined).map { single[$0..<min($0 + joined, single.count)].joined(separator: "\n") }
  let totalBytes = messages.reduce(0) { $0 + $1.utf8.count }
  var sink = 0
  // Warm-up (ICU data, fold and confusable tables).
  for m in messages.prefix(2000) { sink &+= (try? normalizer.normalize(m).tokens.count) ?? 0 }

  var best = Double.infinity
  for _ in 0..<5 {
    let t0 = nowNanoseconds()
    for m in messages { sink &+= (try? normalizer.normalize(m).tokens.count) ?? 0 }
    best = min(best, Double(nowNanoseconds() - t0) / 1e9)
  }
  var latencies: [Double] = []
  latencies.reserveCapacity(messages.count)
  for m in messages {
    let s = nowNanoseconds()
    sink &+= (try? normalizer.normalize(m).tokens.count) ?? 0
    latencies.append(Double(nowNanoseconds() - s) / 1000)
  }
  latencies.sort()
  let label = (ascii ? "ascii chat" : "mixed chat") + (joined > 1 ? ", \(joined) messages per text" : "")
  print("normalize (\(label)): \(messages.count) messages, \(totalBytes) bytes, mean \(totalBytes / messages.count) B/message")
  print("normalize (\(label)): best of 5 rounds \(fixed(Double(totalBytes) / 1e6 / best)) MB/s on one core")
  print("normalize (\(label)): per message median \(fixed(quantile(latencies, 0.5), 2)) us, p99 \(fixed(quantile(latencies, 0.99), 2)) us  (checksum \(sink))")
}

let arguments = CommandLine.arguments
if let flag = arguments.firstIndex(of: "--quick"), flag + 1 < arguments.count, let n = Int(arguments[flag + 1]) {
  let normalizer = Normalizer()
  let messages = chatLikeMessages(count: 60_000).prefix(n)
  var sink = 0
  for m in messages { sink &+= (try? normalizer.normalize(m).tokens.count) ?? 0 }
  print("normalize --quick \(n): \(messages.reduce(0) { $0 + $1.utf8.count }) bytes (checksum \(sink))")
  exit(0)
}

if let flag = arguments.firstIndex(of: "--message"), flag + 1 < arguments.count {
  // Normalises one message over and over (for `perf record` on one kind of text).
  let normalizer = Normalizer()
  let m = arguments[flag + 1]
  var sink = 0
  let t0 = nowNanoseconds()
  for _ in 0..<1_000_000 { sink &+= (try? normalizer.normalize(m).tokens.count) ?? 0 }
  print("\(fixed(Double(nowNanoseconds() - t0) / 1e6, 0)) ns per message (checksum \(sink))")
  exit(0)
}

if arguments.contains("--templates") {
  // Cost of each distinct benchmark message: shows which kinds of text dominate the mixed figure.
  let normalizer = Normalizer()
  var seen = Set<String>()
  var sink = 0
  for m in chatLikeMessages(count: 2_000) where seen.insert(m).inserted {
    for _ in 0..<2_000 { sink &+= (try? normalizer.normalize(m).tokens.count) ?? 0 }
    var best = Double.infinity
    for _ in 0..<5 {
      let t0 = nowNanoseconds()
      for _ in 0..<2_000 { sink &+= (try? normalizer.normalize(m).tokens.count) ?? 0 }
      best = min(best, Double(nowNanoseconds() - t0) / 2_000)
    }
    print("\(fixed(best, 0)) ns  \(fixed(Double(m.utf8.count) / best * 1000, 1)) MB/s  \(m)")
  }
  print("(checksum \(sink))")
  exit(0)
}

measure(ascii: false)
measure(ascii: true)
measure(ascii: false, joined: 64)
measure(ascii: true, joined: 64)
