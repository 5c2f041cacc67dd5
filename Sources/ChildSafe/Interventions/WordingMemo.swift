/// Messages an intervention engine has already worded. A message depends only on what it is for
/// (audience, kind, helpline service, category, risk, age band) and on the engine, which never
/// changes; wording it again for every flagged line of a stream cost more than classifying the
/// line. Shared by copies of the engine; thread-safe.
final class WordingMemo: Sendable {
  struct Key: Hashable {
    var query: Bool
    var audience: Audience
    var kind: InterventionKind
    var service: SignpostService
    var risk: RiskLevel
    var band: String?
    var category: Category

    /// Lengths and first bytes of the strings, and the risk, rather than hashing the strings and
    /// the String-valued enums (which hash their raw values): that cost more than the rest of the
    /// lookup. Keys that differ only in audience, kind or service share a hash; equality still
    /// compares every field.
    func hash(into hasher: inout Hasher) {
      let name = category.name.utf8
      var word = UInt64(name.count) | UInt64(name.first ?? 0) << 16 | UInt64(risk.rawValue & 0xFF) << 48
      if let band { word |= UInt64(band.utf8.count) << 24 | UInt64(band.utf8.first ?? 0) << 32 | 1 << 40 }
      if query { word |= 1 << 56 }
      hasher.combine(word)
    }
  }

  struct Wording: Sendable {
    var message: String
    var locale: String
    var signpost: Signpost?
  }

  /// More than the catalogs can word (categories × risks × bands × audiences); past it, messages
  /// are worded each time rather than kept.
  static let maximumEntries = 4096

  let entries = Locked<[Key: Wording]>([:])

  func wording(_ key: Key, _ make: () -> Wording) -> Wording {
    if let known = entries.withLock({ $0[key] }) { return known }
    let made = make()
    entries.withLock { if $0.count < WordingMemo.maximumEntries { $0[key] = made } }
    return made
  }
}
