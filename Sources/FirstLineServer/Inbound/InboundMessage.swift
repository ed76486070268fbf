import FirstLineCore
import FirstLineMessengers
import FirstLineStore
import Foundation

/// One thing an employee did, as committed to the inbox before it is acknowledged.
public struct InboundMessage: Codable, Sendable, Equatable {
    public enum Content: Codable, Sendable, Equatable {
        case text(String)
        case button(String)
        /// The employee started a chat with the bot (follow, /start, join).
        case joined
    }

    public var platform: Platform
    /// The platform's id of this event, unique per platform (deduplication key).
    public var eventID: String
    /// The platform's conversation: web chat session, Slack channel, Telegram chat…
    public var conversationKey: String
    /// The platform's id of the employee.
    public var userID: String
    public var displayName: String
    public var content: Content
    /// LINE's token to answer this very message with (free, unlike a push); nil elsewhere.
    public var replyToken: ReplyToken?
    /// Telegram agents' group: the post this message replies to.
    public var repliesTo: String?

    /// The inbox payload's field names; the key keeps its first name, `channelKey`, so that rows
    /// acknowledged by an older version are still read after an upgrade.
    enum CodingKeys: String, CodingKey {
        case platform, eventID, conversationKey = "channelKey", userID, displayName, content, replyToken, repliesTo
    }

    public init(platform: Platform, eventID: String, conversationKey: String, userID: String, displayName: String,
                content: Content, replyToken: ReplyToken? = nil, repliesTo: String? = nil) {
        self.repliesTo = repliesTo
        self.replyToken = replyToken
        self.platform = platform
        self.eventID = eventID
        self.conversationKey = conversationKey
        self.userID = userID
        self.displayName = displayName
        self.content = content
    }
}

/// What one processed message produced, for channels that answer in the same request.
public struct TurnResult: Sendable, Equatable {
    public var replies: [Reply]
    public var phase: DialoguePhase
    public var ticketNumber: String?
    /// Outbox rows holding `replies`, so a synchronous channel can mark them delivered.
    public var outboxIDs: [Int64]
    /// Tickets the turn opened or changed (status, rating), for the desk to follow up.
    public var changedTickets: [String] = []
}
