import FirstLineCore
import Foundation
import GRDB
import Testing

@testable import FirstLineStore

@Suite("Inbox and outbox")
struct QueueTests {
    @Test("a redelivered inbox event returns false and is stored once", arguments: StorageKind.tested)
    func inboxDeduplicates(kind: StorageKind) async throws {
        // Given an empty inbox
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let db = store.database

        // When Slack delivers the same event twice, and Telegram uses the same id for its own event
        let first = try await db.record(platform: .slack, eventID: "Ev1", conversationKey: "D1", payload: #"{"a":1}"#, receivedAt: Fixed.now)
        let retry = try await db.record(
            platform: .slack, eventID: "Ev1", conversationKey: "D1", payload: #"{"a":2}"#, receivedAt: Fixed.later(seconds: 3))
        let telegram = try await db.record(platform: .telegram, eventID: "Ev1", conversationKey: "7", payload: "{}", receivedAt: Fixed.now)

        // Then only the redelivery is dropped, and the first payload is kept
        #expect(first == true)
        #expect(retry == false)
        #expect(telegram == true)
        #expect(try await store.count("inbox") == 2)
        let pending = try await db.pending(limit: 10)
        #expect(pending.map(\.platform) == [.slack, .telegram])
        #expect(pending[0].payload == #"{"a":1}"#)
        #expect(pending[0].status == .pending)
    }

    @Test("lastInboxID is the newest row whatever its status, nil for an empty inbox", arguments: StorageKind.tested)
    func lastInboxID(kind: StorageKind) async throws {
        // Given an empty inbox
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let db = store.database
        #expect(try await db.lastInboxID() == nil)

        // When two events are recorded and the newer one is answered
        _ = try await db.record(platform: .slack, eventID: "E1", conversationKey: "D1", payload: "{}", receivedAt: Fixed.now)
        _ = try await db.record(platform: .slack, eventID: "E2", conversationKey: "D1", payload: "{}", receivedAt: Fixed.now)
        let rows = try await db.pending(limit: 10)
        try await db.markDone(id: rows[1].id!, at: Fixed.now)

        // Then the mark is still the newer row: the start-up resumes every pending row up to it
        #expect(try await db.lastInboxID() == rows[1].id)
        #expect(try await db.pending(limit: 10).map(\.eventID) == ["E1"])
    }

    @Test("inbox rows move pending → done or failed, and only from pending", arguments: StorageKind.tested)
    func inboxLifecycle(kind: StorageKind) async throws {
        // Given three pending events
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let db = store.database
        for id in ["E1", "E2", "E3"] {
            _ = try await db.record(platform: .line, eventID: id, conversationKey: "C", payload: "{}", receivedAt: Fixed.now)
        }
        let ids = try await db.pending(limit: 10).map { $0.id! }

        // When one is done, one fails after a retry, and the limit is 1
        try await db.markDone(id: ids[0], at: Fixed.later(seconds: 1))
        try await db.markRetry(id: ids[1], error: "timeout")
        try await db.markFailed(id: ids[1], error: "bad payload", at: Fixed.later(seconds: 2))

        // Then only the third is pending, the failure is kept with its attempts, and finished rows cannot fail again
        #expect(try await db.pending(limit: 1).map(\.eventID) == ["E3"])
        let failed = try await db.inboxEvent(platform: .line, eventID: "E2")
        #expect(failed?.status == .failed)
        #expect(failed?.attempts == 2)
        #expect(failed?.lastError == "bad payload")
        await #expect(throws: StoreError.invalidTransition(.inbox, id: String(ids[0]), from: "done", to: "failed")) {
            try await db.markFailed(id: ids[0], error: "late", at: Fixed.now)
        }
        await #expect(throws: StoreError.notFound(.inbox, "999")) { try await db.markDone(id: 999, at: Fixed.now) }
    }

    @Test("an outbox idempotency key is queued once and sent exactly once", arguments: StorageKind.tested)
    func outboxIdempotency(kind: StorageKind) async throws {
        // Given an empty outbox
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let db = store.database
        let reply = NewOutboxMessage(platform: .telegram, conversationKey: "7", idempotencyKey: "Ev1#0", payload: #"{"text":"hi"}"#)

        // When the same reply is enqueued twice
        let first = try await db.enqueue(reply, at: Fixed.now)
        var changed = reply
        changed.payload = #"{"text":"other"}"#
        let second = try await db.enqueue(changed, at: Fixed.later(seconds: 1))

        // Then it is queued once, with the first payload
        #expect(first == true)
        #expect(second == false)
        #expect(try await db.pendingCount() == 1)
        let queued = try await db.due(now: Fixed.now, limit: 10)
        #expect(queued.map(\.payload) == [#"{"text":"hi"}"#])

        // When it is sent, a second claim or a second "sent" is refused
        let id = queued[0].id!
        _ = try await db.markSending(id: id)
        await #expect(throws: StoreError.invalidTransition(.outbox, id: String(id), from: "sending", to: "sending")) {
            try await db.markSending(id: id)
        }
        try await db.markSent(id: id, at: Fixed.later(seconds: 2))
        await #expect(throws: StoreError.invalidTransition(.outbox, id: String(id), from: "sent", to: "sent")) {
            try await db.markSent(id: id, at: Fixed.later(seconds: 3))
        }

        // Then a sent key still blocks a new copy
        #expect(try await db.enqueue(reply, at: Fixed.later(seconds: 4)) == false)
        #expect(try await db.pendingCount() == 0)
    }

    @Test("due honours nextAttemptAt and id order; retries and failures leave the queue", arguments: StorageKind.tested)
    func outboxScheduling(kind: StorageKind) async throws {
        // Given three replies, the second scheduled a minute later
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let db = store.database
        for (key, delay) in [("a", 0.0), ("b", 60.0), ("c", 0.0)] {
            let message = NewOutboxMessage(
                platform: .slack, conversationKey: "D1", idempotencyKey: key, payload: "{}", notBefore: Fixed.later(seconds: delay))
            _ = try await db.enqueue(message, at: Fixed.now)
        }

        // When the worker looks now
        let dueNow = try await db.due(now: Fixed.now, limit: 10)

        // Then only a and c are due, in id order
        #expect(dueNow.map(\.idempotencyKey) == ["a", "c"])

        // When a fails temporarily (retry in 5 minutes) and c fails for good
        _ = try await db.markSending(id: dueNow[0].id!)
        try await db.markRetry(id: dueNow[0].id!, nextAttemptAt: Fixed.later(seconds: 300), error: "429")
        try await db.markFailed(id: dueNow[1].id!, error: "channel_not_found")

        // Then after a minute only b is due, after five a is due again, and c never
        #expect(try await db.due(now: Fixed.later(seconds: 60), limit: 10).map(\.idempotencyKey) == ["b"])
        let later = try await db.due(now: Fixed.later(seconds: 300), limit: 10)
        #expect(later.map(\.idempotencyKey) == ["a", "b"])
        #expect(later[0].lastError == "429")
        #expect(later[0].attempts == 1)
        #expect(try await db.pendingCount() == 2)
        await #expect(throws: StoreError.invalidTransition(.outbox, id: String(dueNow[0].id!), from: "pending", to: "sent")) {
            try await db.markSent(id: dueNow[0].id!, at: Fixed.now)
        }
    }
}
