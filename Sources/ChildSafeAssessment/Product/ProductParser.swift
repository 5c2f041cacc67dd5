import ChildSafe

/// Reads product description files: the `key = value` house style of family policy files, with
/// `[product]` and `[features]` sections and `feature@BAND = on|off` for a band's own default.
/// Every problem is reported with file:line:column and, for a misspelt name, the closest known one.
public enum ProductParser {
  static let productKeys = [
    "name", "ages", "adults", "age_assurance", "childsafe", "assessed_on", "reassess_months", "owner",
  ]
  static let requiredKeys = ["name", "ages", "age_assurance", "assessed_on"]
  static let sections = ["product", "features"]

  /// Parses a whole file; throws the first error (in file order).
  public static func parse(_ text: String, file: String) throws(ChildSafeError) -> ProductDescription {
    var errors: [ChildSafeError] = []
    let product = read(text, file: file, errors: &errors)
    if let first = errors.first { throw first }
    return product!
  }

  /// Every error in the file (at most 100).
  public static func lint(_ text: String, file: String) -> [ChildSafeError] {
    var errors: [ChildSafeError] = []
    _ = read(text, file: file, errors: &errors)
    return Array(errors.prefix(100))
  }

  static func read(_ text: String, file: String, errors: inout [ChildSafeError]) -> ProductDescription? {
    let lines = ConfigText.lines(text, file: file, errors: &errors)
    var section = "product"
    var seen: [String: ConfigToken] = [:]
    var values: [String: ConfigToken] = [:]
    var featureLines: [(feature: ProductFeature, band: ConfigToken?, value: Bool, token: ConfigToken)] = []
    var seenFeatureKeys: Set<String> = []
    func fail(_ message: String, _ token: ConfigToken) {
      errors.append(ChildSafeError(.syntax, message, at: token.location(in: file)))
    }
    for line in lines {
      switch line {
      case .section(let kind, let name):
        let k = kind.lowercased
        if !sections.contains(k) || name != nil {
          fail("unknown section '[\(kind.text)\(name.map { " " + $0.text } ?? "")]'; expected [product] or [features]"
            + EditDistance.hint(for: k, among: sections), kind)
        } else {
          section = k
        }
      case .entry(let key, let marker, let value):
        if let marker { fail("'!' has no meaning in a product file", marker) }
        let name = key.lowercased
        if section == "product" {
          guard productKeys.contains(name) else {
            fail("unknown product key '\(key.text)'" + hint(for: name, among: productKeys)
              + " (known: \(productKeys.joined(separator: ", ")))", key)
            continue
          }
          if let first = seen[name] {
            fail("'\(name)' is already set on line \(first.line)", key)
            continue
          }
          seen[name] = key
          values[name] = value
        } else {
          let parts = key.split("@")
          let featureName = parts[0].lowercased
          guard parts.count <= 2, let feature = ProductFeature(rawValue: featureName) else {
            fail("unknown feature '\(parts[0].text)'" + hint(for: featureName, among: ProductFeature.allCases.map(\.rawValue))
              + " (known: \(ProductFeature.allCases.map(\.rawValue).joined(separator: ", ")))", parts[0])
            continue
          }
          let band = parts.count == 2 ? parts[1] : nil
          if let band, AgeBand(name: band.text) == nil {
            fail("unknown age band '\(band.text)'; expected one of \(AgeBand.allCases.map(\.rawValue).joined(separator: ", "))", band)
            continue
          }
          let normalisedKey = featureName + "@" + (band.map { AgeBand(name: $0.text)!.rawValue } ?? "*")
          if !seenFeatureKeys.insert(normalisedKey).inserted {
            fail("'\(key.text)' is set twice", key)
            continue
          }
          switch value.lowercased {
          case "on", "yes", "true": featureLines.append((feature, band, true, key))
          case "off", "no", "false": featureLines.append((feature, band, false, key))
          default: fail("\(feature): expected on or off, found '\(value.text)'", value)
          }
        }
      }
    }
    for key in requiredKeys where values[key] == nil {
      errors.append(
        ChildSafeError(.syntax, "missing '\(key)' in [product]", at: SourceLocation(file: file, line: 1, column: 1)))
    }
    var bands: [AgeBand] = []
    if let ages = values["ages"] { bands = parseAges(ages, file: file, errors: &errors) }
    var adults = false
    if let token = values["adults"] {
      switch token.lowercased {
      case "yes", "on", "true": adults = true
      case "no", "off", "false": adults = false
      default: fail("adults: expected yes or no, found '\(token.text)'", token)
      }
    }
    var assurance = AgeAssurance.none
    if let token = values["age_assurance"] {
      let names = AgeAssurance.allCases.map(\.rawValue)
      if let value = AgeAssurance(rawValue: token.lowercased) {
        assurance = value
      } else {
        fail("age_assurance: unknown value '\(token.text)'" + hint(for: token.lowercased, among: names)
          + " (known: \(names.joined(separator: ", ")))", token)
      }
    }
    var parts: Set<ChildSafePart> = []
    if let token = values["childsafe"], token.lowercased != "none" {
      let names = ChildSafePart.allCases.map(\.rawValue)
      for item in token.split(",") {
        if let part = ChildSafePart(rawValue: item.lowercased) {
          parts.insert(part)
        } else {
          fail("childsafe: unknown part '\(item.text)'" + hint(for: item.lowercased, among: names)
            + " (known: \(names.joined(separator: ", ")))", item)
        }
      }
    }
    var assessedOn = try! CalendarDate(year: 2000, month: 1, day: 1)
    if let token = values["assessed_on"] {
      do { assessedOn = try CalendarDate.parse(token.text) } catch {
        fail("assessed_on: \(error.message)", token)
      }
    }
    var months = 12
    if let token = values["reassess_months"] {
      if let n = Int(token.text), (1...24).contains(n) { months = n } else {
        fail("reassess_months: expected a whole number of months from 1 to 24, found '\(token.text)'", token)
      }
    }
    var features: [ProductFeature: [AgeBand: Bool]] = [:]
    // Lines for every band first, then a band's own lines, whatever their order in the file.
    for line in featureLines where line.band == nil {
      features[line.feature] = Dictionary(uniqueKeysWithValues: bands.map { ($0, line.value) })
    }
    for line in featureLines {
      guard let bandToken = line.band, let band = AgeBand(name: bandToken.text) else { continue }
      guard bands.contains(band) else {
        fail("\(line.feature)@\(band): the product does not serve \(band) (ages = \(bands.map(\.rawValue).joined(separator: ", ")))", bandToken)
        continue
      }
      // A band line alone means the feature exists, off for the other bands.
      var perBand = features[line.feature] ?? Dictionary(uniqueKeysWithValues: bands.map { ($0, false) })
      perBand[band] = line.value
      features[line.feature] = perBand
    }
    // Reported in file order, whichever pass found them.
    errors.sort { a, b in
      let x = a.location ?? SourceLocation(file: file, line: 0, column: 0)
      let y = b.location ?? SourceLocation(file: file, line: 0, column: 0)
      return (x.line, x.column) < (y.line, y.column)
    }
    guard errors.isEmpty else { return nil }
    return ProductDescription(
      name: values["name"]!.text, bands: bands, adultsPresent: adults, ageAssurance: assurance,
      childSafeParts: parts, assessedOn: assessedOn, reassessMonths: months,
      owner: values["owner"]?.text ?? "the product owner", features: features)
  }

  /// "; did you mean 'x'?" for a typo (edit distance) or a different ending of the same word
  /// ("self_declared" for "self_declaration"), else "".
  static func hint(for word: String, among candidates: [String]) -> String {
    if let close = EditDistance.suggestion(for: word, among: candidates) { return "; did you mean '\(close)'?" }
    let stem = word.unicodeScalars.prefix(max(5, word.unicodeScalars.count - 3))
    if word.unicodeScalars.count >= 5,
      let match = candidates.first(where: { $0.unicodeScalars.starts(with: stem) })
    {
      return "; did you mean '\(match)'?"
    }
    return ""
  }

  /// `ages = 13-17` (whole years, served bands derived) or `ages = 13-15, 16-17` (band names).
  static func parseAges(_ token: ConfigToken, file: String, errors: inout [ChildSafeError]) -> [AgeBand] {
    var bands: Set<AgeBand> = []
    for item in token.split(",") {
      if let band = AgeBand(name: item.text), band.isMinor, band.rawValue == item.text {
        bands.insert(band)
        continue
      }
      let ends = item.split("-")
      if ends.count == 2, let low = Int(ends[0].text), let high = Int(ends[1].text), low >= 0, low <= high, high <= 17 {
        for age in low...high { if let band = AgeBand(age: age) { bands.insert(band) } }
        continue
      }
      errors.append(
        ChildSafeError(
          .syntax,
          "ages: expected a range of ages under 18 such as 13-17, or band names (\(AgeBand.allCases.filter(\.isMinor).map(\.rawValue).joined(separator: ", "))), found '\(item.text)'; adults are declared with 'adults = yes'",
          at: item.location(in: file)))
    }
    return bands.sorted()
  }
}
