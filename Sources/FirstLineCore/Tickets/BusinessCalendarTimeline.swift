import Foundation

/// A calendar prepared for arithmetic: hours by weekday index, holidays as day numbers, and the
/// length of a regular week. Built once per query, because the public calendar is a plain
/// editable value.
///
/// The timeline is cut into local days. `stretches(onDay:)` gives the open time inside one day,
/// so the days tile the time line without overlap and business time is a sum over days. Long
/// spans skip whole regular weeks (no holiday, no offset change), which all have the same
/// business time, so even a century is a few hundred steps.
struct BusinessTimeline {
    /// An open stretch of real time, in seconds since 1970.
    struct Stretch: Equatable {
        var start: Double
        var end: Double
        var length: Double { end - start }
    }

    let clock: LocalClock
    /// Hours per weekday, Monday = 0.
    private let hours: [[BusinessHours]]
    private let holidays: Set<Int>
    private let sortedHolidays: [Int]
    /// Business seconds in a week without holidays or offset changes.
    let regularWeekSeconds: Double

    init(_ calendar: BusinessCalendar) {
        clock = LocalClock(timeZone: calendar.timeZone)
        hours = Weekday.allCases.map { calendar.weeklyHours[$0] ?? [] }
        let days = calendar.holidays.map(\.dayNumber)
        holidays = Set(days)
        sortedHolidays = days.sorted()
        regularWeekSeconds = Self.weekSeconds(hours)
    }

    /// The open time inside local day `day` ([its midnight, the next midnight)), sorted and merged.
    func stretches(onDay day: Int) -> [Stretch] {
        if holidays.contains(day) { return [] }
        let previous = day - 1
        let tails = holidays.contains(previous) ? [] : hours(on: previous).filter(\.isOvernight)
        let own = hours(on: day)
        if tails.isEmpty && own.isEmpty { return [] }

        let dayStart = clock.instant(day: day, minute: 0)
        let dayEnd = clock.instant(day: day + 1, minute: 0)
        var pieces: [Stretch] = []
        for shift in tails {
            // Only the part after midnight lies in this day; it began on the previous one.
            pieces.append(Stretch(start: dayStart, end: clock.instant(day: day, minute: shift.endMinute)))
        }
        for shift in own {
            let end = shift.isOvernight ? 1440 + shift.endMinute : shift.endMinute
            pieces.append(Stretch(start: clock.instant(day: day, minute: shift.startMinute),
                                  end: clock.instant(day: day, minute: end)))
        }
        return Self.merged(pieces.compactMap { piece in
            let clipped = Stretch(start: max(piece.start, dayStart), end: min(piece.end, dayEnd))
            return clipped.end > clipped.start ? clipped : nil
        })
    }

    /// How many whole weeks starting at the midnight of `day` are regular (so each holds exactly
    /// `regularWeekSeconds`) and end by the midnight of `limitDay`.
    func regularWeeks(from day: Int, through limitDay: Int) -> Int {
        // Cheap checks first: the transition lookup below is the costly part of a day's step.
        guard regularWeekSeconds > 0, limitDay >= day + 7 else { return 0 }
        var last = limitDay
        // The day before matters too: its overnight shift runs into `day`.
        if let holiday = firstHoliday(atOrAfter: day - 1) { last = min(last, holiday) }
        // Sample a little before the local day before `day` in every zone (offsets stay within ±1 day).
        let from = Double((day - 3) * LocalClock.secondsPerDay)
        if let change = clock.nextOffsetChange(after: from) {
            let changeDay = Int((change / Double(LocalClock.secondsPerDay)).rounded(.down))
            // Leave two days of margin for the zone's offset and the last overnight shift.
            last = min(last, changeDay - 3)
        }
        guard last >= day + 7 else { return 0 }
        let weeks = (last - day) / 7
        // A safety net in case the zone changed offset without the transition API saying so.
        let until = Double((day + weeks * 7 + 2) * LocalClock.secondsPerDay)
        return clock.offset(at: from) == clock.offset(at: until) ? weeks : 0
    }

    private func hours(on day: Int) -> [BusinessHours] {
        hours[CivilDays.weekdayIndex(dayNumber: day)]
    }

    private func firstHoliday(atOrAfter day: Int) -> Int? {
        var low = 0, high = sortedHolidays.count
        while low < high {
            let middle = (low + high) / 2
            if sortedHolidays[middle] < day { low = middle + 1 } else { high = middle }
        }
        return low < sortedHolidays.count ? sortedHolidays[low] : nil
    }

    private static func merged(_ pieces: [Stretch]) -> [Stretch] {
        var result: [Stretch] = []
        for piece in pieces.sorted(by: { $0.start < $1.start }) {
            if let last = result.last, piece.start <= last.end {
                result[result.count - 1].end = max(last.end, piece.end)
            } else {
                result.append(piece)
            }
        }
        return result
    }

    /// Business seconds of a regular week: the union of all stretches on a circular week of
    /// nominal minutes (overlaps count once; Sunday's overnight shift wraps into Monday).
    private static func weekSeconds(_ hours: [[BusinessHours]]) -> Double {
        let minutesPerWeek = 7 * 1440
        var pieces: [Range<Int>] = []
        for (weekday, shifts) in hours.enumerated() {
            for shift in shifts {
                let start = weekday * 1440 + shift.startMinute
                let end = weekday * 1440 + (shift.isOvernight ? 1440 + shift.endMinute : shift.endMinute)
                if end <= minutesPerWeek {
                    pieces.append(start..<end)
                } else {
                    pieces += [start..<minutesPerWeek, 0..<(end - minutesPerWeek)]
                }
            }
        }
        var minutes = 0
        var covered = 0  // everything before this minute has been counted
        for piece in pieces.sorted(by: { $0.lowerBound < $1.lowerBound }) where piece.upperBound > covered {
            minutes += piece.upperBound - max(piece.lowerBound, covered)
            covered = piece.upperBound
        }
        return Double(minutes * 60)
    }
}
