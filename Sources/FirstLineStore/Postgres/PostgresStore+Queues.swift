import FirstLineCore
import Foundation
import PostgresNIO

extension PostgresStore: InboxRepository, InboxBatchStore {
    public func record(
        platform: Platform, eventID: String, conversationKey: String, payload: String, receivedAt: Date
    ) async throws -> Bool {
        let entry = InboxEntry(platform: platform, eventID: eventID, conversationKey: conversationKey, payload: payload,
                               receivedAt: receivedAt)
        return try await write { db in try await Self.insertIfNew(db, entry) }
    }

    /// Commits several events in one transaction (group commit, see `InboxWriter`); an event repeated within
    /// `entries` is stored once, like a redelivery. If the transaction fails nothing of it is stored.
    public func record(_ entries: [InboxEntry]) async throws -> [Bool] {
        try await write { db in
            var recorded: [Bool] = []
            for entry in entries { recorded.append(try await Self.insertIfNew(db, entry)) }
            return recorded
        }
    }

    /// Inserts `entry` unless (platform, eventID) is already in the inbox. ON CONFLICT names the key, so it
    /// only absorbs a redelivery (also one arriving at another replica at the same moment); NOT NULL and
    /// CHECK failures still fail.
    static func insertIfNew(_ db: PostgresTransaction, _ entry: InboxEntry) async throws -> Bool {
        try await db.update("""
            INSERT INTO inbox (platform, eventID, conversationKey, payload, receivedAt, status, attempts)
            VALUES (\(entry.platform.rawValue), \(entry.eventID), \(entry.conversationKey), \(entry.payload),
                    \(entry.receivedAt), 'pending', 0)
            ON CONFLICT (platform, eventID) DO NOTHING RETURNING 1
            """) == 1
    }

    public func inboxEvent(platform: Platform, eventID: String) async throws -> InboxEvent? {
        try await read { db in
            try await db.first("""
                SELECT \(unescaped: PostgresRows.inboxColumns) FROM inbox WHERE platform = \(platform.rawValue) AND eventID = \(eventID)
                """, PostgresRows.inboxEvent)
        }
    }

    public func pending(limit: Int) async throws -> [InboxEvent] {
        try await read { db in
            try await db.all("""
                SELECT \(unescaped: PostgresRows.inboxColumns) FROM inbox WHERE status = 'pending' ORDER BY id LIMIT \(max(0, limit))
                """, PostgresRows.inboxEvent)
        }
    }

    public func lastInboxID() async throws -> Int64? {
        try await read { db in try await db.value("SELECT MAX(id) FROM inbox", as: Int64.self) }
    }

    public func markDone(id: Int64, at now: Date) async throws {
        try await write { db in try await Self.markInboxDone(db, id: id, at: now, allowingFailed: true) }
    }

    public func markRetry(id: Int64, error: String) async throws {
        try await write { db in
            let event = try await Self.existingInboxEvent(db, id: id)
            try AppDatabase.requireInbox(event, in: [.pending], to: .pending)
            try await db.execute("UPDATE inbox SET attempts = attempts + 1, lastError = \(error) WHERE id = \(id)")
        }
    }

    public func markFailed(id: Int64, error: String, at now: Date) async throws {
        try await write { db in
            let event = try await Self.existingInboxEvent(db, id: id)
            try AppDatabase.requireInbox(event, in: [.pending], to: .failed)
            try await db.execute("""
                UPDATE inbox SET status = 'failed', attempts = attempts + 1, lastError = \(error), processedAt = \(now)
                WHERE id = \(id)
                """)
        }
    }

    // MARK: - Inside a transaction (shared with commitTurn)

    /// The row, locked until the transaction ends: of two workers finishing the same event, the second
    /// waits, then sees it done.
    static func existingInboxEvent(_ db: PostgresTransaction, id: Int64) async throws -> InboxEvent {
        guard let event = try await db.first("""
            SELECT \(unescaped: PostgresRows.inboxColumns) FROM inbox WHERE id = \(id) FOR UPDATE
            """, PostgresRows.inboxEvent)
        else {
            throw StoreError.notFound(.inbox, String(id))
        }
        return event
    }

    /// Marks an event processed. A turn may only consume a pending event: if two workers ever raced for the
    /// same event, the second commit fails and rolls back, so its replies are never queued twice.
    static func markInboxDone(_ db: PostgresTransaction, id: Int64, at now: Date, allowingFailed: Bool) async throws {
        let event = try await existingInboxEvent(db, id: id)
        try AppDatabase.requireInbox(event, in: allowingFailed ? [.pending, .failed] : [.pending], to: .done)
        try await db.execute("UPDATE inbox SET status = 'done', attempts = attempts + 1, processedAt = \(now) WHERE id = \(id)")
    }
}

extension PostgresStore: OutboxRepository {
    public func enqueue(_ message: NewOutboxMessage, at now: Date) async throws -> Bool {
        try await write { db in try await Self.enqueue(db, message, at: now) != nil }
    }

    public func due(now: Date, limit: Int) async throws -> [OutboxMessage] {
        try await read { db in
            try await db.all("""
                SELECT \(unescaped: PostgresRows.outboxColumns) FROM outbox WHERE status = 'pending' AND nextAttemptAt <= \(now)
                ORDER BY id LIMIT \(max(0, limit))
                """, PostgresRows.outboxMessage)
        }
    }

    public func pending(platforms: Set<Platform>, limit: Int) async throws -> [OutboxMessage] {
        let names = platforms.map(\.rawValue)
        return try await read { db in
            // A row behind one that a replica is sending waits for it, so a conversation's messages still go
            // out in order when two replicas deliver (the planner keeps the order only among pending rows).
            try await db.all("""
                SELECT \(unescaped: PostgresRows.outboxColumns) FROM outbox o
                WHERE o.status = 'pending' AND o.platform = ANY(\(names))
                  AND NOT EXISTS (
                      SELECT 1 FROM outbox s
                      WHERE s.status = 'sending' AND s.platform = o.platform AND s.conversationKey = o.conversationKey
                        AND s.id < o.id)
                ORDER BY o.id LIMIT \(max(0, limit))
                """, PostgresRows.outboxMessage)
        }
    }

    public func pending(platform: Platform, conversationKey: String) async throws -> [OutboxMessage] {
        try await read { db in
            try await db.all("""
                SELECT \(unescaped: PostgresRows.outboxColumns) FROM outbox
                WHERE status = 'pending' AND platform = \(platform.rawValue) AND conversationKey = \(conversationKey)
                ORDER BY id
                """, PostgresRows.outboxMessage)
        }
    }

    public func markSending(id: Int64) async throws -> OutboxMessage {
        try await write { db in
            var message = try await Self.existingOutboxMessage(db, id: id)
            try AppDatabase.requireOutbox(message, in: [.pending], to: .sending)
            message.status = .sending
            message.attempts += 1
            try await db.execute("UPDATE outbox SET status = 'sending', attempts = attempts + 1 WHERE id = \(id)")
            return message
        }
    }

    public func markPartsSent(id: Int64, parts: Int, platformMessageID: String?) async throws {
        try await write { db in
            try await db.execute("UPDATE outbox SET partsSent = \(parts) WHERE id = \(id) AND partsSent < \(parts)")
            if let platformMessageID {
                try await db.execute("""
                    UPDATE outbox SET platformMessageID = \(platformMessageID) WHERE id = \(id) AND platformMessageID IS NULL
                    """)
            }
        }
    }

    public func markSent(id: Int64, at now: Date, platformMessageID: String?) async throws {
        try await write { db in
            let message = try await Self.existingOutboxMessage(db, id: id)
            try AppDatabase.requireOutbox(message, in: [.sending], to: .sent)
            try await db.execute("""
                UPDATE outbox SET status = 'sent', sentAt = \(now), lastError = NULL,
                    platformMessageID = COALESCE(platformMessageID, \(platformMessageID))
                WHERE id = \(id)
                """)
        }
    }

    public func markRetry(id: Int64, nextAttemptAt: Date, error: String, inDoubt: Bool) async throws {
        try await write { db in
            let message = try await Self.existingOutboxMessage(db, id: id)
            try AppDatabase.requireOutbox(message, in: [.sending], to: .pending)
            try await db.execute("""
                UPDATE outbox SET status = 'pending', nextAttemptAt = \(nextAttemptAt), lastError = \(error),
                    inDoubt = \(inDoubt)
                WHERE id = \(id)
                """)
        }
    }

    public func bringForward(platform: Platform, now: Date) async throws -> Int {
        try await write { db in
            try await db.update("""
                UPDATE outbox SET nextAttemptAt = \(now)
                WHERE status = 'pending' AND platform = \(platform.rawValue) AND attempts > 0 AND nextAttemptAt > \(now)
                RETURNING 1
                """)
        }
    }

    public func markFailed(id: Int64, error: String) async throws {
        try await write { db in
            let message = try await Self.existingOutboxMessage(db, id: id)
            try AppDatabase.requireOutbox(message, in: [.pending, .sending], to: .failed)
            try await db.execute("UPDATE outbox SET status = 'failed', lastError = \(error) WHERE id = \(id)")
        }
    }

    public func pendingCount() async throws -> Int {
        try await read { db in try await db.value("SELECT COUNT(*) FROM outbox WHERE status = 'pending'", as: Int.self) ?? 0 }
    }

    public func recoverInterrupted(now: Date) async throws -> Int {
        // Only rows whose holder's lease ran out: a row another live replica is sending right now is not
        // interrupted, and taking it back would send it twice.
        try await recoverExpiredSends(at: now)
    }

    // MARK: - Inside a transaction (shared with commitTurn and the desk)

    /// Inserts the message unless its idempotency key exists; returns the new row, or nil for a duplicate
    /// (also one queued by another replica at the same moment).
    static func enqueue(_ db: PostgresTransaction, _ message: NewOutboxMessage, at now: Date) async throws -> OutboxMessage? {
        try await db.first("""
            INSERT INTO outbox (platform, conversationKey, idempotencyKey, payload, status, attempts, nextAttemptAt, createdAt, partsSent)
            VALUES (\(message.platform.rawValue), \(message.conversationKey), \(message.idempotencyKey), \(message.payload),
                    'pending', 0, \(message.notBefore ?? now), \(now), 0)
            ON CONFLICT (idempotencyKey) DO NOTHING
            RETURNING \(unescaped: PostgresRows.outboxColumns)
            """, PostgresRows.outboxMessage)
    }

    /// The row, locked until the transaction ends, so two workers can never both claim or finish it.
    static func existingOutboxMessage(_ db: PostgresTransaction, id: Int64) async throws -> OutboxMessage {
        guard let message = try await db.first("""
            SELECT \(unescaped: PostgresRows.outboxColumns) FROM outbox WHERE id = \(id) FOR UPDATE
            """, PostgresRows.outboxMessage)
        else {
            throw StoreError.notFound(.outbox, String(id))
        }
        return message
    }
}
