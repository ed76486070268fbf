import FirstLineCore
import FirstLineStore
import FirstLineMessengers
import Foundation

// The JSON of the agent API (`AgentController`, `UsersController`). Keys are snake_case; absent values are written as null
// rather than left out, so clients can tell "no assignee" from "field not sent by this version".

/// A moment as the API writes it: ISO 8601 in UTC, to the second.
func apiTimestamp(_ date: Date?) -> String? {
    date.map { $0.formatted(.iso8601) }
}

/// One ticket as agents and employees read it.
struct TicketJSON: Encodable {
    struct Requester: Encodable {
        var id: Int64
        var name: String?
        var email: String?

        enum CodingKeys: String, CodingKey { case id, name, email }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(name, forKey: .name)
            try container.encode(email, forKey: .email)
        }
    }

    struct SLA: Encodable {
        /// `none`, `on_track`, `at_risk` or `breached`, at the server's clock.
        var state: String
        var nextDueAt: String?

        enum CodingKeys: String, CodingKey {
            case state
            case nextDueAt = "next_due_at"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(state, forKey: .state)
            try container.encode(nextDueAt, forKey: .nextDueAt)
        }
    }

    var ticket: Ticket
    var requester: Requester
    var sla: SLA
    /// `pending`, `approved` or `rejected` for a request that needs a manager's approval, else null.
    var approval: String?

    init(_ ticket: Ticket, requester: Employee?, approval: Approval.Status? = nil, now: Date, atRiskFraction: Double) {
        self.ticket = ticket
        self.approval = approval?.rawValue
        self.requester = Requester(id: ticket.requesterID, name: requester?.displayName, email: requester?.email)
        sla = SLA(state: ticket.slaStanding(at: now, atRiskFraction: atRiskFraction).rawValue,
                  nextDueAt: apiTimestamp(ticket.nextDueAt))
    }

    enum CodingKeys: String, CodingKey {
        case number, subject, status, priority, category, channel, team, assignee, requester, rating, sla, approval
        case awaitingApproval = "awaiting_approval"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case firstResponseDueAt = "first_response_due_at"
        case resolutionDueAt = "resolution_due_at"
        case firstRespondedAt = "first_responded_at"
        case resolvedAt = "resolved_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ticket.number, forKey: .number)
        try container.encode(ticket.subject, forKey: .subject)
        try container.encode(ticket.status.rawValue, forKey: .status)
        try container.encode(ticket.priority.rawValue, forKey: .priority)
        try container.encode(ticket.category, forKey: .category)
        try container.encode(ticket.channel.rawValue, forKey: .channel)
        try container.encode(ticket.team, forKey: .team)
        try container.encode(ticket.assignee, forKey: .assignee)
        try container.encode(requester, forKey: .requester)
        try container.encode(ticket.rating, forKey: .rating)
        try container.encode(sla, forKey: .sla)
        try container.encode(approval, forKey: .approval)
        // A "new" ticket held for a manager is not one an agent should start on: said apart.
        try container.encode(approval == Approval.Status.pending.rawValue, forKey: .awaitingApproval)
        try container.encode(apiTimestamp(ticket.createdAt), forKey: .createdAt)
        try container.encode(apiTimestamp(ticket.updatedAt), forKey: .updatedAt)
        try container.encode(apiTimestamp(ticket.firstResponseDueAt), forKey: .firstResponseDueAt)
        try container.encode(apiTimestamp(ticket.resolutionDueAt), forKey: .resolutionDueAt)
        try container.encode(apiTimestamp(ticket.firstRespondedAt), forKey: .firstRespondedAt)
        try container.encode(apiTimestamp(ticket.resolvedAt), forKey: .resolvedAt)
    }
}

/// One history event: who changed what, from what, to what, and when (design §5).
struct HistoryEntryJSON: Encodable {
    var event: TicketEvent

    enum CodingKeys: String, CodingKey { case id, at, actor, kind, field, before, after, note }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(event.id, forKey: .id)
        try container.encode(apiTimestamp(event.createdAt), forKey: .at)
        try container.encode(event.actor.rawValue, forKey: .actor)
        try container.encode(event.kind.rawValue, forKey: .kind)
        try container.encode(event.field, forKey: .field)
        try container.encode(event.before, forKey: .before)
        try container.encode(event.after, forKey: .after)
        try container.encode(event.note, forKey: .note)
    }
}

/// One line of the employee's conversation as the agent reads it.
struct TranscriptLineJSON: Encodable {
    var at: String?
    var direction: String
    var author: String
    var text: String

    init(_ message: ConversationMessage) {
        at = apiTimestamp(message.createdAt)
        direction = message.direction == .inbound ? "in" : "out"
        author = message.author.rawValue
        text = message.text
    }
}

struct TicketListJSON: Encodable {
    var tickets: [TicketJSON]
    var count: Int
}

struct TicketDetailJSON: Encodable {
    var ticket: TicketJSON
    var transcript: [TranscriptLineJSON]
    var history: [HistoryEntryJSON]
}

struct TicketHistoryJSON: Encodable {
    var ticket: String
    var history: [HistoryEntryJSON]
}

/// The answer to a change: the ticket after it, the history events it wrote, and whether the employee's
/// chat got a message (a reply, or the rating question after a resolution).
struct TicketChangeJSON: Encodable {
    var ticket: TicketJSON
    var events: [HistoryEntryJSON]
    var notifiedEmployee: Bool

    enum CodingKeys: String, CodingKey {
        case ticket, events
        case notifiedEmployee = "notified_employee"
    }
}

/// An account as the API shows it; `token` only in the answer that created it.
struct AccountJSON: Encodable {
    var account: Account
    var token: String?

    enum CodingKeys: String, CodingKey {
        case name, role, token
        case employeeID = "employee_id"
        case createdAt = "created_at"
        case disabledAt = "disabled_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(account.name, forKey: .name)
        try container.encode(account.role.rawValue, forKey: .role)
        try container.encode(account.employeeID, forKey: .employeeID)
        try container.encode(apiTimestamp(account.createdAt), forKey: .createdAt)
        try container.encode(apiTimestamp(account.disabledAt), forKey: .disabledAt)
        if let token { try container.encode(token, forKey: .token) }
    }
}

struct AccountListJSON: Encodable {
    var users: [AccountJSON]
}

/// `GET /api/v1/me`.
struct PrincipalJSON: Encodable {
    var principal: Principal

    enum CodingKeys: String, CodingKey {
        case name, role, permissions
        case employeeID = "employee_id"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(principal.name, forKey: .name)
        try container.encode(principal.role.rawValue, forKey: .role)
        try container.encode(principal.employeeID, forKey: .employeeID)
        try container.encode(Permission.allCases.filter(principal.can).map(\.rawValue), forKey: .permissions)
    }
}

