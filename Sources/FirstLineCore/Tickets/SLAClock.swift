import Foundation

/// The two targets every ticket has (design §5).
public enum SLAMetric: String, Sendable, Codable, CaseIterable {
    case firstResponse
    case resolution
}

/// SLA targets counted in the business time of a team's calendar.
///
/// The policy's minutes are read as *business* minutes here; `SLAPolicy`'s own due-time methods
/// keep counting wall-clock minutes, and with a 24/7 calendar both agree.
public struct SLAClock: Sendable, Equatable {
    public var policy: SLAPolicy
    public var calendar: BusinessCalendar

    public init(policy: SLAPolicy, calendar: BusinessCalendar) {
        self.policy = policy
        self.calendar = calendar
    }

    /// The timer for one target of a ticket created at `createdAt`.
    public func timer(_ metric: SLAMetric, priority: TicketPriority, createdAt: Date,
                      pauses: [SLAPause] = []) -> SLATimer {
        SLATimer(targetMinutes: policy.targetMinutes(metric, for: priority), calendar: calendar,
                 start: createdAt, pauses: pauses)
    }
}

extension SLAPolicy {
    /// The target for `metric` at `priority`, in minutes.
    ///
    /// Read back through the policy's own due-time methods so that the fallback for a priority
    /// missing from the table stays defined in one place.
    public func targetMinutes(_ metric: SLAMetric, for priority: TicketPriority) -> Int {
        let epoch = Date(timeIntervalSince1970: 0)
        let due = switch metric {
        case .firstResponse: firstResponseDue(priority, from: epoch)
        case .resolution: resolutionDue(priority, from: epoch)
        }
        return Int((due.timeIntervalSince1970 / 60).rounded())
    }
}
