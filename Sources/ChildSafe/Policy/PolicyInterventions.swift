/// Hands a child's locale, country and helplines from the family policy to the interventions module.
extension EffectiveSettings {
  /// The child's helplines as `InterventionConfiguration.signposts` takes them (one per service; the
  /// first line for a service wins, and the child's own come before the family's).
  public var interventionSignposts: [SignpostService: Signpost] { PolicySignpost.interventionSignposts(signposts) }

  /// `base` with the policy's locale, country and helplines for this child (unset ones keep `base`'s).
  public func interventionConfiguration(
    base: InterventionConfiguration = InterventionConfiguration()
  ) -> InterventionConfiguration {
    var configuration = base
    if let locale { configuration.locale = locale }
    if let country { configuration.country = country }
    configuration.signposts.merge(interventionSignposts) { _, fromPolicy in fromPolicy }
    return configuration
  }
}

extension FamilyPolicy {
  /// `base` with the family-wide locale, country and helplines (for a service that does not know
  /// which child is involved, e.g. a daemon configured with one policy).
  public func interventionConfiguration(
    base: InterventionConfiguration = InterventionConfiguration()
  ) -> InterventionConfiguration {
    var configuration = base
    if let locale { configuration.locale = locale }
    if let country { configuration.country = country }
    configuration.signposts.merge(PolicySignpost.interventionSignposts(signposts)) { _, fromPolicy in fromPolicy }
    return configuration
  }
}

extension PolicySignpost {
  /// One signpost per service, the first line for a service winning, as the interventions module takes them.
  static func interventionSignposts(_ signposts: [PolicySignpost]) -> [SignpostService: Signpost] {
    var result: [SignpostService: Signpost] = [:]
    for signpost in signposts {
      guard let service = SignpostService(rawValue: signpost.service.rawValue), result[service] == nil else { continue }
      result[service] = Signpost(name: signpost.name, phone: signpost.phone ?? "", url: signpost.url ?? "")
    }
    return result
  }
}
