// docs/interventions.md, "How a host delivers": the snippet after the stand-ins below, compiled and
// run by scripts/tests.d/doc-snippets.sh. The stand-ins are what a host app provides: its UI, its
// notifications to a linked parent, the message, the search text and the clock.
struct StandInUI {
  func showInterstitial(_ message: String, help: Signpost?) { print("sender interstitial: \(message)") }
  func showSafetyPrompt(_ message: String, help: Signpost?) { print("child safety prompt: \(message)") }
}
struct StandInNotifications {
  func sendToLinkedParent(_ json: String) { print("guardian notification: \(json.utf8.count) bytes") }
}
let ui = StandInUI()
let notifications = StandInNotifications()
let text = "eres muy madura para tu edad. no le digas a tus padres, es nuestro secreto"
let searchText = "how to meet kids online"
let now = 1_700_000_000.0

import ChildSafe

let classifier = ClassifierEngine.defaults
let interventions = try InterventionEngine.defaults.with(
  InterventionConfiguration(locale: "es", country: "ES"))
let dispatcher = InterventionDispatcher { intervention in
  switch intervention.audience {
  case .sender: ui.showInterstitial(intervention.message, help: intervention.signpost)
  case .recipient: ui.showSafetyPrompt(intervention.message, help: intervention.signpost)
  case .guardian: notifications.sendToLinkedParent(intervention.json.serialized())
  }
  return .shown
}

var conversation = classifier.makeConversation()
let context = MessageContext(senderAge: 34, recipientAge: 11, conversationID: "room-1", timestamp: now)
let verdict = try conversation.add(text, context: context)
dispatcher.dispatch(
  interventions.interventions(for: verdict, conversation: conversation.verdict, context: context),
  conversation: context.conversationID, time: context.timestamp)

// A search box:
let query = MessageContext(senderAge: nil, context: .query)
let queryVerdict = try QueryClassifier.defaults.classify(searchText, context: query)
dispatcher.dispatch(interventions.interventions(for: queryVerdict, context: query), conversation: nil, time: now)
