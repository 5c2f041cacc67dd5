import ChildSafe
import FuzzSupport

/// Two valid model files to damage: a message-level model with a threshold toward a known minor
/// (file format 4) and a conversation-level one with participant features and thresholds per
/// language (format 3). 2^12 weights each, so a mutation often lands in the header.
func seedModel(level: LinearModel.Level) -> [UInt8] {
  var weights = [Float](repeating: 0, count: 1 << 12)
  var state: UInt32 = 1
  for i in weights.indices {
    state = state &* 1_664_525 &+ 1_013_904_223
    weights[i] = Float(Int32(bitPattern: state) >> 20) / 2048
  }
  do {
    let model =
      level == .message
      ? try LinearModel(
        level: .message, settings: FeatureSettings(hashBits: 12, characterGrams: 4), bias: -1.5, threshold: 0.9,
        confirm: 0.05, minorThreshold: 0.6, description: "fuzz seed, message level", weights: weights)
      : try LinearModel(
        level: .conversation, settings: FeatureSettings(hashBits: 12, characterGrams: 3, participants: true), bias: -2,
        threshold: 0.8, confirm: 0.1, window: 8,
        languageThresholds: [LanguageThreshold(language: "en", threshold: 0.7), LanguageThreshold(language: "de", threshold: 0.75)],
        description: "fuzz seed, conversation level", weights: weights)
    return model.encoded()
  } catch {
    fatalError("cannot build the seed model: \(error)")
  }
}

let seeds = [seedModel(level: .message), seedModel(level: .conversation)]

/// The model file's checksum (64-bit FNV-1a of every byte before the last eight), so that
/// mutations get past it and reach the checks behind it.
func withChecksum(_ body: [UInt8]) -> [UInt8] {
  var h: UInt64 = 0xcbf2_9ce4_8422_2325
  for b in body { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
  var out = body
  for k in 0..<8 { out.append(UInt8(truncatingIfNeeded: h >> UInt64(8 * k))) }
  return out
}

let probes = [
  "hi, how was school today?", "ur so mature for ur age. dont tell ur parents about us ok?",
  "send me a pic of u in ur bikini", "Schön, Sie zu treffen", "l0l w@nna m33t up l8r??",
]

/// Loads `bytes` as a model file: refused with a `corrupt` error, or loaded. A loaded model writes
/// itself back into a file that loads as the same model, and scores messages with finite scores
/// (AddressSanitizer checks every read stays in bounds).
func load(_ bytes: [UInt8]) {
  let model: LinearModel
  do { model = try LinearModel(bytes: bytes) } catch {
    precondition(error.code == .corrupt, "a bad model file must be refused as corrupt, not \(error.code)")
    return
  }
  let encoded = model.encoded()
  guard let again = try? LinearModel(bytes: encoded) else { fatalError("a loaded model's own file does not load") }
  precondition(again.encoded() == encoded, "a loaded model's own file loads as another model")
  let engine = ClassifierEngine.defaults.adding(model)
  var conversation = engine.makeConversation()
  for (k, text) in probes.enumerated() {
    let context =
      k % 2 == 0
      ? MessageContext(language: "en", senderID: "a") : MessageContext(senderAge: 35, recipientAge: 13, senderID: "b")
    guard let verdict = try? engine.classify(text, context: context) else { fatalError("a probe was refused") }
    if let score = verdict.model?.score { precondition(score >= 0 && score <= 1, "model score \(score) out of [0, 1]") }
    guard (try? conversation.add(text, context: context)) != nil else { fatalError("a conversation refused a probe") }
  }
  if let score = conversation.verdict.modelScore { precondition(score >= 0 && score <= 1, "window score \(score) out of [0, 1]") }
}

/// Mode by the first byte: bit 0 clear = the remaining bytes are the file after the signature,
/// with the checksum appended (reaches the header checks); set = the bytes are patches
/// (u16 offset, u8 value) to a seed model (bit 1 picks which) whose checksum is then fixed, so that
/// the checks see damaged headers, descriptions, thresholds and lengths.
@_cdecl("fuzz_model_main")
func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
  runFuzzer(argc, argv) { data, size in
    let input = Array(fuzzInput(data, size))
    guard let mode = input.first else { return 0 }
    if mode & 1 == 0 {
      load(withChecksum(LinearModel.fileMagic + input.dropFirst()))
      return 0
    }
    let seed = seeds[Int(mode >> 1) & 1]
    var body = Array(seed.dropLast(8))
    var k = 1
    while k + 2 < input.count {
      // Most patches land in the header and what follows it, where the structure is.
      let offset = (Int(input[k]) | Int(input[k + 1]) << 8) % min(body.count, 512)
      body[offset] = input[k + 2]
      k += 3
    }
    load(withChecksum(body))
    return 0
  }
}
