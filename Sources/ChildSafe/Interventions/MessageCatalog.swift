/// The wording of interventions in several languages, read from `deterrence/messages.LOCALE.catalog`
/// files. See docs/interventions.md for the format.
public struct MessageCatalog: Sendable {
  /// The locale every other one falls back to, message by message. It must define every base key.
  public static let fallbackLocale = "en"

  /// Message keys: `audience.kind` and its qualified variants. Lookups try the qualified key first.
  public static let messageKeys: [String] = [
    "sender.deterrence", "sender.deterrence.query", "sender.deterrence.young",
    "sender.help", "sender.help.self", "sender.help.young",
    "recipient.safety_prompt", "recipient.safety_prompt.0-5", "recipient.safety_prompt.6-9",
    "recipient.safety_prompt.10-12", "recipient.safety_prompt.13-15", "recipient.safety_prompt.16-17",
    "guardian.guardian_notice",
  ]
  /// Keys the fallback catalog must define, so that every lookup ends somewhere.
  public static let requiredKeys: [String] = [
    "sender.deterrence", "sender.help", "recipient.safety_prompt", "guardian.guardian_notice",
  ]

  struct Entries: Sendable {
    var messages: [String: MessageTemplate] = [:]
    /// `category.NAME` and `risk.LEVEL` labels.
    var labels: [String: String] = [:]
  }

  var locales: [String: Entries]

  /// The locales that have a catalog, sorted.
  public var availableLocales: [String] { locales.keys.sorted() }

  /// Parses every `deterrence/messages.*.catalog` file of `files` (paths relative to the rules root).
  public init(files: RuleFiles) throws(ChildSafeError) {
    locales = [:]
    for file in files.under("deterrence/") where file.path.hasSuffix(".catalog") {
      let locale = try MessageCatalog.locale(fromPath: file.path)
      if locales[locale] != nil {
        throw ChildSafeError(.invalidValue, "\(file.path): a second catalog for locale \(locale)")
      }
      locales[locale] = try MessageCatalog.parse(file.text, file: file.path)
    }
    guard let base = locales[MessageCatalog.fallbackLocale] else {
      throw ChildSafeError(
        .invalidValue, "no deterrence/messages.\(MessageCatalog.fallbackLocale).catalog: the fallback catalog is required")
    }
    for key in MessageCatalog.requiredKeys where base.messages[key] == nil {
      throw ChildSafeError(
        .invalidValue, "deterrence/messages.\(MessageCatalog.fallbackLocale).catalog: missing required key \(key)")
    }
  }

  /// "deterrence/messages.pt-BR.catalog" -> "pt-br".
  static func locale(fromPath path: String) throws(ChildSafeError) -> String {
    let name = path.split(separator: "/").last.map(String.init) ?? path
    let prefix = "messages.", suffix = ".catalog"
    guard name.hasPrefix(prefix), name.hasSuffix(suffix), name.count > prefix.count + suffix.count else {
      throw ChildSafeError(.invalidValue, "\(path): catalog files are named messages.LOCALE.catalog (e.g. messages.en.catalog)")
    }
    let locale = String(name.dropFirst(prefix.count).dropLast(suffix.count)).lowercased()
    guard let canonical = canonicalLocale(locale) else {
      throw ChildSafeError(.invalidValue, "\(path): '\(locale)' is not a locale tag like en, pt or pt-BR")
    }
    return canonical
  }

  /// Lower-cases and checks a BCP 47-like tag ("pt_BR" and "pt-BR" -> "pt-br"); nil when malformed.
  public static func canonicalLocale(_ tag: String) -> String? {
    let parts = tag.lowercased().split(separator: "-", omittingEmptySubsequences: false).flatMap {
      $0.split(separator: "_", omittingEmptySubsequences: false)
    }
    guard let language = parts.first, (2...3).contains(language.count),
      language.unicodeScalars.allSatisfy({ $0 >= "a" && $0 <= "z" })
    else { return nil }
    for part in parts.dropFirst() {
      guard (1...8).contains(part.count),
        part.unicodeScalars.allSatisfy({ ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") })
      else { return nil }
    }
    return parts.joined(separator: "-")
  }

  static func parse(_ text: String, file: String) throws(ChildSafeError) -> Entries {
    var entries = Entries()
    var seen: [String: Int] = [:]
    let messageKeys = Set(MessageCatalog.messageKeys)
    for line in CatalogLine.split(text) where !line.isBlankOrComment {
      guard let (key, keyColumn, valueStart) = splitKeyValue(line) else {
        throw ChildSafeError(
          .syntax, "expected 'key = message'", at: SourceLocation(file: file, line: line.number, column: line.skipSpaces(from: 0) + 1))
      }
      let keyLocation = SourceLocation(file: file, line: line.number, column: keyColumn)
      if let previous = seen[key] {
        throw ChildSafeError(.syntax, "duplicate key \(key) (first defined on line \(previous))", at: keyLocation)
      }
      seen[key] = line.number
      if messageKeys.contains(key) {
        entries.messages[key] = try MessageTemplate.parse(
          line, from: valueStart, file: file, allowed: Set(Placeholder.allCases))
      } else if key.hasPrefix("category.") && isLabelName(key.dropFirst("category.".count)) {
        entries.labels[key] = try label(line, from: valueStart, file: file)
      } else if key.hasPrefix("risk."), RiskLevel(name: String(key.dropFirst("risk.".count))) != nil {
        entries.labels[key] = try label(line, from: valueStart, file: file)
      } else {
        let hint = closestWord(to: key, in: MessageCatalog.messageKeys).map { "; did you mean \($0)?" } ?? ""
        throw ChildSafeError(
          .syntax, "unknown key \(key)\(hint) (expected a message key, category.NAME or risk.LEVEL)", at: keyLocation)
      }
    }
    return entries
  }

  static func isLabelName(_ name: Substring) -> Bool {
    !name.isEmpty
      && name.unicodeScalars.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "_" }
  }

  /// A label is plain text: placeholders are not allowed in it.
  static func label(_ line: CatalogLine, from start: Int, file: String) throws(ChildSafeError) -> String {
    try MessageTemplate.parse(line, from: start, file: file, allowed: []).render { _ in "" }
  }

  /// The locales to try for `requested`, most specific first, ending with the fallback:
  /// "pt-br" -> ["pt-br", "pt", "en"].
  public static func lookupChain(for requested: String) -> [String] {
    var chain: [String] = []
    if let canonical = canonicalLocale(requested) {
      var parts = canonical.split(separator: "-").map(String.init)
      while !parts.isEmpty {
        chain.append(parts.joined(separator: "-"))
        parts.removeLast()
      }
    }
    if !chain.contains(fallbackLocale) { chain.append(fallbackLocale) }
    return chain
  }

  /// The template for the first of `keys` found, trying each locale of the chain in turn (a message in
  /// the requested language beats a more specific one in the fallback language).
  func template(keys: [String], locale: String) -> (template: MessageTemplate, locale: String)? {
    let chain = MessageCatalog.lookupChain(for: locale)
    return template(keys: keys, chain: chain[...]).map { ($0.template, chain[$0.index]) }
  }

  /// The same for a chain already made (an intervention engine makes its locale's once): the
  /// template and the index in `chain` of the locale it was found in.
  func template(keys: [String], chain: ArraySlice<String>) -> (template: MessageTemplate, index: Int)? {
    for index in chain.indices {
      guard let entries = locales[chain[index]] else { continue }
      for key in keys {
        if let template = entries.messages[key] { return (template, index) }
      }
    }
    return nil
  }

  /// The label for `key` ("category.secrecy") in `locale`'s chain, or nil.
  func label(_ key: String, locale: String) -> String? {
    label(key, chain: MessageCatalog.lookupChain(for: locale)[...])
  }

  /// The same for a chain already made.
  func label(_ key: String, chain: ArraySlice<String>) -> String? {
    for candidate in chain {
      if let label = locales[candidate]?.labels[key] { return label }
    }
    return nil
  }
}
