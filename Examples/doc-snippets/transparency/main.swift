// docs/assessment.md, "Transparency reports": its snippet after the stand-ins below, compiled and
// run by scripts/tests.d/doc-snippets.sh.
import ChildSafe

let engine = try SafetyEngine()
var session = engine.makeSession()
let text = "ur so mature for ur age. dont tell ur parents about us ok?"
let context = MessageContext(senderAge: 34, recipientAge: 12, conversationID: "c-1")
let url = "http://example.com/"

let counters = TransparencyCounters(granularity: .month)     // or .day
let result = try session.add(text, context: context)
counters.record(result, context: context)                    // after each message
counters.record(engine.checkURL(url))                        // after each URL
let december = counters.current()                            // the period in progress
let saved = december.json.serialized()                       // counts only; `childsafe transparency --counts`

print(saved)
