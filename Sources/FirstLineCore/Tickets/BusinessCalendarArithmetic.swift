import Foundation

// Business-time arithmetic. Everything is computed from the instants passed in; nothing reads
// the clock. Business time is measured in seconds (`TimeInterval`) so that pauses and due times
// that do not fall on whole minutes still add up exactly; the minute-based methods are thin
// wrappers for SLA targets, which are configured in minutes.

extension BusinessCalendar {
    /// Whether `date` falls within opening hours (closing instants are not open).
    public func isOpen(at date: Date) -> Bool {
        if alwaysOpen { return true }
        let timeline = BusinessTimeline(self)
        let instant = date.timeIntervalSince1970
        let day = timeline.clock.dayNumber(of: instant)
        // The neighbouring days are checked too, so an odd zone whose midnight is skipped or
        // repeated cannot hide an instant between two days.
        return (day - 1...day + 1).contains { candidate in
            timeline.stretches(onDay: candidate).contains { $0.start <= instant && instant < $0.end }
        }
    }

    /// The first instant at or after `date` at which the calendar is open: `date` itself when it
    /// is open already. Nil when the calendar has no hours, or none within `searchHorizonDays`.
    public func nextOpening(after date: Date) -> Date? {
        if alwaysOpen { return date }
        guard hasOpenHours else { return nil }
        let timeline = BusinessTimeline(self)
        let instant = date.timeIntervalSince1970
        let firstDay = timeline.clock.dayNumber(of: instant)
        for day in (firstDay - 1)...(firstDay + Self.searchHorizonDays) {
            if let stretch = timeline.stretches(onDay: day).first(where: { $0.end > instant }) {
                return Date(timeIntervalSince1970: max(stretch.start, instant))
            }
        }
        return nil
    }

    /// The instant at which `minutes` business minutes have elapsed since `start`.
    ///
    /// When `start` is outside opening hours the clock starts at the next opening; zero minutes
    /// therefore give `nextOpening(after: start)`. A target that is used up exactly at closing
    /// time is due at the closing instant, not at the next opening. Negative amounts count as
    /// zero. Nil when the calendar has no hours or the instant lies beyond `searchHorizonDays`.
    public func addingBusinessMinutes(_ minutes: Int, to start: Date) -> Date? {
        addingBusinessTime(TimeInterval(minutes) * 60, to: start)
    }

    /// Like `addingBusinessMinutes(_:to:)`, in seconds.
    public func addingBusinessTime(_ seconds: TimeInterval, to start: Date) -> Date? {
        guard seconds.isFinite else { return nil }
        var remaining = max(0, seconds)
        if alwaysOpen { return start.addingTimeInterval(remaining) }
        guard hasOpenHours else { return nil }

        let timeline = BusinessTimeline(self)
        let origin = start.timeIntervalSince1970
        let firstDay = timeline.clock.dayNumber(of: origin)
        let lastDay = firstDay + Self.searchHorizonDays
        var day = firstDay - 1
        while day <= lastDay {
            // Whole regular weeks are skipped while more than a week's worth remains; at least one
            // unit is always left so that the answer is found inside a real day (which matters
            // when the target runs out exactly at a closing time).
            if day > firstDay, remaining > timeline.regularWeekSeconds {
                let wanted = Int((remaining / timeline.regularWeekSeconds).rounded(.up)) - 1
                let weeks = min(wanted, timeline.regularWeeks(from: day, through: lastDay))
                if weeks > 0 {
                    remaining -= Double(weeks) * timeline.regularWeekSeconds
                    day += weeks * 7
                    continue
                }
            }
            for stretch in timeline.stretches(onDay: day) where stretch.end > origin {
                let from = max(stretch.start, origin)
                if remaining <= stretch.end - from { return Date(timeIntervalSince1970: from + remaining) }
                remaining -= stretch.end - from
            }
            day += 1
        }
        return nil
    }

    /// Whole business minutes between `start` and `end` (rounded down; 0 when `end` is not after
    /// `start`).
    public func businessMinutes(from start: Date, to end: Date) -> Int {
        Int((businessTime(from: start, to: end) / 60).rounded(.down))
    }

    /// Business seconds between `start` and `end`: the open time inside [start, end), 0 when `end`
    /// is not after `start`.
    public func businessTime(from start: Date, to end: Date) -> TimeInterval {
        guard end > start else { return 0 }
        if alwaysOpen { return end.timeIntervalSince(start) }
        guard hasOpenHours else { return 0 }

        let timeline = BusinessTimeline(self)
        let from = start.timeIntervalSince1970, until = end.timeIntervalSince1970
        let firstDay = timeline.clock.dayNumber(of: from)
        let lastDay = timeline.clock.dayNumber(of: until)
        var total: TimeInterval = 0
        var day = firstDay - 1
        while day <= lastDay + 1 {
            // Weeks strictly between the two ends' days are counted whole.
            if day > firstDay {
                let weeks = timeline.regularWeeks(from: day, through: lastDay - 1)
                if weeks > 0 {
                    total += Double(weeks) * timeline.regularWeekSeconds
                    day += weeks * 7
                    continue
                }
            }
            for stretch in timeline.stretches(onDay: day) {
                total += max(0, min(stretch.end, until) - max(stretch.start, from))
            }
            day += 1
        }
        return total
    }
}
