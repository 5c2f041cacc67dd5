/// Help services per country, read from `deterrence/signposts.list`:
///
///     # COUNTRY SERVICE = name | phone | url
///     GB deterrence = Stop It Now | 0808 1000 900 | https://www.stopitnow.org.uk
///     *  children   = Child Helpline International | | https://childhelplineinternational.org
///
/// COUNTRY is an ISO 3166-1 alpha-2 code or `*` (any other country); SERVICE is deterrence,
/// children or parents. Phone and URL may be empty; a URL must start with https:// or http://.
public struct SignpostDirectory: Sendable {
  public static let anyCountry = "*"

  var entries: [String: [SignpostService: Signpost]]

  /// The countries listed (without `*`), sorted.
  public var countries: [String] { entries.keys.filter { $0 != SignpostDirectory.anyCountry }.sorted() }

  public init(entries: [String: [SignpostService: Signpost]] = [:]) { self.entries = entries }

  /// Parses every `deterrence/*signposts*.list` file of `files`; a later file may not repeat an entry.
  public init(files: RuleFiles) throws(ChildSafeError) {
    entries = [:]
    var seen: [String: String] = [:]
    for file in files.under("deterrence/") where file.path.hasSuffix(".list") && file.path.contains("signposts") {
      for line in CatalogLine.split(file.text) where !line.isBlankOrComment {
        let (country, service, signpost) = try SignpostDirectory.parse(line, file: file.path)
        let key = country + " " + service.rawValue
        let here = "\(file.path):\(line.number)"
        if let previous = seen[key] {
          throw ChildSafeError(
            .syntax, "duplicate signpost \(country) \(service) (first at \(previous))",
            at: SourceLocation(file: file.path, line: line.number, column: line.skipSpaces(from: 0) + 1))
        }
        seen[key] = here
        entries[country, default: [:]][service] = signpost
      }
    }
  }

  static func parse(_ line: CatalogLine, file: String) throws(ChildSafeError) -> (String, SignpostService, Signpost) {
    func location(_ index: Int) -> SourceLocation { SourceLocation(file: file, line: line.number, column: index + 1) }
    guard let (head, _, valueStart) = splitKeyValue(line) else {
      throw ChildSafeError(.syntax, "expected 'COUNTRY SERVICE = name | phone | url'", at: location(line.skipSpaces(from: 0)))
    }
    let start = line.skipSpaces(from: 0)
    let words = head.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    guard words.count == 2 else {
      throw ChildSafeError(.syntax, "expected a country code and a service before '='", at: location(start))
    }
    let country = words[0].uppercased()
    guard country == anyCountry
      || (country.unicodeScalars.count == 2 && country.unicodeScalars.allSatisfy { $0 >= "A" && $0 <= "Z" })
    else {
      throw ChildSafeError(.syntax, "'\(words[0])' is not a two-letter country code or '*'", at: location(start))
    }
    guard let service = SignpostService(rawValue: words[1]) else {
      let serviceColumn = (line.scalars[start...].firstIndex(where: CatalogLine.isSpace).map { line.skipSpaces(from: $0) }) ?? start
      let known = SignpostService.allCases.map(\.rawValue)
      let hint = closestWord(to: words[1], in: known).map { "; did you mean \($0)?" } ?? ""
      throw ChildSafeError(
        .syntax, "unknown service '\(words[1])'\(hint) (expected \(known.joined(separator: ", ")))",
        at: location(serviceColumn))
    }
    // Fields separated by '|', with their columns for error messages.
    var fields: [(String, Int)] = []
    var fieldStart = valueStart
    var i = valueStart
    let end = line.trimmedEnd
    while i <= end {
      if i == end || line.scalars[i] == "|" {
        let s = line.skipSpaces(from: fieldStart)
        var e = i
        while e > s && CatalogLine.isSpace(line.scalars[e - 1]) { e -= 1 }
        fields.append((s < e ? line.text(s..<e) : "", s))
        fieldStart = i + 1
      }
      i += 1
    }
    guard fields.count == 3 else {
      throw ChildSafeError(
        .syntax, "expected 3 fields 'name | phone | url' (empty phone or url allowed), found \(fields.count)",
        at: location(valueStart))
    }
    guard !fields[0].0.isEmpty else { throw ChildSafeError(.syntax, "the service name is empty", at: location(fields[0].1)) }
    let url = fields[2].0
    if !url.isEmpty && !(url.hasPrefix("https://") || url.hasPrefix("http://")) {
      throw ChildSafeError(.syntax, "expected a URL starting with https:// or http://", at: location(fields[2].1))
    }
    return (country, service, Signpost(name: fields[0].0, phone: fields[1].0, url: url))
  }

  /// The signpost for `service` in `country` (ISO code, any case), else the `*` entry, else nil.
  public func signpost(_ service: SignpostService, country: String?) -> Signpost? {
    if let country, let found = entries[country.uppercased()]?[service] { return found }
    return entries[SignpostDirectory.anyCountry]?[service]
  }
}
