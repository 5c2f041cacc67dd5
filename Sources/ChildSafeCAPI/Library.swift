import CChildSafe
import ChildSafe
import Glibc

/// The version string in static storage: allocated once, on first use, and never freed.
nonisolated(unsafe) private let versionCString: UnsafeMutablePointer<CChar>? = strdup(ChildSafeVersion.string)

@c @implementation
public func cs_version() -> UnsafePointer<CChar>? {
  if let versionCString { return UnsafePointer(versionCString) }
  return cStatic("0.0.0")
}

@c @implementation
public func cs_version_number() -> Int32 {
  Int32(ChildSafeVersion.major * 10000 + ChildSafeVersion.minor * 100 + ChildSafeVersion.patch)
}

@c @implementation
public func cs_status_str(_ status: Int32) -> UnsafePointer<CChar>? {
  switch UInt32(bitPattern: status) {
  case CS_OK.rawValue: cStatic("ok")
  case CS_ERR_INVALID_ARGUMENT.rawValue: cStatic("invalid argument")
  case CS_ERR_INVALID_UTF8.rawValue: cStatic("invalid UTF-8")
  case CS_ERR_TOO_LARGE.rawValue: cStatic("input too large")
  case CS_ERR_SYNTAX.rawValue: cStatic("syntax error")
  case CS_ERR_INVALID_VALUE.rawValue: cStatic("invalid value")
  case CS_ERR_IO.rawValue: cStatic("input/output error")
  case CS_ERR_CORRUPT.rawValue: cStatic("corrupt or incompatible file")
  case CS_ERR_UNICODE.rawValue: cStatic("Unicode (ICU) error")
  case CS_ERR_NO_MEMORY.rawValue: cStatic("out of memory")
  case CS_ERR_NOT_FOUND.rawValue: cStatic("not found")
  case CS_ERR_INTERNAL.rawValue: cStatic("internal error")
  default: cStatic("unknown status")
  }
}

@c @implementation
public func cs_free(_ p: UnsafeMutableRawPointer?) {
  free(p)
}

@c @implementation
public func cs_context_init(_ ctx: UnsafeMutablePointer<cs_context>?) {
  guard let ctx else { return }
  ctx.initialize(
    to: cs_context(
      size: MemoryLayout<cs_context>.size, sender_age: -1, recipient_age: -1, lang: nil, conversation_id: nil,
      sender_id: nil, timestamp: 0, has_timestamp: 0, kind: Int32(truncatingIfNeeded: CS_TEXT_CHAT.rawValue),
      on_intervention: nil, on_intervention_ctx: nil, sender_trusted: 0))
}

@c @implementation
public func cs_engine_options_init(_ opts: UnsafeMutablePointer<cs_engine_options>?) {
  guard let opts else { return }
  opts.initialize(
    to: cs_engine_options(
      size: MemoryLayout<cs_engine_options>.size, rules_path: nil, url_lists: nil, url_list_count: 0,
      url_categories: nil, policy_path: nil, child: nil, locale: nil, country: nil, replace_defaults: 0))
}

/// A string literal's bytes as a C string: literals are NUL-terminated constants in the binary.
func cStatic(_ literal: StaticString) -> UnsafePointer<CChar> {
  UnsafeRawPointer(literal.utf8Start).assumingMemoryBound(to: CChar.self)
}
