import FirstLineCore
import Foundation
import GRDB

/// A helpdesk ticket (design §5). Mutable columns hold the current picture for queues; every change
/// is also written to `ticketEvent`, which is what reports are computed from.
public struct Ticket: Codable, Sendable, Equatable, Hashable {
    /// The prefix of every ticket number.
    public static let numberPrefix = "HD-"

    public var id: Int64?
    /// `HD-000042`: derived from `id`, so numbers are never reused and are ordered like the tickets.
    public var number: String
    public var requesterID: Int64
    public var conversationID: Int64?
    public var channel: TicketChannel
    public var subject: String
    public var category: TicketCategory
    public var priority: TicketPriority
    public var status: TicketStatus
    public var team: String?
    public var assignee: String?
    public var firstResponseDueAt: Date?
    public var resolutionDueAt: Date?
    public var firstRespondedAt: Date?
    public var resolvedAt: Date?
    /// The employee's 1–5 satisfaction rating from the survey.
    public var rating: Int?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: Int64? = nil, number: String, requesterID: Int64, conversationID: Int64? = nil, channel: TicketChannel,
        subject: String, category: TicketCategory, priority: TicketPriority, status: TicketStatus = .new, team: String? = nil,
        assignee: String? = nil, firstResponseDueAt: Date? = nil, resolutionDueAt: Date? = nil,
        firstRespondedAt: Date? = nil, resolvedAt: Date? = nil, rating: Int? = nil, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.number = number
        self.requesterID = requesterID
        self.conversationID = conversationID
        self.channel = channel
        self.subject = subject
        self.category = category
        self.priority = priority
        self.status = status
        self.team = team
        self.assignee = assignee
        self.firstResponseDueAt = firstResponseDueAt
        self.resolutionDueAt = resolutionDueAt
        self.firstRespondedAt = firstRespondedAt
        self.resolvedAt = resolvedAt
        self.rating = rating
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The ticket number for a row id: `HD-` and at least six digits.
    public static func number(forID id: Int64) -> String {
        let digits = String(id)
        return numberPrefix + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }
}

extension Ticket: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "ticket"

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let number = Column(CodingKeys.number)
        public static let requesterID = Column(CodingKeys.requesterID)
        public static let conversationID = Column(CodingKeys.conversationID)
        public static let status = Column(CodingKeys.status)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// Who made a change, as written in the history: `employee:12`, `agent:ana`, `bot`, `system`.
/// A string rather than an enum so that new kinds of actors (an approver, an integration) need no migration.
public struct TicketActor: RawRepresentable, Codable, Sendable, Hashable, DatabaseValueConvertible, CustomStringConvertible {
    public var rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// The dialogue engine acting on its own.
    public static let bot = TicketActor(rawValue: "bot")
    /// Timers and workers (SLA escalation, auto-close).
    public static let system = TicketActor(rawValue: "system")

    public static func employee(_ id: Int64) -> TicketActor {
        TicketActor(rawValue: "employee:\(id)")
    }

    public static func agent(_ name: String) -> TicketActor {
        TicketActor(rawValue: "agent:\(name)")
    }

    /// Agents' messages count as the ticket's first response.
    public var isAgent: Bool { rawValue.hasPrefix("agent:") }

    public var description: String { rawValue }
}

/// One entry of a ticket's append-only history: who changed what, from what, to what, and when.
/// SQLite triggers reject UPDATE and DELETE on this table, so reports can trust it.
public struct TicketEvent: Codable, Sendable, Equatable, Hashable {
    /// What happened. Field changes carry `field`, `before` and `after`; messages and notes carry `note`.
    public enum Kind: String, Sendable, Codable, CaseIterable, DatabaseValueConvertible {
        case created, message, status, priority, category, team, assignee, note, rating
        /// An SLA alarm: `field` names the target (firstResponse, resolution), `after` the alarm (warning, breach).
        case sla
        /// A manager's approval asked for, reminded, or decided: `before` → `after` are approval states.
        case approval
        /// Linked to a major incident ("me too"): `after` is the incident's number.
        case incident
    }

    public var id: Int64?
    public var ticketID: Int64
    public var actor: TicketActor
    public var kind: Kind
    public var field: String?
    public var before: String?
    public var after: String?
    public var note: String?
    public var createdAt: Date

    public init(
        id: Int64? = nil, ticketID: Int64, actor: TicketActor, kind: Kind, field: String? = nil, before: String? = nil,
        after: String? = nil, note: String? = nil, createdAt: Date
    ) {
        self.id = id
        self.ticketID = ticketID
        self.actor = actor
        self.kind = kind
        self.field = field
        self.before = before
        self.after = after
        self.note = note
        self.createdAt = createdAt
    }
}

extension TicketEvent: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "ticketEvent"

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let ticketID = Column(CodingKeys.ticketID)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// What is needed to open a ticket. The number is assigned by the store.
public struct NewTicket: Sendable, Equatable, Hashable {
    /// Put this in reply texts, outbox payloads or ticket appends of the same `TurnCommit`:
    /// the store replaces it with the new ticket's number, which is unknown until the row exists.
    public static let numberPlaceholder = "{{ticketNumber}}"

    public var requesterID: Int64
    public var conversationID: Int64?
    public var channel: TicketChannel
    public var subject: String
    public var category: TicketCategory
    public var priority: TicketPriority
    /// The conversation so far, kept in the "created" history event so the agent sees what the bot saw.
    public var transcript: String?
    public var team: String?
    public var firstResponseDueAt: Date?
    public var resolutionDueAt: Date?
    /// Who opened it; nil means the requester.
    public var createdBy: TicketActor?
    /// A service request that waits for the requester's manager before anyone works on it.
    public var needsApproval: Bool

    public init(
        requesterID: Int64, conversationID: Int64? = nil, channel: TicketChannel, subject: String, category: TicketCategory,
        priority: TicketPriority, transcript: String? = nil, team: String? = nil, firstResponseDueAt: Date? = nil,
        resolutionDueAt: Date? = nil, createdBy: TicketActor? = nil, needsApproval: Bool = false
    ) {
        self.needsApproval = needsApproval
        self.requesterID = requesterID
        self.conversationID = conversationID
        self.channel = channel
        self.subject = subject
        self.category = category
        self.priority = priority
        self.transcript = transcript
        self.team = team
        self.firstResponseDueAt = firstResponseDueAt
        self.resolutionDueAt = resolutionDueAt
        self.createdBy = createdBy
    }
}

/// One change to a ticket. Each applied update writes exactly one history event, except a change to the value
/// the ticket already has, which writes nothing (there is no change to record).
public struct TicketUpdate: Sendable, Equatable, Hashable {
    public enum Change: Sendable, Equatable, Hashable {
        /// Move along the lifecycle; `note` is kept on the event (for example a resolution summary).
        case status(TicketStatus, note: String?)
        /// Re-prioritise; the SLA due times for the new priority replace the old ones when given.
        case priority(TicketPriority, firstResponseDueAt: Date?, resolutionDueAt: Date?)
        case category(TicketCategory)
        case team(String?)
        case assignee(String?)
        /// A message on the ticket, forwarded between employee and agent. An agent's first one sets `firstRespondedAt`.
        case message(String)
        /// An internal note, not shown to the employee.
        case note(String)
        /// The survey answer, 1...5.
        case rating(Int)
        /// An SLA alarm went off for `metric` (firstResponse, resolution): `alarm` is warning or breach.
        case slaAlarm(metric: String, alarm: String)
        /// The approval moved to `state` (requested, reminded, approved, rejected).
        case approval(String)
    }

    public var ticketNumber: String
    public var change: Change
    public var actor: TicketActor
    /// Why, kept on the history event (a routing reason, an escalation, a resolution summary).
    public var note: String?

    public init(ticketNumber: String, change: Change, actor: TicketActor, note: String? = nil) {
        self.ticketNumber = ticketNumber
        self.change = change
        self.actor = actor
        self.note = note
    }
}
