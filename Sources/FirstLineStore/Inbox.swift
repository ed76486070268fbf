import FirstLineCore
import Foundation
import GRDB

extension AppDatabase: InboxRepository {
    public func record(
        platform: Platform, eventID: String, conversationKey: String, payload: String, receivedAt: Date
    ) async throws -> Bool {
        let entry = InboxEntry(platform: platform, eventID: eventID, conversationKey: conversationKey, payload: payload,
                               receivedAt: receivedAt)
        return try await write { db in try Self.insertIfNew(db, entry) }
    }

    /// Commits several events in one write transaction (see `InboxWriter`): one WAL sync for all of them
    /// instead of one each. Returns, in order, whether each was new; an event repeated within `entries`
    /// is stored once, like a redelivery. If the transaction fails nothing of it is stored.
    public func record(_ entries: [InboxEntry]) async throws -> [Bool] {
        try await write { db in try entries.map { try Self.insertIfNew(db, $0) } }
    }

    /// Inserts `entry` unless (platform, eventID) is already in the inbox.
    static func insertIfNew(_ db: Database, _ entry: InboxEntry) throws -> Bool {
        // Checked rather than INSERT OR IGNORE, because IGNORE would also swallow NOT NULL and CHECK failures.
        // The write transaction serialises this check with every other writer of this process; the UNIQUE key
        // stays as the last line of defence against another process. Cached SQL statements rather than the
        // record's Codable insert: webhooks run this for every event, and encoding an `InboxEvent` through
        // Codable and building the queries each time cost more than SQLite's own work. The values stored are
        // the same (dates go through `Date`'s database encoding either way).
        let existing = try db.cachedStatement(sql: "SELECT 1 FROM inbox WHERE platform = ? AND eventID = ? LIMIT 1")
        if try Int.fetchOne(existing, arguments: [entry.platform, entry.eventID]) != nil { return false }
        let insert = try db.cachedStatement(sql: """
            INSERT INTO inbox (platform, eventID, conversationKey, payload, receivedAt, status, attempts)
            VALUES (?, ?, ?, ?, ?, ?, 0)
            """)
        try insert.execute(arguments: [entry.platform, entry.eventID, entry.conversationKey, entry.payload, entry.receivedAt,
                                       InboxEvent.Status.pending])
        return true
    }

    public func inboxEvent(platform: Platform, eventID: String) async throws -> InboxEvent? {
        try await read { db in
            try InboxEvent
                .filter(InboxEvent.Columns.platform == platform && InboxEvent.Columns.eventID == eventID)
                .fetchOne(db)
        }
    }

    public func pending(limit: Int) async throws -> [InboxEvent] {
        try await read { db in
            try InboxEvent
                .filter(InboxEvent.Columns.status == InboxEvent.Status.pending)
                .order(InboxEvent.Columns.id)
                .limit(limit)
                .fetchAll(db)
        }
    }

    public func lastInboxID() async throws -> Int64? {
        try await read { db in try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM inbox") }
    }

    public func markDone(id: Int64, at now: Date) async throws {
        try await write { db in try Self.markInboxDone(db, id: id, at: now, allowingFailed: true) }
    }

    public func markRetry(id: Int64, error: String) async throws {
        try await write { db in
            var event = try Self.existingInboxEvent(db, id: id)
            try Self.requireInbox(event, in: [.pending], to: .pending)
            event.attempts += 1
            event.lastError = error
            try event.update(db)
        }
    }

    public func markFailed(id: Int64, error: String, at now: Date) async throws {
        try await write { db in
            var event = try Self.existingInboxEvent(db, id: id)
            try Self.requireInbox(event, in: [.pending], to: .failed)
            event.status = .failed
            event.attempts += 1
            event.lastError = error
            event.processedAt = now
            try event.update(db)
        }
    }

    // MARK: - Inside a transaction (shared with commitTurn)

    static func existingInboxEvent(_ db: Database, id: Int64) throws -> InboxEvent {
        guard let event = try InboxEvent.fetchOne(db, key: id) else {
            throw StoreError.notFound(.inbox, String(id))
        }
        return event
    }

    /// Marks an event processed. A turn may only consume a pending event: if two workers ever raced for the
    /// same event, the second commit fails and rolls back, so its replies are never queued twice.
    static func markInboxDone(_ db: Database, id: Int64, at now: Date, allowingFailed: Bool) throws {
        var event = try existingInboxEvent(db, id: id)
        try requireInbox(event, in: allowingFailed ? [.pending, .failed] : [.pending], to: .done)
        event.status = .done
        event.attempts += 1
        event.processedAt = now
        try event.update(db)
    }

    static func requireInbox(_ event: InboxEvent, in allowed: Set<InboxEvent.Status>, to next: InboxEvent.Status) throws {
        guard allowed.contains(event.status) else {
            throw StoreError.invalidTransition(.inbox, id: event.id.map(String.init) ?? "unsaved", from: event.status.rawValue, to: next.rawValue)
        }
    }
}
