#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A day in the proleptic Gregorian calendar, without time or zone: enough to know an age.
/// (The core imports no Foundation, so it keeps its own small date type.)
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
  public let year: Int
  public let month: Int
  public let day: Int

  /// A valid date (year 1...9999); 30 February or 29 February in a common year is an error.
  public init(year: Int, month: Int, day: Int) throws(ChildSafeError) {
    guard (1...9999).contains(year) else {
      throw ChildSafeError(.invalidValue, "year \(year) is out of range (expected 1 to 9999)")
    }
    guard (1...12).contains(month) else {
      throw ChildSafeError(.invalidValue, "month \(month) is out of range (expected 1 to 12)")
    }
    let days = CalendarDate.daysIn(month: month, year: year)
    guard (1...days).contains(day) else {
      throw ChildSafeError(.invalidValue, "\(CalendarDate.pad(year, 4))-\(CalendarDate.pad(month, 2)) has no day \(day)")
    }
    self.year = year
    self.month = month
    self.day = day
  }

  /// Parses `YYYY-MM-DD` (ISO 8601 calendar date).
  public static func parse(_ text: String) throws(ChildSafeError) -> CalendarDate {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
      parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
      let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
    else {
      throw ChildSafeError(.invalidValue, "'\(text)' is not a date; expected YYYY-MM-DD, e.g. 2014-03-29")
    }
    return try CalendarDate(year: year, month: month, day: day)
  }

  /// Today in the machine's local time zone.
  public static func today() -> CalendarDate {
    var now = time(nil)
    var parts = tm()
    localtime_r(&now, &parts)
    // localtime_r always yields a valid date; the fallback only silences the typed throw.
    return (try? CalendarDate(year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday)))
      ?? CalendarDate(unchecked: 2000, 1, 1)
  }

  init(unchecked year: Int, _ month: Int, _ day: Int) {
    self.year = year
    self.month = month
    self.day = day
  }

  public static func isLeapYear(_ year: Int) -> Bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
  }

  public static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: isLeapYear(year) ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  /// Completed years from this birth date to `date`, or nil when `date` is before the birth date.
  /// Someone born on 29 February turns a year older on 1 March in common years (as in UK law):
  /// until then their (month, day) has not been reached.
  public func age(on date: CalendarDate) -> Int? {
    if date < self { return nil }
    var years = date.year - year
    if (date.month, date.day) < (month, day) { years -= 1 }
    return years
  }

  public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
    (a.year, a.month, a.day) < (b.year, b.month, b.day)
  }

  public var description: String { "\(CalendarDate.pad(year, 4))-\(CalendarDate.pad(month, 2))-\(CalendarDate.pad(day, 2))" }

  static func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
  }
}
