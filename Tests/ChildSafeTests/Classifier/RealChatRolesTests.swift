import Foundation
import Testing

@testable import ChildSafe

/// Checks on real chat (the development split of ../shared/corpus/real, read from there, never
/// copied). Skipped, saying so, where the corpus is absent.
@Suite("Role inference on real chat rooms")
struct RealChatRolesTests {
  static let rooms = QualityCorpus.devPath("real/dev/nps-chat-conversations.jsonl")

  @Test(
    .enabled(if: FileManager.default.fileExists(atPath: rooms), "needs ../shared/corpus/real (absent: skipped)"))
  func chatRoomNamesAreNeverReadAsAges() throws {
    let engine = ClassifierEngine.defaults
    let texts = DifferentialNormalizerTests.texts(inJSONLines: Self.rooms)
    #expect(texts.count > 1000)
    var ages = 0
    for text in texts {
      let bytes = Array(text.utf8)
      for cue in try engine.classifyReadingRoles(text).cues where cue.age != nil {
        ages += 1
        // The whitespace-delimited word around the cue: never an anonymised name like 10-19-20sUser7.
        var start = cue.start
        var end = cue.end
        while start > 0 && bytes[start - 1] != UInt8(ascii: " ") { start -= 1 }
        while end < bytes.count && bytes[end] != UInt8(ascii: " ") { end += 1 }
        let word = String(decoding: bytes[start..<end], as: UTF8.self)
        #expect(!word.contains("User"), "an age read inside a chat-room name")
      }
    }
    // The rooms are full of "19/m" introductions: some ages are read.
    #expect(ages > 20)
  }
}
