/// A help service named in a family policy (`child_helpline = Childline | 0800 1111 | https://...`):
/// name, phone and web address, and which kind of service it is.
///
/// `Service` uses the raw values of the interventions module's `SignpostService` ("deterrence",
/// "children", "parents"), so a policy's signposts convert one to one into the signposts that
/// intervention configuration takes.
public struct PolicySignpost: Sendable, Hashable {
  /// The kind of help a signpost offers, which decides the interventions that show it.
  public enum Service: String, Sendable, Hashable, CaseIterable {
    /// For adults worried about their own thoughts or behaviour towards children (Stop It Now and
    /// its equivalents); shown with a deterrence message. Policy key `adult_helpline`.
    case deterrence
    /// A children's helpline, shown with a child's safety prompt. Policy key `child_helpline`.
    case children
    /// For parents and carers, shown with a guardian notice. Policy key `parent_helpline`.
    case parents

    /// The policy key that sets it.
    public var policyKey: String {
      switch self {
      case .deterrence: "adult_helpline"
      case .children: "child_helpline"
      case .parents: "parent_helpline"
      }
    }
  }

  public var service: Service
  public var name: String
  public var phone: String?
  public var url: String?

  public init(service: Service, name: String, phone: String?, url: String?) {
    self.service = service
    self.name = name
    self.phone = phone
    self.url = url
  }

  /// `{"service", "name", "phone", "url"}` (phone and url may be null).
  public var json: JSONValue {
    .object([
      ("service", .string(service.rawValue)), ("name", .string(name)),
      ("phone", phone.map { .string($0) } ?? .null), ("url", url.map { .string($0) } ?? .null),
    ])
  }
}
