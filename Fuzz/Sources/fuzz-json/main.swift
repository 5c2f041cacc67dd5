import ChildSafe
import FuzzSupport

/// Any bytes: the JSON reader must parse or throw; what it parses must read back the same after writing.
@_cdecl("fuzz_json_main")
func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
  runFuzzer(argc, argv) { data, size in
    if let value = try? JSONValue.parse(bytes: fuzzInput(data, size)) {
      let again = try? JSONValue.parse(value.serialized())
      precondition(again == value, "JSON round trip changed the value")
    }
    return 0
  }
}
