/// The answers of ``VerdictJSON`` written straight into a byte buffer, byte for byte as their
/// ``JSONValue`` serialises, without building it: a stream answers every line this way (a flagged
/// line with its interventions is 2–3 KB of JSON, and building its tree cost more than writing it).
extension VerdictJSON {
  /// Appends `result.json(id: id)` in compact form (see ``JSONValue/serialize(into:)``).
  public static func write(_ result: CheckResult, id: JSONValue, into out: inout [UInt8]) {
    JSONOutput.raw("{\"id\":", &out)
    id.serialize(into: &out)
    writeMembers(result.verdict, &out)
    if let conversation = result.conversation {
      JSONOutput.raw(",\"conversation\":", &out)
      write(conversation, &out)
    }
    if !result.interventions.isEmpty {
      JSONOutput.raw(",\"interventions\":", &out)
      JSONOutput.array(result.interventions, &out) { intervention, out in write(intervention, &out) }
    }
    out.append(UInt8(ascii: "}"))
  }

  /// ``MessageVerdict/jsonMembers``, each preceded by a comma.
  static func writeMembers(_ verdict: MessageVerdict, _ out: inout [UInt8]) {
    JSONOutput.raw(",\"flagged\":", &out)
    JSONOutput.bool(verdict.flagged, &out)
    JSONOutput.raw(",\"risk\":", &out)
    JSONOutput.string(verdict.risk.description, &out)
    JSONOutput.raw(",\"score\":", &out)
    JSONOutput.number(JSONRounding.round(verdict.score), &out)
    JSONOutput.raw(",\"categories\":", &out)
    JSONOutput.array(verdict.categories, &out) { category, out in JSONOutput.string(category.name, &out) }
    JSONOutput.raw(",\"matches\":", &out)
    JSONOutput.array(verdict.matches, &out) { match, out in
      JSONOutput.raw("{\"rule\":", &out)
      JSONOutput.string(match.rule, &out)
      JSONOutput.raw(",\"category\":", &out)
      JSONOutput.string(match.category.name, &out)
      JSONOutput.raw(",\"start\":", &out)
      JSONOutput.int(match.start, &out)
      JSONOutput.raw(",\"end\":", &out)
      JSONOutput.int(match.end, &out)
      JSONOutput.raw(",\"weight\":", &out)
      JSONOutput.number(match.weight, &out)
      out.append(UInt8(ascii: "}"))
    }
    if let model = verdict.model {
      JSONOutput.raw(",\"model\":", &out)
      model.json.serialize(into: &out)
    }
  }

  /// `.object(conversation(verdict))`.
  static func write(_ verdict: ConversationVerdict, _ out: inout [UInt8]) {
    JSONOutput.raw("{\"flagged\":", &out)
    JSONOutput.bool(verdict.flagged, &out)
    JSONOutput.raw(",\"flagged_at\":", &out)
    JSONOutput.int(verdict.flaggedAt, &out)
    JSONOutput.raw(",\"risk\":", &out)
    JSONOutput.string(verdict.risk.description, &out)
    JSONOutput.raw(",\"score\":", &out)
    JSONOutput.number(JSONRounding.round(verdict.score), &out)
    JSONOutput.raw(",\"stages\":", &out)
    JSONOutput.array(verdict.stages, &out) { stage, out in JSONOutput.string(stage.name, &out) }
    JSONOutput.raw(",\"messages\":", &out)
    JSONOutput.int(verdict.messageCount, &out)
    if let modelScore = verdict.modelScore {
      JSONOutput.raw(",\"model_score\":", &out)
      JSONOutput.number(modelScore, &out)
      JSONOutput.raw(",\"model_sender\":", &out)
      JSONOutput.string(verdict.modelSender, &out)
    }
    JSONOutput.raw(",\"risky_sender\":", &out)
    JSONOutput.string(verdict.riskySender, &out)
    JSONOutput.raw(",\"pairing\":", &out)
    JSONOutput.string(verdict.pairing.rawValue, &out)
    JSONOutput.raw(",\"age_conflict\":", &out)
    JSONOutput.bool(verdict.ageConflict, &out)
    JSONOutput.raw(",\"participants\":", &out)
    JSONOutput.array(verdict.participants, &out) { participant, out in write(participant, &out) }
    out.append(UInt8(ascii: "}"))
  }

  /// `.object(participant(p))`.
  static func write(_ p: ParticipantSummary, _ out: inout [UInt8]) {
    JSONOutput.raw("{\"id\":", &out)
    JSONOutput.string(p.id, &out)
    JSONOutput.raw(",\"role\":", &out)
    JSONOutput.string(p.role.rawValue, &out)
    JSONOutput.raw(",\"stated_age\":", &out)
    JSONOutput.int(p.statedAge, &out)
    JSONOutput.raw(",\"host_age\":", &out)
    JSONOutput.int(p.hostAge, &out)
    JSONOutput.raw(",\"age_conflict\":", &out)
    JSONOutput.bool(p.ageConflict, &out)
    JSONOutput.raw(",\"evidence\":", &out)
    JSONOutput.array(p.evidence, &out) { evidence, out in
      JSONOutput.raw("{\"message\":", &out)
      JSONOutput.int(evidence.message, &out)
      JSONOutput.raw(",\"cue\":", &out)
      JSONOutput.string(evidence.cue.rawValue, &out)
      JSONOutput.raw(",\"age\":", &out)
      JSONOutput.int(evidence.age, &out)
      JSONOutput.raw(",\"start\":", &out)
      JSONOutput.int(evidence.start, &out)
      JSONOutput.raw(",\"end\":", &out)
      JSONOutput.int(evidence.end, &out)
      out.append(UInt8(ascii: "}"))
    }
    JSONOutput.raw(",\"stages\":", &out)
    JSONOutput.array(p.stages, &out) { stage, out in
      JSONOutput.raw("{\"stage\":", &out)
      JSONOutput.string(stage.stage.description, &out)
      JSONOutput.raw(",\"category\":", &out)
      JSONOutput.string(stage.category.name, &out)
      JSONOutput.raw(",\"message\":", &out)
      JSONOutput.int(stage.message, &out)
      JSONOutput.raw(",\"start\":", &out)
      JSONOutput.int(stage.start, &out)
      JSONOutput.raw(",\"end\":", &out)
      JSONOutput.int(stage.end, &out)
      out.append(UInt8(ascii: "}"))
    }
    out.append(UInt8(ascii: "}"))
  }

  /// `intervention.json`.
  static func write(_ intervention: Intervention, _ out: inout [UInt8]) {
    JSONOutput.raw("{\"audience\":", &out)
    JSONOutput.string(intervention.audience.rawValue, &out)
    JSONOutput.raw(",\"kind\":", &out)
    JSONOutput.string(intervention.kind.rawValue, &out)
    JSONOutput.raw(",\"category\":", &out)
    JSONOutput.string(intervention.category.name, &out)
    JSONOutput.raw(",\"risk\":", &out)
    JSONOutput.string(intervention.risk.description, &out)
    JSONOutput.raw(",\"message\":", &out)
    JSONOutput.string(intervention.message, &out)
    JSONOutput.raw(",\"signpost\":", &out)
    if let signpost = intervention.signpost {
      JSONOutput.raw("{\"name\":", &out)
      JSONOutput.string(signpost.name, &out)
      JSONOutput.raw(",\"phone\":", &out)
      JSONOutput.string(signpost.phone.isEmpty ? nil : signpost.phone, &out)
      JSONOutput.raw(",\"url\":", &out)
      JSONOutput.string(signpost.url.isEmpty ? nil : signpost.url, &out)
      out.append(UInt8(ascii: "}"))
    } else {
      JSONOutput.raw("null", &out)
    }
    JSONOutput.raw(",\"conversation\":", &out)
    JSONOutput.string(intervention.conversationID, &out)
    JSONOutput.raw(",\"time\":", &out)
    JSONOutput.number(intervention.time, &out)
    out.append(UInt8(ascii: "}"))
  }
}
