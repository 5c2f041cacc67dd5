import ChildSafe

// SEAM (interventions, issue 7): `childsafe check --jsonl` verdicts carry an "interventions" array of
// {"audience", "kind", "message", "signpost"} when they fire. The daemon adds the same array to
// /v1/classify responses from here. Until the intervention API lands this returns none; the lead
// wires it to the hook engine (with the loaded family policy for locale, country and signposts).

enum Interventions {
  /// The interventions a verdict calls for, as JSON objects; never contains the message text.
  static func make(
    message: MessageVerdict, conversation: ConversationVerdict?, context: MessageContext, policy: DaemonPolicy?
  ) -> [JSONValue] {
    []
  }
}
