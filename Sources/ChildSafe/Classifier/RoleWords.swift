/// The words that tell who is talking, in the six languages the packs cover (en, de, fr, es, it,
/// pt), as the normaliser leaves them (lower case, accents folded: "años" is "anos").
///
/// Looked up by a hash of the token's bytes, so reading a message makes no String.
struct RoleWords: Sendable {
  /// What one word can mean for ages and roles (several at once: "ai" is French "j'ai").
  struct Kind: OptionSet, Sendable, Hashable {
    let rawValue: UInt16
    /// Introduces one's own age: "im 13", "ich bin 13", "tengo 13".
    static let selfIntro = Kind(rawValue: 1 << 0)
    /// Introduces the other's age: "ur 14", "du bist 14", "tienes 14".
    static let otherIntro = Kind(rawValue: 1 << 1)
    /// May stand between an intro and the number: "im only 13", "ich bin erst 13".
    static let filler = Kind(rawValue: 1 << 2)
    /// Follows an age: "13 yo", "14 jahre", "14 ans".
    static let ageUnit = Kind(rawValue: 1 << 3)
    /// Sex in an a/s/l answer: "14 f", "m 35".
    static let sex = Kind(rawValue: 1 << 4)
    /// "grade" in "8th grade", "klasse" in "8. klasse".
    static let grade = Kind(rawValue: 1 << 5)
    /// Asks an age on its own: "asl".
    static let ageQuestion = Kind(rawValue: 1 << 6)
    /// Makes a number before it something else than an age: "20 min", "15 bucks", "14 years ago".
    static let notAgeAfter = Kind(rawValue: 1 << 7)
    /// Makes a number after it something else than an age: "for 14 years", "at 10".
    static let notAgeBefore = Kind(rawValue: 1 << 8)
    /// Alone, a sign of a child's life: "homework", "grounded".
    static let minorWord = Kind(rawValue: 1 << 9)
    /// Alone, a sign of an adult's life: "paycheck", "divorced".
    static let adultWord = Kind(rawValue: 1 << 10)
    /// A parent, counted when not "your mom": "mom", "mutter", "maman".
    static let parent = Kind(rawValue: 1 << 11)
    /// A possessive that makes the next word about the speaker: "my", "meine", "mi".
    static let possessive = Kind(rawValue: 1 << 12)
    /// Makes "mom" someone else's: "your", "ur", "deine".
    static let othersPossessive = Kind(rawValue: 1 << 13)
  }

  /// What a two-word phrase says (the first word's hash combined with the second's).
  enum PhraseCue: UInt8, Sendable {
    case ageQuestion
    case minor
    case adult
  }

  let words: [UInt64: Kind]
  let phrases: [UInt64: PhraseCue]
  /// One bit per hash of the words and phrases above (a Bloom filter): most tokens of a message
  /// are ruled out without a dictionary lookup.
  let wordBits: [UInt64]
  let phraseBits: [UInt64]
  static let filterWords = 64

  static let shared = RoleWords()

  init() {
    var words: [UInt64: Kind] = [:]
    func add(_ kind: Kind, _ list: String) {
      for word in list.split(separator: " ") { words[RoleWords.hash(word.utf8), default: []].insert(kind) }
    }
    add(.selfIntro, "im am bin tengo tenho ho sono soy sou ai aged age asl turning turned turn")
    add(.otherIntro, "ur youre bist tienes hai tem as eres sei")
    add(.filler, "only just almost nearly like about bout gonna be erst schon fast bald gerade que seulement presque solo apenas casi quasi so ja")
    add(.ageUnit, "yo yr yrs year years yearsold y jahre jahren jahr j ans an anos ano anni anno")
    add(.sex, "m f w male female boy girl guy dude chica chico chick fille garcon homme femme maedchen madchen junge mann frau mujer hombre ragazza ragazzo menina menino")
    add(.grade, "grade grader klasse grado classe")
    add(.ageQuestion, "asl aslp")
    add(
      .notAgeAfter,
      "min mins minute minutes hr hrs hour hours sec secs seconds day days week weeks month months ago am pm oclock "
        + "mile miles km kms meter meters feet ft foot inch inches lbs lb pounds kg kilo kilos dollars dollar bucks euro euros cents "
        + "percent times time people guys girls kids friends messages pics pictures mins minuten stunden stunde tage tagen uhr euro "
        + "minutes heures jours fois minutos horas dias veces minuti ore giorni volte vezes dollares reais "
        + "points pts level lvl gb mb")
    add(
      .notAgeBefore,
      "for since in at vor seit um depuis pendant hace desde durante da per ha fa last past next around by till until "
        + "from to between page room channel number no nr")
    add(.minorWord, "homework grounded curfew babysitter hausaufgaben hausarrest devoirs tarea castigado castigada compiti castigo")
    add(.adultWord, "paycheck divorced divorce wife husband mortgage geschieden ehefrau ehemann divorce divorcee divorciado divorciada marido esposa moglie marito divorziato")
    add(.parent, "mom mommy mum mummy moms mothers dad daddy dads parents stepdad stepmom mutter mama mami mutti vater papa eltern maman mere pere madre padre padres mamma genitori mae pai pais")
    add(.possessive, "my meine mein meinen meiner ma mon mes mi mis mia mio miei mie minha meu meus minhas")
    add(.othersPossessive, "your ur yo ya ure deine dein deiner ta ton tes tu tus tua tuo tuoi sua seu teu tua")
    self.words = words

    var phrases: [UInt64: PhraseCue] = [:]
    func phrase(_ cue: PhraseCue, _ list: String) {
      for pair in list.split(separator: ",") {
        let parts = pair.split(separator: " ")
        guard parts.count == 2 else { continue }
        phrases[RoleWords.combine(RoleWords.hash(parts[0].utf8), RoleWords.hash(parts[1].utf8))] = cue
      }
    }
    phrase(
      .ageQuestion,
      "how old,hw old,wie alt,quel age,cuantos anos,quanti anni,quantos anos,ur age,your age,dein alter,ton age,tu edad,tua eta,sua idade,age check")
    phrase(
      .minor,
      "middle school,junior high,jr high,my teacher,my teachers,my class,after school,at school,for school,school tomorrow,"
        + "cant drive,learners permit,my babysitter,wont let,dont let,der schule,meine lehrerin,mein lehrer,le college,"
        + "mon prof,ma prof,la escuela,mi profe,la scuola,mia prof,na escola,meu professor")
    phrase(
      .adult,
      "at work,from work,to work,my job,my boss,my car,my truck,my apartment,my kids,my son,my daughter,my wife,my husband,"
        + "my ex,i drive,my paycheck,my rent,der arbeit,mein job,mein chef,mein auto,meine kinder,meine frau,mein sohn,"
        + "au travail,mon travail,mon boulot,ma voiture,mes enfants,ma femme,mon mari,el trabajo,mi trabajo,mi coche,mi carro,"
        + "mis hijos,mi esposa,mi marido,al lavoro,mio lavoro,mia macchina,miei figli,mia moglie,mio marito,no trabalho,"
        + "meu trabalho,meu carro,meus filhos,minha esposa,meu marido")
    self.phrases = phrases
    wordBits = RoleWords.filter(words.keys)
    phraseBits = RoleWords.filter(phrases.keys)
  }

  @inline(__always)
  func kind(_ hash: UInt64) -> Kind {
    RoleWords.mayContain(wordBits, hash) ? words[hash] ?? [] : []
  }

  @inline(__always)
  func phrase(_ first: UInt64, _ second: UInt64) -> PhraseCue? {
    let h = RoleWords.combine(first, second)
    return RoleWords.mayContain(phraseBits, h) ? phrases[h] : nil
  }

  static func filter<S: Sequence>(_ hashes: S) -> [UInt64] where S.Element == UInt64 {
    var bits = [UInt64](repeating: 0, count: filterWords)
    for h in hashes {
      let bit = Int(truncatingIfNeeded: (h >> 20) % UInt64(filterWords * 64))
      bits[bit >> 6] |= 1 << UInt64(bit & 63)
    }
    return bits
  }

  @inline(__always)
  static func mayContain(_ bits: [UInt64], _ h: UInt64) -> Bool {
    let bit = Int(truncatingIfNeeded: (h >> 20) % UInt64(filterWords * 64))
    return bits[bit >> 6] & (1 << UInt64(bit & 63)) != 0
  }

  /// FNV-1a over the bytes (0 for none).
  @inline(__always)
  static func hash<S: Sequence>(_ bytes: S) -> UInt64 where S.Element == UInt8 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    var any = false
    for b in bytes {
      h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3
      any = true
    }
    return any ? h : 0
  }

  @inline(__always)
  static func combine(_ a: UInt64, _ b: UInt64) -> UInt64 { (a &* 0x9e37_79b9_7f4a_7c15) ^ b }
}
