/// The hash behind every model feature: 64-bit FNV-1a over a kind byte and the feature's bytes,
/// then SplitMix64's finaliser so that the low bits (the weight index) and the top bit (the sign)
/// are well mixed. Fixed forever for a model file version: changing it changes every feature.
struct FeatureHash {
  private(set) var state: UInt64

  @inline(__always)
  init(kind: ModelFeatureKind) {
    state = 0xcbf2_9ce4_8422_2325
    add(kind.rawValue)
  }

  @inline(__always)
  mutating func add(_ byte: UInt8) {
    state = (state ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
  }

  @inline(__always)
  mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) {
    for b in bytes { add(b) }
  }

  @inline(__always)
  func feature(mask: UInt32) -> HashedFeature {
    var z = state
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    z ^= z >> 31
    return HashedFeature(index: UInt32(truncatingIfNeeded: z) & mask, sign: z >> 63 == 0 ? 1 : -1)
  }
}
