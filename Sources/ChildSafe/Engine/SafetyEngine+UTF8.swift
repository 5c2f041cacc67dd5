/// Checking text given as UTF-8 bytes, for a stream that reads messages out of its input lines
/// without making a String of each (the String forms do the same from the String's bytes).
extension SafetyEngine {
  /// ``check(_:context:)`` for valid UTF-8.
  func check(validUTF8 text: UnsafeBufferPointer<UInt8>, context: MessageContext) throws(ChildSafeError) -> CheckResult {
    let verdict: MessageVerdict
    if context.context == .chat {
      verdict = try classifier.classify(utf8: text, context: context)
    } else {
      verdict = try classify(String(decoding: text, as: UTF8.self), context: context)
    }
    return CheckResult(
      verdict: verdict, conversation: nil, interventions: interventions.interventions(for: verdict, context: context))
  }
}

extension SafetySession {
  /// ``add(_:context:wording:)`` for valid UTF-8.
  mutating func add(validUTF8 text: UnsafeBufferPointer<UInt8>, context: MessageContext, wording: InterventionEngine)
    throws(ChildSafeError) -> CheckResult
  {
    let verdict: MessageVerdict
    if context.context == .chat {
      let (message, cues) = try engine.classifier.classifyReadingRoles(utf8: text, context: context)
      verdict = message
      tracker.record(verdict, cues: cues, context: context)
    } else {
      verdict = try engine.classify(String(decoding: text, as: UTF8.self), context: context)
      tracker.record(verdict, context: context)
    }
    return deliver(verdict, context: context, wording: wording)
  }
}
