import Testing

@testable import ChildSafe

/// The English pack's broad families: how offenders phrase information gathering, secrecy,
/// control and sexual requests in chat generally (chat spellings included), each with ordinary
/// sentences that share its words and stay silent. Written by hand, not taken from any corpus.
/// Content warning: explicit language, kept because detection needs it.
@Suite("English broad families")
struct EnglishFamiliesTests {
  typealias Case = PhraseCase

  /// Acted on alone, whoever writes them.
  static let actsAlone: [Case] = [
    Case("does ur mom know about us", .secrecy),
    Case("have u told anyone about me", .secrecy),
    Case("ur parents dont need to know", .secrecy),
    Case("just say im a friend from school", .secrecy),
    Case("log off if ur mom comes in", .secrecy),
    Case("do it or ill tell everyone", .coercion),
    Case("if u dont send it ill post ur pics", .coercion),
    Case("u have to do what i say", .coercion),
    Case("u getting big boobs yet", .sexual),
    Case("have u ever touched a dick", .sexual),
    Case("wanna have sex", .sexual),
    Case("send me some naughty pics", .sexual),
    Case("have u ever been touched", .sexual),
    Case("do u watch porn", .sexual),
    Case("have you ever used a dildo", .sexual),
    Case("have u ever had a wet dream", .sexual),
    Case("u gonna bring condoms", .sexual),
    Case("im so hard thinking about u", .sexual),
    Case("what size bra do you wear", .sexual),
    Case("have u ever seen a guy naked", .sexual),
    Case("do u shave down there", .sexual),
    Case("i want to be your first", .sexual),
    Case("i want to be inside you", .sexual),
    Case("take your clothes off", .sexual),
    Case("we could take a shower together", .sexual),
    Case("you have a nice ass", .sexual),
    Case("ever had a guy go down on you", .sexual),
    Case("hide your phone when your mom comes", .secrecy),
    Case("clear your browser history", .secrecy),
    Case("you're gonna be so wet", .sexual),
    Case("you can't trust your parents", .isolation),
    Case("when will your mom be back", .riskCheck),
    // The sixth round: what the tactics' own vocabulary says, written from chat generally.
    Case("r u a virgin", .sexual),
    Case("u ever cum", .sexual),
    Case("do you like oral", .sexual),
    Case("ever given a bj", .sexual),
    Case("i wanna eat you out", .sexual),
    Case("bend over for me", .sexual),
    Case("lift up your shirt for me", .sexual),
    Case("do you get wet", .sexual),
    Case("how far have you gone with a boy", .sexual),
    Case("have you done anything sexual", .sexual),
    Case("ill send your pics to your friends", .coercion),
    Case("i'll show your mom your pics", .coercion),
    Case("just tell your mom you are at a friends house", .secrecy),
    Case("make a new account so your mom doesnt see", .secrecy),
    Case("when will you be home alone", .riskCheck),
    Case("go to your room so we can talk", .riskCheck),
    Case("would u take a shower with me", .sexual),
  ]

  /// Ordinary enough between adults to stay under the line alone; a signal, acted on toward a child.
  static let evidence: [Case] = [
    Case("do u live with ur mom or ur dad", .riskCheck),
    Case("who do u live with", .riskCheck),
    Case("u got any brothers or sisters?", .riskCheck),
    Case("are ur parents divorced", .riskCheck),
    Case("wat time do u get home from school", .riskCheck),
    Case("what time do u go to bed", .riskCheck),
    Case("does ur mom let u have a bf", .riskCheck),
    Case("is it safe to talk rn", .riskCheck),
    Case("how tall r u", .personalInfo),
    Case("how much do u weigh", .personalInfo),
    Case("what color is ur hair", .personalInfo),
    Case("this could get me in big trouble", .secrecy),
    Case("i could go to jail for this", .secrecy),
    Case("do u trust me", .coercion),
    Case("prove u love me", .coercion),
    Case("ur mine now", .coercion),
    Case("be a good girl for me", .coercion),
    Case("why r u ignoring me", .coercion),
    Case("i watch porn sometimes", .sexual),
    Case("im so hard right now", .sexual),
    // Pet names, affection and promises of a bond (trust building).
    Case("hi sweetie how was ur day", .flattery),
    Case("i miss u so much", .flattery),
    Case("wish i could give u a hug right now", .flattery),
    Case("ur such a cutie", .flattery),
    Case("u are really cute", .flattery),
    Case("i would never hurt you", .flattery),
    Case("you can trust me", .flattery),
    Case("you just make my heart smile", .flattery),
    Case("i wont make you do anything you dont wanna", .flattery),
    Case("what if we fall in love", .sexual),
    // The practicalities of a meeting, plans for the day, parents kept out, demands for answers.
    Case("where should i park", .meeting),
    Case("i got us a hotel room", .meeting),
    Case("how far are you from the mall", .meeting),
    Case("what are your plans today", .personalInfo),
    Case("do you have a webcam", .personalInfo),
    Case("your mom cant find out", .secrecy),
    Case("make sure nobody sees this", .secrecy),
    Case("why didnt u answer me", .coercion),
    Case("you dont care about me at all", .coercion),
    Case("how do u get to school", .personalInfo),
    Case("is the computer in your room", .personalInfo),
    Case("whats ur moms name", .personalInfo),
    Case("wanna go to the movies with me", .meeting),
    Case("what if i came to see you", .meeting),
    Case("dont talk to other guys", .coercion),
    Case("who were you talking to", .coercion),
    Case("how long can you stay out", .meeting),
    Case("we have an hour till you have to go home", .meeting),
    Case("your mom might catch you", .secrecy),
    Case("we have to be careful because you're younger", .secrecy),
    Case("nobody cares about me", .coercion),
    Case("are you getting your period yet", .sexual),
    // Suggestive talk ordinary between partners, and the sender's own nakedness.
    Case("would you spend the night with me", .sexual),
    Case("i want to sleep with you", .sexual),
    Case("what would you do if i was there", .sexual),
    Case("im naked right now", .sexual),
    Case("i would be gentle with you", .sexual),
    Case("ill go slow since its your first time", .sexual),
    Case("wanna have phone sex", .sexual),
    Case("i could get in big trouble for talking to you", .secrecy),
    Case("they would say im too old for you", .secrecy),
    Case("other girls would do it for me", .coercion),
    Case("ill stop talking to you then", .coercion),
    // Euphemisms, the fear of a sting, the getaway: ordinary between adults, serious toward a child.
    Case("i want to make out with you", .sexual),
    Case("have you ever had a guy touch you there", .sexual),
    Case("id make you feel good", .sexual),
    Case("i would give you a massage", .sexual),
    Case("we could lay in bed together", .sexual),
    Case("ever french kissed", .sexual),
    Case("ur making me hot", .sexual),
    Case("im in bed naked thinking of you", .sexual),
    Case("you're not a cop are you", .secrecy),
    Case("r u a cop", .secrecy),
    Case("is this a setup", .secrecy),
    Case("they would lock me up", .secrecy),
    Case("you need some freedom", .isolation),
    Case("can you sneak away", .meeting),
    Case("i'd have to drive 3 hours to see you", .meeting),
    Case("can you skip school tomorrow", .meeting),
    Case("ill honk when im outside", .meeting),
    Case("what kind of car does your mom drive", .personalInfo),
    Case("do u go to middle school", .personalInfo),
    Case("ill bring you something special", .gifts),
    Case("u r such a tease", .coercion),
    Case("dont waste my time", .coercion),
  ]

  /// Everyday sentences sharing the families' words.
  static let twins: [Case] = [
    Case("my sister lives with her dad now", .riskCheck),
    Case("do u live with roommates", .riskCheck),
    Case("do ur parents let u use the phone after dinner", .riskCheck),
    Case("what time does the store open", .riskCheck),
    Case("is it a good time to buy a car", .riskCheck),
    Case("how tall is the eiffel tower", .personalInfo),
    Case("does anyone know about the meeting tomorrow", .secrecy),
    Case("this could get me in trouble with my boss lol", .secrecy),
    Case("did you tell anyone about the leak in the kitchen", .secrecy),
    Case("hurry up or ill miss the bus", .coercion),
    Case("you have to trust the process", .coercion),
    Case("you must do the dishes tonight", .coercion),
    Case("be a good sport about it", .coercion),
    Case("why are they ignoring the rules", .coercion),
    Case("ur mine for the group project", .coercion),
    Case("have u ever seen a cock fight", .sexual),
    Case("we should hook up the new speakers", .sexual),
    Case("you are so anal about tidiness", .sexual),
    Case("im so hard on myself at work", .sexual),
    Case("my baby is sleeping finally", .flattery),
    Case("my baby girl took her first steps", .flattery),
    Case("hi sweetie, dad will be home at 4", .flattery),
    Case("happy birthday my darling, love grandpa", .flattery),
    Case("i miss the old days", .flattery),
    Case("i think about the exam all the time", .flattery),
    Case("if i fall asleep wake me", .sexual),
    Case("what if we fall behind on rent", .sexual),
    Case("where should i park at the dentist", .meeting),
    Case("im on my way to work", .meeting),
    Case("what are your plans for the project", .personalInfo),
    Case("make sure nobody sees the surprise", .secrecy),
    Case("why didnt u answer my email about the shift", .coercion),
    Case("i told you to bring your homework", .coercion),
    Case("what size shoes do you wear", .sexual),
    Case("i want to be your first customer", .sexual),
    Case("my little sister wants to sleep with me", .sexual),
    Case("take your shoes off at the door", .sexual),
    Case("the kids took a bath together", .sexual),
    Case("clear the search history on the tv", .secrecy),
    Case("you can't trust the weather app", .isolation),
    Case("how do u get to the airport from here", .personalInfo),
    Case("we could go to the movies with grandma", .meeting),
    Case("who was the teacher talking to", .coercion),
    Case("we have to be careful with money this month", .secrecy),
    Case("how long can you stay in the pool", .meeting),
    Case("your mom might see the game tonight", .secrecy),
    Case("do you like oral presentations", .sexual),
    Case("i have an oral exam tomorrow", .sexual),
    Case("give me a head start", .sexual),
    Case("can u cum over later", .sexual),
    Case("how far have you gone with the project", .sexual),
    Case("the nurse will be gentle with you", .sexual),
    Case("since its your first time playing ill explain the rules", .sexual),
    Case("bend over and pick it up", .sexual),
    Case("the doctor will ask you to lift up your shirt", .sexual),
    Case("do you get wet when it rains there", .sexual),
    Case("ill send your pics to your mom after the shoot", .coercion),
    Case("send your mom the pics from the trip", .coercion),
    Case("most kids do that at his age", .coercion),
    Case("other girls do that too lol", .coercion),
    Case("i got in so much trouble for being late", .secrecy),
    Case("im way too old for tiktok", .secrecy),
    Case("go to your room and do your homework", .riskCheck),
    Case("so your mom doesnt worry text her", .secrecy),
    Case("r u a student", .sexual),
    Case("my cousin wants to make out with her bf lol", .sexual),
    Case("this song will make you feel good", .sexual),
    Case("i got a massage at the spa", .sexual),
    Case("the physio will rub your back", .sexual),
    Case("feel your body relax and breathe", .sexual),
    Case("my dog sleeps with me in bed", .sexual),
    Case("french kiss is a movie", .sexual),
    Case("the heat is making me hot", .sexual),
    Case("my dad is a cop", .secrecy),
    Case("you cop the new jordans?", .secrecy),
    Case("are you a police officer's kid", .secrecy),
    Case("my friend is setting me up with her brother", .secrecy),
    Case("they locked me out of the house", .secrecy),
    Case("you need more freedom in your schedule", .isolation),
    Case("can you get away this weekend for the wedding", .meeting),
    Case("i drove 3 hours to see my mom", .meeting),
    Case("what kind of car does your dad want", .personalInfo),
    Case("ill bring you something from the store", .gifts),
    Case("stop teasing your sister", .coercion),
    Case("youre wasting my time with this paperwork", .coercion),
    Case("stop acting like a baby about the shots", .coercion),
  ]

  /// Pet names and affection between teenagers of a similar age are theirs to exchange.
  static let betweenPeers = ["hi sweetie how was ur day", "i miss u so much", "ur such a cutie", "you can trust me"]

  @Test("acts alone and toward a child", arguments: actsAlone)
  func actsAloneFlags(_ c: Case) throws {
    let category = try #require(c.category)
    let verdict = try c.verdict()
    #expect(verdict.flagged && verdict.categories.contains(category), "\(verdict.ruleIDs)")
    #expect(try c.verdict(PhraseCase.adultToChild).flagged)
  }

  @Test("a signal alone, acted on toward a child", arguments: evidence)
  func evidenceActsTowardAChild(_ c: Case) throws {
    try c.expectEvidence(try #require(c.category))
  }

  @Test("affection between peers gives no signal", arguments: betweenPeers)
  func affectionBetweenPeers(_ text: String) throws {
    let verdict = try PhraseCase.engine.classify(text, context: MessageContext(senderAge: 14, recipientAge: 13))
    #expect(!verdict.categories.contains(.flattery), "\(verdict.ruleIDs)")
  }

  @Test("the everyday twin gives no such signal, even toward a child", arguments: twins)
  func twinsStaySilent(_ c: Case) throws {
    try c.expectNoSignal(try #require(c.category))
  }
}
