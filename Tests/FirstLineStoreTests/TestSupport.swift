import FirstLineCore
import Foundation
import GRDB
import Testing

@testable import FirstLineStore

/// The two ways the server opens the store; most tests run on both, because WAL pools and in-memory queues
/// differ in transactions and connections.
enum StorageKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case inMemory
    case file

    var testDescription: String { rawValue }
}

/// A store for one test, with its temporary folder when it lives in a file.
///
/// The behavioural tests use `database`, typed as the interfaces the server depends on
/// (`HelpdeskStore`), so a second implementation (PostgreSQL) runs them by adding a `StorageKind`;
/// only the checks of SQLite itself (schema, triggers, the file) use `sqlite`.
struct TestStore {
    let database: any HelpdeskStore
    /// The SQLite implementation behind `database`.
    let sqlite: AppDatabase
    /// The folder holding the file; nil in memory.
    let folder: URL?

    init(_ kind: StorageKind) throws {
        switch kind {
        case .inMemory:
            sqlite = try AppDatabase.inMemory()
            folder = nil
        case .file:
            let folder = Self.makeTemporaryFolder()
            sqlite = try AppDatabase.open(path: folder.appendingPathComponent("firstline.sqlite").path)
            self.folder = folder
        }
        database = sqlite
    }

    static func makeTemporaryFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("firstline-store-tests-\(UUID().uuidString)")
    }

    func cleanUp() {
        try? sqlite.close()
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    /// Counts rows of a table through the raw connection, so tests check the file and not the API's view of it.
    func count(_ table: String) async throws -> Int {
        try await sqlite.dbWriter.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
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
