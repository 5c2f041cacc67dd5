extension URLVerdict {
  /// Appends `{"url",` + ``jsonMembers`` + `}` as compact JSON to `out`: the same bytes as
  /// `JSONValue.object([("url", .string(url))] + jsonMembers).serialized()`, without building the
  /// members, their values and a String for every URL of a stream. Strings go through the library's
  /// one JSON string writer, so escaping is the same everywhere.
  public func appendJSON(url: String, to out: inout [UInt8]) {
    out.append(contentsOf: #"{"url":"#.utf8)
    JSONValue.writeString(url, to: &out)
    out.append(contentsOf: #","canonical":"#.utf8)
    JSONValue.writeString(canonical, to: &out)
    out.append(contentsOf: #","host":"#.utf8)
    URLVerdict.append(host, to: &out)
    out.append(contentsOf: (blocked ? #","blocked":true,"category":"# : #","blocked":false,"category":"#).utf8)
    URLVerdict.append(category, to: &out)
    out.append(contentsOf: #","list":"#.utf8)
    URLVerdict.append(list, to: &out)
    out.append(contentsOf: #","rule":"#.utf8)
    URLVerdict.append(rule, to: &out)
    out.append(contentsOf: #","reason":"#.utf8)
    JSONValue.writeString(reason, to: &out)
    if let error {
      out.append(contentsOf: #","error":"#.utf8)
      JSONValue.writeString(error, to: &out)
    }
    out.append(UInt8(ascii: "}"))
  }

  private static func append(_ value: String?, to out: inout [UInt8]) {
    if let value {
      JSONValue.writeString(value, to: &out)
    } else {
      out.append(contentsOf: "null".utf8)
    }
  }
}
