/// What a conversation shows about one participant's age.
public enum InferredRole: String, Sendable, Hashable {
  case minor
  case adult
  case unknown
}

/// Who is talking to whom, as the conversation weighs it (host ages first, then what the
/// conversation itself shows).
public enum Pairing: String, Sendable, Hashable {
  /// An adult and a minor at least ``ScoringPolicy/pairingGap`` years younger.
  case adultToMinor = "adult_to_minor"
  /// Only adults.
  case adults
  /// Only minors (peers).
  case minors
  /// Not known.
  case unknown
}

/// The grooming stages, in the order a groomer usually goes through them.
public enum GroomingStage: Int, Sendable, Hashable, Comparable, CaseIterable, CustomStringConvertible {
  /// Trust and rapport: flattery, age talk, gifts.
  case rapport = 0
  /// Information and risk checks: where the child lives, whether parents are around.
  case riskAssessment
  /// Secrecy and isolation, moving to a private channel.
  case exclusivity
  /// Sexual talk, coercion.
  case sexualisation
  /// Meeting, images.
  case contact

  public static func < (a: GroomingStage, b: GroomingStage) -> Bool { a.rawValue < b.rawValue }

  public var description: String {
    switch self {
    case .rapport: "rapport"
    case .riskAssessment: "risk_assessment"
    case .exclusivity: "exclusivity"
    case .sexualisation: "sexualisation"
    case .contact: "contact"
    }
  }

  /// The stage of a category (rule packs' own categories count as sexualisation).
  public init(_ category: Category) {
    switch category {
    case .flattery, .ageProbe, .gifts: self = .rapport
    case .riskCheck, .personalInfo: self = .riskAssessment
    case .secrecy, .isolation, .platformSwitch: self = .exclusivity
    case .imageRequest, .meeting: self = .contact
    default: self = .sexualisation
    }
  }
}

/// One cue about a participant's age or role: which message, what kind, where (UTF-8 bytes).
public struct RoleEvidence: Sendable, Hashable {
  public var message: Int
  public var cue: RoleCue.Kind
  public var age: Int?
  public var start: Int
  public var end: Int

  public init(message: Int, cue: RoleCue.Kind, age: Int?, start: Int, end: Int) {
    self.message = message
    self.cue = cue
    self.age = age
    self.start = start
    self.end = end
  }
}

/// The first evidence of a grooming stage from one participant.
public struct StageEvidence: Sendable, Hashable {
  public var stage: GroomingStage
  public var category: Category
  public var message: Int
  public var start: Int
  public var end: Int

  public init(stage: GroomingStage, category: Category, message: Int, start: Int, end: Int) {
    self.stage = stage
    self.category = category
    self.message = message
    self.start = start
    self.end = end
  }
}

/// One participant as the conversation sees them: ids, ages and spans, never text.
public struct ParticipantSummary: Sendable, Hashable {
  /// The sender id the host gave (nil when messages had none).
  public var id: String?
  public var role: InferredRole
  /// The age the conversation shows for them (told by them or about them), if any.
  public var statedAge: Int?
  /// The age the host gave, if any.
  public var hostAge: Int?
  /// The host's age and what the conversation shows disagree (minor against adult).
  public var ageConflict: Bool
  /// The first cues behind `role` (at most ``ParticipantSummary/maximumEvidence``).
  public var evidence: [RoleEvidence]
  /// The first evidence of each stage this participant reached, in stage order.
  public var stages: [StageEvidence]

  public static let maximumEvidence = 6

  public init(
    id: String?, role: InferredRole, statedAge: Int?, hostAge: Int?, ageConflict: Bool, evidence: [RoleEvidence],
    stages: [StageEvidence]
  ) {
    self.id = id
    self.role = role
    self.statedAge = statedAge
    self.hostAge = hostAge
    self.ageConflict = ageConflict
    self.evidence = evidence
    self.stages = stages
  }
}
