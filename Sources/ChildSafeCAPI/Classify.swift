import CChildSafe
import ChildSafe

/// Checks one message with the engine (verdict + interventions, no rate limiting: no conversation
/// state) and hands the interventions to `hook`. Nothing thrown or trapped escapes.
func checkMessage(
  _ engine: OpaquePointer?, _ text: UnsafePointer<CChar>?, _ length: Int, _ context: MessageContext,
  hook: InterventionHook?, line: JSONValue? = nil
) throws(CAPIFailure) -> CheckResult {
  let box = try EngineBox.from(engine)
  let message = try Input.text(text, length, limit: Input.maxTextBytes, what: "text")
  let result = try core { () throws(ChildSafeError) in
    var engine = box.engine
    // A context_json's "locale" or "lang" words the interventions, as in `childsafe check --jsonl`.
    if let line, let locale = try engine.lineLocale(line) { engine = try engine.worded(in: locale) }
    return try engine.check(message, context: context)
  }
  if let hook {
    for intervention in result.interventions { _ = try hook.call(intervention) }
  }
  return result
}

@c @implementation
public func cs_classify(
  _ engine: OpaquePointer?, _ text: UnsafePointer<CChar>?, _ len: Int, _ ctx: UnsafePointer<cs_context>?,
  _ out: UnsafeMutablePointer<UnsafeMutablePointer<cs_verdict>?>?,
  _ errmsg: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
  out?.pointee = nil
  return boundary(errmsg) { () throws(CAPIFailure) in
    guard let out else { throw CAPIFailure.invalidArgument("out is NULL") }
    let context = try Input.context(ctx)
    let hook = ctx.flatMap { InterventionHook($0.pointee.on_intervention, $0.pointee.on_intervention_ctx) }
    let result = try checkMessage(engine, text, len, context, hook: hook)
    out.pointee = try Results.verdict(result.verdict)
  }
}

@c @implementation
public func cs_classify_json(
  _ engine: OpaquePointer?, _ text: UnsafePointer<CChar>?, _ len: Int, _ context_json: UnsafePointer<CChar>?,
  _ out_json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
  out_json?.pointee = nil
  return boundary { () throws(CAPIFailure) in
    guard let out_json else { throw CAPIFailure.invalidArgument("out_json is NULL") }
    let (context, id, line) = try Input.contextObject(json: context_json)
    let result = try checkMessage(engine, text, len, context, hook: nil, line: line)
    try CBlock.deliver(Results.json(result, id: id), to: out_json)
  }
}
