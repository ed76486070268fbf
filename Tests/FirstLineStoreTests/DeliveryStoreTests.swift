import FirstLineCore
import Foundation
import GRDB
import Testing

@testable import FirstLineStore

/// Issue 15 (migration v15-delivery): a row found mid-send is reported in doubt, a retry keeps or clears the
/// doubt as the worker says, and a platform's recovery brings its waiting retries forward, on every store.
@Suite("Outbox: rows in doubt and outage recovery")
struct DeliveryStoreTests {
    private static func message(_ key: String, conversation: String = "D1", platform: Platform = .slack,
                                notBefore: Date? = nil) -> NewOutboxMessage {
        var message = NewOutboxMessage(platform: platform, conversationKey: conversation, idempotencyKey: key, payload: #"{"text":"hi"}"#)
        message.notBefore = notBefore
        return message
    }

    @Test("a row left sending by a crash comes back pending and in doubt after a restart (SQLite file)")
    func interruptedRowIsInDoubtAfterRestart() async throws {
        // Given a process that claimed a row for sending and died (the file closed without marking it)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("firstline-doubt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("firstline.sqlite").path
        let before = try AppDatabase.open(path: path)
        #expect(try await before.enqueue(Self.message("reply-1"), at: Fixed.now))
        #expect(try await before.enqueue(Self.message("reply-2"), at: Fixed.now))
        let rows = try await before.due(now: Fixed.now, limit: 10)
        _ = try await before.markSending(id: rows[0].id!)
        try before.close()

        // When the next process starts on the same file and recovers interrupted sends
        let after = try AppDatabase.open(path: path)
        defer { try? after.close() }
        #expect(try await after.recoverInterrupted(now: Fixed.later(seconds: 5)) == 1)

        // Then the interrupted row is pending again, due now, and in doubt; the untouched one is not
        let due = try await after.due(now: Fixed.later(seconds: 5), limit: 10)
        #expect(due.map(\.idempotencyKey) == ["reply-1", "reply-2"])
        #expect(due.map(\.inDoubt) == [true, false])
        #expect(due[0].attempts == 1)
    }

    @Test("in doubt on every store: recovery marks it, a retry keeps or clears it, sending it settles it",
          arguments: StorageKind.tested)
    func doubtLifecycle(kind: StorageKind) async throws {
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let db = store.database
        #expect(try await db.enqueue(Self.message("k1"), at: Fixed.now))
        let id = try await db.due(now: Fixed.now, limit: 1)[0].id!

        // A crash mid-send: recovered in doubt
        _ = try await db.markSending(id: id)
        #expect(try await db.recoverInterrupted(now: Fixed.later(seconds: 1)) == 1)
        #expect(try await db.due(now: Fixed.later(seconds: 1), limit: 1)[0].inDoubt)

        // A retry whose attempt got no answer stays in doubt; one the platform answered (a 5xx) does not
        let claimed = try await db.markSending(id: id)
        #expect(claimed.inDoubt && claimed.attempts == 2)
        try await db.markRetry(id: id, nextAttemptAt: Fixed.later(seconds: 2), error: "timeout", inDoubt: true)
        #expect(try await db.due(now: Fixed.later(seconds: 2), limit: 1)[0].inDoubt)
        _ = try await db.markSending(id: id)
        try await db.markRetry(id: id, nextAttemptAt: Fixed.later(seconds: 3), error: "HTTP 503")
        #expect(try await db.due(now: Fixed.later(seconds: 3), limit: 1)[0].inDoubt == false)
    }

    @Test("a recovery brings the platform's waiting retries forward, not other platforms' nor scheduled notices",
          arguments: StorageKind.tested)
    func bringForward(kind: StorageKind) async throws {
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let db = store.database
        // Given two Slack rows backing off after failures, a Slack notice scheduled for tomorrow (never tried),
        // and a Telegram row backing off
        for (key, platform) in [("s1", Platform.slack), ("s2", .slack), ("t1", .telegram)] {
            #expect(try await db.enqueue(Self.message(key, conversation: key, platform: platform), at: Fixed.now))
        }
        #expect(try await db.enqueue(Self.message("later", conversation: "s3", notBefore: Fixed.later(seconds: 86400)), at: Fixed.now))
        for row in try await db.due(now: Fixed.now, limit: 10) {
            _ = try await db.markSending(id: row.id!)
            try await db.markRetry(id: row.id!, nextAttemptAt: Fixed.later(seconds: 300), error: "HTTP 503")
        }

        // When Slack answers again at +10 s
        let moved = try await db.bringForward(platform: .slack, now: Fixed.later(seconds: 10))

        // Then only the two Slack retries are due at once, still in id order
        #expect(moved == 2)
        let due = try await db.due(now: Fixed.later(seconds: 10), limit: 10)
        #expect(due.map(\.idempotencyKey) == ["s1", "s2"])
        #expect(due.allSatisfy { $0.nextAttemptAt == Fixed.later(seconds: 10) })
        // And a second recovery moves nothing more
        #expect(try await db.bringForward(platform: .slack, now: Fixed.later(seconds: 10)) == 0)
    }
}
