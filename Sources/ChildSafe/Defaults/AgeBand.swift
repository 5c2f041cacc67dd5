/// The UK Children's code age ranges, plus adults. Each has its own defaults in Rules/defaults/.
public enum AgeBand: String, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
  case preLiterate = "0-5"
  case corePrimary = "6-9"
  case transition = "10-12"
  case earlyTeens = "13-15"
  case approachingAdulthood = "16-17"
  case adult = "18+"

  /// The band used when the age is unknown: the ICO lets a service apply the child standards to
  /// everyone, and 13-15 is the most protective band a general-audience app can use (research §0, §8).
  public static let unknownAge: AgeBand = .earlyTeens

  /// The band of an age in completed years; negative ages have none.
  public init?(age: Int) {
    switch age {
    case ..<0: return nil
    case 0...5: self = .preLiterate
    case 6...9: self = .corePrimary
    case 10...12: self = .transition
    case 13...15: self = .earlyTeens
    case 16...17: self = .approachingAdulthood
    default: self = .adult
    }
  }

  /// A band by its name ("0-5", "6-9", "10-12", "13-15", "16-17", "18+"; "18" and "adult" also name 18+).
  public init?(name: String) {
    if let band = AgeBand(rawValue: name) {
      self = band
    } else if name == "18" || name == "adult" || name == "18-" {
      self = .adult
    } else {
      return nil
    }
  }

  /// The youngest age in the band.
  public var lowestAge: Int {
    switch self {
    case .preLiterate: 0
    case .corePrimary: 6
    case .transition: 10
    case .earlyTeens: 13
    case .approachingAdulthood: 16
    case .adult: 18
    }
  }

  /// The oldest age in the band (nil for 18+).
  public var highestAge: Int? {
    switch self {
    case .preLiterate: 5
    case .corePrimary: 9
    case .transition: 12
    case .earlyTeens: 15
    case .approachingAdulthood: 17
    case .adult: nil
    }
  }

  public var isMinor: Bool { self != .adult }

  public func contains(age: Int) -> Bool { AgeBand(age: age) == self }

  public var description: String { rawValue }

  public static func < (a: AgeBand, b: AgeBand) -> Bool { a.lowestAge < b.lowestAge }
}
