import ChildSafe

/// The readable form of a conversation verdict (`childsafe conversation --explain`): ids, roles,
/// ages, stages and byte spans, never message text.
enum ConversationExplain {
  static func text(id: JSONValue, _ verdict: ConversationVerdict) -> String {
    var lines: [String] = []
    let name = id.stringValue ?? id.intValue.map(String.init) ?? "(no id)"
    let flagged = verdict.flaggedAt.map { "flagged at message \($0)" } ?? "not flagged"
    lines.append("conversation \(name): \(flagged), risk \(verdict.risk), score \(verdict.score), \(verdict.messageCount) messages")
    lines.append("  pairing: \(verdict.pairing.rawValue)" + (verdict.riskySender.map { ", risky sender \($0)" } ?? ""))
    if let score = verdict.modelScore {
      lines.append("  model: best window score \(score)" + (verdict.modelSender.map { ", sender \($0)" } ?? ""))
    }
    if verdict.ageConflict { lines.append("  age conflict: the host's ages and what the conversation shows disagree") }
    if verdict.participants.count == 1 && verdict.participants[0].evidence.contains(where: { $0.age != nil }) {
      lines.append("  one sender id: the ages told may belong to either side")
    }
    for p in verdict.participants {
      var head = "  participant \(p.id ?? "(none)"): \(p.role.rawValue)"
      if let age = p.statedAge { head += ", shows age \(age)" }
      if let age = p.hostAge { head += ", host age \(age)" }
      if p.ageConflict { head += " (conflict)" }
      lines.append(head)
      for e in p.evidence {
        let age = e.age.map { " \($0)" } ?? ""
        lines.append("    role cue: \(e.cue.rawValue)\(age) in message \(e.message), bytes \(e.start)-\(e.end)")
      }
      for s in p.stages {
        lines.append("    stage \(s.stage): \(s.category) in message \(s.message), bytes \(s.start)-\(s.end)")
      }
    }
    return lines.joined(separator: "\n")
  }
}
