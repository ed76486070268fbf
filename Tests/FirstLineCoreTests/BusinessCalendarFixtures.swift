import FirstLineCore
import Foundation

/// Calendars and time helpers shared by the calendar, SLA and routing tests. Expected instants
/// are written as ISO-8601 strings with their offset, so each one can be checked by hand.
enum CalendarFixtures {
    static let seoul = TimeZone(identifier: "Asia/Seoul")!
    static let tokyo = TimeZone(identifier: "Asia/Tokyo")!
    static let berlin = TimeZone(identifier: "Europe/Berlin")!
    static let newYork = TimeZone(identifier: "America/New_York")!

    /// `2026-05-04T10:00:00+09:00` → the instant.
    static func at(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        guard let date = formatter.date(from: text) else { fatalError("Bad ISO-8601 instant in a test: \(text)") }
        return date
    }

    /// The instant as ISO-8601 on `zone`'s wall clock, so failures read like the expectations.
    static func iso(_ date: Date?, in zone: TimeZone) -> String? {
        guard let date else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = zone
        return formatter.string(from: date)
    }

    static func hours(_ texts: String...) -> [BusinessHours] {
        texts.map { text in
            guard let hours = BusinessHours(text) else { fatalError("Bad hours in a test: \(text)") }
            return hours
        }
    }

    static func date(_ text: String) -> LocalDate {
        guard let date = LocalDate(text) else { fatalError("Bad local date in a test: \(text)") }
        return date
    }

    /// The same hours every day of the week, weekends included (DST switches happen on Sundays).
    static func everyDay(_ hours: [BusinessHours], in zone: TimeZone) -> BusinessCalendar {
        BusinessCalendar(timeZone: zone, weeklyHours: Dictionary(uniqueKeysWithValues: Weekday.allCases.map { ($0, hours) }))
    }

    /// A Seoul office: Monday–Friday 09:00–12:00 and 13:00–18:00 (480 minutes a day), closed for
    /// Children's Day, Tuesday 5 May 2026.
    static let seoulOffice = BusinessCalendar.workweek(hours("09:00-12:00", "13:00-18:00"), timeZone: seoul,
                                                       holidays: [date("2026-05-05")])

    /// A Tokyo night desk: Monday–Friday nights 22:00–06:00, closed Wednesday 6 May 2026. So the
    /// Tuesday night shift stops at Wednesday's midnight and the Wednesday night shift never starts.
    static let tokyoNightDesk = BusinessCalendar.workweek(hours("22:00-06:00"), timeZone: tokyo,
                                                          holidays: [date("2026-05-06")])
}
