/// What the conversation has shown about one participant's age: counts and a few spans, no text.
struct RoleState: Sendable {
  /// Ages told by the participant (or about them): youngest and oldest, minors and adults apart.
  var youngestMinor: Int?
  var oldestMinor: Int?
  var youngestAdult: Int?
  var oldestAdult: Int?
  var minorAges = 0
  var adultAges = 0
  /// Signs of a child's or an adult's life ("my mom wont let me", "at work").
  var minorLife = 0
  var adultLife = 0
  /// The age the host gave for this participant, if any.
  var hostAge: Int?
  var evidence: [RoleEvidence] = []
  /// The stages reached (bit per ``GroomingStage``) and the first evidence of each.
  var stageMask: UInt8 = 0
  var stages: [StageEvidence] = []

  /// Records an age told by or about the participant.
  mutating func addAge(_ age: Int, adultAge: Int) {
    if age < adultAge {
      youngestMinor = min(youngestMinor ?? age, age)
      oldestMinor = max(oldestMinor ?? age, age)
      minorAges += 1
    } else {
      youngestAdult = min(youngestAdult ?? age, age)
      oldestAdult = max(oldestAdult ?? age, age)
      adultAges += 1
    }
  }

  mutating func addEvidence(_ evidence: RoleEvidence) {
    if self.evidence.count < ParticipantSummary.maximumEvidence { self.evidence.append(evidence) }
  }

  var showsMinor: Bool { minorAges > 0 || minorLife > adultLife }
  var showsAdult: Bool { adultAges > 0 || adultLife > minorLife }

  /// The participant's age as a single speaker's: told ages first (nil when they disagree), then
  /// the signs of their life (a representative 13 or 30).
  func age(adultAge: Int) -> Int? {
    switch (minorAges > 0, adultAges > 0) {
    case (true, false): return youngestMinor
    case (false, true): return oldestAdult
    case (true, true): return nil
    default:
      if minorLife > adultLife { return RoleState.representativeMinor }
      if adultLife > minorLife { return RoleState.representativeAdult }
      return nil
    }
  }

  /// The role shown, for the verdict.
  func role(adultAge: Int) -> InferredRole {
    guard let age = age(adultAge: adultAge) else { return .unknown }
    return age < adultAge ? .minor : .adult
  }

  /// Ages told in the conversation that disagree with the host's (a minor by the host, only adult
  /// ages told; or the other way round).
  func conflicts(adultAge: Int) -> Bool {
    guard let hostAge else { return false }
    if hostAge < adultAge { return adultAges > 0 && minorAges == 0 }
    return minorAges > 0 && adultAges == 0
  }

  /// What the weighing and the verdict read of this state: equal signatures, same weighing.
  struct Signature: Equatable {
    var youngestMinor: Int?
    var oldestMinor: Int?
    var youngestAdult: Int?
    var oldestAdult: Int?
    var minorAges: Bool
    var adultAges: Int
    var age: Int?
    var showsMinor: Bool
    var showsAdult: Bool
    var minorLife: Bool
    var adultLife: Bool
    var evidence: Int
  }

  func signature(adultAge: Int) -> Signature {
    Signature(
      youngestMinor: youngestMinor, oldestMinor: oldestMinor, youngestAdult: youngestAdult, oldestAdult: oldestAdult,
      minorAges: minorAges >= 2, adultAges: min(adultAges, 1), age: age(adultAge: adultAge), showsMinor: showsMinor,
      showsAdult: showsAdult, minorLife: minorLife > 0, adultLife: adultLife > 0, evidence: evidence.count)
  }

  static let representativeMinor = 13
  static let representativeAdult = 30
}
