import FirstLineCore
import FirstLineTestSupport
@testable import FirstLineServer
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@testable import FirstLineStore

/// Issue 15, point 7 e, through the test client: the real application on a real SQLite file whose writer
/// connection is made to refuse writes the way a read-only file and a full disk do (SQLite's own
/// `SQLITE_READONLY` via `query_only`, `SQLITE_FULL` via `max_page_count`). The process scenario with a real
/// full tmpfs and an immutable file is `ReliabilityStorageProcessTests`.
@Suite("Storage trouble: 503 with Retry-After, /readyz fails, nothing acknowledged lost, recovery by itself")
struct StorageTroubleTests {
    static func event(_ n: Int, run: String) -> [UInt8] {
        WebhookSigning.slackDM(eventID: "EvStore\(run)x\(n)", text: "printer is jammed", ts: "1700001.\(100_000 + n)",
                               channel: "DSTORE\(run)\(n)", user: "USTORE\(run)\(n)")
    }

    static func setWriter(_ database: AppDatabase, _ sql: String) async throws {
        try await database.dbWriter.writeWithoutTransaction { db in try db.execute(sql: sql) }
    }

    @Test("a read-only database: webhooks and the chat API answer 503 with Retry-After, /readyz fails, then all recovers")
    func readOnly() async throws {
        try await WebhookWorld.with(.slackOnly) { world in
            let run = String(UInt32.random(in: 0...UInt32.max), radix: 36)
            // Given a server that has acknowledged and answered one event
            #expect(try await world.client.slack("events", body: Self.event(0, run: run)).status == .ok)
            try await world.settle()
            let before = try await world.inboxCount()

            // When its database refuses writes
            try await Self.setWriter(world.database, "PRAGMA query_only = 1")
            let refused = try await world.client.slack("events", body: Self.event(1, run: run))
            let ready = try await world.client.execute(uri: "/readyz", method: .get)
            let session = try await world.client.execute(uri: "/api/v1/chat/sessions", method: .post)

            // Then the webhook is refused with 503 and Retry-After (the platform redelivers), so is the chat API,
            // /readyz reports the failed write probe, and nothing was stored
            #expect(refused.status == .serviceUnavailable)
            #expect(refused.headers[HTTPField.Name("Retry-After")!] == "5")
            #expect(String(buffer: refused.body).contains("storage_unavailable"))
            #expect(session.status == .serviceUnavailable)
            #expect(session.headers[HTTPField.Name("Retry-After")!] == "5")
            #expect(String(buffer: session.body).contains("다시 보내 주세요"))
            #expect(ready.status == .serviceUnavailable)
            #expect(String(buffer: ready.body).contains("database writes fail"))
            #expect(try await world.inboxCount() == before)

            // When the file takes writes again, without a restart
            try await Self.setWriter(world.database, "PRAGMA query_only = 0")

            // Then the platform's redelivery is acknowledged (a commit again, so /readyz is 200 at once rather than
            // after its 10 s window of refusals) and answered exactly once
            #expect(try await world.client.slack("events", body: Self.event(1, run: run), retry: 1).status == .ok)
            #expect(try await world.client.execute(uri: "/readyz", method: .get).status == .ok)
            try await world.settle()
            #expect(try await world.inboxCount() == before + 1)
            let replies = await world.fake.calls(pathContaining: "chat.postMessage")
                .filter { SlackPost($0).channel == "DSTORE\(run)1" }
            let rows = try await world.outboxRows().filter { $0.conversationKey.contains("DSTORE\(run)1") }
            #expect(!rows.isEmpty && rows.allSatisfy { $0.status == .sent })
            #expect(replies.count == rows.reduce(0) { $0 + max(1, $1.partsSent) })
        }
    }

    @Test("a full database: webhooks answer 503 once nothing fits, and are acknowledged again when space is back")
    func full() async throws {
        try await WebhookWorld.with(.slackOnly) { world in
            let run = String(UInt32.random(in: 0...UInt32.max), radix: 36)
            #expect(try await world.client.slack("events", body: Self.event(0, run: run)).status == .ok)
            try await world.settle()
            // Given a database that may not grow by a single page (free pages inside it are still used first)
            let pages = try await world.database.read { db in try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0 }
            try await Self.setWriter(world.database, "PRAGMA max_page_count = \(pages)")

            // When webhooks keep coming, the first that does not fit is refused with 503, Retry-After
            var acknowledged: [Int] = []
            var refused: Int?
            for n in 1...400 {
                let response = try await world.client.slack("events", body: Self.event(n, run: run))
                if response.status == .ok {
                    acknowledged.append(n)
                    continue
                }
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[HTTPField.Name("Retry-After")!] == "5")
                refused = n
                break
            }
            let first = try #require(refused, "400 events fitted into \(pages) pages")
            let count = try await world.inboxCount()

            // When space is back, the refused delivery comes again and is acknowledged
            try await Self.setWriter(world.database, "PRAGMA max_page_count = 1073741823")
            #expect(try await world.client.slack("events", body: Self.event(first, run: run), retry: 1).status == .ok)
            try await world.settle()

            // Then every acknowledged event (before the trouble, during it while it fitted, and after) was
            // stored and answered, the refused one once
            #expect(count == acknowledged.count + 1)
            #expect(try await world.inboxCount() == count + 1)
            let pending = try await world.database.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inbox WHERE status != 'done'") ?? -1
            }
            #expect(pending == 0)
            let rows = try await world.outboxRows()
            #expect(rows.allSatisfy { $0.status == .sent })
            let calls = await world.fake.calls(pathContaining: "chat.postMessage")
            #expect(calls.count == rows.reduce(0) { $0 + max(1, $1.partsSent) })
        }
    }

    @Test("SQLite's storage failures become StoreError.unavailable and 503 with Retry-After; other failures stay 500")
    func mapping() {
        let logger = TestEnvironment.quietLogger
        for code in [ResultCode.SQLITE_FULL, .SQLITE_READONLY, .SQLITE_IOERR, .SQLITE_IOERR_WRITE, .SQLITE_IOERR_FSYNC,
                     .SQLITE_CANTOPEN, .SQLITE_READONLY_DBMOVED] {
            let error = StoreError(DatabaseError(resultCode: code, message: "disk trouble near 'secret subject'"))
            #expect(error.isStorageUnavailable, "\(code)")
            let app = ErrorMapping.appError(for: error, logger: logger)
            #expect(app.status == .serviceUnavailable)
            #expect(app == .storageUnavailable(retryAfter: 5))
            #expect(!app.message.contains("secret"))
        }
        for code in [ResultCode.SQLITE_CONSTRAINT, .SQLITE_CORRUPT, .SQLITE_BUSY, .SQLITE_ERROR] {
            let error = StoreError(DatabaseError(resultCode: code, message: "x"))
            #expect(!error.isStorageUnavailable, "\(code)")
            #expect(ErrorMapping.appError(for: error, logger: logger).status == .internalServerError)
        }
    }
}
