import FirstLineCore
import Foundation
import GRDB

/// One conversation between an employee and the bot on one platform channel.
public struct Conversation: Codable, Sendable, Equatable, Hashable {
    public var id: Int64?
    public var platform: Platform
    /// The platform's own conversation id (Slack channel, Telegram chat id…); for web chat the session string.
    public var conversationKey: String
    public var employeeID: Int64
    /// The dialogue engine's state as JSON. The store never looks inside, so the engine can evolve it freely.
    public var state: String
    /// The language the conversation is held in (`ko`, `ja`, `en`), once known.
    public var language: Language?
    public var createdAt: Date
    public var updatedAt: Date

    /// The key's column keeps its first name, `channelKey`: renaming it would need a migration for nothing.
    enum CodingKeys: String, CodingKey {
        case id, platform, conversationKey = "channelKey", employeeID, state, language, createdAt, updatedAt
    }

    public init(
        id: Int64? = nil, platform: Platform, conversationKey: String, employeeID: Int64, state: String,
        language: Language? = nil, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.platform = platform
        self.conversationKey = conversationKey
        self.employeeID = employeeID
        self.state = state
        self.language = language
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

extension Conversation: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "conversation"

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let platform = Column(CodingKeys.platform)
        public static let conversationKey = Column(CodingKeys.conversationKey)
        public static let employeeID = Column(CodingKeys.employeeID)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// One line of a conversation's transcript, in either direction.
public struct ConversationMessage: Codable, Sendable, Equatable, Hashable {
    /// Whether the line came from the employee's side or was sent to it.
    public enum Direction: String, Sendable, Codable, CaseIterable, DatabaseValueConvertible {
        case inbound = "in"
        case outbound = "out"
    }

    /// Who wrote the line; agents' replies are part of the same transcript as the bot's.
    public enum Author: String, Sendable, Codable, CaseIterable, DatabaseValueConvertible {
        case employee, bot, agent, system
    }

    public var id: Int64?
    public var conversationID: Int64
    public var direction: Direction
    public var author: Author
    public var text: String
    /// JSON for buttons and article cards, so a transcript can be re-rendered as the employee saw it.
    public var payload: String?
    public var createdAt: Date

    public init(
        id: Int64? = nil, conversationID: Int64, direction: Direction, author: Author, text: String,
        payload: String? = nil, createdAt: Date
    ) {
        self.id = id
        self.conversationID = conversationID
        self.direction = direction
        self.author = author
        self.text = text
        self.payload = payload
        self.createdAt = createdAt
    }
}

extension ConversationMessage: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "message"

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let conversationID = Column(CodingKeys.conversationID)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// A message to append to a conversation; the store fills in the conversation and the time.
public struct NewMessage: Sendable, Equatable, Hashable {
    public var direction: ConversationMessage.Direction
    public var author: ConversationMessage.Author
    public var text: String
    public var payload: String?

    public init(direction: ConversationMessage.Direction, author: ConversationMessage.Author, text: String, payload: String? = nil) {
        self.direction = direction
        self.author = author
        self.text = text
        self.payload = payload
    }
}
