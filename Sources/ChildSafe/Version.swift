import CChildSafeICU

/// The library's version (semantic versioning) and the ICU it runs on.
public enum ChildSafeVersion {
  public static let major = 0
  public static let minor = 1
  public static let patch = 0
  public static let string = "\(major).\(minor).\(patch)"

  /// The version of the system ICU in use, e.g. "72.1".
  public static var icu: String { String(cString: csicu_version()) }
}
