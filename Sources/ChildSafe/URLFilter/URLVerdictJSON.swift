extension URLVerdict {
  /// Appends `{"url",` + ``jsonMembers`` + `}` as compact JSON to `out`: the same bytes as
  /// `JSONValue.object([("url", .string(url))] + jsonMembers).serialized()`, without building the
  /// members, their values and a String for every URL of a stream. Strings go through the library's
  /// one JSON string writer, so escaping is the same everywhere.
  public func appendJSON(url: String, to out: inout [UInt8]) {
    URLVerdict.appendRaw(#"{"url":"#, to: &out)
    JSONValue.writeString(url, to: &out)
    URLVerdict.appendRaw(#","canonical":"#, to: &out)
    JSONValue.writeString(canonical, to: &out)
    URLVerdict.appendRaw(#","host":"#, to: &out)
    URLVerdict.append(host, to: &out)
    if category == nil && list == nil && rule == nil {
      // Not listed, invalid: one constant for the three nulls.
      URLVerdict.appendRaw(
        blocked
          ? #","blocked":true,"category":null,"list":null,"rule":null,"reason":"#
          : #","blocked":false,"category":null,"list":null,"rule":null,"reason":"#, to: &out)
      JSONValue.writeString(reason, to: &out)
      appendError(to: &out)
      return
    }
    URLVerdict.appendRaw(blocked ? #","blocked":true,"category":"# : #","blocked":false,"category":"#, to: &out)
    URLVerdict.append(category, to: &out)
    URLVerdict.appendRaw(#","list":"#, to: &out)
    URLVerdict.append(list, to: &out)
    URLVerdict.appendRaw(#","rule":"#, to: &out)
    URLVerdict.append(rule, to: &out)
    URLVerdict.appendRaw(#","reason":"#, to: &out)
    JSONValue.writeString(reason, to: &out)
    appendError(to: &out)
  }

  /// `,"error":...` when there is one, and the closing brace.
  private func appendError(to out: inout [UInt8]) {
    if let error {
      URLVerdict.appendRaw(#","error":"#, to: &out)
      JSONValue.writeString(error, to: &out)
    }
    out.append(UInt8(ascii: "}"))
  }

  /// Constant text, copied from its static bytes (a String's UTF-8 view appended to an array
  /// goes byte by byte through generic code).
  @inline(__always)
  private static func appendRaw(_ text: StaticString, to out: inout [UInt8]) {
    out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
  }

  private static func append(_ value: String?, to out: inout [UInt8]) {
    if let value {
      JSONValue.writeString(value, to: &out)
    } else {
      URLVerdict.appendRaw("null", to: &out)
    }
  }
}
