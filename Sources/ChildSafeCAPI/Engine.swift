import CChildSafe
import ChildSafe
import Glibc

/// What a cs_engine handle points to: the immutable classifier and URL filter. Retained once per
/// handle and once per session, so a session outlives cs_engine_close() safely.
final class EngineBox: Sendable {
  let classifier: ClassifierEngine
  let urls: URLFilter

  init(classifier: ClassifierEngine, urls: URLFilter) {
    self.classifier = classifier
    self.urls = urls
  }

  static func from(_ handle: OpaquePointer?) throws(CAPIFailure) -> EngineBox {
    guard let handle else { throw CAPIFailure.invalidArgument("engine is NULL") }
    return Unmanaged<EngineBox>.fromOpaque(UnsafeRawPointer(handle)).takeUnretainedValue()
  }

  /// Loads rules and lists; nil/empty means the embedded defaults.
  static func open(rulesPath: String?, urlLists: [String], urlCategories: Set<String>?) throws(CAPIFailure)
    -> EngineBox
  {
    let classifier = try core { () throws(ChildSafeError) in
      if let rulesPath { return try ClassifierEngine(rules: RuleFiles.load(directory: rulesPath)) }
      // Built rather than ClassifierEngine.defaults, whose initialiser traps on failure.
      return try ClassifierEngine(rules: .embedded)
    }
    var lists = urlLists
    if lists.isEmpty, let rulesPath {
      let directory = FileSystem.join(rulesPath, "urls")
      if FileSystem.isDirectory(directory) { lists = [directory] }
    }
    let urls = try core { () throws(ChildSafeError) in try URLFilter(lists: lists, categories: urlCategories) }
    return EngineBox(classifier: classifier, urls: urls)
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
    let declared = UnsafeRawPointer(opts).load(as: Int.self)
    guard declared >= MemoryLayout<cs_engine_options>.size else {
      throw CAPIFailure.invalidArgument("cs_engine_options.size is \(declared); initialise with cs_engine_options_init()")
    }
    let o = opts.pointee
    let rulesPath = try Input.cString(o.rules_path, limit: Int(PATH_MAX), what: "rules_path")
    var lists: [String] = []
    if o.url_list_count != 0 {
      // A size_t above Int.max arrives negative: too large, like any count over the limit.
      guard o.url_list_count > 0, o.url_list_count <= 4096 else {
        throw CAPIFailure(CS_ERR_TOO_LARGE, "url_list_count is larger than 4096")
      }
      guard let array = o.url_lists else { throw CAPIFailure.invalidArgument("url_lists is NULL but url_list_count > 0") }
      for index in 0..<o.url_list_count {
        guard let path = try Input.cString(array[index], limit: Int(PATH_MAX), what: "url_lists[\(index)]") else {
          throw CAPIFailure.invalidArgument("url_lists[\(index)] is NULL")
        }
        lists.append(path)
      }
    }
    let categories = try Input.cString(o.url_categories, limit: Input.maxJSONBytes, what: "url_categories").map {
      Set($0.split(separator: ",").map { String($0.filter { $0 != " " }) }.filter { !$0.isEmpty })
    }
    let box = try EngineBox.open(rulesPath: rulesPath, urlLists: lists, urlCategories: categories)
    out.pointee = OpaquePointer(Unmanaged.passRetained(box).toOpaque())
  }
}

@c @implementation
public func cs_engine_close(_ engine: OpaquePointer?) {
  guard let engine else { return }
  Unmanaged<EngineBox>.fromOpaque(UnsafeRawPointer(engine)).release()
}
