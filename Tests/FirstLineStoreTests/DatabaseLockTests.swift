import Foundation
import Logging
import Testing

@testable import FirstLineStore

/// One `firstline serve` per SQLite file: the lock next to the database, and the values `--db` refuses.
@Suite("database lock and store location")
struct DatabaseLockTests {
    @Test("a second lock on the same database is refused, naming the holder; released, it can be taken again")
    func secondLockIsRefused() throws {
        // Given a database folder and a first holder
        let folder = TestStore.makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("firstline.sqlite").path
        let first = try DatabaseLock.acquire(databaseAt: db, purpose: "firstline serve")
        #expect(first.lockFile == db + ".lock")

        // When another one tries (flock locks are per open file, so a second open in this process conflicts too)
        #expect {
            try DatabaseLock.acquire(databaseAt: db, purpose: "firstline restore")
        } throws: { error in
            error as? DatabaseLock.Failure == .held(lockFile: db + ".lock", holder: "process \(getpid()), firstline serve")
        }

        // Then, once released, the lock is free again, and the file stays (it is never deleted)
        first.release()
        first.release()  // a second release does nothing
        let second = try DatabaseLock.acquire(databaseAt: db, purpose: "firstline restore")
        defer { second.release() }
        #expect(FileManager.default.fileExists(atPath: db + ".lock"))
    }

    @Test("a lock dropped with its holder (as at process exit) frees the database")
    func lockEndsWithItsHolder() throws {
        let folder = TestStore.makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("firstline.sqlite").path
        do { _ = try DatabaseLock.acquire(databaseAt: db, purpose: "firstline serve") }
        let again = try DatabaseLock.acquire(databaseAt: db, purpose: "firstline serve")
        again.release()
    }

    @Test("opening for serve takes the lock: a second open with a purpose fails, one without a purpose does not")
    func storeLocationLocks() async throws {
        let folder = TestStore.makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let location = StoreLocation.sqlite(path: folder.appendingPathComponent("firstline.sqlite").path)
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let serving = try await location.open(logger: logger, lockPurpose: "firstline serve")
        await #expect(throws: DatabaseLock.Failure.self) {
            _ = try await location.open(logger: logger, lockPurpose: "firstline serve")
        }
        // `firstline users` and `chat` write briefly through SQLite's own locking; they take no lock.
        let command = try await location.open(logger: logger)
        command.close()
        serving.close()
        let next = try await location.open(logger: logger, lockPurpose: "firstline serve")
        next.close()
    }

    @Test("a URL of another database is refused, not taken for a file path", arguments: [
        "mysql://x", "sqlite:///var/lib/firstline.sqlite", "mongodb+srv://cluster/db", "MySQL://host/db",
    ])
    func otherSchemesAreRefused(_ value: String) {
        #expect {
            try StoreLocation(option: value, environment: [:])
        } throws: { error in
            "\(error)".contains("is not a database FirstLine can use") && !"\(error)".contains("/db")
        }
    }

    @Test("plain paths stay paths, colons included")
    func pathsStayPaths() throws {
        #expect(try StoreLocation(option: "data/desk.sqlite", environment: [:]) == .sqlite(path: "data/desk.sqlite"))
        #expect(try StoreLocation(option: "/srv/a:b/desk.sqlite", environment: [:]) == .sqlite(path: "/srv/a:b/desk.sqlite"))
        #expect(throws: StoreError.self) { try StoreLocation(option: "  ", environment: [:]) }
    }
}
