import ChildSafe
import FuzzSupport

/// Any bytes: the normaliser must return tokens or a ChildSafeError, never crash, and every token
/// span must lie inside the input.
@_cdecl("fuzz_normalize_main")
func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
  runFuzzer(argc, argv) { data, size in
    let bytes = fuzzInput(data, size)
    if let result = try? Normalizer().normalize(utf8: bytes) {
      for token in result.tokens {
        precondition(0 <= token.start && token.start <= token.end && token.end <= size, "span out of range")
      }
    }
    return 0
  }
}
