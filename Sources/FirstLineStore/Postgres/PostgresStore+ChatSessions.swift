import FirstLineCore
import Foundation
import PostgresNIO

extension PostgresStore: ChatSessionRepository {
    public func createChatSession(keyHash: String, at now: Date) async throws {
        try await write { db in
            let inserted = try await db.update("""
                INSERT INTO chatSession (keyHash, createdAt) VALUES (\(keyHash), \(now)) ON CONFLICT (keyHash) DO NOTHING RETURNING 1
                """)
            guard inserted == 1 else { throw StoreError.duplicate(.chatSession, "session") }
        }
    }

    public func chatSessionExists(keyHash: String) async throws -> Bool {
        try await read { db in try await db.exists("SELECT 1 FROM chatSession WHERE keyHash = \(keyHash)") }
    }
}
