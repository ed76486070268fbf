import Foundation
import GRDB

/// What a backup or a restore copied, for the command's report.
public struct BackupSummary: Sendable, Equatable {
    public var bytes: Int64
    public var inboxEvents: Int
    public var conversations: Int
    public var tickets: Int
    /// The last migration of the copy (its schema version).
    public var schema: String?
}

extension AppDatabase {
    /// Copies the SQLite database at `source` to a new file at `destination`, online: a server may be
    /// running on `source` and writing to it meanwhile (`firstline backup`).
    ///
    /// SQLite's backup API (GRDB `backup(to:)`) copies every page in one step inside one read transaction
    /// of WAL mode, so the copy is the database as of one instant: every transaction committed before the
    /// backup began is in it, none is half in it, and the server's writers are never blocked (a backup in
    /// several steps would start over whenever another process wrote between two steps). The copy is
    /// checked (`PRAGMA quick_check`), made a single file (rollback journal, no `-wal`), and only then
    /// renamed to `destination`, so a failed backup never leaves a file that looks complete.
    ///
    /// The source is opened with `query_only`: the backup never writes to it and never migrates it.
    /// Throws `StoreError.invalidValue` for a missing source, a destination that exists or whose folder does
    /// not, and a file that is not a FirstLine database.
    @discardableResult
    public static func backup(databaseAt source: String, to destination: String) throws -> BackupSummary {
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw StoreError.invalidValue("\(destination) already exists; choose a new file name or remove it first")
        }
        try requireFolder(of: destination)
        let partial = destination + ".partial"
        try? FileManager.default.removeItem(atPath: partial)
        do {
            let copied = try convertingErrors {
                let from = try openExisting(source, role: "database")
                defer { try? from.close() }
                try from.read { db in try requireFirstLine(db, path: source) }
                let copy = try DatabaseQueue(path: partial, configuration: makeConfiguration())
                defer { try? copy.close() }
                try from.backup(to: copy)
                return try copy.writeWithoutTransaction { db in
                    // A single self-contained file: the copy needs no -wal or -shm beside it.
                    _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE")
                    try requireIntact(db, path: destination)
                    return try summary(db)
                }
            }
            try FileManager.default.moveItem(atPath: partial, toPath: destination)
            var result = copied
            result.bytes = fileSize(destination)
            return result
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
    }

    /// Replaces the content of the database at `target` (created when missing) with the backup at `backup`
    /// (`firstline restore`), then migrates it if the backup is older than this version. The caller holds
    /// the target's `DatabaseLock`, so no server runs on it meanwhile.
    ///
    /// The pages go through SQLite's backup API into the target's own connection, so its WAL and shared
    /// memory stay consistent (copying the file over would leave a stale `-wal` to be replayed on top).
    /// Refuses a backup that is damaged, is not a FirstLine database, or was made by a newer version.
    @discardableResult
    public static func restore(backupAt backup: String, into target: String) throws -> BackupSummary {
        try requireFolder(of: target)
        try convertingErrors {
            let from = try openExisting(backup, role: "backup")
            defer { try? from.close() }
            _ = try from.read { db in try checkRestorable(db, path: backup) }
            let into = try DatabaseQueue(path: target, configuration: makeConfiguration())
            defer { try? into.close() }
            try from.backup(to: into)
        }
        // Opened as the server opens it: WAL, FULL, and migrated to this version's schema.
        let restored = try AppDatabase.open(path: target)
        defer { try? restored.close() }
        var result = try convertingErrors { try restored.dbWriter.read { db in try summary(db) } }
        result.bytes = fileSize(target)
        return result
    }

    /// Checks, without changing anything, that `backup` can be restored by this version: a FirstLine
    /// database, undamaged, made by this version or an older one. Returns what it holds.
    @discardableResult
    public static func checkBackup(at backup: String) throws -> BackupSummary {
        try convertingErrors {
            let from = try openExisting(backup, role: "backup")
            defer { try? from.close() }
            var summary = try from.read { db in try checkRestorable(db, path: backup) }
            summary.bytes = fileSize(backup)
            return summary
        }
    }

    private static func checkRestorable(_ db: Database, path: String) throws -> BackupSummary {
        try requireFirstLine(db, path: path)
        try requireIntact(db, path: path)
        if try migrator.hasBeenSuperseded(db) {
            throw StoreError.invalidValue("\(path) was made by a newer version of firstline (its schema has "
                + "migrations this version does not know); restore it with that version")
        }
        return try summary(db)
    }

    /// Opens an existing file without creating one, refusing every write (`query_only`).
    private static func openExisting(_ path: String, role: String) throws -> DatabaseQueue {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else {
            throw StoreError.invalidValue("no \(role) file at \(path)")
        }
        var configuration = makeConfiguration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA query_only = ON") }
        do {
            return try DatabaseQueue(path: path, configuration: configuration)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw StoreError.invalidValue("\(path) is not a SQLite database")
        }
    }

    private static func requireFirstLine(_ db: Database, path: String) throws {
        let isFirstLine: Bool
        do {
            isFirstLine = try db.tableExists("grdb_migrations") && migrator.appliedIdentifiers(db).contains("v1-core")
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw StoreError.invalidValue("\(path) is not a SQLite database")
        }
        guard isFirstLine else { throw StoreError.invalidValue("\(path) is not a FirstLine database") }
    }

    private static func requireIntact(_ db: Database, path: String) throws {
        let problems = try String.fetchAll(db, sql: "PRAGMA quick_check")
        guard problems == ["ok"] else {
            throw StoreError.invalidValue("\(path) is damaged: \(problems.prefix(3).joined(separator: "; "))")
        }
    }

    private static func summary(_ db: Database) throws -> BackupSummary {
        func count(_ table: String) throws -> Int { try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
        return BackupSummary(bytes: 0, inboxEvents: try count("inbox"), conversations: try count("conversation"),
                             tickets: try count("ticket"), schema: try lastMigration(db))
    }

    /// The newest migration of this version that `db` has applied.
    private static func lastMigration(_ db: Database) throws -> String? {
        let applied = try migrator.appliedIdentifiers(db)
        return migrator.migrations.last(where: applied.contains)
    }

    private static func fileSize(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? NSNumber)?.int64Value ?? 0
    }

    private static func convertingErrors<T>(_ work: () throws -> T) throws -> T {
        do {
            return try work()
        } catch let error as DatabaseError {
            throw StoreError(error)
        }
    }
}
