import ChildSafe

let engine = try SafetyEngine(.init(locale: "en", country: "GB"))      // or SafetyEngine.defaults
var session = engine.makeSession()                                      // one per conversation
let text = "ur so mature for ur age. dont tell ur parents about us ok?"
let result = try session.add(text, context: MessageContext(senderAge: 34, recipientAge: 12, conversationID: "c1"))
if result.verdict.flagged { /* hold or warn */ }
for intervention in result.interventions { /* show intervention.message to intervention.audience */ }
print(result.json(id: .string("m1")).serialized())                     // the `childsafe check --jsonl` line
let settings = AgeDefaults.settings(forAge: 14)                          // safety-by-design defaults
print(settings.json.serialized())
let url = engine.checkURL("http://example.com/")                        // blocked?, category, list, rule
print(url.blocked, url.reason)
