import ChildSafe

/// Reads `.risks` files: one `[risk ID]` section per risk, `key = value` lines, lists separated by
/// commas (sources by `;`, as a source's name may hold a comma).
enum CatalogueParser {
  static let keys = [
    "area", "title", "harm", "needs", "missing", "likelihood", "severity", "settings", "classifier", "urls",
    "interventions", "protections", "sources",
  ]
  static let required = ["area", "title", "harm", "likelihood", "severity", "sources"]

  static func read(files: [(path: String, text: String)], errors: inout [ChildSafeError]) -> RiskCatalogue {
    var entries: [RiskEntry] = []
    var ids: [String: SourceLocation] = [:]
    var hashes: [(path: String, sha256: String)] = []
    for (path, text) in files {
      hashes.append((path, SHA256.hash(Array(text.utf8)).map { hex($0) }.joined()))
      for entry in read(text, file: path, errors: &errors) {
        if let first = ids[entry.id] {
          errors.append(ChildSafeError(.syntax, "risk '\(entry.id)' is already defined at \(first)", at: entry.location))
        } else {
          ids[entry.id] = entry.location
          entries.append(entry)
        }
      }
    }
    return RiskCatalogue(entries: entries, files: hashes)
  }

  static func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
  }

  static func read(_ text: String, file: String, errors: inout [ChildSafeError]) -> [RiskEntry] {
    let lines = ConfigText.lines(text, file: file, errors: &errors)
    var sections: [(id: ConfigToken, values: [String: ConfigToken])] = []
    func fail(_ message: String, _ token: ConfigToken) {
      errors.append(ChildSafeError(.syntax, message, at: token.location(in: file)))
    }
    for line in lines {
      switch line {
      case .section(let kind, let name):
        guard kind.lowercased == "risk", let name else {
          fail("expected a section [risk ID], found '[\(kind.text)\(name.map { " " + $0.text } ?? "")]'", kind)
          continue
        }
        if !name.scalars.allSatisfy({ ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "-" || $0 == "." }) {
          fail("risk id '\(name.text)': use a-z, 0-9, '-' and '.'", name)
        }
        sections.append((name, [:]))
      case .entry(let key, _, let value):
        guard !sections.isEmpty else {
          fail("'\(key.text)' is outside a [risk ID] section", key)
          continue
        }
        let name = key.lowercased
        guard keys.contains(name) else {
          fail("unknown key '\(key.text)'" + EditDistance.hint(for: name, among: keys) + " (known: \(keys.joined(separator: ", ")))", key)
          continue
        }
        if sections[sections.count - 1].values[name] != nil {
          fail("'\(name)' is already set for risk '\(sections[sections.count - 1].id.text)'", key)
          continue
        }
        sections[sections.count - 1].values[name] = value
      }
    }
    var entries: [RiskEntry] = []
    for (id, values) in sections {
      let before = errors.count
      for key in required where values[key] == nil {
        fail("risk '\(id.text)' has no '\(key)'", id)
      }
      if errors.count > before { continue }
      if let entry = entry(id: id, values: values, file: file, fail: fail) { entries.append(entry) }
    }
    return entries
  }

  static func entry(
    id: ConfigToken, values: [String: ConfigToken], file: String, fail: (String, ConfigToken) -> Void
  ) -> RiskEntry? {
    var ok = true
    func check(_ message: String, _ token: ConfigToken) {
      ok = false
      fail(message, token)
    }
    let areaToken = values["area"]!
    let areaNames = RiskArea.allCases.map(\.rawValue)
    let area = RiskArea(rawValue: areaToken.lowercased)
    if area == nil {
      check("area: unknown area '\(areaToken.text)'" + EditDistance.hint(for: areaToken.lowercased, among: areaNames)
        + " (known: \(areaNames.joined(separator: ", ")))", areaToken)
    }
    func score(_ key: String) -> Int {
      let token = values[key]!
      guard let n = Int(token.text), (1...5).contains(n) else {
        check("\(key): expected a whole number from 1 to 5, found '\(token.text)'", token)
        return 1
      }
      return n
    }
    func names(_ key: String, known: [String], what: String) -> [String] {
      guard let token = values[key], token.lowercased != "none" else { return [] }
      var result: [String] = []
      for item in token.split(",") {
        let name = item.lowercased
        if known.contains(name) {
          result.append(name)
        } else {
          check("\(key): unknown \(what) '\(item.text)'" + EditDistance.hint(for: name, among: known)
            + " (known: \(known.joined(separator: ", ")))", item)
        }
      }
      return result
    }
    let featureNames = ProductFeature.allCases.map(\.rawValue)
    let needs = names("needs", known: featureNames, what: "feature").compactMap(ProductFeature.init(rawValue:))
    let missing = names("missing", known: featureNames, what: "feature").compactMap(ProductFeature.init(rawValue:))
    let protections = names("protections", known: featureNames, what: "feature").compactMap(ProductFeature.init(rawValue:))
    for feature in protections where !feature.isProtective {
      check("protections: '\(feature)' is not a protective feature (reporting, blocking, parental_tools)", values["protections"]!)
    }
    let urls = names("urls", known: AgeDefaults.categories + ["abuse"], what: "URL category")
    let entry = RiskEntry(
      id: id.text, area: area ?? .content, title: values["title"]!.text, harm: values["harm"]!.text,
      needs: needs, missing: missing, likelihood: score("likelihood"), severity: score("severity"),
      settings: names("settings", known: SafetySettings.settingKeys, what: "setting"),
      classifier: names("classifier", known: Category.builtIn.map(\.name), what: "classifier category"),
      urlCategories: urls,
      interventions: names("interventions", known: InterventionKind.allCases.map(\.rawValue), what: "intervention kind"),
      protections: protections,
      sources: values["sources"]!.split(";").map(\.text).filter { !$0.isEmpty },
      location: id.location(in: file))
    return ok ? entry : nil
  }
}
