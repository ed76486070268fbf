import ArgumentParser
import FirstLineStore
import Foundation

/// `firstline backup PATH [--db DB]`: an online, consistent copy of the SQLite database, taken while
/// `firstline serve` runs and writes (design §7). Every event acknowledged before it starts is in the copy.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the SQLite database to a new file, online (the server may keep running).",
        discussion: "The copy is one consistent snapshot, checked and written as a single file. For a PostgreSQL "
            + "database use pg_dump instead."
    )

    @Argument(help: "The new backup file (must not exist; its folder must).")
    var path: String

    @Option(help: "SQLite database file; default FIRSTLINE_DATABASE_URL, else firstline.sqlite.")
    var db: String?

    func run() async throws {
        let source = try sqlitePath(db, command: "backup", postgresAdvice: """
            firstline backup copies a SQLite file; for PostgreSQL use pg_dump while the replicas run, e.g. \
            pg_dump -Fc -d firstline > firstline.dump (see README, "PostgreSQL")
            """)
        let started = ContinuousClock.now
        let summary: BackupSummary
        do {
            summary = try AppDatabase.backup(databaseAt: source, to: path)
        } catch {
            throw CommandFailure("backup of \(source) failed: \(error)")
        }
        CommandOutput.standardOutput("backed up \(source) to \(path) in \(milliseconds(since: started)) ms: "
            + describe(summary))
    }
}

/// `firstline restore BACKUP [--db DB]`: puts a backup back as the database. Refuses while a server holds
/// the database's lock; the database it replaces is first kept as `DB.before-restore-<time>`.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Replace the SQLite database with a backup (stop firstline serve first).",
        discussion: "The current database is kept beside it as <db>.before-restore-<UTC time>. For PostgreSQL use "
            + "pg_restore instead."
    )

    @Argument(help: "A file made by firstline backup.")
    var backup: String

    @Option(help: "SQLite database file to replace (created when missing); default FIRSTLINE_DATABASE_URL, else firstline.sqlite.")
    var db: String?

    func run() async throws {
        let target = try sqlitePath(db, command: "restore", postgresAdvice: """
            firstline restore writes a SQLite file; for PostgreSQL use pg_restore into an empty database before \
            starting the replicas, e.g. pg_restore -d firstline firstline.dump (see README, "PostgreSQL")
            """)
        guard FileManager.default.fileExists(atPath: backup) else { throw CommandFailure("no backup file at \(backup)") }
        do {
            try AppDatabase.checkBackup(at: backup)
        } catch {
            throw CommandFailure("cannot restore \(backup) (nothing was changed): \(error)")
        }
        // Held for the whole restore: a server starting meanwhile refuses, as this refuses while one runs.
        let lock: DatabaseLock
        do {
            lock = try DatabaseLock.acquire(databaseAt: target, purpose: "firstline restore")
        } catch let failure as DatabaseLock.Failure {
            if case .held = failure {
                throw CommandFailure("cannot restore into \(target): \(failure). Stop firstline serve first, then restore.")
            }
            throw CommandFailure("cannot restore into \(target): \(failure)")
        }
        defer { lock.release() }
        var kept: String?
        if FileManager.default.fileExists(atPath: target) {
            let safety = target + ".before-restore-" + Self.stamp(Date())
            do {
                try AppDatabase.backup(databaseAt: target, to: safety)
                kept = safety
            } catch {
                throw CommandFailure("cannot keep a copy of the current database \(target) before restoring "
                    + "(nothing was changed): \(error)")
            }
        }
        let summary: BackupSummary
        do {
            summary = try AppDatabase.restore(backupAt: backup, into: target)
        } catch {
            throw CommandFailure("restore of \(backup) into \(target) failed: \(error)"
                + (kept.map { "; the database before the restore is kept as \($0)" } ?? ""))
        }
        CommandOutput.standardOutput("restored \(backup) into \(target): " + describe(summary))
        if let kept { CommandOutput.standardOutput("the database it replaced is kept as \(kept)") }
        CommandOutput.standardOutput("start firstline serve to resume its pending inbox and outbox")
    }

    /// `20261207T051500Z`: sorts by time, and has no character a file name would mind.
    static func stamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }
}

/// The SQLite file of `--db` (else `FIRSTLINE_DATABASE_URL`, else `firstline.sqlite`); a PostgreSQL URL is
/// an error that says which PostgreSQL tool to use instead.
private func sqlitePath(_ option: String?, command: String, postgresAdvice: String) throws -> String {
    let location: StoreLocation
    do {
        location = try StoreLocation(option: option, environment: ProcessInfo.processInfo.environment)
    } catch {
        throw CommandFailure("database: \(error)")
    }
    switch location {
    case let .sqlite(path): return path
    case .postgres: throw CommandFailure(postgresAdvice)
    }
}

private func describe(_ summary: BackupSummary) -> String {
    "\(summary.bytes / 1024) KiB, \(summary.inboxEvents) inbox events, \(summary.conversations) conversations, "
        + "\(summary.tickets) tickets, schema \(summary.schema ?? "none")"
}

private func milliseconds(since start: ContinuousClock.Instant) -> Int64 {
    let elapsed = ContinuousClock.now - start
    return elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
}
