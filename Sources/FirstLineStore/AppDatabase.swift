import FirstLineCore
import Foundation
import GRDB

/// The FirstLine database: one SQLite file in WAL mode (or memory, for tests), migrated on open.
///
/// It implements every repository protocol (`DirectoryRepository`, `ConversationRepository`, `TicketRepository`,
/// `InboxRepository`, `OutboxRepository`, `FeedbackRepository`, `TurnRepository`), so the server can hand the
/// same value to each component while they depend only on the protocols. Each public method is one transaction.
public struct AppDatabase: Sendable {
    /// Internal so that only the store writes SQL; tests reach it through `@testable import`.
    let dbWriter: any DatabaseWriter

    /// Migrates before returning, so no caller can ever see an old schema.
    init(_ dbWriter: any DatabaseWriter) throws {
        self.dbWriter = dbWriter
        do {
            try Self.migrator.migrate(dbWriter)
        } catch let error as DatabaseError {
            throw StoreError(error)
        }
    }

    /// Opens (creating it if needed) the database file at `path` as a `DatabasePool`, which puts it in WAL
    /// mode: readers never block the writer, and the file can be backed up online.
    ///
    /// The folder must exist: a mistyped path or a URL the store does not know (`mysql://x`) is an error
    /// at start, not a new folder named after it.
    ///
    /// Every commit is synced to disk before it returns (`synchronous=FULL`): an acknowledged webhook, and
    /// the turn that answered it, survive a power loss, not only a crash of the process.
    public static func open(path: String) throws -> AppDatabase {
        try requireFolder(of: path)
        do {
            let pool = try DatabasePool(path: path, configuration: makeConfiguration())
            // GRDB sets `synchronous=NORMAL` when it puts the pool in WAL mode, after `prepareDatabase` has run,
            // so FULL is set here, on the one connection that writes (readers never commit).
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            return try AppDatabase(pool)
        } catch let error as DatabaseError {
            throw StoreError(error)
        }
    }

    /// Throws `StoreError.invalidValue` naming the folder unless the folder of `path` exists.
    static func requireFolder(of path: String) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw StoreError.invalidValue("the folder \(folder.path) of the database \(path) does not exist")
        }
    }

    /// A fresh private in-memory database, for tests and for `firstline chat` without `--db`.
    public static func inMemory() throws -> AppDatabase {
        do {
            return try AppDatabase(DatabaseQueue(configuration: makeConfiguration()))
        } catch let error as DatabaseError {
            throw StoreError(error)
        }
    }

    static func makeConfiguration() -> Configuration {
        var config = Configuration()
        // GRDB's default, restated because cascades and referential checks depend on it.
        config.foreignKeysEnabled = true
        // The default fails at once when another process (a CLI command, a backup) holds the write lock;
        // waiting a few seconds turns that into a short delay instead of a lost write.
        config.busyMode = .timeout(5)
        return config
    }

    /// Closes the connections. Further use throws. Lets tests simulate a restart on the same file.
    public func close() throws {
        do {
            try dbWriter.close()
        } catch let error as DatabaseError {
            throw StoreError(error)
        }
    }

    /// Copies a consistent snapshot of the database to a new file at `path` while the server keeps running.
    public func backup(toPath path: String) throws {
        do {
            let destination = try DatabaseQueue(path: path)
            try dbWriter.backup(to: destination)
            try destination.close()
        } catch let error as DatabaseError {
            throw StoreError(error)
        }
    }

    /// Throws unless the database answers a query; backs `GET /readyz`.
    public func checkReady() async throws {
        _ = try await read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    /// Rewrites the header's `user_version` with the value it has (FirstLine does not use it): SQLite marks
    /// page 1 dirty whatever the value, so the commit appends a frame to the WAL and syncs it, as an inbox
    /// commit does, without a table of its own. A full disk or a read-only file fails it.
    public func checkWritable() async throws {
        try await write { db in
            let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
            try db.execute(sql: "PRAGMA user_version = \(version)")
        }
    }

    // MARK: - Transactions

    /// Runs `updates` in one write transaction, rolled back if it throws. GRDB errors become `StoreError`.
    func write<T: Sendable>(_ updates: @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await dbWriter.write(updates)
        } catch let error as DatabaseError {
            throw StoreError(error)
        }
    }

    /// Runs `value` on a consistent snapshot (a reader connection of the pool, so it never waits for writes).
    func read<T: Sendable>(_ value: @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await dbWriter.read(value)
        } catch let error as DatabaseError {
            throw StoreError(error)
        }
    }
}
