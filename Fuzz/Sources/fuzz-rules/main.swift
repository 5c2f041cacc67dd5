import ChildSafe
import FuzzSupport

/// Messages classified by every engine the fuzzer manages to build.
let probes = [
  "hey how old r u? dont tell ur mom, its our secret",
  "s.e.c.r.e.t  m33t  me  after  school",
  "ok",
]

/// Any bytes as a rule pack "grooming/fuzz.rules" (every other path reads as the same text, so
/// includes and include cycles are exercised): loading collects diagnostics and never crashes; every
/// diagnostic is located inside the file; an engine builds exactly when there is no error; a built
/// engine classifies with spans inside the message and a score in [0, 1].
@_cdecl("fuzz_rules_main")
func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
  runFuzzer(argc, argv) { data, size in
    guard let text = String(validating: fuzzInput(data, size), as: UTF8.self) else { return 0 }
    let lineCount = text.utf8.reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
    let set = RuleSetLoader.load(roots: ["grooming/fuzz.rules"]) { path in
      path.hasPrefix("grooming/") && path.hasSuffix(".rules") ? text : nil
    }
    for diagnostic in set.diagnostics {
      precondition(!diagnostic.message.isEmpty, "a diagnostic without a message")
      if let location = diagnostic.location {
        precondition(location.line >= 1 && location.line <= lineCount && location.column >= 1, "diagnostic outside the file: \(diagnostic)")
      }
    }
    let engine: ClassifierEngine
    do {
      engine = try ClassifierEngine(ruleSet: set)
    } catch {
      precondition(!set.errors.isEmpty, "engine refused a rule set without errors: \(error)")
      return 0
    }
    precondition(set.errors.isEmpty, "engine built from a rule set with errors")
    for message in probes + [text] {
      guard let verdict = try? engine.classify(message) else { continue }
      precondition(verdict.score >= 0 && verdict.score <= 1, "score out of range")
      let count = message.utf8.count
      for match in verdict.matches {
        precondition(0 <= match.start && match.start <= match.end && match.end <= count, "span out of range")
      }
    }
    return 0
  }
}
