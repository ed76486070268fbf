import Foundation

/// Converts between instants and readings of one time zone's wall clock.
///
/// Times are seconds since 1970 (`Date.timeIntervalSince1970`); a *wall* time is the same count
/// taken on the local clock, as if the zone were UTC. `Calendar.date(from:)` would also map wall
/// times to instants, but its choice inside skipped and repeated hours is not specified; this type
/// makes that choice explicitly (see `instant(wall:)`).
struct LocalClock: Sendable {
    static let secondsPerDay = 86_400

    let timeZone: TimeZone

    /// Seconds the wall clock is ahead of UTC at `instant`.
    func offset(at instant: Double) -> Int {
        timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: instant))
    }

    /// The local day (days since 1970-01-01 on the wall calendar) that contains `instant`.
    func dayNumber(of instant: Double) -> Int {
        let wall = instant + Double(offset(at: instant))
        return Int((wall / Double(Self.secondsPerDay)).rounded(.down))
    }

    /// The instant at which the wall clock reads `minute` minutes after the midnight that starts
    /// `day`. Minutes may pass 1440 to reach into the next day.
    func instant(day: Int, minute: Int) -> Double {
        instant(wall: day * Self.secondsPerDay + minute * 60)
    }

    /// The instant at which the wall clock reads `wall`.
    ///
    /// Offsets are sampled a day either side (zones change offset at most once in two days), and
    /// each candidate is kept only if the zone really has that offset then. Two survivors: the
    /// reading happens twice (clocks went back) and the first occurrence wins. None: the reading
    /// was skipped (clocks went forward) and it is read with the offset from before the switch,
    /// i.e. moved forward by the length of the gap (02:30 → 03:30).
    func instant(wall: Int) -> Double {
        let day = Double(Self.secondsPerDay)
        let before = offset(at: Double(wall) - day)
        let after = offset(at: Double(wall) + day)
        let early = Double(wall - before)
        if before == after { return early }
        let late = Double(wall - after)
        switch (offset(at: early) == before, offset(at: late) == after) {
        case (true, true): return min(early, late)
        case (true, false): return early
        case (false, true): return late
        case (false, false): return early
        }
    }

    /// The next instant after `instant` at which the zone changes its offset, if it ever does.
    func nextOffsetChange(after instant: Double) -> Double? {
        timeZone.nextDaylightSavingTimeTransition(after: Date(timeIntervalSince1970: instant))?.timeIntervalSince1970
    }
}
