// The tokenizer's word tables, kept apart from the code that reads them. Changing one changes
// how text is tokenized (tests pin the behaviour they carry).

extension Tokenizer {
  /// Common top-level domains, so that "example.com" is a link while "s.e.c.r.e.t" is a word.
  static let topLevelDomains: Set<String> = [
    "com", "net", "org", "io", "me", "co", "uk", "de", "fr", "es", "it", "pt", "br", "ru", "info", "biz",
    "app", "gg", "tv", "ly", "xyz", "edu", "gov", "us", "ca", "au", "nz", "in", "jp", "cn", "nl", "be",
    "ch", "at", "pl", "se", "no", "dk", "fi", "online", "site", "live", "club", "link", "chat", "ie", "mx",
    "ar", "cl", "eu", "top", "dev", "ai", "to", "cc", "ws", "fm", "im", "social", "fun", "net", "su",
  ]
  static let topLevelDomainKeys = PackedWords(topLevelDomains)

  static let elisions: Set<String> = [
    "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "all", "dall", "dell", "nell", "sull", "coll", "un", "quell",
    "quest", "anch", "tutt", "po",
  ]
  static let elisionKeys = PackedWords(elisions)

  /// Units that make "5pm", "13yo", "2nd" numbers in ordinary use rather than leetspeak.
  static let numberSuffixes: Set<String> = [
    "am", "pm", "yo", "y", "yr", "yrs", "yro", "st", "nd", "rd", "th", "k", "m", "min", "mins", "h", "hr",
    "hrs", "s", "x", "d", "g", "gb", "mb", "kb", "kg", "km", "cm", "mm", "ft", "lbs", "lb", "mph", "kph",
    "p", "fps", "v", "w", "ml", "l", "e", "er", "eme", "o", "a", "ans", "jahre", "anni", "anos", "j",
    "ieme", "ème", "de", "hs",
  ]
  static let numberSuffixKeys = PackedWords(numberSuffixes)

  /// Units and plural nouns that follow a count or an amount ("50 bucks", "4 pm", "1 sec"): the number
  /// before them stays one. Singular nouns are left out: "4 day" is rather "a day".
  static let countNouns: Set<String> = [
    "am", "pm", "yo", "yr", "yrs", "years", "min", "mins", "minutes", "sec", "secs", "seconds", "hr", "hrs",
    "hours", "days", "weeks", "months", "km", "kg", "mb", "gb", "bucks", "dollars", "euros", "euro", "pounds",
    "robux", "vbucks", "coins", "gems", "times", "percent", "ans", "anos", "anni", "jahre", "horas", "minutos",
    "heures", "ore", "minuti", "stunden", "minuten",
  ]

  /// Texting spellings whose digits are sounds, not leetspeak ("gr8" is "great", not "grb").
  static let textspeak: [String: String] = [
    "2day": "today", "2nite": "tonight", "2night": "tonight", "2moro": "tomorrow", "2morrow": "tomorrow",
    "2mrw": "tomorrow", "2mro": "tomorrow", "gr8": "great", "l8r": "later", "l8": "late", "b4": "before",
    "h8": "hate", "m8": "mate", "m8s": "mates", "w8": "wait", "str8": "straight", "any1": "anyone",
    "some1": "someone", "no1": "noone", "ne1": "anyone", "every1": "everyone", "4ever": "forever",
    "2gether": "together", "d8": "date", "sk8": "skate", "4get": "forget", "gr8t": "great",
  ]

  /// ``textspeak`` by the UTF-8 bytes of the spelling (cheaper than String hashing): the index
  /// of its expansion in ``textspeakExpansions``.
  static let textspeakTable = ByteTable(textspeak.keys.sorted().enumerated().map { (key: $0.element, value: Int32($0.offset)) })
  static let textspeakExpansions: [String] = textspeak.keys.sorted().map { textspeak[$0] ?? $0 }
  static let textspeakAlwaysHasDigits = textspeak.keys.allSatisfy { $0.utf8.contains { $0 >= 0x30 && $0 <= 0x39 } }

  /// Single characters that are chat words on their own ("u r a", "i", "2 u").
  static let standaloneLetters: Set<String> = ["a", "i", "u", "r", "y", "k", "n", "b", "c", "o", "e", "x", "2", "4"]
}
