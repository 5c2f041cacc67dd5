/// A help service to point people to (a helpline): name, phone and web address.
/// Set in the family policy (`child_helpline = Childline | 0800 1111 | https://www.childline.org.uk`)
/// or by the host app; the interventions module shows them.
public struct Signpost: Sendable, Hashable {
  /// Who the service is for.
  public enum Audience: String, Sendable, Hashable, CaseIterable {
    /// Children and young people (shown to a child who receives a worrying message).
    case child
    /// Adults worried about their own thoughts or behaviour (shown with a deterrence message).
    case adult
    /// Parents and carers (shown with a guardian notice).
    case parent

    /// The intervention audience that uses this kind of signpost (see the interventions module).
    public var interventionAudience: String {
      switch self {
      case .child: "recipient"
      case .adult: "sender"
      case .parent: "guardian"
      }
    }

    /// The policy key that sets it, e.g. `child_helpline`.
    public var policyKey: String { rawValue + "_helpline" }
  }

  public var audience: Audience
  public var name: String
  public var phone: String?
  public var url: String?

  public init(audience: Audience, name: String, phone: String?, url: String?) {
    self.audience = audience
    self.name = name
    self.phone = phone
    self.url = url
  }

  /// `{"audience", "name", "phone", "url"}` (phone and url may be null).
  public var json: JSONValue {
    .object([
      ("audience", .string(audience.rawValue)), ("name", .string(name)),
      ("phone", phone.map { .string($0) } ?? .null), ("url", url.map { .string($0) } ?? .null),
    ])
  }
}
