import CChildSafe
import ChildSafe

/// The URL verdict for C callers. `flags` is a combination of cs_url_flags; unknown bits are refused,
/// so a newer caller's request is never silently ignored.
func checkURL(_ engine: OpaquePointer?, _ url: UnsafePointer<CChar>?, _ length: Int, flags: UInt32) throws(CAPIFailure)
  -> URLVerdict
{
  let known = UInt32(CS_URL_ALLOW_INVALID.rawValue)
  if flags & ~known != 0 { throw CAPIFailure.invalidArgument("unknown URL check flags 0x\(String(flags, radix: 16))") }
  let box = try EngineBox.from(engine)
  let text = try Input.text(url, length, limit: Input.maxURLBytes, what: "url")
  return box.engine.urls.check(text, allowInvalid: flags & UInt32(CS_URL_ALLOW_INVALID.rawValue) != 0)
}

@c @implementation
public func cs_url_check(
  _ engine: OpaquePointer?, _ url: UnsafePointer<CChar>?, _ len: Int,
  _ out: UnsafeMutablePointer<UnsafeMutablePointer<cs_url_verdict>?>?
) -> Int32 {
  cs_url_check_ex(engine, url, len, 0, out)
}

@c @implementation
public func cs_url_check_json(
  _ engine: OpaquePointer?, _ url: UnsafePointer<CChar>?, _ len: Int,
  _ out_json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
  cs_url_check_json_ex(engine, url, len, 0, out_json)
}

@c @implementation
public func cs_url_check_ex(
  _ engine: OpaquePointer?, _ url: UnsafePointer<CChar>?, _ len: Int, _ flags: UInt32,
  _ out: UnsafeMutablePointer<UnsafeMutablePointer<cs_url_verdict>?>?
) -> Int32 {
  out?.pointee = nil
  return boundary { () throws(CAPIFailure) in
    guard let out else { throw CAPIFailure.invalidArgument("out is NULL") }
    out.pointee = try Results.url(checkURL(engine, url, len, flags: flags))
  }
}

@c @implementation
public func cs_url_check_json_ex(
  _ engine: OpaquePointer?, _ url: UnsafePointer<CChar>?, _ len: Int, _ flags: UInt32,
  _ out_json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
  out_json?.pointee = nil
  return boundary { () throws(CAPIFailure) in
    guard let out_json else { throw CAPIFailure.invalidArgument("out_json is NULL") }
    try CBlock.deliver(Results.json(checkURL(engine, url, len, flags: flags).jsonMembers), to: out_json)
  }
}
