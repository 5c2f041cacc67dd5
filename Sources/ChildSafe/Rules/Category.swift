/// A grooming-signal category. The twelve built-in names are fixed; rule packs may add more.
public struct Category: Sendable, Hashable, Comparable, CustomStringConvertible {
  public let name: String
  public init(_ name: String) { self.name = name }
  public var description: String { name }
  public static func < (a: Category, b: Category) -> Bool { a.name < b.name }

  public static let ageProbe = Category("age_probe")
  public static let riskCheck = Category("risk_check")
  public static let secrecy = Category("secrecy")
  public static let isolation = Category("isolation")
  public static let platformSwitch = Category("platform_switch")
  public static let personalInfo = Category("personal_info")
  public static let imageRequest = Category("image_request")
  public static let meeting = Category("meeting")
  public static let gifts = Category("gifts")
  public static let flattery = Category("flattery")
  public static let sexual = Category("sexual")
  public static let coercion = Category("coercion")

  /// The built-in categories in their canonical order (the corpus label order).
  public static let builtIn: [Category] = [
    .ageProbe, .riskCheck, .secrecy, .isolation, .platformSwitch, .personalInfo, .imageRequest, .meeting,
    .gifts, .flattery, .sexual, .coercion,
  ]
}
