import FirstLineCore
import Foundation
import GRDB
import Testing

@testable import FirstLineStore

@Suite("AppDatabase: opening, migrating, restarting")
struct AppDatabaseTests {
    @Test("migrates an empty database to the full schema", arguments: StorageKind.sqliteKinds)
    func migratesFromEmpty(kind: StorageKind) async throws {
        // Given an empty database
        let store = try await TestStore(kind)
        defer { store.cleanUp() }

        // When it is opened (migration runs in init)
        let (applied, tables, foreignKeys, journalMode) = try await #require(store.sqlite).dbWriter.read { db in
            (
                try AppDatabase.migrator.appliedIdentifiers(db),
                try ["employee", "identity", "conversation", "message", "suggestion", "learnedPhrase", "ticket",
                     "ticketEvent", "inbox", "outbox"].filter { try db.tableExists($0) },
                try Int.fetchOne(db, sql: "PRAGMA foreign_keys"),
                try String.fetchOne(db, sql: "PRAGMA journal_mode")
            )
        }

        // Then every migration ran, every table exists, foreign keys are enforced, and a file uses WAL
        #expect(applied == ["v1-core", "v2-feedback", "v3-tickets", "v4-queues", "v5-accounts", "v6-desk", "v7-outbox-message-id", "v8-outbox-parts", "v9-incidents", "v10-leases", "v11-shared-content", "v12-chat-sessions", "v13-console-sessions", "v14-article-versions", "v15-delivery", "v16-web-session-keys"])
        #expect(tables.count == 10)
        #expect(foreignKeys == 1)
        if kind == .file { #expect(journalMode == "wal") }
        try await store.database.checkReady()
    }

    @Test("a file commits with synchronous=FULL on its writer: an acknowledged event survives a power loss")
    func commitsAreSyncedToDisk() async throws {
        // Given a file database, as the server opens it
        let store = try await TestStore(.file)
        defer { store.cleanUp() }
        let sqlite = try #require(store.sqlite)

        // When the writer connection (the one that commits inbox batches and turns) is asked
        let (synchronous, journalMode) = try await sqlite.dbWriter.write { db in
            (try Int.fetchOne(db, sql: "PRAGMA synchronous"), try String.fetchOne(db, sql: "PRAGMA journal_mode"))
        }

        // Then it syncs the log at every commit (2 = FULL; GRDB's WAL default is 1 = NORMAL), still in WAL
        #expect(synchronous == 2)
        #expect(journalMode == "wal")
        // And an event recorded through the group commit is readable from a new pool on the file
        #expect(try await sqlite.record([InboxEntry(platform: .slack, eventID: "Ev-full", conversationKey: "D1",
                                                    payload: "{}", receivedAt: Fixed.now)]) == [true])
        try sqlite.close()
        let reopened = try AppDatabase.open(path: store.folder!.appendingPathComponent("firstline.sqlite").path)
        defer { try? reopened.close() }
        #expect(try await reopened.pending(limit: 10).map(\.eventID) == ["Ev-full"])
    }

    @Test("a file in a folder that does not exist is a clear error, and no folder is created")
    func missingFolderIsAnError() throws {
        let folder = TestStore.makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("no-such-folder")
        #expect {
            try AppDatabase.open(path: missing.appendingPathComponent("firstline.sqlite").path)
        } throws: { error in
            "\(error)".contains("no-such-folder") && "\(error)".contains("does not exist")
        }
        #expect(!FileManager.default.fileExists(atPath: missing.path))
    }

    @Test("reopening a migrated file keeps its data and re-runs nothing")
    func reopenIsIdempotent() async throws {
        // Given a file with one employee
        let folder = TestStore.makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("firstline.sqlite").path
        let first = try AppDatabase.open(path: path)
        let employee = try await first.findOrCreateEmployee(platform: .web, platformUserID: "s1", displayName: "Bo", at: Fixed.now)
        try first.close()

        // When it is opened again
        let second = try AppDatabase.open(path: path)
        defer { try? second.close() }

        // Then the employee is still there
        #expect(try await second.employee(id: employee.id!) == employee)
    }

    @Test("after a restart, pending inbox and outbox rows are still there and resumable")
    func restartResumesQueues() async throws {
        // Given a server that acknowledged two events and queued two replies, one of them mid-send, then died
        let folder = TestStore.makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("firstline.sqlite").path
        let before = try AppDatabase.open(path: path)
        let (_, conversation) = try await before.makeEmployeeAndConversation()
        #expect(try await before.record(platform: .slack, eventID: "Ev1", conversationKey: "D1", payload: "{}", receivedAt: Fixed.now))
        #expect(try await before.record(platform: .slack, eventID: "Ev2", conversationKey: "D1", payload: "{}", receivedAt: Fixed.now))
        for key in ["reply-1", "reply-2"] {
            let message = NewOutboxMessage(platform: .slack, conversationKey: "D1", idempotencyKey: key, payload: #"{"text":"hi"}"#)
            #expect(try await before.enqueue(message, at: Fixed.now))
        }
        let inFlight = try await before.due(now: Fixed.now, limit: 1)[0]
        _ = try await before.markSending(id: inFlight.id!)
        try before.close()

        // When the process starts again on the same file
        let after = try AppDatabase.open(path: path)
        defer { try? after.close() }
        let pending = try await after.pending(limit: 10)
        let recovered = try await after.recoverInterrupted(now: Fixed.later(seconds: 60))
        let due = try await after.due(now: Fixed.later(seconds: 60), limit: 10)

        // Then both events are pending in order, the interrupted send is queued again, and work can continue
        #expect(pending.map(\.eventID) == ["Ev1", "Ev2"])
        #expect(recovered == 1)
        #expect(due.map(\.idempotencyKey) == ["reply-1", "reply-2"])
        #expect(try await after.pendingCount() == 2)

        _ = try await after.commitTurn(TurnCommit(
            conversationID: conversation.id!, state: "{}", now: Fixed.later(seconds: 61), inboxEventID: pending[0].id))
        #expect(try await after.pending(limit: 10).map(\.eventID) == ["Ev2"])

        let sending = try await after.markSending(id: due[0].id!)
        try await after.markSent(id: sending.id!, at: Fixed.later(seconds: 62))
        #expect(sending.attempts == 2)
        #expect(try await after.pendingCount() == 1)
    }

    @Test("an online backup is a complete, openable copy")
    func backupCopiesEverything() async throws {
        // Given a file database with a ticket
        let store = try await TestStore(.file)
        defer { store.cleanUp() }
        let (employee, _) = try await store.database.makeEmployeeAndConversation()
        let ticket = try await store.database.createTicket(
            NewTicket(requesterID: employee.id!, channel: .phone, subject: "Printer", category: .hardware, priority: .p3),
            at: Fixed.now)

        // When it is backed up while open
        let copyPath = store.folder!.appendingPathComponent("backup.sqlite").path
        try #require(store.sqlite).backup(toPath: copyPath)
        let copy = try AppDatabase.open(path: copyPath)
        defer { try? copy.close() }

        // Then the copy holds the ticket
        #expect(try await copy.ticket(number: ticket.number) == ticket)
    }
}
