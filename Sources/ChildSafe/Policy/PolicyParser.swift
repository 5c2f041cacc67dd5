/// Reads a family policy file into scopes, collecting every error and warning with its location.
struct PolicyParser {
  /// Keys only a `[child NAME]` section may set.
  static let childOnlyKeys = ["age", "birth_year", "birth_date", "band"]
  /// Keys only the `[family]` section may set.
  static let familyOnlyKeys = ["custom_categories"]
  /// Keys either section may set, besides the settings themselves.
  static let sharedKeys =
    ["locale", "country", "blocked_domains", "allowed_domains", "allowed_categories"]
    + PolicySignpost.Service.allCases.map(\.policyKey)
  /// Keys that may appear more than once in a section (their values add up).
  static let repeatableKeys: Set<String> = Set(
    ["blocked_domains", "allowed_domains", "blocked_categories", "allowed_categories", "custom_categories", "locked"]
      + PolicySignpost.Service.allCases.map(\.policyKey))
  static let maximumChildren = 64
  static let maximumDomains = 100_000
  static let maximumCustomCategories = 256
  /// Past this many errors the rest of the file is not checked (the first ones need fixing first).
  static let maximumErrors = 100

  static let allKeys: [String] = childOnlyKeys + familyOnlyKeys + sharedKeys + SettingSpec.keys

  let file: String
  let date: CalendarDate
  let defaults: AgeDefaultsTable
  var diagnostics: [PolicyDiagnostic] = []
  var family = PolicyScope()
  var children: [FamilyPolicy.Child] = []
  var customCategories: [String] = []
  /// Built-in and custom category names, as a list for messages and a set for lookups.
  var categoryNames: [String]
  var categorySet: Set<String>
  var domainCount = 0
  var tooManyErrors = false

  init(file: String, date: CalendarDate, defaults: AgeDefaultsTable) {
    self.file = file
    self.date = date
    self.defaults = defaults
    categoryNames = defaults.categories.names
    categorySet = Set(categoryNames)
  }

  mutating func error(_ message: String, at token: ConfigToken, code: ChildSafeError.Code = .invalidValue) {
    diagnostics.append(PolicyDiagnostic(.error, ChildSafeError(code, message, at: token.location(in: file))))
  }

  mutating func warning(_ message: String, at token: ConfigToken) {
    diagnostics.append(PolicyDiagnostic(.warning, ChildSafeError(.invalidValue, message, at: token.location(in: file))))
  }

  mutating func parse(_ text: String) {
    var syntaxErrors: [ChildSafeError] = []
    let lines = ConfigText.lines(text, file: file, errors: &syntaxErrors)
    diagnostics += syntaxErrors.prefix(PolicyParser.maximumErrors).map { PolicyDiagnostic(.error, $0) }
    collectCustomCategories(lines)

    var current: Int? = nil  // nil: [family]; otherwise an index into children
    var seen: [String: Int] = [:]  // scalar key -> line, in the current section
    var ageLine: [Int: (String, Int)] = [:]  // child -> (key, line) that gave the age
    for line in lines {
      if diagnostics.count >= PolicyParser.maximumErrors {
        tooManyErrors = true
        diagnostics.append(
          PolicyDiagnostic(
            .error,
            ChildSafeError(.inputTooLarge, "\(file): more than \(PolicyParser.maximumErrors) problems; fix these first")))
        break
      }
      switch line {
      case .section(let kind, let name):
        seen = [:]
        current = openSection(kind: kind, name: name)
      case .entry(let keyToken, let marker, let valueToken):
        if current == -1 { continue }
        let key = keyToken.lowercased
        if !PolicyParser.repeatableKeys.contains(key) && PolicyParser.allKeys.contains(key) {
          if let previous = seen[key] {
            error("\(key) is already set on line \(previous) of this section", at: keyToken, code: .syntax)
            continue
          }
          seen[key] = keyToken.line
        }
        if let index = current {
          if PolicyParser.childOnlyKeys.contains(key), let (otherKey, otherLine) = ageLine[index] {
            error(
              "\(children[index].name)'s age is already given by \(otherKey) on line \(otherLine); give only one of age, birth_year, birth_date, band",
              at: keyToken, code: .syntax)
            continue
          }
          // Move the scope out while editing it, so its arrays are not copied on every line.
          var scope = children[index].scope
          children[index].scope = PolicyScope()
          if let age = entry(key: key, keyToken: keyToken, marker: marker, value: valueToken, scope: &scope, child: index) {
            children[index].age = age
          }
          if PolicyParser.childOnlyKeys.contains(key) { ageLine[index] = (key, keyToken.line) }
          children[index].scope = scope
          children[index].locale = scope.locale
          children[index].country = scope.country
          children[index].signposts = scope.signposts
        } else {
          var scope = family
          family = PolicyScope()
          _ = entry(key: key, keyToken: keyToken, marker: marker, value: valueToken, scope: &scope, child: nil)
          family = scope
        }
      }
    }
    for (index, child) in children.enumerated() where child.age == .unknown && ageLine[index] == nil {
      diagnostics.append(
        PolicyDiagnostic(
          .warning,
          ChildSafeError(
            .invalidValue,
            "no age for \(child.name): the unknown-age defaults (13-15, age not assured) apply; add birth_date, birth_year or age",
            at: child.location)))
    }
  }

  /// `custom_categories` may be used anywhere in the file, so collect them first.
  mutating func collectCustomCategories(_ lines: [ConfigLine]) {
    var inFamily = true
    for line in lines {
      switch line {
      case .section(let kind, _): inFamily = kind.lowercased == "family"
      case .entry(let key, _, let value):
        guard inFamily, key.lowercased == "custom_categories" else { continue }
        for item in value.split(",") {
          let name = item.lowercased
          let valid =
            !name.isEmpty && name.count <= 32
            && name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
          if !valid {
            error("custom_categories: expected a name of lowercase letters, digits and '-', found '\(item.text)'", at: item)
          } else if customCategories.count >= PolicyParser.maximumCustomCategories {
            error("custom_categories: at most \(PolicyParser.maximumCustomCategories) custom categories", at: item, code: .inputTooLarge)
            return
          } else if !categorySet.contains(name) {
            customCategories.append(name)
            categoryNames.append(name)
            categorySet.insert(name)
          }
        }
      }
    }
  }

  /// Starts a section; returns the child index, nil for [family], or -1 for a bad header (its lines are skipped).
  mutating func openSection(kind: ConfigToken, name: ConfigToken?) -> Int? {
    switch kind.lowercased {
    case "family":
      if let name { error("expected [family] with no name, found '\(name.text)'", at: name, code: .syntax) }
      return nil
    case "child":
      guard let name else {
        error("expected the child's name: [child NAME], e.g. [child Sam]", at: kind, code: .syntax)
        return -1
      }
      if name.scalars.count > 64 || name.scalars.contains(where: { $0 == "[" || $0 == "]" || $0 == "\"" }) {
        error("expected a child's name of at most 64 characters without brackets or quotes", at: name, code: .syntax)
        return -1
      }
      if let existing = children.first(where: { $0.name.lowercased() == name.text.lowercased() }) {
        error("a child named \(name.text) already has a section on line \(existing.location.line)", at: name, code: .syntax)
        return -1
      }
      if children.count >= PolicyParser.maximumChildren {
        error("a policy may list at most \(PolicyParser.maximumChildren) children", at: name, code: .inputTooLarge)
        return -1
      }
      children.append(
        FamilyPolicy.Child(
          name: name.text, age: .unknown, locale: nil, country: nil, signposts: [],
          location: SourceLocation(file: file, line: kind.line, column: 1), scope: PolicyScope()))
      return children.count - 1
    default:
      let example = name.map { "[child \($0.text)]" } ?? "[child NAME]"
      error(
        "unknown section [\(kind.text)\(name.map { " " + $0.text } ?? "")]; expected [family] or \(example)", at: kind,
        code: .syntax)
      return -1
    }
  }

  /// Applies one `key = value` line to a scope. Returns the child's age when the line gives it.
  mutating func entry(
    key: String, keyToken: ConfigToken, marker: ConfigToken?, value: ConfigToken, scope: inout PolicyScope, child: Int?
  ) -> FamilyPolicy.ChildAge? {
    let section = child == nil ? "[family]" : "[child \(children[child ?? 0].name)]"
    if let marker, SettingSpec.byKey[key] == nil || key == "locked", key != "allowed_categories" {
      error("'!' marks a deliberate loosening of a safety setting; \(key) is not one", at: marker, code: .syntax)
      return nil
    }
    if child == nil && PolicyParser.childOnlyKeys.contains(key) {
      error("\(key) belongs in a [child NAME] section, not in [family]", at: keyToken, code: .syntax)
      return nil
    }
    if child != nil && PolicyParser.familyOnlyKeys.contains(key) {
      error("\(key) belongs in the [family] section, not in \(section)", at: keyToken, code: .syntax)
      return nil
    }
    switch key {
    case "age", "birth_year", "birth_date", "band":
      return childAge(key: key, value: value, child: children[child ?? 0].name)
    case "age_assured":
      error("age_assured cannot be set: a parent-given age is assured, a missing age is not", at: keyToken, code: .syntax)
    case "custom_categories":
      break  // collected before the other lines
    case "locale":
      if let locale = PolicyValues.locale(value) { scope.locale = locale } else {
        error("locale: expected a language tag such as en, en-GB or pt-BR, found '\(value.text)'", at: value)
      }
    case "country":
      switch PolicyValues.country(value) {
      case .none:
        error("country: expected a two-letter ISO 3166 code such as GB, US or DE, found '\(value.text)'", at: value)
      case .some(let (code, note)):
        scope.country = code
        if let note { warning(note, at: value) }
      }
    case "blocked_domains", "allowed_domains":
      for item in value.split(",") {
        guard let domain = PolicyValues.domain(item) else {
          error("\(key): expected a domain such as example.com (no http://, no path), found '\(item.text)'", at: item)
          continue
        }
        domainCount += 1
        if domainCount > PolicyParser.maximumDomains {
          error("a policy may list at most \(PolicyParser.maximumDomains) domains; use a URL list file for more", at: item, code: .inputTooLarge)
          return nil
        }
        let block = key == "blocked_domains"
        if let index = scope.domainIndex[domain] {
          let earlier = scope.domainChanges[index]
          if earlier.block != block {
            error("\(domain) is both blocked and allowed in \(section) (see line \(earlier.location.line))", at: item)
          }
          continue
        }
        scope.domainIndex[domain] = scope.domainChanges.count
        scope.domainChanges.append(PolicyScope.DomainChange(domain: domain, block: block, location: item.location(in: file)))
      }
    case "blocked_categories", "allowed_categories":
      let block = key == "blocked_categories"
      for item in value.split(",") {
        let name = item.lowercased
        guard categorySet.contains(name) else {
          error(
            "\(key): unknown URL category '\(item.text)'" + EditDistance.hint(for: name, among: categoryNames)
              + " (known: \(categoryNames.joined(separator: ", ")); declare your own with custom_categories in [family])",
            at: item)
          continue
        }
        if let index = scope.categoryIndex[name] {
          let earlier = scope.categoryChanges[index]
          if earlier.block != block {
            error("\(name) is both blocked and allowed in \(section) (see line \(earlier.location.line))", at: item)
          }
          continue
        }
        scope.categoryIndex[name] = scope.categoryChanges.count
        scope.categoryChanges.append(
          PolicyScope.CategoryChange(category: name, block: block, forced: marker != nil, location: item.location(in: file)))
      }
    case "locked":
      guard let spec = SettingSpec.byKey[key] else { return nil }
      do {
        if case .names(let names) = try spec.parse(value, file: file, categories: categoryNames) {
          scope.extraLocks += names.filter { !scope.extraLocks.contains($0) }
        }
      } catch {
        diagnostics.append(PolicyDiagnostic(.error, error))
      }
    default:
      if let service = PolicySignpost.Service.allCases.first(where: { $0.policyKey == key }) {
        switch PolicyValues.signpost(value, service: service, file: file) {
        case .success(let signpost): scope.signposts.append(signpost)
        case .failure(let failure): diagnostics.append(PolicyDiagnostic(.error, failure))
        }
        return nil
      }
      guard let spec = SettingSpec.byKey[key], key != "band" else {
        let candidates = PolicyParser.allKeys.filter { $0 != "band" || child != nil }
        var message = "unknown setting '\(keyToken.text)'" + EditDistance.hint(for: key, among: candidates)
        if let suggestion = EditDistance.suggestion(for: key, among: candidates),
          (child == nil && PolicyParser.childOnlyKeys.contains(suggestion))
            || (child != nil && PolicyParser.familyOnlyKeys.contains(suggestion))
        {
          message += " (it belongs in \(child == nil ? "a [child NAME]" : "the [family]") section)"
        }
        error(message, at: keyToken, code: .syntax)
        return nil
      }
      do {
        let parsed = try spec.parse(value, file: file, categories: categoryNames)
        scope.overrides.append(
          PolicyScope.Override(key: key, value: parsed, forced: marker != nil, location: keyToken.location(in: file)))
      } catch {
        diagnostics.append(PolicyDiagnostic(.error, error))
      }
    }
    return nil
  }

  /// age, birth_year, birth_date or band of a child.
  mutating func childAge(key: String, value: ConfigToken, child name: String) -> FamilyPolicy.ChildAge? {
    let text = value.text
    switch key {
    case "age":
      guard text.count <= 3, text.allSatisfy({ $0.isASCII && $0.isNumber }), let age = Int(text), age <= 17 else {
        let adult = Int(text).map { $0 >= 18 } ?? false
        error(
          "age: expected \(name)'s age in whole years from 0 to 17, found '\(text)'"
            + (adult ? " (family policies are for children; parental controls end at 18)" : ""), at: value)
        return nil
      }
      return .age(age)
    case "birth_year":
      guard text.count == 4, text.allSatisfy({ $0.isASCII && $0.isNumber }), let year = Int(text) else {
        error("birth_year: expected a four-digit year such as 2014, found '\(text)'", at: value)
        return nil
      }
      if year > date.year {
        error("birth_year: \(year) is in the future (today is \(date))", at: value)
        return nil
      }
      let youngest = max(0, date.year - year - 1)
      if youngest > 120 {
        error("birth_year: \(year) gives an age over 120; expected a child's birth year", at: value)
        return nil
      }
      if youngest >= 18 { agedOutWarning(name, at: value) }
      return .birthYear(year)
    case "birth_date":
      let birth: CalendarDate
      do { birth = try CalendarDate.parse(text) } catch {
        self.error("birth_date: \(error.message)", at: value)
        return nil
      }
      guard let age = birth.age(on: date) else {
        error("birth_date: \(birth) is in the future (today is \(date))", at: value)
        return nil
      }
      if age > 120 {
        error("birth_date: \(birth) gives an age over 120; expected a child's birth date", at: value)
        return nil
      }
      if age >= 18 { agedOutWarning(name, at: value) }
      return .birthDate(birth)
    default:
      guard let band = AgeBand(name: text), band.isMinor else {
        error(
          "band: expected one of \(AgeBand.allCases.filter(\.isMinor).map(\.rawValue).joined(separator: ", ")), found '\(text)'",
          at: value)
        return nil
      }
      return .band(band)
    }
  }

  mutating func agedOutWarning(_ name: String, at token: ConfigToken) {
    warning(
      "\(name) is 18 or older: parental controls end at 18, so adult defaults apply and this section's changes are ignored; tell \(name) and remove the section",
      at: token)
  }
}

/// Parsers for the policy's non-setting values.
enum PolicyValues {
  /// A BCP 47 language tag, normalised: "en_gb" -> "en-GB".
  static func locale(_ token: ConfigToken) -> String? {
    let parts = token.text.split(separator: "-", omittingEmptySubsequences: false)
      .flatMap { $0.split(separator: "_", omittingEmptySubsequences: false) }
    guard let language = parts.first, (2...3).contains(language.count),
      language.unicodeScalars.allSatisfy({ $0.isASCII && $0.properties.isAlphabetic })
    else { return nil }
    var tag = language.lowercased()
    for part in parts.dropFirst() {
      guard (2...8).contains(part.count), part.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) })
      else { return nil }
      tag += "-" + (part.count == 2 ? part.uppercased() : part.count == 4 ? part.prefix(1).uppercased() + part.dropFirst().lowercased() : part.lowercased())
    }
    return tag
  }

  /// An ISO 3166 alpha-2 code, uppercased, and a note when it was corrected.
  static func country(_ token: ConfigToken) -> (String, String?)? {
    let text = token.text.uppercased()
    guard text.count == 2, text.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) else { return nil }
    if text == "UK" { return ("GB", "country: the ISO 3166 code for the United Kingdom is GB; using GB") }
    return (text, nil)
  }

  /// A domain name, lowercased, without a trailing dot or a leading "*.".
  static func domain(_ token: ConfigToken) -> String? {
    var text = token.lowercased
    if text.hasPrefix("*.") { text.removeFirst(2) }
    if text.hasSuffix(".") { text.removeLast() }
    guard !text.isEmpty, text.utf8.count <= 253 else { return nil }
    let labels = text.split(separator: ".", omittingEmptySubsequences: false)
    guard labels.count >= 2 else { return nil }
    for label in labels {
      guard !label.isEmpty, label.utf8.count <= 63, !label.hasPrefix("-"), !label.hasSuffix("-") else { return nil }
      let ok = label.unicodeScalars.allSatisfy {
        ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || ($0.value >= 0x80 && $0.properties.isAlphabetic)
          || ($0.value >= 0x80 && $0.properties.numericType != nil)
      }
      if !ok { return nil }
    }
    return text
  }

  /// `Name | phone | url` (phone or url may be left out, but not both).
  static func signpost(
    _ token: ConfigToken, service: PolicySignpost.Service, file: String
  ) -> Result<PolicySignpost, ChildSafeError> {
    let key = service.policyKey
    let parts = token.split("|")
    func fail(_ message: String, _ at: ConfigToken) -> Result<PolicySignpost, ChildSafeError> {
      .failure(ChildSafeError(.invalidValue, "\(key): \(message)", at: at.location(in: file)))
    }
    guard parts.count <= 3 else {
      return fail("expected NAME | PHONE | URL, found \(parts.count) parts", parts[3])
    }
    let name = parts[0]
    guard !name.isEmpty, name.scalars.count <= 120 else {
      return fail("expected the service's name before the first '|', e.g. Childline | 0800 1111 | https://www.childline.org.uk", name)
    }
    var phone: String?
    var url: String?
    for part in parts.dropFirst() where !part.isEmpty && part.text != "-" {
      let text = part.text
      if text.lowercased().hasPrefix("https://") || text.lowercased().hasPrefix("http://") {
        guard url == nil, !text.contains(" "), text.count > 10 else {
          return fail("expected one web address starting with https://, found '\(text)'", part)
        }
        url = text
      } else {
        let digits = text.filter { $0.isASCII && $0.isNumber }.count
        let allowed = text.allSatisfy { ($0.isASCII && $0.isNumber) || " +-().".contains($0) }
        guard phone == nil, allowed, digits >= 3, digits <= 20 else {
          return fail("expected a phone number (digits, spaces, + - ( )) or a web address starting with https://, found '\(text)'", part)
        }
        phone = text
      }
    }
    if phone == nil && url == nil {
      return fail("expected a phone number or a web address after the name: NAME | PHONE | URL", token)
    }
    return .success(PolicySignpost(service: service, name: name.text, phone: phone, url: url))
  }
}
