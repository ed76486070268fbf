import FirstLineCore
import Foundation

/// One messaging platform behind one interface: check a webhook, read it, and turn replies into
/// the platform's own API calls. Adapters are pure values (no I/O); `MessengerClient` sends what
/// they render.
///
/// Server flow for a webhook: `verify` (401 on error) → `parse` (400 on error) → record each
/// actionable event in the inbox → 200. For a reply: `render` at send time → `MessengerClient.send`.
public protocol MessengerAdapter: Sendable {
    /// The platform this adapter speaks for.
    var platform: Platform { get }

    /// Checks that a webhook request comes from the platform, over the raw body bytes as received
    /// (before any decoding: re-serialising changes the bytes and breaks the HMAC).
    /// - Parameters:
    ///   - headers: the request headers with lower-cased names.
    ///   - body: the raw request body.
    ///   - now: the current time, for Slack's ±300 s replay window.
    func verify(headers: [String: String], body: [UInt8], now: Date) throws(VerificationError)

    /// Reads a verified webhook body.
    /// - Parameter receivedAt: when the request arrived; starts the LINE reply token's clock.
    func parse(body: [UInt8], headers: [String: String], receivedAt: Date) throws(ParseError) -> ParsedWebhook

    /// Turns one reply into the platform requests that deliver it, in order. Long texts are split
    /// at the platform's limit, counted the platform's way; buttons go on the last part only.
    ///
    /// Render at send time, not at enqueue time: whether LINE's reply token is still usable
    /// depends on `now`.
    /// - Parameters:
    ///   - replyToken: LINE's reply token of the event being answered; pass it for the first reply
    ///     of an event only (it is single use). Ignored by other platforms.
    ///   - idempotencyKey: the outbox row's idempotency key; platform retry keys are derived from it.
    func render(_ reply: Reply, to conversation: ConversationKey, replyToken: ReplyToken?, idempotencyKey: String,
                now: Date) throws(RenderError) -> [OutboundRequest]

    /// A call the platform expects right after an event, independent of the reply: Telegram's
    /// `answerCallbackQuery` for a button press (else the button keeps spinning). Nil for the rest.
    func acknowledgement(for event: InboundEvent) -> OutboundRequest?
}

extension MessengerAdapter {
    public func acknowledgement(for event: InboundEvent) -> OutboundRequest? { nil }

    /// `parse(body:headers:receivedAt:)` with the current time. Prefer passing the server's clock.
    public func parse(body: [UInt8], headers: [String: String]) throws(ParseError) -> ParsedWebhook {
        try parse(body: body, headers: headers, receivedAt: Date())
    }
}
