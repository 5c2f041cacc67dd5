import CChildSafe
import ChildSafe

/// What a cs_session handle points to. Used by one thread at a time (the header says so).
final class SessionBox {
  let engine: EngineBox
  var tracker: ConversationTracker
  let conversationID: String?
  var hook: InterventionHook?

  init(engine: EngineBox, conversationID: String?) {
    self.engine = engine
    self.tracker = engine.classifier.makeConversation()
    self.conversationID = conversationID
  }

  static func from(_ handle: OpaquePointer?) throws(CAPIFailure) -> SessionBox {
    guard let handle else { throw CAPIFailure.invalidArgument("session is NULL") }
    return Unmanaged<SessionBox>.fromOpaque(UnsafeRawPointer(handle)).takeUnretainedValue()
  }

  /// Adds a message. The tracker is replaced only on success, so a failed call changes nothing.
  /// The hook runs after the state is updated and outside any access to it, so a hook that calls
  /// back into the library (even this session) is safe; `self` is held strongly meanwhile.
  func add(_ text: UnsafePointer<CChar>?, _ length: Int, context given: MessageContext, hook callHook: InterventionHook?)
    throws(CAPIFailure) -> MessageVerdict
  {
    let message = try Input.text(text, length, limit: Input.maxTextBytes, what: "text")
    var context = given
    if context.conversationID == nil { context.conversationID = conversationID }
    var next = tracker
    let verdict = try core { () throws(ChildSafeError) in try next.add(message, context: context) }
    tracker = next
    let records = Interventions.interventions(
      for: verdict, context: context, conversationID: conversationID ?? context.conversationID)
    try Interventions.deliver(records, to: callHook ?? hook)
    return verdict
  }
}

@c @implementation
public func cs_session_open(
  _ engine: OpaquePointer?, _ conversation_id: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<OpaquePointer?>?
) -> Int32 {
  out?.pointee = nil
  return boundary { () throws(CAPIFailure) in
    guard let out else { throw CAPIFailure.invalidArgument("out is NULL") }
    let box = try EngineBox.from(engine)
    let id = try Input.cString(conversation_id, limit: Input.maxIDBytes, what: "conversation_id")
    out.pointee = OpaquePointer(Unmanaged.passRetained(SessionBox(engine: box, conversationID: id)).toOpaque())
  }
}

@c @implementation
public func cs_session_close(_ session: OpaquePointer?) {
  guard let session else { return }
  Unmanaged<SessionBox>.fromOpaque(UnsafeRawPointer(session)).release()
}

@c @implementation
public func cs_session_set_intervention_hook(
  _ session: OpaquePointer?, _ fn: cs_intervention_fn?, _ ctx: UnsafeMutableRawPointer?
) -> Int32 {
  boundary { () throws(CAPIFailure) in
    try SessionBox.from(session).hook = InterventionHook(fn, ctx)
  }
}

@c @implementation
public func cs_session_add(
  _ session: OpaquePointer?, _ text: UnsafePointer<CChar>?, _ len: Int, _ ctx: UnsafePointer<cs_context>?,
  _ out_verdict: UnsafeMutablePointer<UnsafeMutablePointer<cs_verdict>?>?,
  _ errmsg: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
  out_verdict?.pointee = nil
  return boundary(errmsg) { () throws(CAPIFailure) in
    let box = try SessionBox.from(session)
    let context = try Input.context(ctx)
    let hook = ctx.flatMap { InterventionHook($0.pointee.on_intervention, $0.pointee.on_intervention_ctx) }
    let verdict = try box.add(text, len, context: context, hook: hook)
    if let out_verdict { out_verdict.pointee = try Results.verdict(verdict) }
  }
}

@c @implementation
public func cs_session_add_json(
  _ session: OpaquePointer?, _ text: UnsafePointer<CChar>?, _ len: Int, _ context_json: UnsafePointer<CChar>?,
  _ out_json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
  out_json?.pointee = nil
  return boundary { () throws(CAPIFailure) in
    let box = try SessionBox.from(session)
    let context = try Input.context(json: context_json)
    let verdict = try box.add(text, len, context: context, hook: nil)
    try CBlock.deliver(
      Results.json(verdict.jsonMembers + [("conversation", .object(box.tracker.verdict.jsonMembers))]), to: out_json)
  }
}

@c @implementation
public func cs_session_verdict(
  _ session: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<cs_conversation_verdict>?>?
) -> Int32 {
  out?.pointee = nil
  return boundary { () throws(CAPIFailure) in
    guard let out else { throw CAPIFailure.invalidArgument("out is NULL") }
    out.pointee = try Results.conversation(SessionBox.from(session).tracker.verdict)
  }
}

@c @implementation
public func cs_session_verdict_json(
  _ session: OpaquePointer?, _ out_json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
  out_json?.pointee = nil
  return boundary { () throws(CAPIFailure) in
    guard let out_json else { throw CAPIFailure.invalidArgument("out_json is NULL") }
    try CBlock.deliver(Results.json(SessionBox.from(session).tracker.verdict.jsonMembers), to: out_json)
  }
}
