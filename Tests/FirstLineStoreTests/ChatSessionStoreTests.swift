import FirstLineCore
import Foundation
import Testing

@testable import FirstLineStore

/// The `chatSession` table (migration v12-chat-sessions): web chat sessions the server issued, by hash.
@Suite("issued web chat sessions")
struct ChatSessionStoreTests {
    @Test("an issued session is found by its hash, an unknown one is not, and a hash cannot be issued twice",
          arguments: StorageKind.tested)
    func issuedSessions(kind: StorageKind) async throws {
        // Given a store with one issued session
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let database = store.database
        let hash = String(repeating: "ab", count: 32)
        try await database.createChatSession(keyHash: hash, at: Fixed.now)

        // Then it is known and another is not
        #expect(try await database.chatSessionExists(keyHash: hash))
        #expect(try await database.chatSessionExists(keyHash: String(repeating: "cd", count: 32)) == false)
        // And the same hash again is a duplicate that changes nothing
        await #expect(throws: StoreError.duplicate(.chatSession, "session")) {
            try await database.createChatSession(keyHash: hash, at: Fixed.now)
        }
        #expect(try await database.chatSessionExists(keyHash: hash))
    }

    @Test("issued sessions survive closing and reopening the file")
    func survivesReopen() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chat-sessions-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("firstline.sqlite").path
        do {
            let database = try AppDatabase.open(path: path)
            try await database.createChatSession(keyHash: "hash-1", at: Fixed.now)
            try database.close()
        }
        let reopened = try AppDatabase.open(path: path)
        defer { try? reopened.close() }
        #expect(try await reopened.chatSessionExists(keyHash: "hash-1"))
    }
}
