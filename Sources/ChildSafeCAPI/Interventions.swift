import CChildSafe
import ChildSafe

/// An intervention on its way to a C hook. Ids, categories and wording only, never message text.
struct InterventionRecord: Equatable {
  var audience: String
  var kind: String
  var category: String?
  var risk: String
  var message: String?
  var signpostName: String?
  var signpostPhone: String?
  var signpostURL: String?
  var conversationID: String?
}

/// A C hook and its context pointer.
struct InterventionHook {
  var function: cs_intervention_fn
  var context: UnsafeMutableRawPointer?

  init?(_ function: cs_intervention_fn?, _ context: UnsafeMutableRawPointer?) {
    guard let function else { return nil }
    self.function = function
    self.context = context
  }
}

/// MINIMAL ADAPTER until the Swift InterventionEngine (issue 7) lands: a flagged chat message
/// gives the child a safety prompt; a flagged search query gives the searcher a deterrence
/// message. No rate limiting, locales or signposts yet. The lead replaces `interventions(for:)`
/// with the InterventionEngine; delivery (`deliver`) stays as it is.
enum Interventions {
  static func interventions(for verdict: MessageVerdict, context: MessageContext, conversationID: String?)
    -> [InterventionRecord]
  {
    guard verdict.flagged else { return [] }
    let category = verdict.categories.first?.name
    switch context.context {
    case .query:
      return [
        InterventionRecord(
          audience: "sender", kind: "deterrence", category: category, risk: verdict.risk.description,
          message: "This search may be for material that is illegal and harms children. Confidential, anonymous help is available.",
          conversationID: conversationID)
      ]
    case .chat:
      return [
        InterventionRecord(
          audience: "recipient", kind: "safety_prompt", category: category, risk: verdict.risk.description,
          message: "You have done nothing wrong. You can block and report this person, and talk to an adult you trust.",
          conversationID: conversationID)
      ]
    }
  }

  /// Calls `hook` once per record, synchronously. Each record lives in one block that is freed
  /// when the callback returns (the header says: valid only during the callback).
  static func deliver(_ records: [InterventionRecord], to hook: InterventionHook?) throws(CAPIFailure) {
    guard let hook else { return }
    for record in records {
      let strings = [
        record.audience, record.kind, record.category, record.risk, record.message, record.signpostName,
        record.signpostPhone, record.signpostURL, record.conversationID,
      ]
      var block = try CBlock(capacity: CBlock.room(cs_intervention.self) + CBlock.room(strings: strings))
      defer { cs_free(block.base) }
      guard let iv = block.allocate(cs_intervention.self) else { throw CAPIFailure.noMemory }
      iv.pointee = cs_intervention(
        audience: block.copy(record.audience), kind: block.copy(record.kind), category: block.copy(record.category),
        risk: block.copy(record.risk), message: block.copy(record.message),
        signpost_name: block.copy(record.signpostName), signpost_phone: block.copy(record.signpostPhone),
        signpost_url: block.copy(record.signpostURL), conversation_id: block.copy(record.conversationID))
      hook.function(iv, hook.context)
    }
  }
}
