import CChildSafe
import ChildSafe

/// Classifies one message for the C entry points; nothing thrown or trapped escapes.
func classifyMessage(
  _ engine: OpaquePointer?, _ text: UnsafePointer<CChar>?, _ length: Int, _ context: MessageContext,
  hook: InterventionHook?
) throws(CAPIFailure) -> MessageVerdict {
  let box = try EngineBox.from(engine)
  let message = try Input.text(text, length, limit: Input.maxTextBytes, what: "text")
  let verdict = try core { () throws(ChildSafeError) in try box.classifier.classify(message, context: context) }
  try Interventions.deliver(
    Interventions.interventions(for: verdict, context: context, conversationID: context.conversationID), to: hook)
  return verdict
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
    let verdict = try classifyMessage(engine, text, len, context, hook: hook)
    out.pointee = try Results.verdict(verdict)
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
    let context = try Input.context(json: context_json)
    let verdict = try classifyMessage(engine, text, len, context, hook: nil)
    try CBlock.deliver(Results.json(verdict.jsonMembers), to: out_json)
  }
}
