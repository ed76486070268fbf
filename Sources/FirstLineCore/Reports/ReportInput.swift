import Foundation

/// What the managers' reports are computed from (issue: console, point 4): the tickets with their
/// whole history, the articles shown, and the incidents. Every figure comes from the history
/// events (when a status changed, who answered, which alarm fired), not from the tickets' current
/// columns, so a report for last month says what happened last month.
public struct ReportInput: Sendable {
    public var tickets: [ReportTicket]
    public var suggestions: [ReportSuggestion]
    public var incidents: [ReportIncident]

    public init(tickets: [ReportTicket], suggestions: [ReportSuggestion], incidents: [ReportIncident] = []) {
        self.tickets = tickets
        self.suggestions = suggestions
        self.incidents = incidents
    }
}

/// One ticket and its history, oldest event first.
public struct ReportTicket: Sendable, Equatable {
    public var number: String
    public var requester: Int64
    public var subject: String
    public var channel: TicketChannel
    public var category: String
    public var team: String?
    public var priority: TicketPriority
    public var createdAt: Date
    public var events: [ReportEvent]

    public init(number: String, requester: Int64, subject: String, channel: TicketChannel, category: String, team: String?,
                priority: TicketPriority, createdAt: Date, events: [ReportEvent]) {
        self.number = number
        self.requester = requester
        self.subject = subject
        self.channel = channel
        self.category = category
        self.team = team
        self.priority = priority
        self.createdAt = createdAt
        self.events = events
    }
}

/// One history event as the store keeps it (`ticketEvent`): kind, field, before → after, who, when.
public struct ReportEvent: Sendable, Equatable {
    public var kind: String
    public var field: String?
    public var before: String?
    public var after: String?
    /// `agent:ana`, `employee:12`, `bot`, `system`.
    public var actor: String
    public var at: Date

    public init(kind: String, field: String? = nil, before: String? = nil, after: String? = nil, actor: String, at: Date) {
        self.kind = kind
        self.field = field
        self.before = before
        self.after = after
        self.actor = actor
        self.at = at
    }

    var agent: String? { actor.hasPrefix("agent:") ? String(actor.dropFirst(6)) : nil }
    var isAgentMessage: Bool { kind == "message" && agent != nil }
}

/// An article shown to an employee, with what they said of it.
public struct ReportSuggestion: Sendable, Equatable {
    public var employee: Int64
    public var articleID: String
    public var shownAt: Date
    /// true: Solved pressed; false: Still broken; nil: no answer.
    public var solved: Bool?

    public init(employee: Int64, articleID: String, shownAt: Date, solved: Bool?) {
        self.employee = employee
        self.articleID = articleID
        self.shownAt = shownAt
        self.solved = solved
    }
}

/// A suspected or confirmed outage, for the reports' incident table.
public struct ReportIncident: Sendable, Equatable {
    public var number: String
    public var topic: String
    public var status: String
    public var firstReportAt: Date
    public var raisedAt: Date
    public var resolvedAt: Date?
    /// Employees linked to it.
    public var affected: Int
    /// The tickets linked to it ("me too"), for the recurring-problem view.
    public var tickets: [String]

    public init(number: String, topic: String, status: String, firstReportAt: Date, raisedAt: Date, resolvedAt: Date?,
                affected: Int, tickets: [String] = []) {
        self.tickets = tickets
        self.number = number
        self.topic = topic
        self.status = status
        self.firstReportAt = firstReportAt
        self.raisedAt = raisedAt
        self.resolvedAt = resolvedAt
        self.affected = affected
    }
}
