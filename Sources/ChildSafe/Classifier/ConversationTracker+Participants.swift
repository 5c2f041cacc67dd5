/// Who talks to whom, as a conversation model reads it (``FeatureSettings/participants``).
extension ConversationTracker {
  /// The participant features of the latest message's sender, hashed for a model with `settings`:
  /// what training adds to each message's features so that it learns what inference computes.
  /// Empty when `settings` has no participant features.
  public func participantFeatures(settings: FeatureSettings) -> [HashedFeature] {
    guard settings.participants, !senders.isEmpty else { return [] }
    var features: [HashedFeature] = []
    visitParticipantFeatures(of: latestSender, mask: UInt32(settings.weightCount - 1)) { features.append($0) }
    return features
  }

  /// Three features of sender `k` now: the pairing its scoring weighs (adult to minor, adults,
  /// minors, unknown), its own role (minor, adult, unknown; unknown when the conversation has one
  /// id for everyone) and whether anyone in the conversation has shown a minor's age or life.
  func visitParticipantFeatures(of k: Int, mask: UInt32, _ body: (HashedFeature) -> Void) {
    let adultAge = engine.policy.adultAge
    let pairing: UInt8 =
      switch senders[k].pairing {
      case .adultToMinor: 0
      case .adults: 1
      case .minors: 2
      case .unknown: 3
      }
    var role: UInt8 = 2
    if senders.count > 1, let age = senders[k].roles.hostAge ?? senders[k].roles.age(adultAge: adultAge) {
      role = age < adultAge ? 0 : 1
    }
    var minorShown = toldUnattributed.map { $0 < adultAge } ?? false
    for s in senders where !minorShown {
      minorShown =
        s.roles.showsMinor || (s.roles.hostAge.map { $0 < adultAge } ?? false)
        || (s.hostRecipientAge.map { $0 < adultAge } ?? false)
    }
    func feature(_ which: UInt8, _ value: UInt8) -> HashedFeature {
      var hash = FeatureHash(kind: .participants)
      hash.add(which)
      hash.add(value)
      return hash.feature(mask: mask)
    }
    body(feature(0, pairing))
    body(feature(1, role))
    body(feature(2, minorShown ? 1 : 0))
  }
}
