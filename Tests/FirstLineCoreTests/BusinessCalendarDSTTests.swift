import FirstLineCore
import Foundation
import Testing

/// Daylight-saving behaviour, hand-computed. 2026 switches: Europe/Berlin Sun 29 March 02:00 CET →
/// 03:00 CEST and Sun 25 October 03:00 CEST → 02:00 CET; America/New_York Sun 8 March 02:00 EST →
/// 03:00 EDT and Sun 1 November 02:00 EDT → 01:00 EST. Asia/Seoul and Asia/Tokyo have no DST and
/// must not move on those dates.
@Suite("BusinessCalendar daylight saving")
struct BusinessCalendarDSTTests {
    typealias F = CalendarFixtures

    static func zone(_ identifier: String) -> TimeZone { TimeZone(identifier: identifier)! }

    // MARK: A 09:00–18:00 day is 09:00–18:00 local time on the switch day too

    static let dayShiftAdditions: [(zone: String, start: String, minutes: Int, expected: String)] = [
        ("Asia/Seoul", "2026-03-07T17:00:00+09:00", 120, "2026-03-08T10:00:00+09:00"),
        ("Asia/Seoul", "2026-10-24T17:00:00+09:00", 120, "2026-10-25T10:00:00+09:00"),
        ("Asia/Tokyo", "2026-03-28T17:00:00+09:00", 120, "2026-03-29T10:00:00+09:00"),
        ("Asia/Tokyo", "2026-10-31T17:00:00+09:00", 120, "2026-11-01T10:00:00+09:00"),
        ("Europe/Berlin", "2026-03-28T17:00:00+01:00", 120, "2026-03-29T10:00:00+02:00"),
        ("Europe/Berlin", "2026-10-24T17:00:00+02:00", 120, "2026-10-25T10:00:00+01:00"),
        ("America/New_York", "2026-03-07T17:00:00-05:00", 120, "2026-03-08T10:00:00-04:00"),
        ("America/New_York", "2026-10-31T17:00:00-04:00", 120, "2026-11-01T10:00:00-05:00"),
    ]

    @Test("daily 09:00–18:00 keeps its local hours across the switch", arguments: dayShiftAdditions)
    func dayShift(_ zone: String, _ start: String, _ minutes: Int, _ expected: String) {
        let calendar = F.everyDay(F.hours("09:00-18:00"), in: Self.zone(zone))
        let due = calendar.addingBusinessMinutes(minutes, to: F.at(start))
        #expect(F.iso(due, in: Self.zone(zone)) == expected)
        // The switch day itself still holds exactly nine business hours.
        let switchDay = String(expected.prefix(10))
        let dayStart = calendar.nextOpening(after: F.at(start).addingTimeInterval(8 * 3600))
        #expect(F.iso(dayStart, in: Self.zone(zone))?.hasPrefix(switchDay + "T09:00:00") == true)
        if let dayStart {
            #expect(calendar.businessMinutes(from: dayStart, to: dayStart.addingTimeInterval(86_400)) == 540)
        }
    }

    // MARK: The 23- and 25-hour days

    static let wholeDays: [(zone: String, start: String, end: String, minutes: Int)] = [
        ("Asia/Seoul", "2026-03-08T00:00:00+09:00", "2026-03-09T00:00:00+09:00", 1440),
        ("Asia/Seoul", "2026-11-01T00:00:00+09:00", "2026-11-02T00:00:00+09:00", 1440),
        ("Asia/Tokyo", "2026-03-29T00:00:00+09:00", "2026-03-30T00:00:00+09:00", 1440),
        ("Asia/Tokyo", "2026-10-25T00:00:00+09:00", "2026-10-26T00:00:00+09:00", 1440),
        ("Europe/Berlin", "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00", 1380),
        ("Europe/Berlin", "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00", 1500),
        ("America/New_York", "2026-03-08T00:00:00-05:00", "2026-03-09T00:00:00-04:00", 1380),
        ("America/New_York", "2026-11-01T00:00:00-04:00", "2026-11-02T00:00:00-05:00", 1500),
    ]

    @Test("00:00–24:00 on a switch day is the day's real length", arguments: wholeDays)
    func wholeDay(_ zone: String, _ start: String, _ end: String, _ minutes: Int) {
        let calendar = F.everyDay(F.hours("00:00-24:00"), in: Self.zone(zone))
        #expect(calendar.businessMinutes(from: F.at(start), to: F.at(end)) == minutes)
    }

    @Test("24 business hours from the midnight of a short or long day")
    func dayOfMinutes() {
        let berlin = F.everyDay(F.hours("00:00-24:00"), in: F.berlin)
        #expect(F.iso(berlin.addingBusinessMinutes(1440, to: F.at("2026-03-29T00:00:00+01:00")), in: F.berlin)
            == "2026-03-30T01:00:00+02:00")
        let newYork = F.everyDay(F.hours("00:00-24:00"), in: F.newYork)
        #expect(F.iso(newYork.addingBusinessMinutes(1440, to: F.at("2026-11-01T00:00:00-04:00")), in: F.newYork)
            == "2026-11-01T23:00:00-05:00")
    }

    // MARK: Night shifts over the switch count real elapsed minutes

    static let nightSpans: [(zone: String, start: String, end: String, minutes: Int)] = [
        ("Asia/Seoul", "2026-03-07T20:00:00+09:00", "2026-03-08T12:00:00+09:00", 480),
        ("Asia/Tokyo", "2026-10-24T20:00:00+09:00", "2026-10-25T12:00:00+09:00", 480),
        ("Europe/Berlin", "2026-03-28T20:00:00+01:00", "2026-03-29T12:00:00+02:00", 420),
        ("Europe/Berlin", "2026-10-24T20:00:00+02:00", "2026-10-25T12:00:00+01:00", 540),
        ("America/New_York", "2026-03-07T20:00:00-05:00", "2026-03-08T12:00:00-04:00", 420),
        ("America/New_York", "2026-10-31T20:00:00-04:00", "2026-11-01T12:00:00-05:00", 540),
    ]

    @Test("22:00–06:00 is 7 hours over the skipped hour and 9 over the repeated one", arguments: nightSpans)
    func nightSpan(_ zone: String, _ start: String, _ end: String, _ minutes: Int) {
        let calendar = F.everyDay(F.hours("22:00-06:00"), in: Self.zone(zone))
        #expect(calendar.businessMinutes(from: F.at(start), to: F.at(end)) == minutes)
    }

    static let nightAdditions: [(zone: String, start: String, minutes: Int, expected: String)] = [
        ("Asia/Seoul", "2026-03-07T22:00:00+09:00", 300, "2026-03-08T03:00:00+09:00"),
        ("Asia/Tokyo", "2026-10-24T22:00:00+09:00", 300, "2026-10-25T03:00:00+09:00"),
        // Four real hours after 22:00 CET the clock reads 03:00 CEST.
        ("Europe/Berlin", "2026-03-28T22:00:00+01:00", 240, "2026-03-29T03:00:00+02:00"),
        // 420 minutes used by Sunday 06:00, the last 60 on Sunday night.
        ("Europe/Berlin", "2026-03-28T22:00:00+01:00", 480, "2026-03-29T23:00:00+02:00"),
        // 02:00 happens twice: first after 240 minutes, again after 300.
        ("Europe/Berlin", "2026-10-24T22:00:00+02:00", 240, "2026-10-25T02:00:00+02:00"),
        ("Europe/Berlin", "2026-10-24T22:00:00+02:00", 300, "2026-10-25T02:00:00+01:00"),
        ("Europe/Berlin", "2026-10-24T22:00:00+02:00", 540, "2026-10-25T06:00:00+01:00"),
        ("America/New_York", "2026-03-07T22:00:00-05:00", 300, "2026-03-08T04:00:00-04:00"),
        ("America/New_York", "2026-10-31T22:00:00-04:00", 210, "2026-11-01T01:30:00-04:00"),
        ("America/New_York", "2026-10-31T22:00:00-04:00", 270, "2026-11-01T01:30:00-05:00"),
    ]

    @Test("adding minutes over a night shift that contains the switch", arguments: nightAdditions)
    func nightAddition(_ zone: String, _ start: String, _ minutes: Int, _ expected: String) {
        let calendar = F.everyDay(F.hours("22:00-06:00"), in: Self.zone(zone))
        #expect(F.iso(calendar.addingBusinessMinutes(minutes, to: F.at(start)), in: Self.zone(zone)) == expected)
    }

    // MARK: Shift boundaries inside the skipped or repeated hour

    static let oddBoundaries: [(zone: String, hours: String, dayStart: String, dayEnd: String,
                                opening: String, minutes: Int)] = [
        // 02:30 does not exist on 29 March: read with CET, it is 03:30 CEST. 03:30–04:00 CEST.
        ("Europe/Berlin", "02:30-04:00", "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00",
         "2026-03-29T03:30:00+02:00", 30),
        // 02:30 happens twice on 25 October: the first (CEST) one opens. 02:30 CEST–04:00 CET.
        ("Europe/Berlin", "02:30-04:00", "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00",
         "2026-10-25T02:30:00+02:00", 150),
        ("America/New_York", "01:30-03:00", "2026-03-08T00:00:00-05:00", "2026-03-09T00:00:00-04:00",
         "2026-03-08T01:30:00-05:00", 30),
        ("America/New_York", "01:30-03:00", "2026-11-01T00:00:00-04:00", "2026-11-02T00:00:00-05:00",
         "2026-11-01T01:30:00-04:00", 150),
    ]

    @Test("a boundary in the skipped hour moves forward; in the repeated hour it is the first one",
          arguments: oddBoundaries)
    func oddBoundary(_ zone: String, _ hours: String, _ dayStart: String, _ dayEnd: String,
                     _ opening: String, _ minutes: Int) {
        let calendar = BusinessCalendar(timeZone: Self.zone(zone), weeklyHours: [.sunday: F.hours(hours)])
        #expect(F.iso(calendar.nextOpening(after: F.at(dayStart)), in: Self.zone(zone)) == opening)
        #expect(calendar.businessMinutes(from: F.at(dayStart), to: F.at(dayEnd)) == minutes)
    }

    @Test("a shift made only of the skipped hour is empty that day")
    func skippedShift() {
        let calendar = BusinessCalendar(timeZone: F.newYork, weeklyHours: [.sunday: F.hours("02:00-03:00")])
        #expect(calendar.businessMinutes(from: F.at("2026-03-08T00:00:00-05:00"), to: F.at("2026-03-09T00:00:00-04:00")) == 0)
        #expect(!calendar.isOpen(at: F.at("2026-03-08T03:00:00-04:00")))
        #expect(F.iso(calendar.nextOpening(after: F.at("2026-03-08T00:00:00-05:00")), in: F.newYork)
            == "2026-03-15T02:00:00-04:00")
    }

    // MARK: Weekends over a switch, and a whole year with both switches

    static let weekendAdditions: [(zone: String, start: String, minutes: Int, expected: String)] = [
        ("Europe/Berlin", "2026-03-27T17:00:00+01:00", 120, "2026-03-30T10:00:00+02:00"),
        ("Europe/Berlin", "2026-10-23T17:00:00+02:00", 120, "2026-10-26T10:00:00+01:00"),
        ("America/New_York", "2026-03-06T17:00:00-05:00", 120, "2026-03-09T10:00:00-04:00"),
        ("America/New_York", "2026-10-30T17:00:00-04:00", 120, "2026-11-02T10:00:00-05:00"),
        // 260 working days of 540 minutes: Monday 5 January 2026 to Friday 1 January 2027.
        ("Europe/Berlin", "2026-01-05T09:00:00+01:00", 140_400, "2027-01-01T18:00:00+01:00"),
        ("America/New_York", "2026-01-05T09:00:00-05:00", 140_400, "2027-01-01T18:00:00-05:00"),
        ("Asia/Seoul", "2026-01-05T09:00:00+09:00", 140_400, "2027-01-01T18:00:00+09:00"),
    ]

    @Test("a weekday office over a switch weekend and over a year", arguments: weekendAdditions)
    func weekend(_ zone: String, _ start: String, _ minutes: Int, _ expected: String) {
        let calendar = BusinessCalendar.workweek(F.hours("09:00-18:00"), timeZone: Self.zone(zone))
        let due = calendar.addingBusinessMinutes(minutes, to: F.at(start))
        #expect(F.iso(due, in: Self.zone(zone)) == expected)
        if let due { #expect(calendar.businessMinutes(from: F.at(start), to: due) == minutes) }
    }

    // MARK: Against a brute-force reference

    @Test("sums and sums-to-instants agree with sampling every quarter hour over four weeks and a switch")
    func bruteForce() throws {
        // Every boundary falls on a quarter hour of real time (offsets are whole hours), so an
        // open sample stands for exactly 15 open minutes.
        let calendar = BusinessCalendar(
            timeZone: F.berlin,
            weeklyHours: Dictionary(uniqueKeysWithValues: Weekday.workweek.map { ($0, F.hours("08:00-12:00", "13:00-17:15")) })
                .merging([.saturday: F.hours("22:00-06:00"), .sunday: F.hours("01:00-04:00", "10:45-11:30")]) { $1 },
            holidays: [F.date("2026-03-18")])
        let start = F.at("2026-03-02T00:00:00+01:00")
        let quarters = (0..<(28 * 96)).map { start.addingTimeInterval(Double($0) * 900) }
        let open = quarters.filter(calendar.isOpen(at:))
        let end = start.addingTimeInterval(28 * 86_400)
        #expect(calendar.businessMinutes(from: start, to: end) == open.count * 15)
        for quartersWanted in [1, 16, 200, 400, 700, open.count] {
            let due = calendar.addingBusinessMinutes(quartersWanted * 15, to: start)
            #expect(due == open[quartersWanted - 1].addingTimeInterval(900), "\(quartersWanted) quarters")
        }
    }
}
