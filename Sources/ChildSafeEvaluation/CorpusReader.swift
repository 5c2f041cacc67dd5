import ChildSafe

/// Reads corpora in JSON Lines. Each line is detected on its own: an object with `"messages"` is a
/// labelled conversation, one with `"text"` a labelled message. A bad line becomes an error with its
/// file and line number, and reading goes on. Error messages never quote message text.
public enum CorpusReader {
  /// Parses JSON Lines from `bytes`; `source` names the input in errors ("<stdin>" or a path).
  public static func parse(bytes: [UInt8], source: String) -> Corpus {
    var corpus = Corpus()
    var lineNumber = 0
    var start = 0
    while start < bytes.count {
      var end = start
      while end < bytes.count && bytes[end] != 0x0A { end += 1 }
      lineNumber += 1
      var lineEnd = end
      if lineEnd > start && bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
      // Byte-order mark on the first line.
      var lineStart = start
      if lineNumber == 1 && lineEnd - lineStart >= 3 && bytes[lineStart] == 0xEF && bytes[lineStart + 1] == 0xBB
        && bytes[lineStart + 2] == 0xBF
      {
        lineStart += 3
      }
      parseLine(bytes[lineStart..<lineEnd], source: source, line: lineNumber, into: &corpus)
      start = end + 1
    }
    return corpus
  }

  public static func parse(text: String, source: String) -> Corpus {
    parse(bytes: Array(text.utf8), source: source)
  }

  /// Reads a file, or every `*.jsonl` file under a directory (recursively, in sorted order).
  /// Errors that stop a whole file (unreadable, missing) are returned as corpus errors too.
  public static func read(path: String) -> Corpus {
    if FileSystem.isDirectory(path) {
      var corpus = Corpus()
      do {
        for file in try jsonLinesFiles(under: path, depth: 0) { corpus.append(read(path: file)) }
      } catch {
        corpus.errors.append(error)
      }
      return corpus
    }
    do {
      return parse(bytes: try FileSystem.readFile(path), source: path)
    } catch {
      return Corpus(errors: [error])
    }
  }

  static func jsonLinesFiles(under directory: String, depth: Int) throws(ChildSafeError) -> [String] {
    if depth > 16 { throw ChildSafeError(.io, "\(directory): directories nested too deeply") }
    var files: [String] = []
    for name in try FileSystem.listDirectory(directory) where !name.hasPrefix(".") {
      let path = FileSystem.join(directory, name)
      if FileSystem.isDirectory(path) {
        files += try jsonLinesFiles(under: path, depth: depth + 1)
      } else if name.hasSuffix(".jsonl") {
        files.append(path)
      }
    }
    return files
  }

  static func parseLine(_ line: ArraySlice<UInt8>, source: String, line number: Int, into corpus: inout Corpus) {
    // Blank lines are allowed (editors add them at the end).
    if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
    let location = SourceLocation(file: source, line: number, column: 1)
    guard String(validating: line, as: UTF8.self) != nil else {
      corpus.errors.append(ChildSafeError(.invalidUTF8, "line is not valid UTF-8", at: location))
      return
    }
    let parsed = line.withUnsafeBufferPointer { buffer in
      Result { () throws(ChildSafeError) in try JSONValue.parse(bytes: buffer, file: source) }
    }
    let value: JSONValue
    switch parsed {
    case .success(let v): value = v
    case .failure(var error):
      // The parser counts lines within this one line; report the file's line number.
      error.location = SourceLocation(file: source, line: number, column: error.location?.column ?? 1)
      corpus.errors.append(error)
      return
    }
    do throws(ChildSafeError) {
      guard value.objectValue != nil else { throw problem("expected a JSON object", location) }
      if value["messages"] != nil {
        corpus.conversations.append(try conversation(value, location))
      } else if value["text"] != nil {
        corpus.messages.append(try message(value, location))
      } else {
        throw problem(
          "expected a labelled message (with \"text\" and \"labels\") or a labelled conversation "
            + "(with \"messages\", \"label\" and \"onset\")", location)
      }
    } catch {
      corpus.errors.append(error)
    }
  }

  static func problem(_ message: String, _ location: SourceLocation) -> ChildSafeError {
    ChildSafeError(.syntax, message, at: location)
  }

  static func identifier(_ value: JSONValue, _ location: SourceLocation) throws(ChildSafeError) -> String {
    if let id = value["id"]?.stringValue, !id.isEmpty { return id }
    if let id = value["id"]?.intValue { return String(id) }
    throw problem("expected \"id\": a non-empty string", location)
  }

  static func language(_ value: JSONValue, _ location: SourceLocation) throws(ChildSafeError) -> String? {
    guard let lang = value["lang"], !lang.isNull else { return nil }
    guard let code = lang.stringValue else { throw problem("expected \"lang\": a language code string", location) }
    return code
  }

  static func message(_ value: JSONValue, _ location: SourceLocation) throws(ChildSafeError) -> LabelledMessage {
    let id = try identifier(value, location)
    guard let text = value["text"]?.stringValue else {
      throw problem("message \(id): expected \"text\": a string", location)
    }
    guard let labelValues = value["labels"]?.arrayValue else {
      throw problem("message \(id): expected \"labels\": an array of category names ([] when benign)", location)
    }
    var labels: [Category] = []
    for label in labelValues {
      guard let name = label.stringValue, !name.isEmpty else {
        throw problem("message \(id): expected every label to be a category name string", location)
      }
      if !labels.contains(Category(name)) { labels.append(Category(name)) }
    }
    return LabelledMessage(
      id: id, language: try language(value, location), text: text, labels: labels, origin: location)
  }

  static func conversation(_ value: JSONValue, _ location: SourceLocation) throws(ChildSafeError)
    -> LabelledConversation
  {
    let id = try identifier(value, location)
    let isGrooming: Bool
    switch value["label"]?.stringValue {
    case "grooming": isGrooming = true
    case "benign": isGrooming = false
    default: throw problem("conversation \(id): expected \"label\": \"grooming\" or \"benign\"", location)
    }
    guard let items = value["messages"]?.arrayValue else {
      throw problem("conversation \(id): expected \"messages\": an array", location)
    }
    var messages: [LabelledConversation.Message] = []
    for (index, item) in items.enumerated() {
      guard let from = item["from"]?.stringValue, let text = item["text"]?.stringValue else {
        throw problem("conversation \(id): message \(index): expected \"from\" and \"text\" strings", location)
      }
      var time: Double? = nil
      if let t = item["t"], !t.isNull {
        guard let seconds = t.doubleValue else {
          throw problem("conversation \(id): message \(index): expected \"t\": a number of seconds", location)
        }
        time = seconds
      }
      messages.append(LabelledConversation.Message(from: from, time: time, text: text))
    }
    var onset: Int? = nil
    if let o = value["onset"], !o.isNull {
      guard let index = o.intValue, index >= 0, index < messages.count else {
        throw problem(
          "conversation \(id): expected \"onset\": null or a message index in 0..<\(messages.count)", location)
      }
      onset = index
    }
    if !isGrooming && onset != nil {
      throw problem("conversation \(id): a benign conversation has \"onset\": null", location)
    }
    var ages: [String: Int?] = [:]
    var trusted: Set<String> = []
    if let participants = value["participants"]?.objectValue {
      for (name, info) in participants {
        if let flag = info["trusted"], !flag.isNull {
          guard let isTrusted = flag.boolValue else {
            throw problem("conversation \(id): participant \(name): expected \"trusted\": true, false or null", location)
          }
          if isTrusted { trusted.insert(name) }
        }
        let age = info["age"]
        if let age, !age.isNull {
          guard let years = age.intValue, years >= 0, years < 150 else {
            throw problem("conversation \(id): participant \(name): expected \"age\": null or a whole number", location)
          }
          ages[name] = years
        } else {
          ages[name] = .some(nil)
        }
      }
    }
    return LabelledConversation(
      id: id, language: try language(value, location), isGrooming: isGrooming, onset: onset, ages: ages,
      trusted: trusted, messages: messages, origin: location)
  }
}
