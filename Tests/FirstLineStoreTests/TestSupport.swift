import FirstLineCore
import Foundation
import GRDB
import Logging
import PostgresNIO
import Testing

@testable import FirstLineStore

/// The stores the behavioural tests run on: SQLite as the server opens it (a WAL file pool) and in memory
/// (queues and pools differ in transactions and connections), and PostgreSQL when
/// `FIRSTLINE_TEST_POSTGRES_URL` names a server (`.ci/run` starts one; `PostgresSuiteTests` reports the skip).
enum StorageKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case inMemory
    case file
    case postgres

    var testDescription: String { rawValue }

    /// The kinds this run can test: PostgreSQL only when a server was given.
    static var tested: [StorageKind] { sqliteKinds + (PostgresTestServer.url == nil ? [] : [.postgres]) }

    /// The SQLite kinds, for the checks of SQLite itself (its file, its pragmas, its error codes).
    static let sqliteKinds: [StorageKind] = [.inMemory, .file]
}

/// The PostgreSQL server the tests may use, from the environment (never a file: it may carry a password).
enum PostgresTestServer {
    static let variable = "FIRSTLINE_TEST_POSTGRES_URL"

    static var url: String? {
        ProcessInfo.processInfo.environment[variable].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Settings for a schema of the test's own, so tests stay independent and can run in parallel.
    static func freshSchemaSettings() throws -> PostgresSettings {
        guard let url else { throw StoreError.invalidValue("\(variable) is not set") }
        var settings = try PostgresSettings(url: url, environment: ProcessInfo.processInfo.environment)
        settings.schema = "firstline_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        // Many tests run at once; a few connections each keep the server's limit out of reach.
        settings.maximumConnections = 4
        return settings
    }
}

/// A store for one test, with its temporary folder when it lives in a file.
///
/// The behavioural tests use `database`, typed as the interfaces the server depends on
/// (`HelpdeskStore`), so every implementation runs them by adding a `StorageKind`;
/// only the checks of SQLite itself (schema, triggers, the file) use `sqlite`.
struct TestStore {
    let kind: StorageKind
    let database: any HelpdeskStore
    /// The SQLite implementation behind `database`; nil on PostgreSQL.
    let sqlite: AppDatabase?
    /// The PostgreSQL implementation behind `database`, in a schema of its own; nil on SQLite.
    let postgres: PostgresStore?
    /// The folder holding the file; nil in memory.
    let folder: URL?

    init(_ kind: StorageKind) async throws {
        self.kind = kind
        switch kind {
        case .inMemory:
            sqlite = try AppDatabase.inMemory()
            postgres = nil
            folder = nil
        case .file:
            let folder = Self.makeTemporaryFolder()
            sqlite = try AppDatabase.open(path: folder.appendingPathComponent("firstline.sqlite").path)
            postgres = nil
            self.folder = folder
        case .postgres:
            sqlite = nil
            postgres = try await PostgresStore.connect(PostgresTestServer.freshSchemaSettings(), logger: Logger(label: "test"))
            folder = nil
        }
        if let sqlite {
            database = sqlite
        } else if let postgres {
            database = postgres
        } else {
            throw StoreError.invalidValue("no store for \(kind)")
        }
    }

    /// A new, empty folder (the store opens files only in folders that exist).
    static func makeTemporaryFolder() -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("firstline-store-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    func cleanUp() {
        try? sqlite?.close()
        if let folder { try? FileManager.default.removeItem(at: folder) }
        if let postgres {
            // `defer` cannot wait, so the schema is dropped in the background; a run that ends first leaves
            // it behind in the test server (CI's is deleted after the run).
            Task.detached {
                try? await postgres.dropSchemaForTests()
                postgres.close()
            }
        }
    }

    /// Counts rows of a table through raw SQL, so tests check the tables and not the API's view of them.
    func count(_ table: String) async throws -> Int {
        try await rawValue("SELECT COUNT(*) FROM \(table)")
    }

    /// Runs raw SQL, written by the test itself, on the store's own connection.
    func execute(_ sql: String) async throws {
        if let sqlite {
            try await sqlite.write { db in try db.execute(sql: sql) }
        } else if let postgres {
            try await postgres.write { db in try await db.execute(PostgresQuery(unsafeSQL: sql)) }
        }
    }

    /// The suggestion row with this id, which no store interface reads back.
    func suggestion(id: Int64) async throws -> Suggestion? {
        if let sqlite { return try await sqlite.read { db in try Suggestion.fetchOne(db, key: id) } }
        return try await postgres?.read { db in
            try await db.first("SELECT \(unescaped: PostgresRows.suggestionColumns) FROM suggestion WHERE id = \(id)",
                               PostgresRows.suggestion)
        }
    }

    private func rawValue(_ sql: String) async throws -> Int {
        if let sqlite { return try await sqlite.read { db in try Int.fetchOne(db, sql: sql) ?? 0 } }
        return try await postgres?.read { db in try await db.value(PostgresQuery(unsafeSQL: sql), as: Int.self) } ?? 0
    }
}

/// Fixed times: the store never reads the clock, so neither do its tests. Whole seconds, because SQLite keeps
/// dates to the millisecond and a fetched row must equal the one that was written.
enum Fixed {
    static var now: Date { Date(timeIntervalSince1970: 1_750_000_000) }

    static func later(seconds: TimeInterval) -> Date { now.addingTimeInterval(seconds) }

    static func later(days: Double) -> Date { now.addingTimeInterval(days * 86_400) }
}

extension DirectoryRepository where Self: ConversationRepository {
    /// An employee on Slack and their direct-message conversation: the starting point of most scenarios.
    func makeEmployeeAndConversation(userID: String = "U1", channel: String = "D1") async throws -> (Employee, Conversation) {
        let employee = try await findOrCreateEmployee(platform: .slack, platformUserID: userID, displayName: "Ana", at: Fixed.now)
        let conversation = try await findOrCreateConversation(
            platform: .slack, conversationKey: channel, employeeID: employee.id!, initialState: #"{"name":"idle"}"#, at: Fixed.now)
        return (employee, conversation)
    }
}
