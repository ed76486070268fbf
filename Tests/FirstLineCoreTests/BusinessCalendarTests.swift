import FirstLineCore
import Foundation
import Testing

@Suite("BusinessCalendar")
struct BusinessCalendarTests {
    typealias F = CalendarFixtures

    // MARK: Split shifts, holidays, weekends (Seoul office, 09–12 + 13–18, Tue 5 May 2026 off)

    static let officeAdditions: [(start: String, minutes: Int, expected: String)] = [
        ("2026-05-04T10:00:00+09:00", 60, "2026-05-04T11:00:00+09:00"),   // inside a stretch
        ("2026-05-04T11:30:00+09:00", 60, "2026-05-04T13:30:00+09:00"),   // lunch does not count
        ("2026-05-04T11:00:00+09:00", 60, "2026-05-04T12:00:00+09:00"),   // due at closing, not after lunch
        ("2026-05-04T12:30:00+09:00", 30, "2026-05-04T13:30:00+09:00"),   // starts during lunch
        ("2026-05-04T07:00:00+09:00", 30, "2026-05-04T09:30:00+09:00"),   // starts before opening
        ("2026-05-04T17:30:00+09:00", 60, "2026-05-06T09:30:00+09:00"),   // over the holiday
        ("2026-05-08T17:00:00+09:00", 120, "2026-05-11T10:00:00+09:00"),  // over the weekend
        ("2026-05-09T12:00:00+09:00", 0, "2026-05-11T09:00:00+09:00"),    // zero from Saturday: next opening
        ("2026-05-04T10:00:00+09:00", 0, "2026-05-04T10:00:00+09:00"),    // zero while open: start
        ("2026-05-04T10:00:00+09:00", -5, "2026-05-04T10:00:00+09:00"),   // negative counts as zero
        ("2026-05-04T09:00:00+09:00", 480, "2026-05-04T18:00:00+09:00"),  // a whole day
        ("2026-05-04T09:00:00+09:00", 481, "2026-05-06T09:01:00+09:00"),
        ("2026-05-01T09:00:00+09:00", 2400, "2026-05-08T18:00:00+09:00"), // Fri + Mon, Wed, Thu, Fri
        ("2026-05-04T09:00:00+09:00", 9600, "2026-06-01T18:00:00+09:00"), // 20 working days (skips weeks)
        ("2026-05-04T01:00:00Z", 60, "2026-05-04T11:00:00+09:00"),        // the zone of `start` is irrelevant
    ]

    @Test("adding business minutes: split shifts, holidays, weekends, start outside hours", arguments: officeAdditions)
    func officeAddition(_ start: String, _ minutes: Int, _ expected: String) {
        let due = F.seoulOffice.addingBusinessMinutes(minutes, to: F.at(start))
        #expect(F.iso(due, in: F.seoul) == expected)
    }

    static let officeSpans: [(start: String, end: String, minutes: Int)] = [
        ("2026-05-04T10:00:00+09:00", "2026-05-04T14:00:00+09:00", 180),
        ("2026-05-08T17:00:00+09:00", "2026-05-11T10:00:00+09:00", 120),
        ("2026-05-04T17:00:00+09:00", "2026-05-06T10:00:00+09:00", 120),
        ("2026-05-09T00:00:00+09:00", "2026-05-10T23:59:00+09:00", 0),
        ("2026-05-04T14:00:00+09:00", "2026-05-04T10:00:00+09:00", 0),    // end before start
        ("2026-05-04T10:00:30+09:00", "2026-05-04T10:02:00+09:00", 1),    // 90 seconds: whole minutes
        ("2026-05-04T00:00:00+09:00", "2026-06-01T00:00:00+09:00", 9120), // 19 working days
    ]

    @Test("business minutes between two instants", arguments: officeSpans)
    func officeSpan(_ start: String, _ end: String, _ minutes: Int) {
        #expect(F.seoulOffice.businessMinutes(from: F.at(start), to: F.at(end)) == minutes)
    }

    static let officeOpen: [(instant: String, open: Bool)] = [
        ("2026-05-04T08:59:59+09:00", false), ("2026-05-04T09:00:00+09:00", true),
        ("2026-05-04T11:59:59+09:00", true), ("2026-05-04T12:00:00+09:00", false),
        ("2026-05-04T12:59:00+09:00", false), ("2026-05-04T13:00:00+09:00", true),
        ("2026-05-04T17:59:59+09:00", true), ("2026-05-04T18:00:00+09:00", false),
        ("2026-05-05T10:00:00+09:00", false), ("2026-05-09T10:00:00+09:00", false),
        ("2026-05-04T01:00:00Z", true),
    ]

    @Test("open at: closing instants and lunch are closed, holidays and weekends too", arguments: officeOpen)
    func officeIsOpen(_ instant: String, _ open: Bool) {
        #expect(F.seoulOffice.isOpen(at: F.at(instant)) == open)
    }

    static let officeOpenings: [(after: String, opening: String)] = [
        ("2026-05-04T10:00:00+09:00", "2026-05-04T10:00:00+09:00"),
        ("2026-05-04T12:15:00+09:00", "2026-05-04T13:00:00+09:00"),
        ("2026-05-04T18:30:00+09:00", "2026-05-06T09:00:00+09:00"),
        ("2026-05-08T19:00:00+09:00", "2026-05-11T09:00:00+09:00"),
    ]

    @Test("next opening", arguments: officeOpenings)
    func officeNextOpening(_ after: String, _ opening: String) {
        #expect(F.iso(F.seoulOffice.nextOpening(after: F.at(after)), in: F.seoul) == opening)
    }

    // MARK: Overnight shifts and holidays (Tokyo night desk, Mon–Fri 22–06, Wed 6 May 2026 off)

    static let nightOpen: [(instant: String, open: Bool)] = [
        ("2026-05-04T21:59:00+09:00", false), ("2026-05-04T22:00:00+09:00", true),
        ("2026-05-05T05:59:00+09:00", true), ("2026-05-05T06:00:00+09:00", false),
        ("2026-05-05T23:30:00+09:00", true),
        ("2026-05-06T01:00:00+09:00", false),  // Tuesday's shift stops at the holiday's midnight
        ("2026-05-06T23:00:00+09:00", false),  // no shift starts on the holiday
        ("2026-05-07T02:00:00+09:00", false),  // … not even its part after midnight
        ("2026-05-07T22:00:00+09:00", true),
        ("2026-05-09T03:00:00+09:00", true),   // Friday's shift runs into Saturday
        ("2026-05-11T03:00:00+09:00", false),  // nothing starts on Sunday night
    ]

    @Test("overnight shifts cross midnight; a holiday closes its whole day and its own night shift",
          arguments: nightOpen)
    func nightIsOpen(_ instant: String, _ open: Bool) {
        #expect(F.tokyoNightDesk.isOpen(at: F.at(instant)) == open)
    }

    static let nightAdditions: [(start: String, minutes: Int, expected: String)] = [
        ("2026-05-04T23:00:00+09:00", 60, "2026-05-05T00:00:00+09:00"),
        ("2026-05-04T23:00:00+09:00", 120, "2026-05-05T01:00:00+09:00"),
        ("2026-05-05T23:00:00+09:00", 120, "2026-05-07T23:00:00+09:00"), // 60 before the holiday, 60 on Thursday night
        ("2026-05-04T12:00:00+09:00", 30, "2026-05-04T22:30:00+09:00"),
        ("2026-05-08T23:00:00+09:00", 480, "2026-05-11T23:00:00+09:00"), // 420 to Saturday 06:00, then Monday night
    ]

    @Test("adding business minutes over night shifts", arguments: nightAdditions)
    func nightAddition(_ start: String, _ minutes: Int, _ expected: String) {
        let due = F.tokyoNightDesk.addingBusinessMinutes(minutes, to: F.at(start))
        #expect(F.iso(due, in: F.tokyo) == expected)
    }

    @Test("business minutes over night shifts: Monday 480 + Tuesday cut to 120 + Thursday 480")
    func nightSpan() {
        let minutes = F.tokyoNightDesk.businessMinutes(from: F.at("2026-05-04T20:00:00+09:00"),
                                                       to: F.at("2026-05-08T12:00:00+09:00"))
        #expect(minutes == 1080)
    }

    @Test("overlapping stretches count once, also across midnight and around the week")
    func overlaps() {
        let overlapping = BusinessCalendar(timeZone: F.tokyo,
                                           weeklyHours: [.friday: F.hours("22:00-06:00"), .saturday: F.hours("00:00-08:00")])
        #expect(overlapping.businessMinutes(from: F.at("2026-05-08T22:00:00+09:00"),
                                            to: F.at("2026-05-09T12:00:00+09:00")) == 600)
        // Four weeks, counted with whole-week steps: the week's total must agree with the days'.
        #expect(overlapping.businessMinutes(from: F.at("2026-05-04T00:00:00+09:00"),
                                            to: F.at("2026-06-01T00:00:00+09:00")) == 4 * 600)
        let sundayNight = BusinessCalendar(timeZone: F.tokyo, weeklyHours: [.sunday: F.hours("22:00-02:00")])
        #expect(sundayNight.businessMinutes(from: F.at("2026-05-04T00:00:00+09:00"),
                                            to: F.at("2026-06-01T00:00:00+09:00")) == 4 * 240)
        let doubled = BusinessCalendar.workweek(F.hours("09:00-17:00", "12:00-18:00"), timeZone: F.tokyo)
        #expect(doubled.businessMinutes(from: F.at("2026-05-04T00:00:00+09:00"),
                                        to: F.at("2026-05-05T00:00:00+09:00")) == 540)
    }

    // MARK: 24/7 and calendars without hours

    @Test("always open: business time is wall-clock time, holidays included")
    func alwaysOpen() {
        let calendar = BusinessCalendar(timeZone: F.seoul, weeklyHours: [:], holidays: [F.date("2026-05-05")],
                                        alwaysOpen: true)
        let start = F.at("2026-05-04T10:00:00+09:00")
        #expect(F.iso(calendar.addingBusinessMinutes(1000, to: start), in: F.seoul) == "2026-05-05T02:40:00+09:00")
        #expect(calendar.isOpen(at: F.at("2026-05-05T10:00:00+09:00")))
        #expect(calendar.nextOpening(after: start) == start)
        #expect(calendar.businessMinutes(from: F.at("2026-05-04T00:00:00+09:00"),
                                         to: F.at("2026-05-06T00:00:00+09:00")) == 2880)
        // Across New York's spring-forward night a wall-clock day is 23 hours.
        let newYork = BusinessCalendar.twentyFourSeven(timeZone: F.newYork)
        #expect(newYork.businessMinutes(from: F.at("2026-03-07T12:00:00-05:00"),
                                        to: F.at("2026-03-08T12:00:00-04:00")) == 1380)
    }

    @Test("a calendar with no hours answers at once: nil, closed, zero")
    func noHours() {
        let start = F.at("2026-05-04T10:00:00+09:00")
        for calendar in [BusinessCalendar(timeZone: F.seoul, weeklyHours: [:]),
                         BusinessCalendar(timeZone: F.seoul, weeklyHours: [.monday: []])] {
            #expect(!calendar.hasOpenHours)
            #expect(calendar.addingBusinessMinutes(1, to: start) == nil)
            #expect(calendar.nextOpening(after: start) == nil)
            #expect(!calendar.isOpen(at: start))
            #expect(calendar.businessMinutes(from: start, to: start.addingTimeInterval(86_400 * 365)) == 0)
        }
    }

    @Test("huge targets end fast: beyond the horizon is nil; 10 million minutes still round-trips",
          .timeLimit(.minutes(1)))
    func hugeTargets() {
        let start = F.at("2026-05-04T10:00:00+09:00")
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            #expect(F.seoulOffice.addingBusinessMinutes(.max, to: start) == nil)
            #expect(F.seoulOffice.addingBusinessTime(.infinity, to: start) == nil)
            // About 71 years of New York working days, through more than a hundred DST switches.
            let office = BusinessCalendar.workweek(F.hours("09:00-18:00"), timeZone: F.newYork)
            let due = office.addingBusinessMinutes(10_000_000, to: start)
            #expect(due != nil)
            if let due { #expect(office.businessMinutes(from: start, to: due) == 10_000_000) }
            // A calendar open only on a date that is always a holiday never opens within the horizon.
            var gregorian = Calendar(identifier: .gregorian)
            gregorian.timeZone = TimeZone(identifier: "UTC")!
            let tuesdays = (0..<5300).compactMap { week -> LocalDate? in
                let day = F.at("2026-05-05T00:00:00Z").addingTimeInterval(Double(week) * 7 * 86_400)
                let parts = gregorian.dateComponents([.year, .month, .day], from: day)
                return LocalDate(year: parts.year!, month: parts.month!, day: parts.day!)
            }
            let onlyHolidays = BusinessCalendar(timeZone: F.seoul, weeklyHours: [.tuesday: F.hours("09:00-18:00")],
                                                holidays: Set(tuesdays))
            #expect(onlyHolidays.nextOpening(after: start) == nil)
            #expect(onlyHolidays.addingBusinessMinutes(1, to: start) == nil)
        }
        #expect(elapsed < .seconds(20), "took \(elapsed)")
    }

    // MARK: Consistency between the operations

    static let roundTripCalendars: [(name: String, calendar: BusinessCalendar)] = [
        ("Seoul office", F.seoulOffice),
        ("Tokyo night desk", F.tokyoNightDesk),
        ("Berlin nights", F.everyDay(F.hours("22:00-06:00"), in: F.berlin)),
        ("New York office", BusinessCalendar.workweek(F.hours("08:30-12:00", "13:00-17:30"), timeZone: F.newYork,
                                                      holidays: [F.date("2026-11-26")])),
    ]

    @Test("adding n minutes then measuring gives n back", arguments: roundTripCalendars.map(\.name))
    func roundTrip(_ name: String) throws {
        let calendar = try #require(Self.roundTripCalendars.first { $0.name == name }?.calendar)
        let starts = ["2026-03-06T16:00:00Z", "2026-03-28T23:30:00Z", "2026-05-05T03:00:00Z",
                      "2026-10-24T18:15:00Z", "2026-10-31T21:00:00Z"].map(F.at)
        for start in starts {
            for minutes in [0, 1, 59, 480, 1000, 5000, 100_000] {
                let due = try #require(calendar.addingBusinessMinutes(minutes, to: start))
                #expect(calendar.businessMinutes(from: start, to: due) == minutes, "\(name) \(start) +\(minutes)")
                #expect(due >= start)
            }
        }
    }

    // MARK: Parsing and Codable

    static let hoursTexts: [(text: String, minutes: [Int]?)] = [
        ("09:00-18:00", [540, 1080]), ("22:00-06:00", [1320, 360]), ("00:00-24:00", [0, 1440]),
        (" 13:00 - 17:30 ", [780, 1050]),
        ("24:00-01:00", nil), ("09:00-09:00", nil), ("9:00-18:00", nil), ("09:60-10:00", nil),
        ("24:30-01:00", nil), ("09:00", nil), ("abc", nil), ("０９:00-18:00", nil),
    ]

    @Test("business hours parse HH:MM-HH:MM", arguments: hoursTexts)
    func parseHours(_ text: String, _ minutes: [Int]?) {
        let hours = BusinessHours(text)
        #expect(hours.map { [$0.startMinute, $0.endMinute] } == minutes)
        #expect(BusinessHours("22:00-06:00")?.isOvernight == true)
        #expect(BusinessHours("09:00-18:00")?.description == "09:00-18:00")
    }

    static let dateTexts: [(text: String, valid: Bool)] = [
        ("2026-05-05", true), ("2028-02-29", true), ("2026-02-29", false), ("2026-13-01", false),
        ("2026-04-31", false), ("2026-5-5", false), ("20260505", false), ("", false),
    ]

    @Test("local dates parse YYYY-MM-DD and reject impossible days", arguments: dateTexts)
    func parseDate(_ text: String, _ valid: Bool) {
        #expect((LocalDate(text) != nil) == valid)
        if valid { #expect(LocalDate(text)?.description == text) }
    }

    @Test("JSON with zone identifier, HH:MM-HH:MM hours and YYYY-MM-DD holidays")
    func codable() throws {
        let json = """
        {"timeZone": "Asia/Seoul", "weeklyHours": {"monday": ["09:00-12:00", "13:00-18:00"], "friday": ["22:00-06:00"]},
         "holidays": ["2026-05-05"]}
        """
        let decoded = try JSONDecoder().decode(BusinessCalendar.self, from: Data(json.utf8))
        let expected = BusinessCalendar(timeZone: F.seoul,
                                        weeklyHours: [.monday: F.hours("09:00-12:00", "13:00-18:00"),
                                                      .friday: F.hours("22:00-06:00")],
                                        holidays: [F.date("2026-05-05")])
        #expect(decoded == expected)
        for calendar in [F.seoulOffice, F.tokyoNightDesk, BusinessCalendar.twentyFourSeven(timeZone: F.newYork)] {
            let data = try JSONEncoder().encode(calendar)
            #expect(try JSONDecoder().decode(BusinessCalendar.self, from: data) == calendar)
        }
        for bad in [#"{"timeZone": "Mars/Olympus"}"#,
                    #"{"timeZone": "Asia/Seoul", "weeklyHours": {"monday": ["9-18"]}}"#,
                    #"{"timeZone": "Asia/Seoul", "holidays": ["2026-02-30"]}"#] {
            #expect(throws: DecodingError.self) { try JSONDecoder().decode(BusinessCalendar.self, from: Data(bad.utf8)) }
        }
    }
}
