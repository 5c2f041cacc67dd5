import CChildSafe
import ChildSafe
import Glibc

/// What a cs_engine handle points to: the immutable SafetyEngine (classifier, query rules,
/// interventions, URL filter, family policy), the façade the CLI uses, so both give the same
/// verdicts, interventions and JSON. Retained once per handle and once per session, so a session
/// outlives cs_engine_close() safely.
final class EngineBox: Sendable {
  let engine: SafetyEngine

  init(engine: SafetyEngine) {
    self.engine = engine
  }

  static func from(_ handle: OpaquePointer?) throws(CAPIFailure) -> EngineBox {
    guard let handle else { throw CAPIFailure.invalidArgument("engine is NULL") }
    return Unmanaged<EngineBox>.fromOpaque(UnsafeRawPointer(handle)).takeUnretainedValue()
  }

  /// The size of the first published cs_engine_options (up to url_categories): callers built
  /// against that header keep working, with the later members at their defaults.
  static let firstOptionsSize =
    (MemoryLayout<cs_engine_options>.offset(of: \cs_engine_options.url_categories) ?? 32)
    + MemoryLayout<UnsafePointer<CChar>?>.size

  /// Validates the caller's options and builds the SafetyEngine configuration from them.
  static func configuration(_ pointer: UnsafePointer<cs_engine_options>) throws(CAPIFailure)
    -> SafetyEngine.Configuration
  {
    var defaults = cs_engine_options()
    cs_engine_options_init(&defaults)
    let o = try Input.sized(
      pointer, defaults: defaults, minimum: firstOptionsSize, name: "cs_engine_options",
      initialiser: "cs_engine_options_init()")
    let path = Int(PATH_MAX)
    var configuration = SafetyEngine.Configuration()
    configuration.rulesDirectory = try Input.cString(o.rules_path, limit: path, what: "rules_path")
    if o.url_list_count != 0 {
      // A size_t above Int.max arrives negative: too large, like any count over the limit.
      guard o.url_list_count > 0, o.url_list_count <= 4096 else {
        throw CAPIFailure(CS_ERR_TOO_LARGE, "url_list_count is larger than 4096")
      }
      guard let array = o.url_lists else { throw CAPIFailure.invalidArgument("url_lists is NULL but url_list_count > 0") }
      for index in 0..<o.url_list_count {
        guard let list = try Input.cString(array[index], limit: path, what: "url_lists[\(index)]") else {
          throw CAPIFailure.invalidArgument("url_lists[\(index)] is NULL")
        }
        configuration.lists.append(list)
      }
    }
    // Category names no list uses are kept: they block nothing (a band may name a category this
    // deployment has no list for), exactly as in the URL filter and the CLI.
    configuration.categories = try Input.cString(o.url_categories, limit: Input.maxJSONBytes, what: "url_categories").map {
      Set($0.split(separator: ",").map { String($0.filter { $0 != " " && $0 != "\t" }) }.filter { !$0.isEmpty })
    }
    configuration.policyPath = try Input.cString(o.policy_path, limit: path, what: "policy_path")
    configuration.child = try Input.cString(o.child, limit: Input.maxIDBytes, what: "child")
    configuration.locale = try Input.cString(o.locale, limit: Input.maxIDBytes, what: "locale")
    configuration.country = try Input.cString(o.country, limit: Input.maxIDBytes, what: "country")
    if o.replace_defaults != 0 {
      guard configuration.rulesDirectory != nil else {
        throw CAPIFailure.invalidArgument("replace_defaults needs rules_path (the rules to use instead)")
      }
      configuration.rulesMode = .replace
    }
    if configuration.child != nil && configuration.policyPath == nil {
      throw CAPIFailure.invalidArgument("child needs policy_path (the family policy that names the child)")
    }
    return configuration
  }
}

@c @implementation
public func cs_engine_open(
  _ rules_path: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<OpaquePointer?>?,
  _ errmsg: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
  var options = cs_engine_options()
  cs_engine_options_init(&options)
  options.rules_path = rules_path
  return cs_engine_open_ex(&options, out, errmsg)
}

@c @implementation
public func cs_engine_open_ex(
  _ opts: UnsafePointer<cs_engine_options>?, _ out: UnsafeMutablePointer<OpaquePointer?>?,
  _ errmsg: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
  out?.pointee = nil
  return boundary(errmsg) { () throws(CAPIFailure) in
    guard let out else { throw CAPIFailure.invalidArgument("out is NULL") }
    guard let opts else { throw CAPIFailure.invalidArgument("opts is NULL") }
    let configuration = try EngineBox.configuration(opts)
    let engine = try core { () throws(ChildSafeError) in try SafetyEngine(configuration) }
    out.pointee = OpaquePointer(Unmanaged.passRetained(EngineBox(engine: engine)).toOpaque())
  }
}

@c @implementation
public func cs_engine_with_model(
  _ engine: OpaquePointer?, _ model_path: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<OpaquePointer?>?,
  _ errmsg: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
  out?.pointee = nil
  return boundary(errmsg) { () throws(CAPIFailure) in
    guard let out else { throw CAPIFailure.invalidArgument("out is NULL") }
    let box = try EngineBox.from(engine)
    guard let path = try Input.cString(model_path, limit: Int(PATH_MAX), what: "model_path") else {
      throw CAPIFailure.invalidArgument("model_path is NULL")
    }
    let model = try core { () throws(ChildSafeError) in try LinearModel(contentsOf: path) }
    out.pointee = OpaquePointer(Unmanaged.passRetained(EngineBox(engine: box.engine.adding(model))).toOpaque())
  }
}

@c @implementation
public func cs_engine_with_rate_limit(
  _ engine: OpaquePointer?, _ seconds: Double, _ messages: Int, _ out: UnsafeMutablePointer<OpaquePointer?>?,
  _ errmsg: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
  out?.pointee = nil
  return boundary(errmsg) { () throws(CAPIFailure) in
    guard let out else { throw CAPIFailure.invalidArgument("out is NULL") }
    let box = try EngineBox.from(engine)
    guard seconds.isFinite, seconds >= 0 else {
      throw CAPIFailure(CS_ERR_INVALID_VALUE, "seconds must be a finite number of seconds, 0 or more")
    }
    guard messages >= 0 else { throw CAPIFailure(CS_ERR_INVALID_VALUE, "messages must be 0 or more") }
    let rateLimit = RateLimit(minimumSeconds: seconds, minimumMessages: messages)
    out.pointee = OpaquePointer(Unmanaged.passRetained(EngineBox(engine: box.engine.rateLimited(rateLimit))).toOpaque())
  }
}

@c @implementation
public func cs_engine_close(_ engine: OpaquePointer?) {
  guard let engine else { return }
  Unmanaged<EngineBox>.fromOpaque(UnsafeRawPointer(engine)).release()
}
