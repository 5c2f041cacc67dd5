// Normaliser throughput on one core: MB/s of UTF-8 input over a few MB of mixed chat-like text.
import BenchmarkSupport
import ChildSafe

let normalizer = Normalizer()
let messages = chatLikeMessages(count: 60_000)
let totalBytes = messages.reduce(0) { $0 + $1.utf8.count }
var sink = 0
// Warm-up (ICU data, confusable table).
for m in messages.prefix(2000) { sink &+= (try? normalizer.normalize(m).tokens.count) ?? 0 }

var best = Double.infinity
var latencies: [Double] = []
for round in 0..<5 {
  let t0 = nowNanoseconds()
  for m in messages {
    if round == 0 {
      let s = nowNanoseconds()
      sink &+= (try? normalizer.normalize(m).tokens.count) ?? 0
      latencies.append(Double(nowNanoseconds() - s) / 1000)
    } else {
      sink &+= (try? normalizer.normalize(m).tokens.count) ?? 0
    }
  }
  let seconds = Double(nowNanoseconds() - t0) / 1e9
  best = min(best, seconds)
}
latencies.sort()
let mbps = Double(totalBytes) / 1e6 / best
print("normalize: \(messages.count) messages, \(totalBytes) bytes, mean \(totalBytes / messages.count) B/message")
print("normalize: best of 5 rounds \(fixed(mbps)) MB/s on one core (\(fixed(best * 1e3)) ms per round)")
print("normalize: latency per message median \(fixed(quantile(latencies, 0.5), 2)) us, p99 \(fixed(quantile(latencies, 0.99), 2)) us")
print("(checksum \(sink))")
