/// The answers of ``VerdictJSON`` written straight into a byte buffer, byte for byte as their
/// ``JSONValue`` serialises, without building it: a stream answers every line this way (a flagged
/// line with its interventions is 2–3 KB of JSON, and building its tree cost more than writing it).
extension VerdictJSON {
  /// Appends `result.json(id: id)` in compact form (see ``JSONValue/serialize(into:)``).
  public static func write(_ result: CheckResult, id: JSONValue, into out: inout [UInt8]) {
    ByteWriter.with { writer in
      write(result, id: id, to: &writer)
      out.append(contentsOf: writer.bytes)
    }
  }

  static func write(_ result: CheckResult, id: JSONValue, to out: inout ByteWriter) {
    out.appendASCII("{\"id\":")
    id.write(to: &out, indent: nil, level: 0)
    writeMembers(result.verdict, &out)
    if let conversation = result.conversation {
      out.appendASCII(",\"conversation\":")
      write(conversation, &out)
    }
    if !result.interventions.isEmpty {
      out.appendASCII(",\"interventions\":")
      JSONOutput.array(result.interventions, &out) { intervention, out in write(intervention, &out) }
    }
    out.appendByte(UInt8(ascii: "}"))
  }

  /// ``MessageVerdict/jsonMembers``, each preceded by a comma.
  static func writeMembers(_ verdict: MessageVerdict, _ out: inout ByteWriter) {
    out.appendASCII(",\"flagged\":")
    JSONOutput.bool(verdict.flagged, &out)
    out.appendASCII(",\"risk\":")
    JSONOutput.string(verdict.risk.description, &out)
    out.appendASCII(",\"score\":")
    JSONOutput.number(JSONRounding.round(verdict.score), &out)
    out.appendASCII(",\"categories\":")
    JSONOutput.array(verdict.categories, &out) { category, out in JSONOutput.string(category.name, &out) }
    out.appendASCII(",\"matches\":")
    JSONOutput.array(verdict.matches, &out) { match, out in
      out.appendASCII("{\"rule\":")
      JSONOutput.string(match.rule, &out)
      out.appendASCII(",\"category\":")
      JSONOutput.string(match.category.name, &out)
      out.appendASCII(",\"start\":")
      JSONOutput.int(match.start, &out)
      out.appendASCII(",\"end\":")
      JSONOutput.int(match.end, &out)
      out.appendASCII(",\"weight\":")
      JSONOutput.number(match.weight, &out)
      out.appendByte(UInt8(ascii: "}"))
    }
    if let model = verdict.model {
      out.appendASCII(",\"model\":")
      model.json.write(to: &out, indent: nil, level: 0)
    }
  }

  /// `.object(conversation(verdict))`.
  static func write(_ verdict: ConversationVerdict, _ out: inout ByteWriter) {
    out.appendASCII("{\"flagged\":")
    JSONOutput.bool(verdict.flagged, &out)
    out.appendASCII(",\"flagged_at\":")
    JSONOutput.int(verdict.flaggedAt, &out)
    out.appendASCII(",\"risk\":")
    JSONOutput.string(verdict.risk.description, &out)
    out.appendASCII(",\"score\":")
    JSONOutput.number(JSONRounding.round(verdict.score), &out)
    out.appendASCII(",\"stages\":")
    JSONOutput.array(verdict.stages, &out) { stage, out in JSONOutput.string(stage.name, &out) }
    out.appendASCII(",\"messages\":")
    JSONOutput.int(verdict.messageCount, &out)
    if let modelScore = verdict.modelScore {
      out.appendASCII(",\"model_score\":")
      JSONOutput.number(modelScore, &out)
      out.appendASCII(",\"model_sender\":")
      JSONOutput.string(verdict.modelSender, &out)
    }
    out.appendASCII(",\"risky_sender\":")
    JSONOutput.string(verdict.riskySender, &out)
    out.appendASCII(",\"pairing\":")
    JSONOutput.string(verdict.pairing.rawValue, &out)
    out.appendASCII(",\"age_conflict\":")
    JSONOutput.bool(verdict.ageConflict, &out)
    out.appendASCII(",\"participants\":")
    JSONOutput.array(verdict.participants, &out) { participant, out in write(participant, &out) }
    out.appendByte(UInt8(ascii: "}"))
  }

  /// `.object(participant(p))`.
  static func write(_ p: ParticipantSummary, _ out: inout ByteWriter) {
    out.appendASCII("{\"id\":")
    JSONOutput.string(p.id, &out)
    out.appendASCII(",\"role\":")
    JSONOutput.string(p.role.rawValue, &out)
    out.appendASCII(",\"stated_age\":")
    JSONOutput.int(p.statedAge, &out)
    out.appendASCII(",\"host_age\":")
    JSONOutput.int(p.hostAge, &out)
    out.appendASCII(",\"age_conflict\":")
    JSONOutput.bool(p.ageConflict, &out)
    out.appendASCII(",\"evidence\":")
    JSONOutput.array(p.evidence, &out) { evidence, out in
      out.appendASCII("{\"message\":")
      JSONOutput.int(evidence.message, &out)
      out.appendASCII(",\"cue\":")
      JSONOutput.string(evidence.cue.rawValue, &out)
      out.appendASCII(",\"age\":")
      JSONOutput.int(evidence.age, &out)
      out.appendASCII(",\"start\":")
      JSONOutput.int(evidence.start, &out)
      out.appendASCII(",\"end\":")
      JSONOutput.int(evidence.end, &out)
      out.appendByte(UInt8(ascii: "}"))
    }
    out.appendASCII(",\"stages\":")
    JSONOutput.array(p.stages, &out) { stage, out in
      out.appendASCII("{\"stage\":")
      JSONOutput.string(stage.stage.description, &out)
      out.appendASCII(",\"category\":")
      JSONOutput.string(stage.category.name, &out)
      out.appendASCII(",\"message\":")
      JSONOutput.int(stage.message, &out)
      out.appendASCII(",\"start\":")
      JSONOutput.int(stage.start, &out)
      out.appendASCII(",\"end\":")
      JSONOutput.int(stage.end, &out)
      out.appendByte(UInt8(ascii: "}"))
    }
    out.appendByte(UInt8(ascii: "}"))
  }

  /// `intervention.json`.
  static func write(_ intervention: Intervention, _ out: inout ByteWriter) {
    out.appendASCII("{\"audience\":")
    JSONOutput.string(intervention.audience.rawValue, &out)
    out.appendASCII(",\"kind\":")
    JSONOutput.string(intervention.kind.rawValue, &out)
    out.appendASCII(",\"category\":")
    JSONOutput.string(intervention.category.name, &out)
    out.appendASCII(",\"risk\":")
    JSONOutput.string(intervention.risk.description, &out)
    out.appendASCII(",\"message\":")
    JSONOutput.string(intervention.message, &out)
    out.appendASCII(",\"signpost\":")
    if let signpost = intervention.signpost {
      out.appendASCII("{\"name\":")
      JSONOutput.string(signpost.name, &out)
      out.appendASCII(",\"phone\":")
      JSONOutput.string(signpost.phone.isEmpty ? nil : signpost.phone, &out)
      out.appendASCII(",\"url\":")
      JSONOutput.string(signpost.url.isEmpty ? nil : signpost.url, &out)
      out.appendByte(UInt8(ascii: "}"))
    } else {
      out.appendASCII("null")
    }
    out.appendASCII(",\"conversation\":")
    JSONOutput.string(intervention.conversationID, &out)
    out.appendASCII(",\"time\":")
    JSONOutput.number(intervention.time, &out)
    out.appendByte(UInt8(ascii: "}"))
  }
}
