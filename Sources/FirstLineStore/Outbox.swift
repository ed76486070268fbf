import FirstLineCore
import Foundation
import GRDB

extension AppDatabase: OutboxRepository {
    public func enqueue(_ message: NewOutboxMessage, at now: Date) async throws -> Bool {
        try await write { db in try Self.enqueue(db, message, at: now) != nil }
    }

    public func due(now: Date, limit: Int) async throws -> [OutboxMessage] {
        try await read { db in
            try OutboxMessage
                .filter(OutboxMessage.Columns.status == OutboxMessage.Status.pending)
                .filter(OutboxMessage.Columns.nextAttemptAt <= now)
                .order(OutboxMessage.Columns.id)
                .limit(limit)
                .fetchAll(db)
        }
    }

    public func pending(platforms: Set<Platform>, limit: Int) async throws -> [OutboxMessage] {
        try await read { db in
            try OutboxMessage
                .filter(OutboxMessage.Columns.status == OutboxMessage.Status.pending)
                .filter(platforms.map(\.rawValue).contains(OutboxMessage.Columns.platform))
                .order(OutboxMessage.Columns.id)
                .limit(limit)
                .fetchAll(db)
        }
    }

    public func pending(platform: Platform, conversationKey: String) async throws -> [OutboxMessage] {
        try await read { db in
            try OutboxMessage
                .filter(OutboxMessage.Columns.status == OutboxMessage.Status.pending)
                .filter(OutboxMessage.Columns.platform == platform && OutboxMessage.Columns.conversationKey == conversationKey)
                .order(OutboxMessage.Columns.id)
                .fetchAll(db)
        }
    }

    public func markSending(id: Int64) async throws -> OutboxMessage {
        try await write { db in
            var message = try Self.existingOutboxMessage(db, id: id)
            try Self.requireOutbox(message, in: [.pending], to: .sending)
            message.status = .sending
            message.attempts += 1
            try message.update(db)
            return message
        }
    }

    /// Records that the first `parts` platform messages of a split reply were delivered (and the
    /// platform's id of the first, for threads), so a retry resumes after them.
    public func markPartsSent(id: Int64, parts: Int, platformMessageID: String?) async throws {
        try await write { db in
            try db.execute(sql: "UPDATE outbox SET partsSent = ? WHERE id = ? AND partsSent < ?", arguments: [parts, id, parts])
            if let platformMessageID {
                try db.execute(sql: "UPDATE outbox SET platformMessageID = ? WHERE id = ? AND platformMessageID IS NULL",
                               arguments: [platformMessageID, id])
            }
        }
    }

    /// `platformMessageID` is the platform's id of the sent message, when it returns one (Slack `ts`).
    public func markSent(id: Int64, at now: Date, platformMessageID: String?) async throws {
        try await write { db in
            var message = try Self.existingOutboxMessage(db, id: id)
            try Self.requireOutbox(message, in: [.sending], to: .sent)
            message.status = .sent
            message.sentAt = now
            message.lastError = nil
            try message.update(db)
            if let platformMessageID {
                try db.execute(sql: "UPDATE outbox SET platformMessageID = ? WHERE id = ? AND platformMessageID IS NULL",
                               arguments: [platformMessageID, id])
            }
        }
    }

    public func markRetry(id: Int64, nextAttemptAt: Date, error: String, inDoubt: Bool) async throws {
        try await write { db in
            var message = try Self.existingOutboxMessage(db, id: id)
            try Self.requireOutbox(message, in: [.sending], to: .pending)
            message.status = .pending
            message.nextAttemptAt = nextAttemptAt
            message.lastError = error
            message.inDoubt = inDoubt
            try message.update(db)
        }
    }

    public func bringForward(platform: Platform, now: Date) async throws -> Int {
        try await write { db in
            try OutboxMessage
                .filter(OutboxMessage.Columns.status == OutboxMessage.Status.pending)
                .filter(OutboxMessage.Columns.platform == platform)
                .filter(OutboxMessage.Columns.attempts > 0)
                .filter(OutboxMessage.Columns.nextAttemptAt > now)
                .updateAll(db, OutboxMessage.Columns.nextAttemptAt.set(to: now))
        }
    }

    public func markFailed(id: Int64, error: String) async throws {
        try await write { db in
            var message = try Self.existingOutboxMessage(db, id: id)
            try Self.requireOutbox(message, in: [.pending, .sending], to: .failed)
            message.status = .failed
            message.lastError = error
            try message.update(db)
        }
    }

    public func pendingCount() async throws -> Int {
        try await read { db in
            try OutboxMessage.filter(OutboxMessage.Columns.status == OutboxMessage.Status.pending).fetchCount(db)
        }
    }

    public func recoverInterrupted(now: Date) async throws -> Int {
        try await write { db in
            try OutboxMessage
                .filter(OutboxMessage.Columns.status == OutboxMessage.Status.sending)
                .updateAll(
                    db,
                    OutboxMessage.Columns.status.set(to: OutboxMessage.Status.pending),
                    OutboxMessage.Columns.nextAttemptAt.set(to: now),
                    // The platform may have it: the worker settles that before sending again.
                    OutboxMessage.Columns.inDoubt.set(to: true)
                )
        }
    }

    // MARK: - Inside a transaction (shared with commitTurn)

    /// Inserts the message unless its idempotency key exists; returns the new row, or nil for a duplicate.
    static func enqueue(_ db: Database, _ message: NewOutboxMessage, at now: Date) throws -> OutboxMessage? {
        // Checked rather than INSERT OR IGNORE, which would also hide NOT NULL and CHECK failures.
        let exists = try OutboxMessage
            .filter(OutboxMessage.Columns.idempotencyKey == message.idempotencyKey)
            .fetchCount(db) > 0
        if exists { return nil }
        return try OutboxMessage(
            platform: message.platform, conversationKey: message.conversationKey, idempotencyKey: message.idempotencyKey,
            payload: message.payload, nextAttemptAt: message.notBefore ?? now, createdAt: now
        ).inserted(db)
    }

    static func existingOutboxMessage(_ db: Database, id: Int64) throws -> OutboxMessage {
        guard let message = try OutboxMessage.fetchOne(db, key: id) else {
            throw StoreError.notFound(.outbox, String(id))
        }
        return message
    }

    static func requireOutbox(_ message: OutboxMessage, in allowed: Set<OutboxMessage.Status>, to next: OutboxMessage.Status) throws {
        guard allowed.contains(message.status) else {
            throw StoreError.invalidTransition(
                .outbox, id: message.id.map(String.init) ?? "unsaved", from: message.status.rawValue, to: next.rawValue)
        }
    }
}
