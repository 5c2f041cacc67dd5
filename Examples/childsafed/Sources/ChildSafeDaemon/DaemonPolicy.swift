import ChildSafe

// SEAM (family policy, issue 6): the daemon accepts `--policy FILE`, reads it on start and on every
// reload, and reports its version in /healthz. It does not interpret it yet. When the family-policy
// API lands, `DaemonPolicy.load` parses and validates the file with it (a broken policy then fails the
// reload like a broken rules file does), and `ServiceConfiguration.load` configures the
// InterventionEngine from it (locale, country, signposts, thresholds).

/// The family policy in force, loaded from `--policy FILE`.
public struct DaemonPolicy: Sendable {
  public var info: SourceInfo

  /// Reads the policy file. Today it only checks that the file is readable UTF-8 text.
  public static func load(path: String) throws(ChildSafeError) -> DaemonPolicy {
    let text = try FileSystem.readText(path)
    var digest = ContentDigest()
    digest.add(text)
    return DaemonPolicy(info: SourceInfo(source: [path], files: 1, version: digest.hex))
  }
}
