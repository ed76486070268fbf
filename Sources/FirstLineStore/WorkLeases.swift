import FirstLineCore
import Foundation

/// A replica's hold on shared work (issue 13): the row is its to process until `now + duration`, and taken
/// over by another replica after that, so the work of a replica that died is not lost with it.
///
/// Only a store that several processes share (PostgreSQL) honours leases. SQLite is one process per file
/// (`DatabaseLock`), so its implementations of the lease methods fall back to the plain queue reads.
public struct WorkLease: Sendable, Hashable, CustomStringConvertible {
    /// Who holds the rows: unique per running process (a replica restarted is a new holder).
    public var holder: String
    /// How long a claim holds without being finished. Longer than the slowest piece of work (a platform
    /// request with its timeout), shorter than the wait for a dead replica's work one accepts.
    public var duration: TimeInterval

    public init(holder: String, duration: TimeInterval) {
        self.holder = holder
        self.duration = duration
    }

    /// Until when a claim taken at `now` holds.
    public func until(_ now: Date) -> Date { now.addingTimeInterval(duration) }

    public var description: String { "\(holder) for \(duration) s" }
}

/// Claiming inbox events across replicas: each event is processed by one replica at a time, and the events of
/// one conversation one after the other, in arrival order, whichever replicas process them.
public protocol InboxClaims: Sendable {
    /// Claims up to `limit` pending events for `lease.holder`, in id order: per conversation only its oldest
    /// pending event (a later one waits until the earlier one is done, so replies keep their order), and only
    /// events no other live lease holds. Rows in `skipping` (failed in this pass) are left alone, and so is the
    /// rest of their conversation. Web and terminal events received after `recentCutoff` are left to the
    /// request that brought them.
    func claimPending(limit: Int, lease: WorkLease, skipping: Set<Int64>, leavingNonMessengerAfter recentCutoff: Date?,
                      at now: Date) async throws -> [InboxEvent]

    /// Claims one event for `lease.holder` (the request that brought a web message answers it itself): true
    /// when it is pending, the oldest pending event of its conversation, and not held by another live lease.
    func claimInboxEvent(id: Int64, lease: WorkLease, at now: Date) async throws -> Bool

    /// Gives back the pending events `holder` claimed and did not finish (a replica stopping gracefully), so
    /// the other replicas take them at once instead of after the lease. Returns how many.
    func releaseInboxClaims(holder: String) async throws -> Int
}

/// Claiming outbox rows and desk timers across replicas.
public protocol SharedQueueClaims: Sendable {
    /// `OutboxRepository.markSending` with a lease: the row is claimed without waiting for a replica that is
    /// claiming it at the same moment (`SKIP LOCKED`: that one wins), and a crash of the holder gives it back
    /// once the lease has run out (`recoverExpiredSends`). Throws `.invalidTransition` when it is not pending
    /// or another replica has it.
    func markSending(id: Int64, lease: WorkLease, at now: Date) async throws -> OutboxMessage

    /// Returns rows left `sending` by a holder whose lease ran out (a replica that died mid-send) to pending,
    /// due at `now`; rows that live replicas are sending are left alone. Returns how many.
    func recoverExpiredSends(at now: Date) async throws -> Int

    /// Due pending timers of `kinds`, claimed for `lease.holder`: a timer another replica holds is skipped,
    /// so each one's work is done by one replica (its firing is still checked by `fire`).
    func claimDueTimers(at now: Date, kinds: [DeskTimer.Kind], limit: Int, lease: WorkLease) async throws -> [DeskTimer]
}

extension AppDatabase: InboxClaims, SharedQueueClaims {
    // One process per SQLite file: nothing to share, so leases are not stored and these are the plain reads.

    public func claimPending(limit: Int, lease: WorkLease, skipping: Set<Int64>, leavingNonMessengerAfter recentCutoff: Date?,
                             at now: Date) async throws -> [InboxEvent] {
        try await pending(limit: limit + skipping.count).filter { event in
            guard let id = event.id, !skipping.contains(id) else { return false }
            if let recentCutoff, !event.platform.isMessenger, event.receivedAt > recentCutoff { return false }
            return true
        }
    }

    public func claimInboxEvent(id: Int64, lease: WorkLease, at now: Date) async throws -> Bool { true }

    public func releaseInboxClaims(holder: String) async throws -> Int { 0 }

    public func markSending(id: Int64, lease: WorkLease, at now: Date) async throws -> OutboxMessage {
        try await markSending(id: id)
    }

    public func recoverExpiredSends(at now: Date) async throws -> Int { 0 }

    public func claimDueTimers(at now: Date, kinds: [DeskTimer.Kind], limit: Int, lease: WorkLease) async throws -> [DeskTimer] {
        try await dueTimers(at: now, kinds: kinds, limit: limit)
    }
}
