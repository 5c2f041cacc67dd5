import CChildSafe
import ChildSafe

/// A C hook and its context pointer.
struct InterventionHook {
  var function: cs_intervention_fn
  var context: UnsafeMutableRawPointer?

  init?(_ function: cs_intervention_fn?, _ context: UnsafeMutableRawPointer?) {
    guard let function else { return nil }
    self.function = function
    self.context = context
  }

  /// Hands one intervention to the hook as a cs_intervention record that lives in one block, freed
  /// when the callback returns (the header says: valid only during the callback). Ids, categories
  /// and wording only: an Intervention never holds message text.
  func call(_ intervention: Intervention) throws(CAPIFailure) -> InterventionResponse {
    let signpost = intervention.signpost
    let strings: [String?] = [
      intervention.audience.rawValue, intervention.kind.rawValue, intervention.category.name,
      intervention.risk.description, intervention.message, signpost?.name, nonEmpty(signpost?.phone),
      nonEmpty(signpost?.url), intervention.conversationID, intervention.locale, intervention.ageBand,
    ]
    var block = try CBlock(capacity: CBlock.room(cs_intervention.self) + CBlock.room(strings: strings))
    defer { cs_free(block.base) }
    guard let record = block.allocate(cs_intervention.self) else { throw CAPIFailure.noMemory }
    record.pointee = cs_intervention(
      audience: block.copy(strings[0]), kind: block.copy(strings[1]), category: block.copy(strings[2]),
      risk: block.copy(strings[3]), message: block.copy(strings[4]), signpost_name: block.copy(strings[5]),
      signpost_phone: block.copy(strings[6]), signpost_url: block.copy(strings[7]),
      conversation_id: block.copy(strings[8]), locale: block.copy(strings[9]), age_band: block.copy(strings[10]))
    switch UInt32(bitPattern: function(record, context)) {
    case CS_INTERVENTION_SUPPRESSED.rawValue: return .suppressed
    case CS_INTERVENTION_ACKNOWLEDGED.rawValue: return .acknowledged
    default: return .shown  // CS_INTERVENTION_SHOWN, and unknown values (the header says so)
    }
  }

  private func nonEmpty(_ string: String?) -> String? {
    guard let string, !string.isEmpty else { return nil }
    return string
  }
}

/// The InterventionHandler of one session: forwards each intervention the session's dispatcher
/// lets through (after rate limiting) to the C hook of the current call, and reports the hook's
/// answer back. Used by one thread at a time, like its session (the header says so), which is
/// what makes the unchecked Sendable conformance sound.
final class HookRelay: InterventionHandler, @unchecked Sendable {
  /// The hook for the call in progress: the context's, else the session's; nil: no hook, and an
  /// intervention the host gets in JSON counts as shown.
  var current: InterventionHook?

  func handle(_ intervention: Intervention) -> InterventionResponse {
    guard let current else { return .shown }
    // A record that cannot be allocated was not shown: it must not hold back the next one.
    return (try? current.call(intervention)) ?? .suppressed
  }
}
