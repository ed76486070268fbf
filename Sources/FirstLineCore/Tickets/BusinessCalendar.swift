import Foundation

/// When a team (or one agent) works: a time zone, weekly opening hours and holidays (design §5).
/// SLA clocks run only while the calendar is open, and routing never picks an agent whose
/// calendar is closed.
///
/// Rules, chosen so that every answer can be checked by hand:
///
/// - **Weekly hours** are stretches of local wall-clock time per weekday. Several stretches make a
///   split shift (`09:00-12:00`, `13:00-18:00`); overlapping stretches simply merge.
/// - **Overnight shifts** (`22:00-06:00`) belong to the weekday they start on and run into the
///   next local day, whatever that day's own hours are.
/// - **Holidays** close the whole local day, 00:00 to 24:00. A shift that *starts* on a holiday
///   does not happen at all, including the part after midnight; a shift that started the evening
///   before stops at the holiday's midnight. (The night desk of 24 December works until midnight;
///   nobody starts at 22:00 on the 25th.)
/// - **Daylight saving**: hours are wall-clock readings, so `09:00-18:00` is 09:00 to 18:00 local
///   time on the switch day too. Business time is real elapsed time: a shift that contains the
///   skipped hour is one hour shorter, one that contains the repeated hour is one hour longer. A
///   boundary that falls in the skipped hour is read with the offset from before the switch
///   (02:30 on a spring-forward night means 03:30 new time); one that falls in the repeated hour
///   means its first occurrence.
/// - **Always open** (24/7) ignores weekly hours *and* holidays: business time is wall-clock
///   time. A desk that is 24/7 except on holidays lists `00:00-24:00` for every weekday instead.
/// - **Horizon**: searches look at most `searchHorizonDays` ahead and answer nil beyond that, so a
///   calendar with no hours at all, or a target of a billion minutes, returns at once instead of
///   looping. A deadline a century away means the configuration is wrong, not that it is due.
public struct BusinessCalendar: Sendable, Equatable, Codable {
    /// How far ahead `nextOpening` and `addingBusinessTime` look before answering nil: 100 years.
    public static let searchHorizonDays = 36_525

    /// The zone whose wall clock the hours and holidays are written in (an IANA zone).
    public var timeZone: TimeZone
    /// Opening hours per weekday; a missing weekday is closed.
    public var weeklyHours: [Weekday: [BusinessHours]]
    /// Local days on which nothing is open (see the type's rules for overnight shifts).
    public var holidays: Set<LocalDate>
    /// Open every minute of every day, holidays included; weekly hours are then ignored.
    public var alwaysOpen: Bool

    public init(timeZone: TimeZone, weeklyHours: [Weekday: [BusinessHours]], holidays: Set<LocalDate> = [],
                alwaysOpen: Bool = false) {
        self.timeZone = timeZone
        self.weeklyHours = weeklyHours
        self.holidays = holidays
        self.alwaysOpen = alwaysOpen
    }

    /// The same hours Monday to Friday, closed at weekends.
    public static func workweek(_ hours: [BusinessHours], timeZone: TimeZone,
                                holidays: Set<LocalDate> = []) -> BusinessCalendar {
        BusinessCalendar(timeZone: timeZone,
                         weeklyHours: Dictionary(uniqueKeysWithValues: Weekday.workweek.map { ($0, hours) }),
                         holidays: holidays)
    }

    /// Open around the clock, every day (business time is wall-clock time).
    public static func twentyFourSeven(timeZone: TimeZone) -> BusinessCalendar {
        BusinessCalendar(timeZone: timeZone, weeklyHours: [:], alwaysOpen: true)
    }

    /// Whether the calendar is open at some point of some week. Holidays are not considered:
    /// they can only close finitely many days.
    public var hasOpenHours: Bool {
        alwaysOpen || weeklyHours.values.contains { !$0.isEmpty }
    }

    // MARK: Codable
    //
    // The zone is written as its identifier and every field but the zone is optional, so a
    // calendar reads naturally in JSON or YAML:
    // {"timeZone": "Asia/Seoul", "weeklyHours": {"monday": ["09:00-12:00", "13:00-18:00"]},
    //  "holidays": ["2026-05-05"]}

    private enum CodingKeys: String, CodingKey {
        case timeZone, weeklyHours, holidays, alwaysOpen
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let identifier = try container.decode(String.self, forKey: .timeZone)
        guard let zone = TimeZone(identifier: identifier) else {
            throw DecodingError.dataCorruptedError(forKey: .timeZone, in: container,
                                                   debugDescription: "Unknown time zone: \(identifier)")
        }
        timeZone = zone
        weeklyHours = try container.decodeIfPresent([Weekday: [BusinessHours]].self, forKey: .weeklyHours) ?? [:]
        holidays = try container.decodeIfPresent(Set<LocalDate>.self, forKey: .holidays) ?? []
        alwaysOpen = try container.decodeIfPresent(Bool.self, forKey: .alwaysOpen) ?? false
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(timeZone.identifier, forKey: .timeZone)
        try container.encode(weeklyHours, forKey: .weeklyHours)
        // Sorted so that the same calendar always encodes to the same bytes.
        try container.encode(holidays.sorted(), forKey: .holidays)
        try container.encode(alwaysOpen, forKey: .alwaysOpen)
    }
}
