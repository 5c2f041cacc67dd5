extension URLVerdict {
  /// Appends `{"url",` + ``jsonMembers`` + `}` as compact JSON to `out`: the same bytes as
  /// `JSONValue.object([("url", .string(url))] + jsonMembers).serialized()`, without building the
  /// members, their values and a String for every URL of a stream. Strings go through the library's
  /// one JSON string writer, so escaping is the same everywhere.
  public func appendJSON(url: String, to out: inout [UInt8]) {
    URLVerdict.appendJSON(to: &out) { writer in write(url: url, to: &writer) }
  }

  /// Writes through `write` first into stack memory behind a bounds check, then appends at once:
  /// each of the dozen appends to the array cost about a hundred instructions.
  @inline(__always)
  static func appendJSON(to out: inout [UInt8], _ write: (inout ByteWriter) -> Void) {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1024) { buffer in
      var writer = ByteWriter(storage: buffer)
      write(&writer)
      out.append(contentsOf: writer.bytes)
      writer.releaseStorage()
    }
  }

  func write(url: String, to out: inout ByteWriter) {
    URLVerdict.write(
      url: url, canonical: canonical, host: host, blocked: blocked, category: category, list: list, rule: rule,
      hostSuffixRule: nil, reason: reason, error: error, to: &out)
  }

  /// The JSON of a verdict with these fields. `hostSuffixRule`: the rule is the host from this
  /// byte offset (a label's start), written from the host's bytes instead of a String made for it;
  /// `rule` is then nil.
  static func write(
    url: String, canonical: String, host: String?, blocked: Bool, category: String?, list: String?, rule: String?,
    hostSuffixRule: Int?, reason: String, error: String?, to out: inout ByteWriter
  ) {
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
    if category == nil && list == nil && rule == nil && hostSuffixRule == nil {
      // Not listed, invalid: one constant for the three nulls.
      URLVerdict.appendRaw(
        blocked
          ? #","blocked":true,"category":null,"list":null,"rule":null,"reason":"#
          : #","blocked":false,"category":null,"list":null,"rule":null,"reason":"#, to: &out)
      JSONValue.writeString(reason, to: &out)
      appendError(error, to: &out)
      return
    }
    URLVerdict.appendRaw(blocked ? #","blocked":true,"category":"# : #","blocked":false,"category":"#, to: &out)
    URLVerdict.append(category, to: &out)
    URLVerdict.appendRaw(#","list":"#, to: &out)
    URLVerdict.append(list, to: &out)
    URLVerdict.appendRaw(#","rule":"#, to: &out)
    if let offset = hostSuffixRule, let host {
      if offset == 0 {
        out.appendCopy(of: hostStart..<hostEnd)
      } else {
        out.appendByte(UInt8(ascii: "\""))
        if host.utf8.withContiguousStorageIfAvailable({
          JSONValue.writeEscaped(UnsafeBufferPointer(rebasing: $0[offset...]), to: &out)
        }) == nil {
          var copy = host
          copy.withUTF8 { JSONValue.writeEscaped(UnsafeBufferPointer(rebasing: $0[offset...]), to: &out) }
        }
        out.appendByte(UInt8(ascii: "\""))
      }
    } else if let rule, rule == host {
      out.appendCopy(of: hostStart..<hostEnd)  // a domain rule matching the whole host
    } else {
      URLVerdict.append(rule, to: &out)
    }
    URLVerdict.appendRaw(#","reason":"#, to: &out)
    JSONValue.writeString(reason, to: &out)
    appendError(error, to: &out)
  }

  /// `,"error":...` when there is one, and the closing brace.
  private static func appendError(_ error: String?, to out: inout ByteWriter) {
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

extension URLFilter {
  /// Appends the JSON of `check(url, allowInvalid:)` for `url` (the bytes of
  /// ``URLVerdict/appendJSON(url:to:)``), the line `childsafe url --jsonl` writes. With only domain
  /// entries (most lists) no ``URLVerdict`` is made: its fields are written where they are, and a
  /// rule that is a suffix of the host from the host's bytes.
  public func appendVerdictJSON(url: String, allowInvalid: Bool, to out: inout [UInt8]) {
    // Most URLs: the common form, looked up and written from the URL's own bytes.
    if domainsOnly, url.utf8.withContiguousStorageIfAvailable({ appendCommonVerdictJSON(url: $0, to: &out) }) == true {
      return
    }
    appendVerdictJSONInFull(url: url, allowInvalid: allowInvalid, to: &out)
  }

  /// ``appendVerdictJSON(url:allowInvalid:to:)`` for a URL given as UTF-8 bytes: a URL of the
  /// common form needs no String at all (`childsafe url --jsonl` hands it each plain line). Bytes
  /// that are not valid UTF-8 are no URL: the verdict is `invalid` (blocked unless `allowInvalid`),
  /// its error names the first bad byte, and its `url` shows them as U+FFFD.
  public func appendVerdictJSON(utf8 url: UnsafeBufferPointer<UInt8>, allowInvalid: Bool, to out: inout [UInt8]) {
    if domainsOnly && appendCommonVerdictJSON(url: url, to: &out) { return }
    let text = String(decoding: url, as: UTF8.self)
    // The common form is ASCII, so only this path can meet invalid UTF-8.
    if let bad = UTF8Validation.firstInvalidOffset(url) {
      let error = ChildSafeError(.invalidUTF8, "the URL is not valid UTF-8 (bad byte at offset \(bad))")
      URLFilter.invalidVerdict(error, allowInvalid: allowInvalid).appendJSON(url: text, to: &out)
      return
    }
    appendVerdictJSONInFull(url: text, allowInvalid: allowInvalid, to: &out)
  }

  /// ``appendVerdictJSON(url:allowInvalid:to:)`` without the common form's shortcut.
  func appendVerdictJSONInFull(url: String, allowInvalid: Bool, to out: inout [UInt8]) {
    if !domainsOnly {
      check(url, allowInvalid: allowInvalid).appendJSON(url: url, to: &out)
      return
    }
    let canonical: CanonicalURL
    let isInput: Bool
    do {
      (canonical, isInput) = try URLCanonicalizer.canonicalizeNotingInput(url)
    } catch {
      URLFilter.invalidVerdict(error, allowInvalid: allowInvalid).appendJSON(url: url, to: &out)
      return
    }
    let best = bestDomainMatch(canonical)
    var suffix = 0
    if let best {
      guard case .domain(let offset) = best.rule else {
        verdict(canonical, best, host: nil, path: [], spelled: url).appendJSON(url: url, to: &out)
        return
      }
      suffix = offset
    }
    // As `verdict(_:_:host:path:spelled:)` decides, for a match that is a domain entry.
    let canonicalText = isInput || canonical.isDescription(of: url) ? url : canonical.description
    URLVerdict.appendJSON(to: &out) { writer in
      if let best {
        URLVerdict.write(
          url: url, canonical: canonicalText, host: canonical.host, blocked: !best.allow,
          category: best.meta.category.map { indexes[best.index].names[$0] }, list: indexes[best.index].names[best.meta.list],
          rule: nil, hostSuffixRule: suffix, reason: best.allow ? "allowlist" : "blocklist", error: nil, to: &writer)
      } else if blockHomographs && HomographCheck.isHomograph(asciiHost: canonical.host) {
        URLVerdict.write(
          url: url, canonical: canonicalText, host: canonical.host, blocked: true, category: "homograph", list: nil,
          rule: nil, hostSuffixRule: nil, reason: "homograph", error: nil, to: &writer)
      } else {
        URLVerdict.write(
          url: url, canonical: canonicalText, host: canonical.host, blocked: false, category: nil, list: nil,
          rule: nil, hostSuffixRule: nil, reason: "not_listed", error: nil, to: &writer)
      }
    }
  }
}

extension URLFilter {
  /// The verdict line of a URL of the common form (``PlainURL``) when there are only domain entries,
  /// written from the URL's bytes: no ``CanonicalURL``, no Strings. The canonical text is the URL,
  /// or the URL with "/" after the host; the host needs no JSON escape ([a-z0-9-.]). Returns false,
  /// having written nothing, for any other URL, and for an unlisted host with a Punycode label when
  /// homographs are blocked (the homograph check reads its text).
  func appendCommonVerdictJSON(url bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) -> Bool {
    guard bytes.count <= URLCanonicalizer.maximumURLLength, let plain = PlainURL.parse(bytes) else { return false }
    let host = UnsafeBufferPointer(rebasing: bytes[plain.hostStart..<plain.hostEnd])
    var best: Match?
    let labelCount = URLFilter.labelCount(host)
    for n in indexes.indices { bestDomainMatch(n, host, labelCount, &best) }
    var suffix = 0
    if let best {
      guard case .domain(let offset) = best.rule else { return false }
      suffix = offset
    } else if blockHomographs && HomographCheck.hasPunycodeLabel(host) {
      return false
    }
    URLVerdict.appendJSON(to: &out) { writer in
      writer.appendASCII(#"{"url":""#)
      let urlStart = writer.count
      JSONValue.writeEscaped(bytes, to: &writer)
      let urlEnd = writer.count
      writer.appendASCII(#"","canonical":""#)
      if plain.isCanonical {
        writer.appendCopy(of: urlStart..<urlEnd)
      } else {
        // Scheme and host need no escape: the host ends at the same offset in the escaped text.
        let hostEnd = urlStart + plain.hostEnd
        writer.appendCopy(of: urlStart..<hostEnd)
        writer.appendByte(UInt8(ascii: "/"))
        writer.appendCopy(of: hostEnd..<urlEnd)
      }
      writer.appendASCII(#"","host":""#)
      writer.appendBytes(host)
      guard let best else {
        writer.appendASCII(#"","blocked":false,"category":null,"list":null,"rule":null,"reason":"not_listed"}"#)
        return
      }
      writer.appendASCII(best.allow ? #"","blocked":false,"category":"# : #"","blocked":true,"category":"#)
      if let category = best.meta.category {
        JSONValue.writeString(indexes[best.index].names[category], to: &writer)
      } else {
        writer.appendASCII("null")
      }
      writer.appendASCII(#","list":"#)
      JSONValue.writeString(indexes[best.index].names[best.meta.list], to: &writer)
      writer.appendASCII(#","rule":""#)
      writer.appendBytes(UnsafeBufferPointer(rebasing: host[suffix...]))
      writer.appendASCII(best.allow ? #"","reason":"allowlist"}"# : #"","reason":"blocklist"}"#)
    }
    return true
  }
}
