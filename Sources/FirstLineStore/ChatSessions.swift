import FirstLineCore
import Foundation
import GRDB

extension AppDatabase: ChatSessionRepository {
    public func createChatSession(keyHash: String, at now: Date) async throws {
        try await write { db in
            guard try Row.fetchOne(db, sql: "SELECT 1 FROM chatSession WHERE keyHash = ?", arguments: [keyHash]) == nil else {
                throw StoreError.duplicate(.chatSession, "session")
            }
            try db.execute(sql: "INSERT INTO chatSession (keyHash, createdAt) VALUES (?, ?)", arguments: [keyHash, now])
        }
    }

    public func chatSessionExists(keyHash: String) async throws -> Bool {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT 1 FROM chatSession WHERE keyHash = ?", arguments: [keyHash]) != nil
        }
    }
}
