import Testing

@testable import ChildSafe

@Suite("Birth dates")
struct BirthDateTests {
  func date(_ text: String) throws -> CalendarDate { try CalendarDate.parse(text) }

  @Test func turnsThirteenOnTheBirthdayNotBefore() throws {
    let birth = try date("2013-06-15")
    #expect(try AgeDefaults.settings(birthDate: birth, on: date("2026-06-14")).band == "10-12")
    #expect(try AgeDefaults.settings(birthDate: birth, on: date("2026-06-14")).age == 12)
    #expect(try AgeDefaults.settings(birthDate: birth, on: date("2026-06-15")).band == "13-15")
    #expect(try AgeDefaults.settings(birthDate: birth, on: date("2026-06-15")).age == 13)
  }

  @Test func earlierMonthLaterDayStillCounts() throws {
    // Month decides before day: born in December, on 31 January the birthday is still ahead.
    let birth = try date("2010-12-01")
    #expect(birth.age(on: try date("2028-01-31")) == 17)
    #expect(birth.age(on: try date("2028-12-01")) == 18)
    #expect(try AgeDefaults.settings(birthDate: birth, on: date("2028-11-30")).band == "16-17")
    #expect(try AgeDefaults.settings(birthDate: birth, on: date("2028-12-01")).band == "18+")
  }

  @Test func leapDayBirthdays() throws {
    let birth = try date("2012-02-29")
    // In a common year the birthday is reached on 1 March, not 28 February.
    #expect(birth.age(on: try date("2025-02-28")) == 12)
    #expect(birth.age(on: try date("2025-03-01")) == 13)
    // In a leap year it is reached on 29 February.
    #expect(birth.age(on: try date("2028-02-28")) == 15)
    #expect(birth.age(on: try date("2028-02-29")) == 16)
    #expect(try AgeDefaults.settings(birthYear: 2012, birthMonth: 2, birthDay: 29, onYear: 2025, month: 2, day: 28).band == "10-12")
    #expect(try AgeDefaults.settings(birthYear: 2012, birthMonth: 2, birthDay: 29, onYear: 2025, month: 3, day: 1).band == "13-15")
  }

  @Test func bornTodayIsZero() throws {
    let today = try date("2026-11-29")
    #expect(today.age(on: today) == 0)
    #expect(try AgeDefaults.settings(birthDate: today, on: today).band == "0-5")
  }

  @Test func birthAfterTheReferenceDateIsAnError() throws {
    #expect(throws: ChildSafeError.self) {
      try AgeDefaults.settings(birthDate: date("2027-01-01"), on: date("2026-12-31"))
    }
  }

  @Test("impossible dates are rejected", arguments: ["2025-02-29", "2024-02-30", "2024-13-01", "2024-04-31", "2024-00-10", "24-01-01", "2024/01/01", "2024-1-01"])
  func impossibleDates(text: String) {
    #expect(throws: ChildSafeError.self) { try CalendarDate.parse(text) }
  }

  @Test func leapYears() {
    #expect(CalendarDate.isLeapYear(2024))
    #expect(!CalendarDate.isLeapYear(2100))
    #expect(CalendarDate.isLeapYear(2000))
    #expect(!CalendarDate.isLeapYear(2026))
  }
}
