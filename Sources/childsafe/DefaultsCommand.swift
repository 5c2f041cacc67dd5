import ArgumentParser
import ChildSafe

struct DefaultsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "defaults",
    abstract: "Print the age-appropriate default settings for an age, a birth date or a band.",
    discussion: """
      With no --age, --birth-date or --band the age is unknown: the 13-15 defaults apply with \
      age_assured false. Bands: 0-5, 6-9, 10-12, 13-15, 16-17, 18+.
      """
  )

  // Unconditional, so that "--age -3" reaches the range check instead of reading as a missing value.
  @Option(parsing: .unconditional, help: "Age in completed years.")
  var age: Int?

  @Option(help: "Birth date, YYYY-MM-DD (the age is counted on --on, default today).")
  var birthDate: String?

  @Option(help: "Reference date for --birth-date, YYYY-MM-DD (default: today).")
  var on: String?

  @Option(help: "An age band: 0-5, 6-9, 10-12, 13-15, 16-17 or 18+.")
  var band: String?

  @Flag(help: "Print the settings record as JSON.")
  var json = false

  func validate() throws {
    if [age != nil, birthDate != nil, band != nil].filter({ $0 }).count > 1 {
      throw ValidationError("give only one of --age, --birth-date and --band")
    }
    if let age, !(0...150).contains(age) {
      throw ValidationError("--age must be from 0 to 150 (leave it out when the age is unknown)")
    }
    if let band, AgeBand(name: band) == nil {
      throw ValidationError("--band must be one of \(AgeBand.allCases.map(\.rawValue).joined(separator: ", "))")
    }
  }

  func run() throws {
    let settings: SafetySettings
    if let band, let ageBand = AgeBand(name: band) {
      settings = AgeDefaults.settings(for: ageBand)
    } else if let birthDate {
      let date = try on.map { try CalendarDate.parse($0) } ?? CalendarDate.today()
      settings = try AgeDefaults.settings(birthDate: CalendarDate.parse(birthDate), on: date)
    } else {
      settings = AgeDefaults.settings(forAge: age)
    }
    if json {
      print(settings.json.prettyPrinted())
      return
    }
    print(SettingsTable.heading(settings))
    print("")
    print(SettingsTable.defaults(settings))
  }
}

/// Readable tables of settings for parents.
enum SettingsTable {
  static func heading(_ settings: SafetySettings) -> String {
    if !settings.ageAssured {
      return "Age unknown: the \(settings.band) defaults apply until the age is assured (age_assured: false)."
    }
    if let age = settings.age { return "Defaults for age \(age) (band \(settings.band))." }
    return "Defaults for the \(settings.band) band."
  }

  /// Setting | Who can loosen | Value.
  static func defaults(_ settings: SafetySettings) -> String {
    let fixed = settings.ageBand.map { AgeDefaults.fixedSettings(for: $0) } ?? []
    var rows: [[String]] = [["Setting", "Who can loosen", "Value"]]
    for row in settings.settingRows where row.key != "locked" {
      let who =
        fixed.contains(row.key) ? "nobody (law)"
        : settings.isLocked(row.key) ? "locked (needs !)"
        : settings.ageBand == .adult ? "themself"
        : settings.whoCanLoosen == .teen ? "teen (warned)" : "parent"
      rows.append([row.label, who, row.value.description])
    }
    return format(rows)
  }

  /// How a value differs from the default, briefly: lists show what was added and removed.
  static func change(from before: SettingValue?, to after: SettingValue) -> String {
    guard case .names(let old)? = before, case .names(let new) = after else { return "default: \(before?.description ?? "?")" }
    var parts: [String] = []
    let removed = old.filter { !new.contains($0) }
    let added = new.filter { !old.contains($0) }
    if !removed.isEmpty { parts.append("removed: " + removed.joined(separator: ", ")) }
    if !added.isEmpty { parts.append("added: " + added.joined(separator: ", ")) }
    return parts.joined(separator: "; ")
  }

  /// Left-aligned columns, two spaces apart; the last column is not padded.
  static func format(_ rows: [[String]]) -> String {
    guard let columns = rows.map(\.count).max() else { return "" }
    var widths = [Int](repeating: 0, count: columns)
    for row in rows {
      // A long list (e.g. categories) overflows its cell rather than widening the whole column.
      for (i, cell) in row.enumerated() where i < columns - 1 && cell.count <= 32 {
        widths[i] = max(widths[i], cell.count)
      }
    }
    return rows.map { row in
      row.enumerated().map { i, cell in
        i == row.count - 1 ? cell : cell + String(repeating: " ", count: max(0, widths[i] - cell.count))
      }.joined(separator: "  ").replacingTrailingSpaces()
    }.joined(separator: "\n")
  }
}

extension String {
  func replacingTrailingSpaces() -> String {
    var copy = self
    while copy.last == " " { copy.removeLast() }
    return copy
  }
}
