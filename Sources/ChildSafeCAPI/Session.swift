import CChildSafe
import ChildSafe

/// What a cs_session handle points to: a SafetySession (running verdict, rate-limited
/// interventions; never text) and its hooks. Used by one thread at a time (the header says so).
final class SessionBox {
  let engine: EngineBox
  var session: SafetySession
  let relay: HookRelay
  let conversationID: String?
  var hook: InterventionHook?
  /// The conversation and time of the last message added: what cs_session_mute() counts from.
  var lastConversation: String?
  var lastTime: Double?

  init(engine: EngineBox, conversationID: String?) {
    self.engine = engine
    relay = HookRelay()
    session = engine.engine.makeSession(handler: relay)
    self.conversationID = conversationID
    lastConversation = conversationID
  }

  static func from(_ handle: OpaquePointer?) throws(CAPIFailure) -> SessionBox {
    guard let handle else { throw CAPIFailure.invalidArgument("session is NULL") }
    return Unmanaged<SessionBox>.fromOpaque(UnsafeRawPointer(handle)).takeUnretainedValue()
  }

  /// Adds a message. Nothing changes unless it succeeds (the session classifies before it records).
  /// The hook runs while a copy of the session is being updated, not the stored one, so a hook that
  /// calls back into the library (cs_session_mute, cs_session_verdict) cannot overlap an access to
  /// it; `self` is held strongly meanwhile.
  func add(
    _ text: UnsafePointer<CChar>?, _ length: Int, context given: MessageContext, hook callHook: InterventionHook?,
    line: JSONValue? = nil
  ) throws(CAPIFailure) -> CheckResult {
    let message = try Input.text(text, length, limit: Input.maxTextBytes, what: "text")
    var context = given
    if let conversationID { context.conversationID = conversationID }
    relay.current = callHook ?? hook
    defer { relay.current = nil }
    var next = session
    let result = try core { () throws(ChildSafeError) in
      // A context_json's "locale" or "lang" words the interventions, as in `childsafe check --jsonl`.
      var wording = next.engine.interventions
      if let line, let locale = try next.engine.lineLocale(line) { wording = try next.engine.worded(in: locale).interventions }
      return try next.add(message, context: context, wording: wording)
    }
    session = next
    lastConversation = context.conversationID
    if let time = context.timestamp { lastTime = time }
    return result
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
public func cs_session_mute(_ session: OpaquePointer?, _ audience: Int32, _ seconds: Double, _ messages: Int) -> Int32 {
  boundary { () throws(CAPIFailure) in
    let box = try SessionBox.from(session)
    let who: Audience
    switch UInt32(bitPattern: audience) {
    case CS_AUDIENCE_SENDER.rawValue: who = .sender
    case CS_AUDIENCE_RECIPIENT.rawValue: who = .recipient
    case CS_AUDIENCE_GUARDIAN.rawValue: who = .guardian
    default: throw CAPIFailure.invalidValue("audience \(audience) is not a cs_audience")
    }
    guard seconds.isFinite, seconds >= 0 else { throw CAPIFailure.invalidValue("seconds must be a finite number >= 0") }
    guard messages >= 0 else { throw CAPIFailure.invalidValue("messages must be >= 0") }
    box.session.mute(who, conversation: box.lastConversation, from: box.lastTime, seconds: seconds, messages: messages)
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
    let result = try box.add(text, len, context: context, hook: hook)
    if let out_verdict { out_verdict.pointee = try Results.verdict(result.verdict) }
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
    let (context, id, line) = try Input.contextObject(json: context_json)
    let result = try box.add(text, len, context: context, hook: nil, line: line)
    try CBlock.deliver(Results.json(result, id: id), to: out_json)
  }
}

@c @implementation
public func cs_session_verdict(
  _ session: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<cs_conversation_verdict>?>?
) -> Int32 {
  out?.pointee = nil
  return boundary { () throws(CAPIFailure) in
    guard let out else { throw CAPIFailure.invalidArgument("out is NULL") }
    out.pointee = try Results.conversation(SessionBox.from(session).session.verdict)
  }
}

@c @implementation
public func cs_session_verdict_json(
  _ session: OpaquePointer?, _ out_json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
  out_json?.pointee = nil
  return boundary { () throws(CAPIFailure) in
    guard let out_json else { throw CAPIFailure.invalidArgument("out_json is NULL") }
    try CBlock.deliver(Results.json(SessionBox.from(session).session.verdict), to: out_json)
  }
}
