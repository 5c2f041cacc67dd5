extension URLVerdict {
  /// Appends `{"url",` + ``jsonMembers`` + `}` as compact JSON to `out`: the same bytes as
  /// `JSONValue.object([("url", .string(url))] + jsonMembers).serialized()`, without building the
  /// members, their values and a String for every URL of a stream. Strings go through the library's
  /// one JSON string writer, so escaping is the same everywhere.
  public func appendJSON(url: String, to out: inout [UInt8]) {
    // Written first into stack memory behind a bounds check, then appended at once: each of the
    // dozen appends to the array cost about a hundred instructions.
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1024) { buffer in
      var writer = ByteWriter(storage: buffer)
      write(url: url, to: &writer)
      out.append(contentsOf: writer.bytes)
      writer.releaseStorage()
    }
  }

  func write(url: String, to out: inout ByteWriter) {
    URLVerdict.appendRaw(#"{"url":"#, to: &out)
    let urlStart = out.count
    JSONValue.writeString(url, to: &out)
    let urlEnd = out.count
    URLVerdict.appendRaw(#","canonical":"#, to: &out)
    if canonical == url {
      // Most URLs are already canonical: their escaped text is copied, not escaped again.
      out.appendCopy(of: urlStart..<urlEnd)
    } else {
      JSONValue.writeString(canonical, to: &out)
    }
    URLVerdict.appendRaw(#","host":"#, to: &out)
    let hostStart = out.count
    URLVerdict.append(host, to: &out)
    let hostEnd = out.count
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
    if let rule, rule == host {
      out.appendCopy(of: hostStart..<hostEnd)  // a domain rule matching the whole host
    } else {
      URLVerdict.append(rule, to: &out)
    }
    URLVerdict.appendRaw(#","reason":"#, to: &out)
    JSONValue.writeString(reason, to: &out)
    appendError(to: &out)
  }

  /// `,"error":...` when there is one, and the closing brace.
  private func appendError(to out: inout ByteWriter) {
    if let error {
      URLVerdict.appendRaw(#","error":"#, to: &out)
      JSONValue.writeString(error, to: &out)
    }
    out.appendByte(UInt8(ascii: "}"))
  }

  /// Constant text, copied from its static bytes.
  @inline(__always)
  private static func appendRaw(_ text: StaticString, to out: inout ByteWriter) {
    out.appendASCII(text)
  }

  private static func append(_ value: String?, to out: inout ByteWriter) {
    if let value {
      JSONValue.writeString(value, to: &out)
    } else {
      URLVerdict.appendRaw("null", to: &out)
    }
  }
}
