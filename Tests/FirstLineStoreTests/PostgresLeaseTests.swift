import FirstLineCore
import Foundation
import Logging
import Synchronization
import Testing

@testable import FirstLineStore

private let hasServer = PostgresTestServer.url != nil
private let skipReason: Comment = "PostgreSQL suite skipped: FIRSTLINE_TEST_POSTGRES_URL not set"

/// Shared work without a coordinator (issue 13, point 2): claims under leases, on two stores that share one
/// schema as two replicas do. Time is passed in, so a lease runs out by moving `now`, not by waiting.
@Suite("PostgreSQL leases: inbox, outbox and timers claimed by one replica, taken over when it dies")
struct PostgresLeaseTests {
    static let first = WorkLease(holder: "replica-a", duration: 30)
    static let second = WorkLease(holder: "replica-b", duration: 30)

    @Test("a claim takes the oldest pending event of each conversation; another replica gets none of them until the lease runs out",
          .enabled(if: hasServer, skipReason))
    func inboxClaimsPerConversation() async throws {
        let (stores, cleanUp) = try await PostgresStoreTests.replicas()
        defer { cleanUp() }
        // Given two events of one conversation and one of another
        _ = try await stores[0].record([
            Self.entry("a1", key: "A"), Self.entry("a2", key: "A"), Self.entry("b1", key: "B"),
        ])

        // When replica A claims, it gets the head of each conversation only
        let claimed = try await stores[0].claimPending(limit: 10, lease: Self.first, skipping: [], leavingNonMessengerAfter: nil,
                                                       at: Fixed.now)
        #expect(claimed.map(\.eventID) == ["a1", "b1"])
        // Then replica B gets nothing: the heads are held, and a2 waits behind a1
        #expect(try await stores[1].claimPending(limit: 10, lease: Self.second, skipping: [], leavingNonMessengerAfter: nil,
                                                 at: Fixed.later(seconds: 29)).isEmpty)
        // A claims its own rows again (a second pass of the same replica)
        #expect(try await stores[0].claimPending(limit: 10, lease: Self.first, skipping: [], leavingNonMessengerAfter: nil,
                                                 at: Fixed.later(seconds: 1)).map(\.eventID) == ["a1", "b1"])

        // When A finishes a1, a2 becomes the head of its conversation and B may take it
        let a1 = try #require(claimed.first?.id)
        try await stores[0].markDone(id: a1, at: Fixed.later(seconds: 2))
        #expect(try await stores[1].claimPending(limit: 10, lease: Self.second, skipping: [], leavingNonMessengerAfter: nil,
                                                 at: Fixed.later(seconds: 3)).map(\.eventID) == ["a2"])

        // When A dies, its claim on b1 runs out and B takes it over
        #expect(try await stores[1].claimPending(limit: 10, lease: Self.second, skipping: [], leavingNonMessengerAfter: nil,
                                                 at: Fixed.later(seconds: 33)).map(\.eventID) == ["a2", "b1"])
        #expect(try await stores[0].claimInboxEvent(id: try #require(claimed.last?.id), lease: Self.first,
                                                    at: Fixed.later(seconds: 34)) == false)
    }

    @Test("a failed event skipped in a pass holds its conversation back; recent web events are left to their request",
          .enabled(if: hasServer, skipReason))
    func inboxClaimSkipsAndCutoff() async throws {
        let (stores, cleanUp) = try await PostgresStoreTests.replicas()
        defer { cleanUp() }
        _ = try await stores[0].record([
            Self.entry("a1", key: "A"), Self.entry("a2", key: "A"),
            Self.entry("w1", key: "session-1", platform: .web, receivedAt: Fixed.later(seconds: 10)),
            Self.entry("w0", key: "session-0", platform: .web, receivedAt: Fixed.now),
        ])
        let a1 = try #require(try await stores[0].inboxEvent(platform: .slack, eventID: "a1")?.id)
        let claimed = try await stores[0].claimPending(limit: 10, lease: Self.first, skipping: [a1],
                                                       leavingNonMessengerAfter: Fixed.later(seconds: 5), at: Fixed.later(seconds: 35))
        // a2 never overtakes a1; w1 is younger than the cutoff, w0 older
        #expect(claimed.map(\.eventID) == ["w0"])
    }

    @Test("replicas claiming one inbox at once take every event exactly once", .enabled(if: hasServer, skipReason))
    func concurrentInboxClaims() async throws {
        let (stores, cleanUp) = try await PostgresStoreTests.replicas()
        defer { cleanUp() }
        let entries = (0..<60).map { Self.entry("e\($0)", key: "C\($0)") }
        _ = try await stores[0].record(entries)
        let claims = try await withThrowingTaskGroup(of: [String].self) { group in
            for index in 0..<8 {
                group.addTask {
                    let lease = WorkLease(holder: "replica-\(index)", duration: 30)
                    return try await stores[index % 2].claimPending(limit: 10, lease: lease, skipping: [],
                                                                    leavingNonMessengerAfter: nil, at: Fixed.now).map(\.eventID)
                }
            }
            var all: [String] = []
            for try await claimed in group { all += claimed }
            return all
        }
        // 8 claims of up to 10 each over 60 events: every claimed event once, none twice
        #expect(claims.count == Set(claims).count)
        #expect(claims.count == 60)
    }

    @Test("an outbox row one replica sends is not taken by another, holds its conversation's later rows, and comes back when the lease runs out",
          .enabled(if: hasServer, skipReason))
    func outboxLease() async throws {
        let (stores, cleanUp) = try await PostgresStoreTests.replicas()
        defer { cleanUp() }
        for key in ["k1", "k2"] {
            _ = try await stores[0].enqueue(NewOutboxMessage(platform: .slack, conversationKey: "D1", idempotencyKey: key, payload: "{}"),
                                            at: Fixed.now)
        }
        let rows = try await stores[0].pending(platforms: [.slack], limit: 10)
        #expect(rows.map(\.idempotencyKey) == ["k1", "k2"])
        let first = try #require(rows.first?.id)

        let claimed = try await stores[0].markSending(id: first, lease: Self.first, at: Fixed.now)
        #expect(claimed.status == .sending && claimed.attempts == 1)
        await #expect(throws: StoreError.self) {
            _ = try await stores[1].markSending(id: first, lease: Self.second, at: Fixed.now)
        }
        // While k1 is being sent, k2 is not offered to any replica: the conversation keeps its order
        #expect(try await stores[1].pending(platforms: [.slack], limit: 10).isEmpty)
        // A live lease is not recovered, not even by a restarting replica's recoverInterrupted
        #expect(try await stores[1].recoverExpiredSends(at: Fixed.later(seconds: 29)) == 0)
        #expect(try await stores[1].recoverInterrupted(now: Fixed.later(seconds: 29)) == 0)
        // The holder died: after its lease, the row is pending again, first in line
        #expect(try await stores[1].recoverExpiredSends(at: Fixed.later(seconds: 31)) == 1)
        #expect(try await stores[1].pending(platforms: [.slack], limit: 10).map(\.idempotencyKey) == ["k1", "k2"])
        let retaken = try await stores[1].markSending(id: first, lease: Self.second, at: Fixed.later(seconds: 32))
        #expect(retaken.attempts == 2)
        try await stores[1].markSent(id: first, at: Fixed.later(seconds: 33), platformMessageID: nil)
        #expect(try await stores[0].pending(platforms: [.slack], limit: 10).map(\.idempotencyKey) == ["k2"])
    }

    @Test("of replicas claiming one outbox row at once, one wins without waiting", .enabled(if: hasServer, skipReason))
    func concurrentLeasedOutboxClaims() async throws {
        let (stores, cleanUp) = try await PostgresStoreTests.replicas()
        defer { cleanUp() }
        _ = try await stores[0].enqueue(NewOutboxMessage(platform: .slack, conversationKey: "D1", idempotencyKey: "k", payload: "{}"),
                                        at: Fixed.now)
        let id = try #require(try await stores[0].due(now: Fixed.now, limit: 1).first?.id)
        let wins = await PostgresStoreTests.count(16) { index in
            _ = try await stores[index % 2].markSending(id: id, lease: WorkLease(holder: "r\(index)", duration: 30), at: Fixed.now)
        }
        #expect(wins == 1)
    }

    @Test("a due timer claimed by one replica is not given to another until its lease runs out", .enabled(if: hasServer, skipReason))
    func timerLease() async throws {
        let (stores, cleanUp) = try await PostgresStoreTests.replicas()
        defer { cleanUp() }
        let employee = try await stores[0].findOrCreateEmployee(platform: .slack, platformUserID: "U1", displayName: "Ana", at: Fixed.now)
        let ticket = try await stores[0].createTicket(NewTicket(requesterID: try employee.storedID, channel: .slack, subject: "vpn",
                                                                category: .network, priority: .p2), at: Fixed.now)
        try await stores[0].rescheduleSLA(ticketID: try ticket.storedID,
                                          alarms: [SLAAlarmTime(metric: .firstResponse, alarm: .warning, at: Fixed.later(seconds: 10))],
                                          firstResponseDue: Fixed.later(seconds: 20), resolutionDue: nil, at: Fixed.now)
        let kinds: [DeskTimer.Kind] = [.firstResponseWarning]
        #expect(try await stores[0].claimDueTimers(at: Fixed.later(seconds: 5), kinds: kinds, limit: 10, lease: Self.first).isEmpty)
        let claimed = try await stores[0].claimDueTimers(at: Fixed.later(seconds: 10), kinds: kinds, limit: 10, lease: Self.first)
        #expect(claimed.count == 1)
        #expect(try await stores[1].claimDueTimers(at: Fixed.later(seconds: 11), kinds: kinds, limit: 10, lease: Self.second).isEmpty)
        let takenOver = try await stores[1].claimDueTimers(at: Fixed.later(seconds: 41), kinds: kinds, limit: 10, lease: Self.second)
        #expect(takenOver.map(\.id) == claimed.map(\.id))
        // Firing is still checked: the replica that took over fires it, the late one finds it done
        let update = TicketUpdate(ticketNumber: ticket.number, change: .slaAlarm(metric: "firstResponse", alarm: "warning"), actor: .system)
        let timerID = try #require(claimed.first?.id)
        #expect(try await stores[1].fire(timerID: timerID, updates: [update], outbox: [], at: Fixed.later(seconds: 41)))
        #expect(try await stores[0].fire(timerID: timerID, updates: [update], outbox: [], at: Fixed.later(seconds: 42)) == false)
    }

    static func entry(_ id: String, key: String, platform: Platform = .slack, receivedAt: Date = Fixed.now) -> InboxEntry {
        InboxEntry(platform: platform, eventID: id, conversationKey: key, payload: "{}", receivedAt: receivedAt)
    }
}

extension PostgresLeaseTests {
    @Test("a replica stopping gives its unfinished claims back: another replica takes them at once", .enabled(if: hasServer, skipReason))
    func releaseOnShutdown() async throws {
        let (stores, cleanUp) = try await PostgresStoreTests.replicas()
        defer { cleanUp() }
        _ = try await stores[0].record([Self.entry("a1", key: "A"), Self.entry("b1", key: "B")])
        let claimed = try await stores[0].claimPending(limit: 10, lease: Self.first, skipping: [], leavingNonMessengerAfter: nil,
                                                       at: Fixed.now)
        try await stores[0].markDone(id: try #require(claimed.first?.id), at: Fixed.now)
        // Only the unfinished one is given back
        #expect(try await stores[0].releaseInboxClaims(holder: Self.first.holder) == 1)
        #expect(try await stores[1].claimPending(limit: 10, lease: Self.second, skipping: [], leavingNonMessengerAfter: nil,
                                                 at: Fixed.later(seconds: 1)).map(\.eventID) == ["b1"])
        #expect(try await stores[0].releaseInboxClaims(holder: Self.first.holder) == 0)
    }
}
