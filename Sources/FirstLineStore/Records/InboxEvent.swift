import FirstLineCore
import Foundation
import GRDB

/// A webhook event as acknowledged to the platform. The row is committed before the HTTP 200, so a crash
/// after the acknowledgement cannot lose the event; UNIQUE (platform, eventID) turns platform retries into no-ops.
public struct InboxEvent: Codable, Sendable, Equatable, Hashable {
    public enum Status: String, Sendable, Codable, CaseIterable, DatabaseValueConvertible {
        /// Waiting for the worker (also after a restart).
        case pending
        /// Processed; its turn was committed.
        case done
        /// Given up on; kept for inspection.
        case failed
    }

    public var id: Int64?
    public var platform: Platform
    /// The platform's id for the event, used to drop redeliveries.
    public var eventID: String
    /// The platform conversation the event belongs to, so the worker can keep per-conversation order.
    public var conversationKey: String
    /// The parsed event as JSON.
    public var payload: String
    public var receivedAt: Date
    public var status: Status
    public var attempts: Int
    public var processedAt: Date?
    public var lastError: String?

    public init(
        id: Int64? = nil, platform: Platform, eventID: String, conversationKey: String, payload: String,
        receivedAt: Date, status: Status = .pending, attempts: Int = 0, processedAt: Date? = nil, lastError: String? = nil
    ) {
        self.id = id
        self.platform = platform
        self.eventID = eventID
        self.conversationKey = conversationKey
        self.payload = payload
        self.receivedAt = receivedAt
        self.status = status
        self.attempts = attempts
        self.processedAt = processedAt
        self.lastError = lastError
    }
}

extension InboxEvent: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "inbox"

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let platform = Column(CodingKeys.platform)
        public static let eventID = Column(CodingKeys.eventID)
        public static let status = Column(CodingKeys.status)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
