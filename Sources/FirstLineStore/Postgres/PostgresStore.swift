import FirstLineCore
import Foundation
import Logging
import PostgresNIO

/// The FirstLine store on a PostgreSQL server, shared by every replica (design §7, issue 13).
///
/// It implements the same interfaces as `AppDatabase` with the same tables, columns and semantics (its own
/// migrations, kept in step with the SQLite ones), and runs the same behavioural store tests. Every public
/// method is one transaction on a pooled connection; values are always bound parameters, never spliced into
/// SQL. Where SQLite relies on having a single writer, this store takes row locks (`FOR UPDATE`) or
/// transaction-scoped advisory locks instead, so the guarantees hold when several processes write at once.
public struct PostgresStore: Sendable {
    let client: PostgresClient
    /// Runs the pool's connections; cancelled by `close()`.
    private let runner: Task<Void, Never>
    let logger: Logger
    /// Distinguishes this store's advisory locks from those of another schema on the same server, since
    /// advisory locks are per database, not per schema (the tests run many schemas side by side).
    let lockNamespace: String
    /// The schema of `PostgresSettings.schema`, created by the first migration when missing.
    let schema: String?

    private init(client: PostgresClient, runner: Task<Void, Never>, logger: Logger, schema: String?, lockNamespace: String) {
        self.client = client
        self.runner = runner
        self.logger = logger
        self.schema = schema
        self.lockNamespace = lockNamespace
    }

    /// Connects with `settings`, checks that the server answers, and migrates before returning, so no
    /// caller can ever see an old schema. Throws `StoreError.database` when the server cannot be reached.
    ///
    /// The pool keeps retrying a server that does not answer; `startupTimeout` bounds the wait, so a wrong host
    /// or port is a clear error at start rather than a process that hangs.
    public static func connect(_ settings: PostgresSettings, logger: Logger,
                               startupTimeout: Duration = .seconds(15)) async throws -> PostgresStore {
        if let schema = settings.schema, !PostgresSettings.isPlainIdentifier(schema) {
            throw StoreError.invalidValue("schema \(schema) must be one lower-case name (a-z, 0-9, _)")
        }
        let client = PostgresClient(configuration: settings.clientConfiguration, backgroundLogger: logger)
        let runner = Task { await client.run() }
        let store = PostgresStore(client: client, runner: runner, logger: logger, schema: settings.schema,
                                  lockNamespace: settings.schema ?? settings.database ?? settings.username)
        do {
            try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask {
                    try await store.checkReady()
                    return true
                }
                group.addTask {
                    try await Task.sleep(for: startupTimeout)
                    return false
                }
                let answered = try await group.next() ?? false
                group.cancelAll()
                guard answered else {
                    throw StoreError.database(code: -1, message: "PostgreSQL at \(settings) did not answer within \(startupTimeout)")
                }
            }
            try await store.migrate()
        } catch {
            store.close()
            throw error
        }
        return store
    }

    /// Closes the pool's connections. Further use throws.
    public func close() {
        runner.cancel()
    }

    /// Throws unless the server answers a query; backs `GET /readyz`.
    public func checkReady() async throws {
        _ = try await read { db in try await db.value("SELECT 1", as: Int.self) }
    }

    /// A read-write transaction that takes a transaction id (its commit is a WAL record): fails on a server
    /// that is read-only (a standby, `default_transaction_read_only`) or cannot write its log.
    public func checkWritable() async throws {
        _ = try await write { db in try await db.value("SELECT txid_current()::bigint", as: Int64.self) }
    }

    // MARK: - Transactions

    /// How often a transaction that lost a deadlock or a serialisation conflict is run again: PostgreSQL
    /// aborts one of two such transactions by design, and running it again is the documented remedy.
    static let conflictRetries = 3

    /// Runs `body` in one transaction, committed if it returns and rolled back if it throws. An error thrown
    /// by `body` (a `StoreError`, a refused claim) reaches the caller unchanged; PostgreSQL's own errors
    /// become `StoreError.database`.
    func write<T: Sendable>(_ body: (PostgresTransaction) async throws -> T) async throws -> T {
        try await transaction(begin: "BEGIN", body)
    }

    /// Runs `body` on one consistent snapshot, as SQLite's readers see one: a read-only repeatable-read
    /// transaction, so a read of several statements (a history and its ticket) never mixes two commits.
    func read<T: Sendable>(_ body: (PostgresTransaction) async throws -> T) async throws -> T {
        try await transaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    private func transaction<T: Sendable>(begin: PostgresQuery,
                                          _ body: (PostgresTransaction) async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await client.withConnection { connection in
                    let db = PostgresTransaction(connection: connection, logger: logger, lockNamespace: lockNamespace)
                    try await db.execute(begin)
                    do {
                        let value = try await body(db)
                        try await db.execute("COMMIT")
                        return value
                    } catch {
                        // A failed rollback means the connection is gone; the server rolls back on its own then.
                        try? await db.execute("ROLLBACK")
                        throw error
                    }
                }
            } catch let error as PSQLError {
                if attempt <= Self.conflictRetries, error.isTransientConflict { continue }
                throw StoreError(error)
            }
        }
    }
}

/// One connection inside an open transaction, with the few helpers the store's SQL needs.
struct PostgresTransaction {
    let connection: PostgresConnection
    let logger: Logger
    let lockNamespace: String

    /// Runs a statement and discards its rows.
    func execute(_ query: PostgresQuery) async throws {
        try await connection.query(query, logger: logger).consume()
    }

    /// Runs a statement and returns how many rows it changed (UPDATE, DELETE, INSERT).
    @discardableResult
    func update(_ query: PostgresQuery) async throws -> Int {
        // `RETURNING 1` would do too; counting the rows keeps the SQL of the callers plain.
        let rows = try await connection.query(query, logger: logger)
        var count = 0
        for try await _ in rows { count += 1 }
        return count
    }

    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        var result: [PostgresRow] = []
        for try await row in try await connection.query(query, logger: logger) { result.append(row) }
        return result
    }

    func all<T>(_ query: PostgresQuery, _ decode: (PostgresRow) throws -> T) async throws -> [T] {
        try await rows(query).map(decode)
    }

    func first<T>(_ query: PostgresQuery, _ decode: (PostgresRow) throws -> T) async throws -> T? {
        try await rows(query).first.map(decode)
    }

    /// The first column of the first row; nil when there is no row or the value is NULL.
    func value<T: PostgresDecodable>(_ query: PostgresQuery, as type: T.Type) async throws -> T? where T._DecodableType == T {
        guard let row = try await rows(query).first else { return nil }
        return try row.decode(T?.self)
    }

    func exists(_ query: PostgresQuery) async throws -> Bool {
        try await !rows(query).isEmpty
    }

    /// Holds a transaction-scoped advisory lock on `key` until commit or rollback: what serialises a
    /// check-then-insert (find or create) across processes, as SQLite's single writer does within one.
    func lock(_ key: String) async throws {
        let name = lockNamespace + "/" + key
        try await execute("SELECT pg_advisory_xact_lock(hashtextextended(\(name), 0))")
    }
}

extension PostgresRowSequence {
    /// Reads the rows to the end, so the connection is free for the next statement.
    func consume() async throws {
        for try await _ in self {}
    }
}

extension StoreError {
    /// Wraps a PostgreSQL error so that nothing of postgres-nio leaks through the store's interfaces.
    /// `code` is the SQLSTATE when it is numeric (most are: 23505, 40001) and -1 otherwise; the message
    /// always carries the SQLSTATE itself. The query is left out: it is the store's own SQL, and its
    /// bound values (an employee's message) have no place in an error that may be logged.
    init(_ error: PSQLError) {
        if let state = error.serverInfo?[.sqlState] {
            let message = error.serverInfo?[.message] ?? "server error"
            // Class 53 (disk full, out of memory or connections), 08 (connection), 57P (the server shutting
            // down) and 25006 (a read-only server): the server cannot take writes now, as SQLite's full disk.
            let unavailable = state.hasPrefix("53") || state.hasPrefix("08") || state.hasPrefix("57P") || state == "25006"
            self = unavailable ? .unavailable(code: Int32(state) ?? -1, message: "PostgreSQL \(state): \(message)")
                : .database(code: Int32(state) ?? -1, message: "PostgreSQL \(state): \(message)")
        } else {
            // No server answer: the connection failed or closed (the pool's error names which, without secrets).
            let underlying = error.underlying.map { ": \($0)" } ?? ""
            self = .unavailable(code: -1, message: "PostgreSQL \(error.code)\(underlying)")
        }
    }

}

extension PSQLError {
    /// A deadlock (40P01) or a serialisation failure (40001): the transaction can be run again as it was.
    var isTransientConflict: Bool {
        guard let state = serverInfo?[.sqlState] else { return false }
        return state == "40001" || state == "40P01"
    }
}
