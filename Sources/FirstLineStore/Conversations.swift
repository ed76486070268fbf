import FirstLineCore
import Foundation
import GRDB

extension AppDatabase: ConversationRepository {
    public func findOrCreateConversation(
        platform: Platform, conversationKey: String, employeeID: Int64, initialState: String, at now: Date
    ) async throws -> Conversation {
        try await write { db in
            if let existing = try Self.conversation(db, platform: platform, conversationKey: conversationKey) {
                return existing
            }
            guard try Employee.exists(db, key: employeeID) else {
                throw StoreError.notFound(.employee, String(employeeID))
            }
            return try Conversation(
                platform: platform, conversationKey: conversationKey, employeeID: employeeID, state: initialState,
                createdAt: now, updatedAt: now
            ).inserted(db)
        }
    }

    public func conversation(id: Int64) async throws -> Conversation? {
        try await read { db in try Conversation.fetchOne(db, key: id) }
    }

    public func conversation(platform: Platform, conversationKey: String) async throws -> Conversation? {
        try await read { db in try Self.conversation(db, platform: platform, conversationKey: conversationKey) }
    }

    public func messages(conversationID: Int64) async throws -> [ConversationMessage] {
        try await read { db in
            // Id order is insertion order; timestamps can tie within one turn.
            try ConversationMessage
                .filter(ConversationMessage.Columns.conversationID == conversationID)
                .order(ConversationMessage.Columns.id)
                .fetchAll(db)
        }
    }

    public func appendMessage(_ message: NewMessage, conversationID: Int64, at now: Date) async throws -> ConversationMessage {
        try await write { db in
            guard try Conversation.exists(db, key: conversationID) else {
                throw StoreError.notFound(.conversation, String(conversationID))
            }
            return try Self.insertMessage(db, message, conversationID: conversationID, at: now)
        }
    }

    static func conversation(_ db: Database, platform: Platform, conversationKey: String) throws -> Conversation? {
        try Conversation
            .filter(Conversation.Columns.platform == platform && Conversation.Columns.conversationKey == conversationKey)
            .fetchOne(db)
    }

    static func insertMessage(_ db: Database, _ message: NewMessage, conversationID: Int64, at now: Date) throws -> ConversationMessage {
        try ConversationMessage(
            conversationID: conversationID, direction: message.direction, author: message.author, text: message.text,
            payload: message.payload, createdAt: now
        ).inserted(db)
    }
}
