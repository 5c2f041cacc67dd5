import CChildSafe
import ChildSafe

func settings(forAge age: Int32) throws(CAPIFailure) -> SafetySettings {
  AgeDefaults.settings(forAge: try Input.age(Int(age), what: "age"))
}

@c @implementation
public func cs_defaults_get(_ age: Int32, _ out: UnsafeMutablePointer<UnsafeMutablePointer<cs_defaults>?>?) -> Int32 {
  out?.pointee = nil
  return boundary { () throws(CAPIFailure) in
    guard let out else { throw CAPIFailure.invalidArgument("out is NULL") }
    out.pointee = try Results.defaults(settings(forAge: age))
  }
}

@c @implementation
public func cs_defaults_json(_ age: Int32, _ out_json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
  out_json?.pointee = nil
  return boundary { () throws(CAPIFailure) in
    guard let out_json else { throw CAPIFailure.invalidArgument("out_json is NULL") }
    try CBlock.deliver(settings(forAge: age).json.serialized(), to: out_json)
  }
}

@c @implementation
public func cs_defaults_setting_json(
  _ age: Int32, _ name: UnsafePointer<CChar>?, _ out_json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
  out_json?.pointee = nil
  return boundary { () throws(CAPIFailure) in
    guard let out_json else { throw CAPIFailure.invalidArgument("out_json is NULL") }
    guard let key = try Input.cString(name, limit: Input.maxIDBytes, what: "name") else {
      throw CAPIFailure.invalidArgument("name is NULL")
    }
    guard let value = try settings(forAge: age).json[key] else {
      throw CAPIFailure(CS_ERR_NOT_FOUND, "no default setting named \"\(key)\"")
    }
    try CBlock.deliver(value.serialized(), to: out_json)
  }
}
