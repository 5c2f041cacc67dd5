/// The classifier's measured quality, copied from docs/quality.md as data so that reports need no
/// Markdown parsing at run time. `QualityFiguresTests` checks every figure against docs/quality.md;
/// update both together when the figures are re-measured.
public struct QualityFigures: Sendable {
  /// One measured recall: a PAN-12 annotated grooming stage, the share of its predator turns the
  /// classifier flagged (adult sender, 13-year-old recipient, sealed test split), and the turns.
  public struct StageRecall: Sendable, Hashable {
    public var stage: String
    public var recall: Double
    public var turns: Int
  }

  /// The commit the figures were measured at, and where they are documented.
  public var commit: String
  public var document: String
  public var corpus: String
  /// Classifier category → the stage whose recall is its measured recall. The PAN-12 annotation is
  /// by stage, not by ChildSafe category, so categories of one stage share its figure.
  public var categoryStages: [String: String]
  public var stages: [StageRecall]
  /// Whole conversations (test split): (name, recall, false-alarm rate).
  public var conversations: [(name: String, recall: Double, falseAlarms: Double)]
  /// Benign real chat flagged, message level (test split): (corpus, rate).
  public var benignFlagged: [(name: String, rate: Double)]

  /// The measured recall for a classifier category, if the category maps to a measured stage.
  public func recall(for category: String) -> StageRecall? {
    guard let stage = categoryStages[category] else { return nil }
    return stages.first { $0.stage == stage }
  }

  public static let current = QualityFigures(
    commit: "8cb107a",
    document: "docs/quality.md",
    corpus: "PAN-12 predator turns, real chat, sealed test split; adult sender to a 13-year-old",
    categoryStages: [
      "sexual": "sexualisation", "image_request": "sexualisation",
      "meeting": "offline, meeting",
      "secrecy": "secrecy and isolation", "isolation": "secrecy and isolation",
      "platform_switch": "secrecy and isolation",
      "age_probe": "information gathering", "personal_info": "information gathering",
      "risk_check": "information gathering",
      "coercion": "control and coercion",
      "flattery": "trust building", "gifts": "trust building",
    ],
    stages: [
      StageRecall(stage: "sexualisation", recall: 0.560, turns: 25),
      StageRecall(stage: "offline, meeting", recall: 0.520, turns: 25),
      StageRecall(stage: "secrecy and isolation", recall: 0.318, turns: 22),
      StageRecall(stage: "information gathering", recall: 0.259, turns: 27),
      StageRecall(stage: "control and coercion", recall: 0.167, turns: 30),
      StageRecall(stage: "trust building", recall: 0.360, turns: 25),
    ],
    conversations: [
      ("English chat windows (PAN-12)", 0.526, 0.261),
      ("German conversations (PAN-12)", 0.286, 0.037),
    ],
    benignFlagged: [
      ("NPS chat rooms", 0.007), ("SMS", 0.010), ("chatterbot, 6 languages", 0.001),
    ])

  /// "56.0 %"
  public static func percent(_ value: Double) -> String {
    let tenths = Int((value * 1000).rounded())
    return "\(tenths / 10).\(tenths % 10) %"
  }
}
