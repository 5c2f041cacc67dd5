import ChildSafe

// The "interventions" array of /v1/classify answers, as `childsafe check --jsonl` prints it: present
// only when an intervention fires. The engine sees verdicts and context (ages, ids, time), never the
// message text, so no intervention can carry it.
//
// SEAM (family policy, issue 6): the engine's configuration (locale, country, signposts, thresholds)
// will come from the loaded policy; see DaemonPolicy.swift. Rate limiting (InterventionDispatcher) is
// left to the host, which sees every answer and knows what it has already shown.

enum Interventions {
  static func make(
    message: MessageVerdict, conversation: ConversationVerdict?, context: MessageContext,
    configuration: ServiceConfiguration
  ) -> [JSONValue] {
    configuration.interventions.interventions(for: message, conversation: conversation, context: context).map(\.json)
  }
}
