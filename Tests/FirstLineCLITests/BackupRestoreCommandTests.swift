import FirstLineCLI
import FirstLineCore
import FirstLineStore
import Foundation
import Testing

/// `firstline backup` and `firstline restore` (design §7: one SQLite file, safe to back up online).
@Suite("backup and restore")
struct BackupRestoreCommandTests {
    /// Event ids in the order their commits returned: what a server would have acknowledged.
    actor Acknowledged {
        private(set) var ids: [String] = []
        func add(_ id: String) { ids.append(id) }
        var count: Int { ids.count }
    }

    @Test("a backup taken while events are being acknowledged holds every one acknowledged before it began; restore brings them back")
    func backupUnderLoad() async throws {
        // Given a database that a writer keeps committing inbox events to, through the webhooks' group commit
        let folder = try TemporaryFolder("backup")
        let db = folder.url.appendingPathComponent("firstline.sqlite").path
        let backup = folder.url.appendingPathComponent("copy.sqlite").path
        let restored = folder.url.appendingPathComponent("restored.sqlite").path
        let live = try AppDatabase.open(path: db)
        defer { try? live.close() }
        let writer = InboxWriter(database: live)
        let acknowledged = Acknowledged()
        let load = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for lane in 0..<8 {
                    group.addTask {
                        var n = 0
                        while !Task.isCancelled {
                            let id = "Ev-\(lane)-\(n)"
                            let entry = InboxEntry(platform: .slack, eventID: id, conversationKey: "slack:D\(lane)",
                                                   payload: "{}", receivedAt: Date())
                            if try await writer.record(entry) { await acknowledged.add(id) }
                            n += 1
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        defer { load.cancel() }
        while await acknowledged.count < 400 { try await Task.sleep(for: .milliseconds(5)) }

        // When a backup is taken while the writes go on
        let before = Set(await acknowledged.ids)
        let run = await AgentUsersCommandTests.run(["backup", backup, "--db", db])
        let duringAndBefore = await acknowledged.count
        while await acknowledged.count < duringAndBefore + 200 { try await Task.sleep(for: .milliseconds(5)) }
        load.cancel()
        _ = await load.result

        // Then it succeeded as one self-contained file, while the writes continued
        #expect(run.code == 0, "\(run.errors)")
        #expect(run.output.first?.hasPrefix("backed up \(db) to \(backup)") == true, "\(run.output)")
        #expect(FileManager.default.fileExists(atPath: backup))
        #expect(!FileManager.default.fileExists(atPath: backup + "-wal"))
        #expect(!FileManager.default.fileExists(atPath: backup + ".partial"))

        // And restored into a new file it holds every event acknowledged before the backup began
        let restore = await AgentUsersCommandTests.run(["restore", backup, "--db", restored])
        #expect(restore.code == 0, "\(restore.errors)")
        let copy = try AppDatabase.open(path: restored)
        defer { try? copy.close() }
        let inCopy = Set(try await copy.pending(limit: 1_000_000).map(\.eventID))
        #expect(before.isSubset(of: inCopy), "\(before.subtracting(inCopy).count) acknowledged events missing")
        // And nothing that was never acknowledged (every row of the copy was committed, so acknowledged)
        let all = Set(await acknowledged.ids)
        #expect(inCopy.isSubset(of: all))
        #expect(inCopy.count < all.count, "writes committed after the backup are not in it")
    }

    @Test("restore puts a backup back over a database and keeps the one it replaced")
    func restoreReplacesAndKeeps() async throws {
        // Given a backup with one event, then a database that moved on to two
        let folder = try TemporaryFolder("restore")
        let db = folder.url.appendingPathComponent("firstline.sqlite").path
        let backup = folder.url.appendingPathComponent("monday.sqlite").path
        let database = try AppDatabase.open(path: db)
        #expect(try await database.record(platform: .slack, eventID: "Ev-monday", conversationKey: "slack:D1",
                                          payload: "{}", receivedAt: Date()))
        #expect(await AgentUsersCommandTests.run(["backup", backup, "--db", db]).code == 0)
        #expect(try await database.record(platform: .slack, eventID: "Ev-tuesday", conversationKey: "slack:D1",
                                          payload: "{}", receivedAt: Date()))
        try database.close()

        // When the backup is restored
        let run = await AgentUsersCommandTests.run(["restore", backup, "--db", db])

        // Then the database is Monday's again, and Tuesday's is kept beside it
        #expect(run.code == 0, "\(run.errors)")
        let reopened = try AppDatabase.open(path: db)
        defer { try? reopened.close() }
        #expect(try await reopened.pending(limit: 10).map(\.eventID) == ["Ev-monday"])
        let kept = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .first { $0.hasPrefix("firstline.sqlite.before-restore-") })
        #expect(run.output.contains { $0.contains(kept) }, "\(run.output)")
        let previous = try AppDatabase.open(path: folder.url.appendingPathComponent(kept).path)
        defer { try? previous.close() }
        #expect(try await previous.pending(limit: 10).map(\.eventID) == ["Ev-monday", "Ev-tuesday"])
    }

    @Test("restore refuses while a server holds the database's lock, and changes nothing")
    func restoreRefusesWhileServing() async throws {
        let folder = try TemporaryFolder("restore-locked")
        let db = folder.url.appendingPathComponent("firstline.sqlite").path
        let backup = folder.url.appendingPathComponent("backup.sqlite").path
        let database = try AppDatabase.open(path: db)
        defer { try? database.close() }
        #expect(await AgentUsersCommandTests.run(["backup", backup, "--db", db]).code == 0)
        #expect(try await database.record(platform: .slack, eventID: "Ev-live", conversationKey: "slack:D1",
                                          payload: "{}", receivedAt: Date()))

        // A running server's lock (what `firstline serve` takes at start)
        let lock = try DatabaseLock.acquire(databaseAt: db, purpose: "firstline serve")
        let run = await AgentUsersCommandTests.run(["restore", backup, "--db", db])
        #expect(run.code == 1)
        #expect(run.errors.joined().contains("Stop firstline serve first"), "\(run.errors)")
        #expect(run.errors.joined().contains("process \(getpid()), firstline serve"), "names the holder: \(run.errors)")
        #expect(try await database.pending(limit: 10).map(\.eventID) == ["Ev-live"])

        // Once the server is gone, the same restore works
        lock.release()
        #expect(await AgentUsersCommandTests.run(["restore", backup, "--db", db]).code == 0)
    }

    @Test("a PostgreSQL database is backed up with pg_dump and restored with pg_restore: both say so, exit 1")
    func postgresIsRefused() async {
        let url = "postgres://desk@db.internal:5432/firstline"
        let backup = await AgentUsersCommandTests.run(["backup", "/tmp/never-written.sqlite", "--db", url])
        #expect(backup.code == 1)
        #expect(backup.errors.joined().contains("pg_dump"), "\(backup.errors)")
        let restore = await AgentUsersCommandTests.run(["restore", "/tmp/never-read.sqlite", "--db", url])
        #expect(restore.code == 1)
        #expect(restore.errors.joined().contains("pg_restore"), "\(restore.errors)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never-written.sqlite"))
    }

    @Test("clear errors: no database, a backup file that exists, a file that is not a FirstLine database")
    func clearErrors() async throws {
        let folder = try TemporaryFolder("backup-errors")
        let db = folder.url.appendingPathComponent("firstline.sqlite").path
        let copy = folder.url.appendingPathComponent("copy.sqlite").path

        let missing = await AgentUsersCommandTests.run(["backup", copy, "--db", db])
        #expect(missing.code == 1)
        #expect(missing.errors.joined().contains("no database file at \(db)"), "\(missing.errors)")
        #expect(!FileManager.default.fileExists(atPath: db), "backing up a missing database does not create one")

        try AppDatabase.open(path: db).close()
        try folder.write("copy.sqlite", "already here")
        let exists = await AgentUsersCommandTests.run(["backup", copy, "--db", db])
        #expect(exists.code == 1)
        #expect(exists.errors.joined().contains("already exists"), "\(exists.errors)")
        #expect(try String(contentsOfFile: copy, encoding: .utf8) == "already here")

        let notADatabase = await AgentUsersCommandTests.run(["restore", copy, "--db", db])
        #expect(notADatabase.code == 1)
        #expect(notADatabase.errors.joined().contains("is not a SQLite database"), "\(notADatabase.errors)")

        let noBackup = await AgentUsersCommandTests.run(["restore", folder.missing, "--db", db])
        #expect(noBackup.code == 1)
        #expect(noBackup.errors.joined().contains("no backup file"), "\(noBackup.errors)")

        let noFolder = await AgentUsersCommandTests.run(["backup", folder.missing + "/copy.sqlite", "--db", db])
        #expect(noFolder.code == 1)
        #expect(noFolder.errors.joined().contains("does not exist"), "\(noFolder.errors)")
    }
}
