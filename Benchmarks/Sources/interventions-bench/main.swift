// Figures for the deterrence hooks: time to build interventions from a verdict, to dispatch them
// through the rate limiter, and to classify a search query. Prints figures; asserts nothing.
import BenchmarkSupport
import ChildSafe

func measure(_ name: String, iterations: Int, _ body: (Int) -> Void) {
  var samples: [Double] = []
  samples.reserveCapacity(iterations)
  for i in 0..<iterations {
    let start = nowNanoseconds()
    body(i)
    samples.append(Double(nowNanoseconds() - start) / 1000)
  }
  samples.sort()
  print(
    "\(name): n=\(iterations) p50=\(quantile(samples, 0.5)) µs p99=\(quantile(samples, 0.99)) µs max=\(samples.last ?? 0) µs")
}

print("peak RSS at start: \(peakRSSBytes() / 1_048_576) MiB")
let engine = try InterventionEngine.defaults.with(InterventionConfiguration(locale: "de", country: "DE"))
let verdict = MessageVerdict(flagged: true, risk: .high, score: 0.8, categories: [.secrecy, .imageRequest], matches: [])
var sink = 0
measure("interventions(for:) chat, 3 audiences", iterations: 100_000) { i in
  let context = MessageContext(senderAge: 40, recipientAge: 11, conversationID: "c\(i % 1000)", timestamp: Double(i))
  sink &+= engine.interventions(for: verdict, context: context).count
}

print("peak RSS before the dispatcher: \(peakRSSBytes() / 1_048_576) MiB")
let dispatcher = InterventionDispatcher(rateLimit: RateLimit(maximumConversations: 10_000)) { _ in .shown }
let prepared = engine.interventions(for: verdict, context: MessageContext(senderAge: 40, recipientAge: 11, conversationID: "c"))
measure("dispatch (rate limiter, 50k conversations, cap 10k)", iterations: 200_000) { i in
  let conversation = "c\(i % 50_000)"
  sink &+= dispatcher.dispatch(prepared, conversation: conversation, time: Double(i)).count
}
print("tracked conversations after run: \(dispatcher.trackedConversations), peak RSS \(peakRSSBytes() / 1_048_576) MiB")

let queries = [
  "13th birthday party ideas", "teen book club", "nude beach france", "how to report child abuse",
  "child nudes", "kinder geburtstag spiele", "am I a paedophile help", "ricette per bambini facili e veloci",
]
let classifier = QueryClassifier.defaults
measure("QueryClassifier.classify (8 mixed queries)", iterations: 100_000) { i in
  if let v = try? classifier.classify(queries[i % queries.count]) { sink &+= v.categories.count }
}
print("(sink \(sink))")
