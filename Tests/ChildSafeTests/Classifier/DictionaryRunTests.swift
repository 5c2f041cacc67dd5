import Testing

@testable import ChildSafe

/// Runs of Chinese, Japanese, Thai... are split into words by ICU's dictionary search, which costs
/// more than the rest of classifying such a message. When no rule word could be in those scripts,
/// `classify` first leaves each run whole and splits it only when the message wakes a pattern. The
/// verdict must always be the one with every run split.
@Suite("Classifier: text in scripts segmented by dictionary")
struct DictionaryRunTests {
  static let messages = [
    "明天我们一起去学校吧，记得带作业",
    "東京都に住んでいます、よろしくね",
    "สวัสดีครับ วันนี้ไปโรงเรียนไหม",
    "明天见 ur so mature for ur age, dont tell ur parents",
    "send 我们 pic", "send 明天我们一起去学校吧 pic", "send me a 照片 pls 🙏",
    "how old r u? 你几岁", "这是我们的秘密 dont tell anyone",
    "d o n t 告诉 t e l l", "k33p 这个 s3cr3t", "我 13 岁", "lets move to snap 我的 username is cool_gamer",
  ]

  /// The default packs hold no word in those scripts: runs are left whole, with verdicts unchanged.
  @Test func defaultPacksClassifyAsWithEveryRunSplit() throws {
    let engine = ClassifierEngine.defaults
    #expect(!engine.compiled.matcher.mayMatchDictionaryScripts)
    for text in Self.messages {
      for context in [MessageContext(), TestPack.adultToChild] {
        let split = try engine.classifySegmented(text, context: context)
        #expect(try engine.classify(text, context: context) == split, "\(text)")
        var copy = text
        let fromBytes = try copy.withUTF8 { bytes in Result { () throws(ChildSafeError) in try engine.classify(utf8: bytes, context: context) } }.get()
        #expect(fromBytes == split, "\(text)")
      }
    }
    // Some of them are flagged, so both ways through `classify` are taken.
    #expect(try Self.messages.contains { try engine.classify($0, context: TestPack.adultToChild).flagged })
  }

  /// Random chat mixing grooming phrases with Chinese, Japanese and Thai runs of every length.
  @Test func randomMixedTextClassifiesAsWithEveryRunSplit() throws {
    let engine = ClassifierEngine.defaults
    let latin = [
      "send me a pic", "dont tell ur parents", "how old r u", "ur so mature for ur age", "add me on snap",
      "lets meet alone", "its our secret", "s e c r e t", "p1c", "😍", "im 13", "ok", "lol", "wyd", "send", "pic",
    ]
    let runs = ["我们", "明天我们一起去学校吧", "秘密", "照片", "東京都に住んでいます", "よろしく", "สวัสดีครับ", "你", "好"]
    var rng = DifferentialNormalizerTests.SplitMix64(state: 7)
    var withSignals = 0
    for _ in 0..<400 {
      var words: [String] = []
      for _ in 0...rng.below(10) {
        words.append(rng.below(3) == 0 ? runs[rng.below(runs.count)] : latin[rng.below(latin.count)])
      }
      // Runs written against their neighbours as well as apart; half the messages in fullwidth
      // letters, which fold to Latin ones (a text with ASCII letters has its runs split at once).
      var text = rng.below(2) == 0 ? words.joined(separator: " ") : words.joined()
      if rng.below(2) == 0 { text = Self.fullwidth(text) }
      let split = try engine.classifySegmented(text, context: TestPack.adultToChild)
      #expect(try engine.classify(text, context: TestPack.adultToChild) == split, "\(text)")
      if !split.matches.isEmpty { withSignals += 1 }
    }
    // Enough of them wake patterns for both ways through `classify` to be taken.
    #expect(withSignals > 40, "\(withSignals)")
  }

  /// ASCII letters and digits as their fullwidth forms ("ｐｉｃ").
  static func fullwidth(_ text: String) -> String {
    String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
      guard scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) else { return scalar }
      return Unicode.Scalar(scalar.value + 0xFEE0)!
    }))
  }

  /// A gap counts tokens: a run that wakes a pattern is split before the pattern runs. "我们" is
  /// one word, within the gap; the long run is six words, beyond it (as one token it would fit).
  @Test func gapsCountTheWordsOfARun() throws {
    let engine = try TestPack.engine("rule t.pic image_request 0.8\n  match: send ..3 pic\n")
    #expect(!engine.compiled.matcher.mayMatchDictionaryScripts)
    let short = try engine.classify("send 我们 pic")
    #expect(short.ruleIDs == ["t.pic"])
    #expect(short.matches.first?.start == 0 && short.matches.first?.end == 15)
    #expect(try engine.classify("send 明天我们一起去学校吧 pic").matches.isEmpty)
    // Without an ASCII letter the run is first left whole, then split once the pattern wakes.
    #expect(try engine.classify(Self.fullwidth("send 我们 pic")).ruleIDs == ["t.pic"])
    #expect(try engine.classify(Self.fullwidth("send 明天我们一起去学校吧 pic")).matches.isEmpty)
    #expect(try engine.normalizer.normalize("明天我们一起去学校吧").tokens.count > 4)
  }

  /// A pack with a word in such a script: runs are always split, and the word is found inside one.
  @Test func rulesInThoseScriptsSplitEveryRun() throws {
    let engine = try TestPack.engine("rule t.secret secrecy 0.6\n  match: 秘密\n")
    #expect(engine.compiled.matcher.mayMatchDictionaryScripts)
    let v = try engine.classify("这是我们的秘密")
    #expect(v.ruleIDs == ["t.secret"])
    #expect(v.matches.first?.start == 15 && v.matches.first?.end == 21)
  }

  @Test func whichRuleWordsCouldBeWordsOfARun() {
    #expect(PatternMatcher.couldMatchDictionaryRun("秘密"))
    #expect(PatternMatcher.couldMatchDictionaryRun("ของขวัญ"))
    #expect(PatternMatcher.couldMatchDictionaryRun("ー"))
    #expect(!PatternMatcher.couldMatchDictionaryRun("secret"))
    #expect(!PatternMatcher.couldMatchDictionaryRun("привет"))
    #expect(!PatternMatcher.couldMatchDictionaryRun("😍"))
  }
}
