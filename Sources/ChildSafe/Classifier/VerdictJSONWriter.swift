/// The answers of ``VerdictJSON`` written straight into a byte buffer, byte for byte as their
/// ``JSONValue`` serialises, without building it: a stream answers every line this way (a flagged
/// line with its interventions is 2–3 KB of JSON, and building its tree cost more than writing it).
extension VerdictJSON {
  /// Appends `result.json(id: id)` in compact form (see ``JSONValue/serialize(into:)``).
  public static func write(_ result: CheckResult, id: JSONValue, into out: inout [UInt8]) {
    var storage: [UInt8] = []
    write(result, id: id, into: &out, storage: &storage)
  }

  /// The same, written first into `storage` (grown to 8 KiB when smaller; a stream lends the same
  /// bytes for every line, so that no answer allocates).
  static func write(_ result: CheckResult, id: JSONValue, into out: inout [UInt8], storage: inout [UInt8]) {
    if storage.count < 8192 { storage = [UInt8](repeating: 0, count: 8192) }
    storage.withUnsafeMutableBufferPointer { buffer in
      var writer = ByteWriter(storage: buffer)
      write(result, id: id, to: &writer)
      out.append(contentsOf: writer.bytes)
      writer.releaseStorage()
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
    out.appendASCII(quoted(verdict.risk))
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
    out.appendASCII(quoted(verdict.risk))
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
    out.appendASCII(quoted(intervention.audience))
    out.appendASCII(",\"kind\":")
    out.appendASCII(quoted(intervention.kind))
    out.appendASCII(",\"category\":")
    JSONOutput.string(intervention.category.name, &out)
    out.appendASCII(",\"risk\":")
    out.appendASCII(quoted(intervention.risk))
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

  /// The JSON strings of the names that are fixed words, without escaping them each time (the
  /// tests check each against its escaped name).
  static func quoted(_ risk: RiskLevel) -> StaticString {
    switch risk {
    case .none: "\"none\""
    case .low: "\"low\""
    case .medium: "\"medium\""
    case .high: "\"high\""
    case .critical: "\"critical\""
    }
  }

  static func quoted(_ audience: Audience) -> StaticString {
    switch audience {
    case .sender: "\"sender\""
    case .recipient: "\"recipient\""
    case .guardian: "\"guardian\""
    }
  }

  static func quoted(_ kind: InterventionKind) -> StaticString {
    switch kind {
    case .deterrence: "\"deterrence\""
    case .safetyPrompt: "\"safety_prompt\""
    case .guardianNotice: "\"guardian_notice\""
    case .help: "\"help\""
    }
  }
}
