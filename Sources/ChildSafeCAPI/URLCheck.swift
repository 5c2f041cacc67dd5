import CChildSafe
import ChildSafe

func checkURL(_ engine: OpaquePointer?, _ url: UnsafePointer<CChar>?, _ length: Int) throws(CAPIFailure) -> URLVerdict {
  let box = try EngineBox.from(engine)
  let text = try Input.text(url, length, limit: Input.maxURLBytes, what: "url")
  return box.engine.checkURL(text)
}

@c @implementation
public func cs_url_check(
  _ engine: OpaquePointer?, _ url: UnsafePointer<CChar>?, _ len: Int,
  _ out: UnsafeMutablePointer<UnsafeMutablePointer<cs_url_verdict>?>?
) -> Int32 {
  out?.pointee = nil
  return boundary { () throws(CAPIFailure) in
    guard let out else { throw CAPIFailure.invalidArgument("out is NULL") }
    out.pointee = try Results.url(checkURL(engine, url, len))
  }
}

@c @implementation
public func cs_url_check_json(
  _ engine: OpaquePointer?, _ url: UnsafePointer<CChar>?, _ len: Int,
  _ out_json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
  out_json?.pointee = nil
  return boundary { () throws(CAPIFailure) in
    guard let out_json else { throw CAPIFailure.invalidArgument("out_json is NULL") }
    try CBlock.deliver(Results.json(checkURL(engine, url, len).jsonMembers), to: out_json)
  }
}
