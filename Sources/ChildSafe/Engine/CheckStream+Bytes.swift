/// Lines as bytes and answers written into a buffer: how `childsafe check --jsonl` runs, with no
/// String, dictionary or JSON tree made for a line on the common path (an object with a string
/// `"text"`). Answers are byte for byte those of ``CheckStream/process(line:lineNumber:)``.
extension CheckStream {
  /// What ``process(utf8:lineNumber:into:)`` did with a line.
  public enum LineOutcome: Sendable, Equatable {
    /// Only spaces, tabs and carriage returns: nothing written.
    case blank
    /// A verdict was written.
    case answered
    /// An error object was written (`{"id", "error"}`).
    case failed
    /// The line is not valid UTF-8: nothing written (the caller says where, as it reads the stream).
    case invalidUTF8
  }

  /// Answers one line (without its "\n") by appending the JSON answer and "\n" to `out`.
  public mutating func process(utf8 line: UnsafeBufferPointer<UInt8>, lineNumber: Int = 1, into out: inout [UInt8])
    -> LineOutcome
  {
    if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return .blank }
    guard UTF8Validation.isValid(line) else { return .invalidUTF8 }
    // Taken out of `self` while in use: checking the text mutates the stream's sessions.
    var decoded = decodedText
    decodedText = []
    defer { decodedText = decoded }
    var fields = CheckLineReader()
    guard fields.read(line, text: &decoded) else {
      // Not the common shape (a syntax error, no text...): the general path words the answer.
      guard let answer = process(line: String(decoding: line, as: UTF8.self), lineNumber: lineNumber) else { return .blank }
      answer.serialize(into: &out)
      out.append(UInt8(ascii: "\n"))
      if case .object(let members) = answer, members.count == 2, members[1].0 == "error" { return .failed }
      return .answered
    }
    let id = fields.id ?? .null
    do throws(ChildSafeError) {
      let context = try CheckStream.context(fields.context, defaults: defaults)
      let wording = try self.wording(locale: fields.locale, lang: fields.context.lang)
      let result: CheckResult
      if let range = fields.textInLine {
        result = try check(validUTF8: UnsafeBufferPointer(rebasing: line[range]), context: context, wording: wording)
      } else {
        result = try decoded.withUnsafeBufferPointer { text in
          Result { () throws(ChildSafeError) in try check(validUTF8: text, context: context, wording: wording) }
        }.get()
      }
      var storage = answerStorage
      answerStorage = []
      VerdictJSON.write(result, id: id, into: &out, storage: &storage)
      answerStorage = storage
      out.append(UInt8(ascii: "\n"))
      return .answered
    } catch {
      VerdictJSON.error(id: id, error).serialize(into: &out)
      out.append(UInt8(ascii: "\n"))
      return .failed
    }
  }
}
