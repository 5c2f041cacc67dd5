#if canImport(Glibc)
import Glibc
#endif

/// Monotonic time in nanoseconds.
public func nowNanoseconds() -> UInt64 {
  var ts = timespec()
  clock_gettime(CLOCK_MONOTONIC, &ts)
  return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// Peak resident set size of this process in bytes (from getrusage).
public func peakRSSBytes() -> Int {
  var usage = rusage()
  getrusage(RUSAGE_SELF.rawValue, &usage)
  return Int(usage.ru_maxrss) * 1024
}

/// The value at quantile q (0...1) of sorted samples.
public func quantile(_ sorted: [Double], _ q: Double) -> Double {
  guard !sorted.isEmpty else { return 0 }
  let index = min(sorted.count - 1, max(0, Int((Double(sorted.count - 1) * q).rounded())))
  return sorted[index]
}

/// A small deterministic pseudo-random generator (SplitMix64), so runs are repeatable.
public struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  public init(seed: UInt64) { state = seed }
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Chat-like messages (benign and with evasions), mostly English with other languages and scripts,
/// for throughput figures. Deterministic for a seed.
public func chatLikeMessages(count: Int, seed: UInt64 = 42) -> [String] {
  let templates = chatLikeTemplates
  var rng = SplitMix64(seed: seed)
  var out: [String] = []
  out.reserveCapacity(count)
  for _ in 0..<count {
    out.append(templates[Int(rng.next() % UInt64(templates.count))])
  }
  return out
}

/// The chat lines ``chatLikeMessages(count:seed:)`` draws from, equally often.
public let chatLikeTemplates = [
    "hey wyd rn? i just got home from school lol",
    "can u send me the homework pic for maths, i forgot to write it down",
    "omg that game last night was sooo good we should play again tmrw",
    "are ur parents home? dont tell anyone ok, this is our s.e.c.r.e.t",
    "ur so mature for ur age, not like the other kids in ur class",
    "lets move to snap, my username is cool_gamer_99 add me there",
    "I'm 13 and in 8th grade, what about u? we meet at 5pm at the park",
    "¿cuántos años tienes? no le digas a nadie de nosotros",
    "tu es vraiment mature pour ton âge, tu habites où exactement?",
    "wie alt bist du? deine eltern müssen das nicht wissen",
    "Ｓｅｎｄ ｍｅ ａ ｐｉｃ plz 😍😍 u look so cute",
    "ѕеnd me a ρіс рlеаѕе, nobody will see it I promise",
    "pl3333ase d0nt t3ll ur m0m ab0ut m3, sh3 w0uldnt und3rstand",
    "h\u{200B}e\u{200B}y can we video call tonight when everyone is asleep?",
    "Привет, как дела? Пойдём завтра в кино с друзьями",
    "明天我们一起去学校吧，记得带作业",
    "happy birthday!!! 🎉🎂 hope u have the best day ever",
    "the surprise party for mom is on saturday, don't tell her ok",
]

/// Evasive messages, one or two per kind, for the cost of undoing evasions (not part of the mix:
/// the mix is what chat looks like; these are what a determined sender types). Spaced letters are
/// split into words by a search over the lexicon, the costliest repair per byte.
public let evasionLines: [(kind: String, text: String)] = [
  ("spaced letters", "d o n t t e l l u r m o m"),
  ("spaced letters", "d o n t t e l l u r p a r e n t s a b o u t u s o k i t s o u r s e c r e t s e n d m e a p i c"),
  ("spaced letters, Cyrillic", "п р и в е т к а к д е л а"),
  ("dotted letters", "this is our s.e.c.r.e.t, dont t.e.l.l anyone"),
  ("leetspeak", "pl3333ase d0nt t3ll ur m0m ab0ut m3, sh3 w0uldnt und3rstand"),
  ("look-alikes", "ѕеnd me a ρіс рlеаѕе, nobody will see it I promise"),
  ("zero-width", "h\u{200B}e\u{200B}y can we video call tonight when everyone is asleep?"),
  ("stretched", "heyyyyy r u hooooome alooooone? sooooo booooored"),
]

/// Formats a number with a fixed number of decimals.
public func fixed(_ x: Double, _ decimals: Int = 1) -> String {
  var p = 1.0
  for _ in 0..<decimals { p *= 10 }
  let r = (x * p).rounded() / p
  var s = String(r)
  if let dot = s.firstIndex(of: ".") {
    let have = s.distance(from: dot, to: s.endIndex) - 1
    if have < decimals { s += String(repeating: "0", count: decimals - have) }
  } else if decimals > 0 {
    s += "." + String(repeating: "0", count: decimals)
  }
  return s
}
