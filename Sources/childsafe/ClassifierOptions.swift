#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ArgumentParser
import ChildSafe

/// `--rules DIR` and `--replace-defaults`, shared by check, conversation, explain and lint.
struct RulesOptions: ParsableArguments {
  @Option(name: .customLong("rules"), help: ArgumentHelp("A rules directory that extends the embedded packs.", valueName: "DIR"))
  var directory: String?

  @Flag(help: "Use only the packs of --rules DIR, not the embedded ones.")
  var replaceDefaults = false

  @Option(name: .customLong("model"), help: ArgumentHelp("A model file from 'childsafe train' combined with the rules (repeatable: one per level).", valueName: "FILE"))
  var models: [String] = []

  /// Whether the packs of --rules DIR extend or replace the embedded ones, once the options are
  /// checked (--replace-defaults needs a directory). Every command that loads rules asks here.
  func validatedMode() throws -> ClassifierEngine.RulesMode {
    if replaceDefaults && directory == nil { throw ValidationError("--replace-defaults needs --rules DIR") }
    if let directory { try RulesOptions.checkExists(directory, option: "--rules") }
    return replaceDefaults ? .replace : .extend
  }

  /// A missing path is named as such, rather than as "not a directory of rule files".
  static func checkExists(_ path: String, option: String) throws(ChildSafeError) {
    if !FileSystem.exists(path) { throw ChildSafeError(.io, "\(option) \(path): no such directory") }
  }

  func makeEngine() throws -> ClassifierEngine {
    let mode = try validatedMode()
    guard let directory else { return try ClassifierEngine().adding(modelFiles: models) }
    return try ClassifierEngine(directory: directory, mode: mode).adding(modelFiles: models)
  }
}

/// Options that describe the message being checked.
struct MessageContextOptions: ParsableArguments {
  @Option(help: "Age of the sender in years.")
  var senderAge: Int?

  @Option(help: "Age of the recipient in years.")
  var recipientAge: Int?

  @Option(help: "Language code (ISO 639-1) selecting that pack plus common rules; default: all packs.")
  var lang: String?

  @Option(help: "Where the text comes from: chat (a message) or query (a search box).")
  var context: String = "chat"

  @Flag(help: "The sender is a contact a parent approved: meeting plans and compliments are not signals.")
  var senderTrusted = false

  var messageContext: MessageContext {
    get throws {
      guard let kind = TextContext(rawValue: context) else {
        throw ValidationError("--context must be chat or query")
      }
      return MessageContext(
        senderAge: senderAge, recipientAge: recipientAge, language: lang, context: kind, senderTrusted: senderTrusted)
    }
  }
}

/// Options that configure interventions: who is told what, in which language, with which helplines.
struct InterventionOptions: ParsableArguments {
  @Option(help: "Locale of safety messages (en, es, fr, de, pt, it...; default: the policy's, else en).")
  var locale: String?

  @Option(help: "Country (ISO 3166-1 code such as GB) whose helplines are signposted.")
  var country: String?

  @Option(help: ArgumentHelp("A family policy file: its locale, country and helplines apply.", valueName: "FILE"))
  var policy: String?

  @Option(help: "The child in --policy whose settings apply (default: the family-wide ones).")
  var child: String?

  @Option(help: ArgumentHelp(
    "With --jsonl: after an intervention, seconds of message time (\"t\") before the same audience of the same conversation gets another, unless the risk rises (0: no wait).",
    valueName: "SECS"))
  var rateLimitSeconds: Double = RateLimit().minimumSeconds

  @Option(help: ArgumentHelp(
    "With --jsonl: after an intervention, messages of the conversation before the same audience gets another, unless the risk rises (0: no wait).",
    valueName: "N"))
  var rateLimitMessages: Int = RateLimit().minimumMessages

  func makeEngine(rules: RulesOptions) throws -> SafetyEngine {
    let mode = try rules.validatedMode()
    if child != nil && policy == nil { throw ValidationError("--child needs --policy FILE") }
    guard rateLimitSeconds.isFinite, rateLimitSeconds >= 0 else {
      throw ValidationError("--rate-limit-seconds must be a number of seconds, 0 or more")
    }
    guard rateLimitMessages >= 0 else { throw ValidationError("--rate-limit-messages must be 0 or more") }
    return try SafetyEngine(
      SafetyEngine.Configuration(
        rulesDirectory: rules.directory, rulesMode: mode, policyPath: policy,
        child: child, locale: locale, country: country,
        rateLimit: RateLimit(minimumSeconds: rateLimitSeconds, minimumMessages: rateLimitMessages), models: rules.models))
  }
}

enum Terminal {
  static var colours: Bool { isatty(1) != 0 && getenv("NO_COLOR") == nil }
  static func bold(_ s: String) -> String { colours ? "\u{1B}[1;31m" + s + "\u{1B}[0m" : s }
}

/// Text with the byte spans marked: «...» (bold red on a terminal).
func highlighted(_ text: String, spans: [(Int, Int)]) -> String {
  let bytes = Array(text.utf8)
  var merged: [(Int, Int)] = []
  for (s, e) in spans.sorted(by: { $0.0 < $1.0 }) where s < e && e <= bytes.count {
    if let last = merged.last, s <= last.1 { merged[merged.count - 1].1 = max(last.1, e) } else { merged.append((s, e)) }
  }
  var out = ""
  var position = 0
  for (s, e) in merged {
    out += String(decoding: bytes[position..<s], as: UTF8.self)
    let inner = String(decoding: bytes[s..<e], as: UTF8.self)
    out += Terminal.colours ? Terminal.bold(inner) : "«" + inner + "»"
    position = e
  }
  out += String(decoding: bytes[position...], as: UTF8.self)
  return out
}

func formatWeight(_ w: Double) -> String {
  let r = (w * 100).rounded() / 100
  var s = String(r)
  if let dot = s.firstIndex(of: ".") {
    let decimals = s.distance(from: dot, to: s.endIndex) - 1
    if decimals < 2 { s += String(repeating: "0", count: 2 - decimals) }
  }
  return s
}

/// The answer to an input line that is not valid UTF-8.
let invalidLineJSON = VerdictJSON.error(id: .null, ChildSafeError(.invalidUTF8, "input line is not valid UTF-8"))

/// The same, located at the line's first invalid byte in the stream (the column counts characters,
/// as JSON syntax errors' columns do).
func invalidLineJSON(_ line: ArraySlice<UInt8>, lineNumber: Int) -> JSONValue {
  var decoder = UTF8()
  var iterator = line.makeIterator()
  var column = 1
  decoding: while true {
    switch decoder.decode(&iterator) {
    case .scalarValue: column += 1
    case .emptyInput, .error: break decoding
    }
  }
  let location = SourceLocation(file: CheckStream.inputName, line: lineNumber, column: column)
  return VerdictJSON.error(id: .null, ChildSafeError(.invalidUTF8, "input line is not valid UTF-8", at: location))
}

/// Prints one output line of a stream and flushes it, so that a reader sees each answer at once.
func printStreamLine(_ value: JSONValue) {
  print(value.serialized())
  fflush(nil)
}

/// What a message-level model made of a message: its score and the features that raised it most,
/// as byte spans (and, for `explain`, which the user asked for, the text of each span).
func modelSummary(_ model: ModelAssessment, text: String? = nil) -> String {
  var lines = [
    "model: score \(formatWeight(model.score)), \(model.acts ? "acts" : "does not act") (threshold \(formatWeight(model.threshold)))"
  ]
  let bytes = text.map { Array($0.utf8) }
  for f in model.features {
    var line = "  \(f.kind)  +\(formatWeight(f.weight))  bytes \(f.start)..<\(f.end)"
    if let bytes, f.start <= f.end, f.end <= bytes.count {
      line += "  \"\(String(decoding: bytes[f.start..<f.end], as: UTF8.self))\""
    }
    lines.append(line)
  }
  return lines.joined(separator: "\n")
}
