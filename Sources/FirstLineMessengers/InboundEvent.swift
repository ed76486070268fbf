import FirstLineCore
import Foundation

/// A LINE reply token and when it was issued. It is single use and only valid for about a minute
/// after the webhook (messengers.md §3), so renderers fall back to the push API once it is stale.
public struct ReplyToken: Sendable, Hashable, Codable {
    /// How long after `issuedAt` a reply token is still used. LINE promises one minute; the margin
    /// covers clock skew and the time the request spends in flight.
    public static let usableFor: TimeInterval = 50

    public var value: String
    /// The earlier of the event's own timestamp and the moment the webhook was received.
    public var issuedAt: Date

    public init(value: String, issuedAt: Date) {
        self.value = value
        self.issuedAt = issuedAt
    }

    /// Whether a reply sent at `now` can still use this token.
    public func isUsable(at now: Date) -> Bool {
        now.timeIntervalSince(issuedAt) <= Self.usableFor
    }
}

/// One thing that happened in a conversation, as parsed from a verified webhook.
/// Codable so the server can store it as the inbox row's payload.
public struct InboundEvent: Sendable, Equatable, Codable {
    /// What the user did.
    public enum Kind: Sendable, Equatable, Codable {
        /// The user wrote a message.
        case text(String)
        /// The user pressed a button; `action` is the button's `ButtonAction` raw value as sent.
        case button(action: String)
        /// The user started the conversation or added the bot (LINE follow/join, Telegram `/start`,
        /// bot added to a group or channel): a chance to greet.
        case joined
        /// Nothing to act on: the bot's own message, an edit, an unsupported message type…
        /// `reason` is a short fixed phrase, never message content, so it can be logged.
        case ignored(reason: String)
    }

    public var platform: Platform
    /// The platform's id of this event, the inbox deduplication key: Slack `event_id` (or
    /// `action:<user>:<action_ts>` for button clicks), Telegram `update_id`, LINE `webhookEventId`,
    /// LINE WORKS the SHA-256 hex digest of the raw body (it has no event id).
    public var eventID: String
    /// Where replies to this event go.
    public var conversationKey: ConversationKey
    /// The platform's id of the user who acted (may be empty for ignored events).
    public var userID: String
    /// The user's display name when the payload carries one (Slack profile, Telegram names).
    public var displayName: String?
    public var kind: Kind
    /// LINE only: the token for the free reply API, absent for redeliveries (never reuse those).
    public var replyToken: ReplyToken?
    /// Whether the platform says this is a redelivery (Slack `X-Slack-Retry-Num`, LINE
    /// `deliveryContext.isRedelivery`). The inbox's unique event id already drops duplicates;
    /// this is for logs and metrics.
    public var isRetry: Bool
    /// Telegram only: the callback query to answer (see `MessengerAdapter.acknowledgement(for:)`),
    /// or the client keeps a spinner on the button.
    public var callbackQueryID: String?
    /// Telegram only: the id of the message this one replies to, in the agents' group (an agent
    /// answering a ticket post there).
    public var repliesTo: String?

    public init(platform: Platform, eventID: String, conversationKey: ConversationKey, userID: String,
                displayName: String? = nil, kind: Kind, replyToken: ReplyToken? = nil, isRetry: Bool = false,
                callbackQueryID: String? = nil, repliesTo: String? = nil) {
        self.repliesTo = repliesTo
        self.platform = platform
        self.eventID = eventID
        self.conversationKey = conversationKey
        self.userID = userID
        self.displayName = displayName
        self.kind = kind
        self.replyToken = replyToken
        self.isRetry = isRetry
        self.callbackQueryID = callbackQueryID
    }

    /// Whether the event should go to the dialogue engine (text, button or join).
    public var isActionable: Bool { kind.isActionable }
}

extension InboundEvent.Kind {
    /// Everything but `.ignored`.
    public var isActionable: Bool {
        if case .ignored = self { return false }
        return true
    }
}

/// What a verified webhook body turned out to be.
public enum ParsedWebhook: Sendable, Equatable {
    /// A setup handshake to answer in the HTTP response and not to record: Slack's
    /// `url_verification`. Reply 200 with `challenge` as `text/plain`.
    case handshake(challenge: String)
    /// Zero or more events. Zero is normal: LINE's console "Verify" sends an empty list, Slack sends
    /// `app_rate_limited` notices. Answer 200 either way.
    case events([InboundEvent])
}
