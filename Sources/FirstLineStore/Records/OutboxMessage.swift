import FirstLineCore
import Foundation
import GRDB

/// A message waiting to be delivered through a platform API. Written in the same transaction as the
/// dialogue turn that produced it, so a reply is either both decided and queued, or neither.
public struct OutboxMessage: Codable, Sendable, Equatable, Hashable {
    public enum Status: String, Sendable, Codable, CaseIterable, DatabaseValueConvertible {
        /// Due at `nextAttemptAt`.
        case pending
        /// Claimed by the outbox worker; a crash leaves it here until `recoverInterrupted(now:)`.
        case sending
        /// Delivered; final.
        case sent
        /// Given up on; final.
        case failed
    }

    public var id: Int64?
    public var platform: Platform
    public var conversationKey: String
    /// Chosen by the producer (for example inbox event id + reply index), so producing the same reply twice
    /// queues it once.
    public var idempotencyKey: String
    /// The platform request body or a platform-neutral reply, as JSON.
    public var payload: String
    public var status: Status
    /// Delivery attempts started so far.
    public var attempts: Int
    public var nextAttemptAt: Date
    public var createdAt: Date
    public var sentAt: Date?
    public var lastError: String?
    /// How many platform messages of this row were already delivered: a reply split into several
    /// is resumed after the last delivered part on a retry, never sent again from the start.
    public var partsSent: Int
    /// The last attempt may have reached the platform without our record of it: the row was found mid-send
    /// after a crash (or a lease take-over), or a request got no answer. The worker settles it before sending
    /// again (Slack: the conversation's history; LINE: the retry key; the others resend and count it).
    public var inDoubt: Bool

    public init(
        id: Int64? = nil, platform: Platform, conversationKey: String, idempotencyKey: String, payload: String,
        status: Status = .pending, attempts: Int = 0, nextAttemptAt: Date, createdAt: Date, sentAt: Date? = nil,
        lastError: String? = nil, partsSent: Int = 0, inDoubt: Bool = false
    ) {
        self.partsSent = partsSent
        self.inDoubt = inDoubt
        self.id = id
        self.platform = platform
        self.conversationKey = conversationKey
        self.idempotencyKey = idempotencyKey
        self.payload = payload
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.createdAt = createdAt
        self.sentAt = sentAt
        self.lastError = lastError
    }
}

extension OutboxMessage: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "outbox"

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let status = Column(CodingKeys.status)
        public static let nextAttemptAt = Column(CodingKeys.nextAttemptAt)
        public static let idempotencyKey = Column(CodingKeys.idempotencyKey)
        public static let platform = Column(CodingKeys.platform)
        public static let conversationKey = Column(CodingKeys.conversationKey)
        public static let attempts = Column(CodingKeys.attempts)
        public static let inDoubt = Column(CodingKeys.inDoubt)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// A message to queue for delivery.
public struct NewOutboxMessage: Sendable, Equatable, Hashable {
    public var platform: Platform
    public var conversationKey: String
    public var idempotencyKey: String
    public var payload: String
    /// When to first try; nil means at once (the enqueue time).
    public var notBefore: Date?

    public init(platform: Platform, conversationKey: String, idempotencyKey: String, payload: String, notBefore: Date? = nil) {
        self.platform = platform
        self.conversationKey = conversationKey
        self.idempotencyKey = idempotencyKey
        self.payload = payload
        self.notBefore = notBefore
    }
}
