import FirstLineCore
import FirstLineMessengers
import FirstLineStore
import Foundation

/// The one place where a reply becomes an outbox row: the payload (an `OutboundEnvelope`), the
/// address and the typed idempotency key. Every sender — a turn, an agent's action, the desk —
/// goes through it, so rows are written one way and keys come from `NoticeKey` only.
struct OutboxComposer: Sendable {
    private let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// The stored payload of `reply`: also what the transcript keeps beside the text.
    func payload(_ reply: Reply, replyToken: ReplyToken? = nil) throws -> String {
        try OutboundEnvelope(reply: reply, replyToken: replyToken).encoded(encoder)
    }

    /// An outbox row for `reply` to one conversation.
    func row(_ reply: Reply, to platform: Platform, conversationKey: String, key: NoticeKey,
             replyToken: ReplyToken? = nil) throws -> NewOutboxMessage {
        row(payload: try payload(reply, replyToken: replyToken), to: platform, conversationKey: conversationKey, key: key)
    }

    /// An outbox row for a payload already encoded (kept in the transcript too).
    func row(payload: String, to platform: Platform, conversationKey: String, key: NoticeKey) -> NewOutboxMessage {
        NewOutboxMessage(platform: platform, conversationKey: conversationKey, idempotencyKey: key.description, payload: payload)
    }
}
