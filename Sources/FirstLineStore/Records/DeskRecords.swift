import FirstLineCore
import Foundation
import GRDB

/// A manager's approval of a service request (design §5). Created with the ticket, in the same
/// transaction; the ticket is not routed while the approval is pending.
public struct Approval: Codable, Sendable, Equatable {
    public enum Status: String, Sendable, Codable, DatabaseValueConvertible {
        case pending, approved, rejected
    }

    public var id: Int64?
    public var ticketID: Int64
    /// The requester's manager when the ticket was opened; nil when the directory names none, and then
    /// only an agent can decide.
    public var approverEmployeeID: Int64?
    public var status: Status
    /// When the manager was first asked; nil until the request message is queued.
    public var requestedAt: Date?
    public var remindersSent: Int
    public var decidedAt: Date?
    /// `employee:12` or `agent:ana`.
    public var decidedBy: String?
    public var createdAt: Date

    public init(id: Int64? = nil, ticketID: Int64, approverEmployeeID: Int64?, status: Status, requestedAt: Date? = nil,
                remindersSent: Int = 0, decidedAt: Date? = nil, decidedBy: String? = nil, createdAt: Date) {
        self.id = id
        self.ticketID = ticketID
        self.approverEmployeeID = approverEmployeeID
        self.status = status
        self.requestedAt = requestedAt
        self.remindersSent = remindersSent
        self.decidedAt = decidedAt
        self.decidedBy = decidedBy
        self.createdAt = createdAt
    }
}

extension Approval: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "approval"

    public enum Columns {
        public static let ticketID = Column(CodingKeys.ticketID)
        public static let status = Column(CodingKeys.status)
        public static let requestedAt = Column(CodingKeys.requestedAt)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// Something the desk must do at a set time: an SLA alarm, a reassignment check, an approval
/// reminder. Rows, not in-memory timers, so that a restart loses none of them; a row is marked
/// done in the same transaction as what it did, so none fires twice.
public struct DeskTimer: Codable, Sendable, Equatable {
    public enum Status: String, Sendable, Codable, DatabaseValueConvertible {
        case pending, done, cancelled
    }

    /// What to do; SLA timers carry the target and the alarm.
    public enum Kind: String, Sendable, Codable, CaseIterable, DatabaseValueConvertible {
        case firstResponseWarning = "sla:firstResponse:warning"
        case firstResponseBreach = "sla:firstResponse:breach"
        case resolutionWarning = "sla:resolution:warning"
        case resolutionBreach = "sla:resolution:breach"
        case reassign
        case approvalReminder = "approval:reminder"

        public var isSLA: Bool { rawValue.hasPrefix("sla:") }
    }

    public var id: Int64?
    public var ticketID: Int64
    public var kind: Kind
    public var dueAt: Date
    public var status: Status
    /// For `reassign`: the assignee who must have answered by then.
    public var detail: String?
    public var createdAt: Date
    public var firedAt: Date?

    public init(id: Int64? = nil, ticketID: Int64, kind: Kind, dueAt: Date, status: Status = .pending,
                detail: String? = nil, createdAt: Date, firedAt: Date? = nil) {
        self.id = id
        self.ticketID = ticketID
        self.kind = kind
        self.dueAt = dueAt
        self.status = status
        self.detail = detail
        self.createdAt = createdAt
        self.firedAt = firedAt
    }
}

extension DeskTimer: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "deskTimer"

    public enum Columns {
        public static let ticketID = Column(CodingKeys.ticketID)
        public static let kind = Column(CodingKeys.kind)
        public static let dueAt = Column(CodingKeys.dueAt)
        public static let status = Column(CodingKeys.status)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
