import CChildSafe
import ChildSafe

/// Builders of the one-block result structs and of the JSON results (the CLI's schemas).
enum Results {
  static func verdict(_ v: MessageVerdict) throws(CAPIFailure) -> UnsafeMutablePointer<cs_verdict> {
    let names = v.categories.map(\.name)
    let matchStrings = v.matches.flatMap { [$0.rule, $0.category.name] }
    var block = try CBlock(
      capacity: CBlock.room(cs_verdict.self) + CBlock.room(cs_match.self, count: v.matches.count)
        + CBlock.room(UnsafePointer<CChar>?.self, count: names.count) + CBlock.room(strings: names + matchStrings))
    guard let result = block.allocate(cs_verdict.self) else { throw CAPIFailure.noMemory }
    let matches = block.allocate(cs_match.self, count: v.matches.count)
    for (index, match) in v.matches.enumerated() {
      matches?[index] = cs_match(
        rule: block.copy(match.rule), category: block.copy(match.category.name), weight: match.weight,
        start: max(0, match.start), end: max(0, match.end))
    }
    let categories = block.allocate(UnsafePointer<CChar>?.self, count: names.count)
    for (index, name) in names.enumerated() { categories?[index] = block.copy(name) }
    result.pointee = cs_verdict(
      flagged: v.flagged ? 1 : 0, risk: Int32(v.risk.rawValue), score: v.score, category_count: names.count,
      categories: categories.map { UnsafePointer($0) }, match_count: v.matches.count,
      matches: matches.map { UnsafePointer($0) })
    return result
  }

  static func conversation(_ v: ConversationVerdict) throws(CAPIFailure) -> UnsafeMutablePointer<cs_conversation_verdict> {
    let stages = v.stages.map(\.name)
    var block = try CBlock(
      capacity: CBlock.room(cs_conversation_verdict.self) + CBlock.room(UnsafePointer<CChar>?.self, count: stages.count)
        + CBlock.room(strings: stages))
    guard let result = block.allocate(cs_conversation_verdict.self) else { throw CAPIFailure.noMemory }
    let names = block.allocate(UnsafePointer<CChar>?.self, count: stages.count)
    for (index, name) in stages.enumerated() { names?[index] = block.copy(name) }
    result.pointee = cs_conversation_verdict(
      flagged: v.flagged ? 1 : 0, flagged_at: v.flaggedAt ?? -1, risk: Int32(v.risk.rawValue), score: v.score,
      stage_count: stages.count, stages: names.map { UnsafePointer($0) }, message_count: v.messageCount)
    return result
  }

  static func url(_ v: URLVerdict) throws(CAPIFailure) -> UnsafeMutablePointer<cs_url_verdict> {
    var block = try CBlock(
      capacity: CBlock.room(cs_url_verdict.self)
        + CBlock.room(strings: [v.canonical, v.category, v.list, v.rule, v.reason]))
    guard let result = block.allocate(cs_url_verdict.self) else { throw CAPIFailure.noMemory }
    result.pointee = cs_url_verdict(
      blocked: v.blocked ? 1 : 0, canonical: block.copy(v.canonical), category: block.copy(v.category),
      list: block.copy(v.list), rule: block.copy(v.rule), reason: block.copy(v.reason))
    return result
  }

  static func defaults(_ s: SafetySettings) throws(CAPIFailure) -> UnsafeMutablePointer<cs_defaults> {
    var block = try CBlock(capacity: CBlock.room(cs_defaults.self) + CBlock.room(strings: [s.band]))
    guard let result = block.allocate(cs_defaults.self) else { throw CAPIFailure.noMemory }
    result.pointee = cs_defaults(
      band: block.copy(s.band), age: Int32(clamping: s.age ?? -1), age_assured: s.ageAssured ? 1 : 0)
    return result
  }

  static func json(_ members: [(String, JSONValue)]) -> String { JSONValue.object(members).serialized() }

  /// The line `childsafe check --jsonl` writes for this result (CheckResult.json, "interventions"
  /// included), with "id" only when the caller's context_json had one.
  static func json(_ result: CheckResult, id: JSONValue?) -> String {
    let line = result.json(id: id ?? .null)
    guard id == nil, case .object(let members) = line, members.first?.0 == "id" else { return line.serialized() }
    return JSONValue.object(Array(members.dropFirst())).serialized()
  }

  /// A running conversation verdict as the CLI prints it (with "risky_sender").
  static func json(_ conversation: ConversationVerdict) -> String { json(VerdictJSON.conversation(conversation)) }
}
