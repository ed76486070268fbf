import Foundation

/// Where an SLA target stands at some instant.
public enum SLAState: String, Sendable, Codable, CaseIterable, Comparable {
    /// Less than the warning share of the target has elapsed.
    case ok
    /// At least the warning share (80 %) has elapsed, but the due time has not passed.
    case warning
    /// The due time has passed: the target was missed (design §5: escalate to the team lead).
    case breached

    /// Severity: ok < warning < breached.
    private var severity: Int {
        switch self {
        case .ok: 0
        case .warning: 1
        case .breached: 2
        }
    }

    public static func < (lhs: SLAState, rhs: SLAState) -> Bool { lhs.severity < rhs.severity }
}

/// A stretch of time during which the SLA clock stands still: the ticket was waiting on the
/// employee. `end` is nil while the ticket is still waiting.
public struct SLAPause: Sendable, Equatable, Codable {
    public var start: Date
    public var end: Date?

    public init(start: Date, end: Date? = nil) {
        self.start = start
        self.end = end
    }
}

/// One SLA target of one ticket (first response or resolution) counted in business time.
///
/// The clock runs from `start` during the calendar's opening hours, except inside pauses. Pausing
/// and resuming therefore pushes the due time back by exactly the business time spent paused;
/// time paused outside opening hours costs nothing. While a pause is still open the clock is
/// stopped and there is no due time yet (unless the target was already used up before it).
///
/// `due` is the last instant that still meets the target: the state is `breached` only after it.
public struct SLATimer: Sendable, Equatable {
    /// The share of the target after which the state is `warning`.
    public static let warningShare = 0.8

    public var targetMinutes: Int
    public var calendar: BusinessCalendar
    /// When the clock started: the ticket's creation.
    public var start: Date
    /// Waiting-on-employee stretches, in any order; overlaps and parts before `start` are ignored.
    public var pauses: [SLAPause]

    public init(targetMinutes: Int, calendar: BusinessCalendar, start: Date, pauses: [SLAPause] = []) {
        self.targetMinutes = targetMinutes
        self.calendar = calendar
        self.start = start
        self.pauses = pauses
    }

    /// When the target is used up. Nil while an open pause holds the clock before that, or when the
    /// calendar cannot reach it (no opening hours, or beyond its search horizon).
    public var due: Date? {
        instant(afterRunning: TimeInterval(targetMinutes) * 60)
    }

    /// When `warningShare` of the target is used up; nil in the same cases as `due`.
    public var warning: Date? {
        instant(afterRunning: TimeInterval(targetMinutes) * 60 * Self.warningShare)
    }

    /// The state at `now`. Pauses that have not begun by `now` cannot change it: a target that
    /// would run out after such a pause begins runs out after the pause ends, which is later still.
    public func state(at now: Date) -> SLAState {
        if let due, now > due { return .breached }
        if let warning, now >= warning { return .warning }
        return .ok
    }

    /// Business seconds the clock has run between `start` and `now`.
    public func elapsed(at now: Date) -> TimeInterval {
        var total = calendar.businessTime(from: start, to: now)
        for pause in normalizedPauses {
            total -= calendar.businessTime(from: pause.start, to: min(pause.end ?? now, now))
        }
        return max(0, total)
    }

    /// Whether a pause holds the clock at `now`.
    public func isPaused(at now: Date) -> Bool {
        normalizedPauses.contains { $0.start <= now && now < ($0.end ?? .distantFuture) }
    }

    /// The instant at which the clock has run `seconds` of business time: run to each pause in
    /// turn, stop there, resume at its end.
    private func instant(afterRunning seconds: TimeInterval) -> Date? {
        var cursor = start
        var remaining = seconds
        for pause in normalizedPauses {
            guard let reached = calendar.addingBusinessTime(remaining, to: cursor) else { return nil }
            if reached <= pause.start { return reached }
            remaining -= calendar.businessTime(from: cursor, to: pause.start)
            guard let end = pause.end else { return nil }
            cursor = end
        }
        return calendar.addingBusinessTime(remaining, to: cursor)
    }

    /// Pauses clipped to `start`, sorted, empty ones dropped and overlapping ones merged, so that no
    /// stretch of time is subtracted twice. An open pause swallows every pause after it.
    private var normalizedPauses: [SLAPause] {
        let clipped = pauses.compactMap { pause -> SLAPause? in
            let from = max(pause.start, start)
            if let end = pause.end, end <= from { return nil }
            return SLAPause(start: from, end: pause.end)
        }
        var merged: [SLAPause] = []
        for pause in clipped.sorted(by: { $0.start < $1.start }) {
            guard let last = merged.last else { merged.append(pause); continue }
            guard let lastEnd = last.end else { break }
            if pause.start <= lastEnd {
                merged[merged.count - 1].end = pause.end.map { max($0, lastEnd) }
            } else {
                merged.append(pause)
            }
        }
        return merged
    }
}
