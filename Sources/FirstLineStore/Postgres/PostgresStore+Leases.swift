import FirstLineCore
import Foundation
import PostgresNIO

// Work shared by replicas without a coordinator (issue 13, point 2). A claim is a short transaction that
// picks rows with `FOR UPDATE SKIP LOCKED` (two replicas claiming at once never wait for each other nor take
// the same row) and stamps them with the holder and the end of its lease. Finishing a row still checks its
// status under a row lock (`markInboxDone`, `markSent`, `fire`), so a replica whose lease ran out while it
// worked loses to the one that took over, and nothing is done twice.

extension PostgresStore: InboxClaims {
    public func claimPending(limit: Int, lease: WorkLease, skipping: Set<Int64>, leavingNonMessengerAfter recentCutoff: Date?,
                             at now: Date) async throws -> [InboxEvent] {
        let skipped = skipping.sorted()
        let messengers = Platform.allCases.filter(\.isMessenger).map(\.rawValue)
        // With no cutoff, every platform's rows qualify: a cutoff in the far past admits them all.
        let cutoff = recentCutoff ?? .distantFuture
        let claimed = try await write { db in
            try await db.all("""
                UPDATE inbox SET claimedBy = \(lease.holder), leaseUntil = \(lease.until(now))
                WHERE id IN (
                    SELECT i.id FROM inbox i
                    WHERE i.status = 'pending'
                      AND (i.leaseUntil IS NULL OR i.leaseUntil <= \(now) OR i.claimedBy = \(lease.holder))
                      AND NOT (i.id = ANY(\(skipped)))
                      AND (i.platform = ANY(\(messengers)) OR i.receivedAt <= \(cutoff))
                      AND NOT EXISTS (
                          SELECT 1 FROM inbox e
                          WHERE e.platform = i.platform AND e.conversationKey = i.conversationKey
                            AND e.status = 'pending' AND e.id < i.id)
                    ORDER BY i.id LIMIT \(max(0, limit))
                    FOR UPDATE SKIP LOCKED)
                RETURNING \(unescaped: PostgresRows.inboxColumns)
                """, PostgresRows.inboxEvent)
        }
        // RETURNING follows no order; the worker answers in arrival order.
        return claimed.sorted { ($0.id ?? 0) < ($1.id ?? 0) }
    }

    public func claimInboxEvent(id: Int64, lease: WorkLease, at now: Date) async throws -> Bool {
        try await write { db in
            try await db.update("""
                UPDATE inbox SET claimedBy = \(lease.holder), leaseUntil = \(lease.until(now))
                WHERE id = (
                    SELECT i.id FROM inbox i
                    WHERE i.id = \(id) AND i.status = 'pending'
                      AND (i.leaseUntil IS NULL OR i.leaseUntil <= \(now) OR i.claimedBy = \(lease.holder))
                      AND NOT EXISTS (
                          SELECT 1 FROM inbox e
                          WHERE e.platform = i.platform AND e.conversationKey = i.conversationKey
                            AND e.status = 'pending' AND e.id < i.id)
                    FOR UPDATE SKIP LOCKED)
                RETURNING 1
                """) == 1
        }
    }
}

extension PostgresStore {
    public func releaseInboxClaims(holder: String) async throws -> Int {
        try await write { db in
            try await db.update("""
                UPDATE inbox SET claimedBy = NULL, leaseUntil = NULL WHERE status = 'pending' AND claimedBy = \(holder)
                RETURNING 1
                """)
        }
    }
}

extension PostgresStore: SharedQueueClaims {
    public func markSending(id: Int64, lease: WorkLease, at now: Date) async throws -> OutboxMessage {
        try await write { db in
            // SKIP LOCKED: a row another replica is claiming right now is theirs; waiting for it would only
            // end in a refusal.
            guard var message = try await db.first("""
                SELECT \(unescaped: PostgresRows.outboxColumns) FROM outbox WHERE id = \(id) FOR UPDATE SKIP LOCKED
                """, PostgresRows.outboxMessage)
            else {
                guard try await db.exists("SELECT 1 FROM outbox WHERE id = \(id)") else {
                    throw StoreError.notFound(.outbox, String(id))
                }
                throw StoreError.invalidTransition(.outbox, id: String(id), from: "claimed by another replica", to: "sending")
            }
            try AppDatabase.requireOutbox(message, in: [.pending], to: .sending)
            message.status = .sending
            message.attempts += 1
            try await db.execute("""
                UPDATE outbox SET status = 'sending', attempts = attempts + 1, claimedBy = \(lease.holder),
                    leaseUntil = \(lease.until(now))
                WHERE id = \(id)
                """)
            return message
        }
    }

    public func recoverExpiredSends(at now: Date) async throws -> Int {
        try await write { db in
            try await db.update("""
                UPDATE outbox SET status = 'pending', nextAttemptAt = \(now), claimedBy = NULL, leaseUntil = NULL,
                    inDoubt = true
                WHERE id IN (
                    SELECT id FROM outbox WHERE status = 'sending' AND (leaseUntil IS NULL OR leaseUntil <= \(now))
                    FOR UPDATE SKIP LOCKED)
                RETURNING 1
                """)
        }
    }

    public func claimDueTimers(at now: Date, kinds: [DeskTimer.Kind], limit: Int, lease: WorkLease) async throws -> [DeskTimer] {
        let names = kinds.map(\.rawValue)
        let claimed = try await write { db in
            try await db.all("""
                UPDATE deskTimer SET claimedBy = \(lease.holder), leaseUntil = \(lease.until(now))
                WHERE id IN (
                    SELECT id FROM deskTimer
                    WHERE status = 'pending' AND dueAt <= \(now) AND kind = ANY(\(names))
                      AND (leaseUntil IS NULL OR leaseUntil <= \(now) OR claimedBy = \(lease.holder))
                    ORDER BY dueAt, id LIMIT \(max(0, limit))
                    FOR UPDATE SKIP LOCKED)
                RETURNING \(unescaped: PostgresRows.timerColumns)
                """, PostgresRows.timer)
        }
        return claimed.sorted { ($0.dueAt, $0.id ?? 0) < ($1.dueAt, $1.id ?? 0) }
    }
}
