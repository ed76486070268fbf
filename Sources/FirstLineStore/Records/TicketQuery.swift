import FirstLineCore
import Foundation

/// Which tickets an agent's queue shows (design §1: "a queue sorted by SLA risk").
public struct TicketQuery: Sendable, Equatable, Hashable {
    /// Tickets by where they stand against their SLA targets at a given time.
    public enum SLAFilter: String, Sendable, CaseIterable {
        /// Still before its next due time, but past `atRiskFraction` of the way there (design §5: warnings at 80%).
        case atRisk = "at_risk"
        /// Its next due time has passed while the target is still pending.
        case breached
    }

    /// Any of these statuses; nil means every status.
    public var statuses: [TicketStatus]?
    public var team: String?
    public var assignee: String?
    public var requesterID: Int64?
    public var category: TicketCategory?
    /// How the request came in (messenger, web, phone, visit).
    public var channel: TicketChannel?
    public var sla: SLAFilter?
    /// The share of a target's window after which an open ticket counts as at risk.
    public var atRiskFraction: Double
    public var limit: Int

    public init(
        statuses: [TicketStatus]? = nil, team: String? = nil, assignee: String? = nil, requesterID: Int64? = nil,
        category: TicketCategory? = nil, channel: TicketChannel? = nil,
        sla: SLAFilter? = nil, atRiskFraction: Double = 0.8, limit: Int = 100
    ) {
        self.category = category
        self.channel = channel
        self.statuses = statuses
        self.team = team
        self.assignee = assignee
        self.requesterID = requesterID
        self.sla = sla
        self.atRiskFraction = atRiskFraction
        self.limit = limit
    }
}

/// Where a ticket stands against its SLA at one moment.
public enum SLAStanding: String, Sendable, Codable, CaseIterable {
    /// Resolved or closed, or without due times: nothing is pending.
    case none
    case onTrack = "on_track"
    case atRisk = "at_risk"
    case breached
}

extension Ticket {
    /// The due time of the earliest target still pending: first response until someone answers, then
    /// resolution; nil once the ticket is resolved or closed. The queue is sorted by it (earliest first).
    /// `TicketQueries.nextDueSQL` is the same rule in SQL; keep the two in step.
    public var nextDueAt: Date? {
        guard status.isOpen else { return nil }
        if firstRespondedAt == nil, let firstResponseDueAt {
            guard let resolutionDueAt else { return firstResponseDueAt }
            return min(firstResponseDueAt, resolutionDueAt)
        }
        return resolutionDueAt
    }

    /// The SLA standing at `now`: breached once the next due time has passed, at risk after
    /// `atRiskFraction` of the window from creation to that due time.
    public func slaStanding(at now: Date, atRiskFraction: Double = 0.8) -> SLAStanding {
        guard let due = nextDueAt else { return .none }
        if now >= due { return .breached }
        let window = due.timeIntervalSince(createdAt)
        return now.timeIntervalSince(createdAt) >= atRiskFraction * window ? .atRisk : .onTrack
    }
}
