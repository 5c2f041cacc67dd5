// PLACEHOLDER: the URL filtering issue replaces this file. The public API below is the contract
// the C API and the daemon build against.

/// The verdict on one URL. It never holds the URL as given, only its canonical form for the caller.
public struct URLVerdict: Sendable, Hashable {
  public var canonical: String
  public var blocked: Bool
  public var category: String?
  public var list: String?
  public var rule: String?
  /// Why: "blocklist", "allowlist", "hashed", "homograph", "not_listed", "invalid".
  public var reason: String

  public init(canonical: String, blocked: Bool, category: String?, list: String?, rule: String?, reason: String) {
    self.canonical = canonical
    self.blocked = blocked
    self.category = category
    self.list = list
    self.rule = rule
    self.reason = reason
  }

  /// `{"canonical","blocked","category","list","rule","reason"}`; the caller adds "url" when it wants to echo it.
  public var jsonMembers: [(String, JSONValue)] {
    [
      ("canonical", .string(canonical)), ("blocked", .bool(blocked)), ("category", category.map { .string($0) } ?? .null),
      ("list", list.map { .string($0) } ?? .null), ("rule", rule.map { .string($0) } ?? .null), ("reason", .string(reason)),
    ]
  }
}

/// Checks URLs against category block lists, allow lists and hashed lists. Immutable and shareable.
public struct URLFilter: Sendable {
  /// Loads lists from files, directories or compiled indexes; `categories` nil enables every category.
  public init(lists: [String] = [], categories: Set<String>? = nil) throws(ChildSafeError) {}

  /// A filter over the sample lists embedded in the library.
  public static let defaults: URLFilter = {
    do { return try URLFilter() } catch { fatalError("embedded lists are invalid: \(error)") }
  }()

  public func check(_ url: String) -> URLVerdict {
    URLVerdict(canonical: url, blocked: false, category: nil, list: nil, rule: nil, reason: "not_listed")
  }
}
