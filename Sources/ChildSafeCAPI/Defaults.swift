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

@c @implementation
public func cs_defaults_band_json(
  _ band: UnsafePointer<CChar>?, _ out_json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
  out_json?.pointee = nil
  return boundary { () throws(CAPIFailure) in
    guard let out_json else { throw CAPIFailure.invalidArgument("out_json is NULL") }
    guard let name = try Input.cString(band, limit: Input.maxIDBytes, what: "band") else {
      throw CAPIFailure.invalidArgument("band is NULL")
    }
    guard let ageBand = AgeBand(name: name) else {
      throw CAPIFailure.invalidValue(
        "no age band \"\(name)\"; expected one of \(AgeBand.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    try CBlock.deliver(AgeDefaults.settings(for: ageBand).json.serialized(), to: out_json)
  }
}

@c @implementation
public func cs_defaults_birth_date_json(
  _ birth_date: UnsafePointer<CChar>?, _ on_date: UnsafePointer<CChar>?,
  _ out_json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
  out_json?.pointee = nil
  return boundary { () throws(CAPIFailure) in
    guard let out_json else { throw CAPIFailure.invalidArgument("out_json is NULL") }
    guard let birth = try Input.cString(birth_date, limit: Input.maxIDBytes, what: "birth_date") else {
      throw CAPIFailure.invalidArgument("birth_date is NULL")
    }
    let on = try Input.cString(on_date, limit: Input.maxIDBytes, what: "on_date")
    let settings = try core { () throws(ChildSafeError) in
      let reference = try on.map { (text) throws(ChildSafeError) in try CalendarDate.parse(text) } ?? CalendarDate.today()
      return try AgeDefaults.settings(birthDate: CalendarDate.parse(birth), on: reference)
    }
    try CBlock.deliver(settings.json.serialized(), to: out_json)
  }
}
