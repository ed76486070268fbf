import Crypto
import FirstLineCore
import Foundation

/// LINE Messaging API webhooks, reply and push (messengers.md §3).
public struct LineAdapter: MessengerAdapter {
    /// Text message limit, in UTF-16 code units (LINE counts an emoji as 2).
    public static let textLimit = 5000
    /// Messages per reply or push request.
    public static let messagesPerRequest = 5
    /// Quick reply items per message.
    public static let quickReplyLimit = 13
    /// Action label limit (characters); longer labels are cut with "…".
    public static let labelLimit = 20
    /// Postback `data` and `displayText` limits.
    public static let postbackDataLimit = 300
    public static let displayTextLimit = 300

    public var platform: Platform { .line }
    /// The channel secret, and during a rotation the previous one too.
    private let channelSecrets: [SymmetricKey]

    public init(channelSecret: String, previousChannelSecret: String? = nil) {
        self.channelSecrets = ([channelSecret] + [previousChannelSecret].compactMap(\.self)).map { SymmetricKey(data: Array($0.utf8)) }
    }

    // MARK: - Inbound

    public func verify(headers: [String: String], body: [UInt8], now: Date) throws(VerificationError) {
        let signature = try Headers.require("x-line-signature", in: headers)
        try WebhookSignature.verifyBase64(signature, body: body, keys: channelSecrets)
    }

    public func parse(body: [UInt8], headers: [String: String], receivedAt: Date) throws(ParseError) -> ParsedWebhook {
        let root = try JSONValue.parseObject(body)
        guard let eventsField = root["events"] else { throw .missingField("events") }
        guard let events = eventsField.array else { throw .unexpectedValue(field: "events") }
        let destination = root.text("destination")
        var parsed: [InboundEvent] = []
        for (index, event) in events.enumerated() {
            parsed.append(try parseEvent(event, path: "events[\(index)]", destination: destination, receivedAt: receivedAt))
        }
        return .events(parsed)
    }

    private func parseEvent(_ event: JSONValue, path: String, destination: String?,
                            receivedAt: Date) throws(ParseError) -> InboundEvent {
        guard let eventID = event.text("webhookEventId") else { throw .missingField("\(path).webhookEventId") }
        guard let source = event["source"] else { throw .missingField("\(path).source") }
        let userID = source.text("userId") ?? ""
        // Replies to a group or room go to the group or room, not to the member who wrote.
        let target: String? = switch source["type"]?.string {
        case "group": source.text("groupId")
        case "room": source.text("roomId")
        default: source.text("userId")
        }
        guard let target else { throw .missingField("\(path).source.userId") }
        let isRedelivery = event["deliveryContext"]?["isRedelivery"]?.bool ?? false

        var replyToken: ReplyToken?
        // A redelivered event's token was used or has expired: never reuse it, push instead.
        if !isRedelivery, let token = event.text("replyToken") {
            // The token's minute starts when LINE sent the webhook; take the earlier of LINE's
            // timestamp and our receipt, so a delayed delivery is not trusted for longer.
            let sentAt = event["timestamp"]?.int64.map { Date(timeIntervalSince1970: TimeInterval($0) / 1000) }
            replyToken = ReplyToken(value: token, issuedAt: min(sentAt ?? receivedAt, receivedAt))
        }

        func make(_ kind: InboundEvent.Kind) -> InboundEvent {
            InboundEvent(platform: .line, eventID: eventID, conversationKey: .line(to: target), userID: userID,
                         kind: kind, replyToken: kind.isActionable ? replyToken : nil, isRetry: isRedelivery)
        }

        // In standby mode another channel (a human operator tool) owns the chat: do not answer.
        if event["mode"]?.string == "standby" { return make(.ignored(reason: "standby mode")) }
        if let destination, userID == destination { return make(.ignored(reason: "the bot's own message")) }
        switch event["type"]?.string {
        case "message":
            guard event["message"]?["type"]?.string == "text", let text = event["message"]?.text("text") else {
                return make(.ignored(reason: "unsupported message type"))
            }
            return make(.text(text))
        case "postback":
            guard let data = event["postback"]?.text("data") else { return make(.ignored(reason: "postback without data")) }
            return make(.button(action: data))
        case "follow", "join":
            return make(.joined)
        default:
            return make(.ignored(reason: "unsupported event type"))
        }
    }

    // MARK: - Outbound

    public func render(_ reply: Reply, to conversation: ConversationKey, replyToken: ReplyToken?, idempotencyKey: String,
                       now: Date) throws(RenderError) -> [OutboundRequest] {
        guard case let .line(to) = conversation else {
            throw .wrongPlatform(expected: .line, got: conversation.platform)
        }
        guard !reply.text.isEmpty else { throw .emptyText }
        let quickReply = try quickReply(reply.buttons)
        let parts = TextSplitter.split(InlineMarkdown.plain(reply.text), limit: Self.textLimit, measure: .utf16)
        let messages: [JSONValue] = parts.enumerated().map { index, part in
            var message: [String: JSONValue] = ["type": "text", "text": .string(part)]
            if index == parts.count - 1, let quickReply { message["quickReply"] = quickReply }
            return .object(message)
        }
        let batches = stride(from: 0, to: messages.count, by: Self.messagesPerRequest).map {
            Array(messages[$0..<min($0 + Self.messagesPerRequest, messages.count)])
        }
        let token = replyToken.flatMap { $0.isUsable(at: now) ? $0.value : nil }
        return batches.enumerated().map { index, batch in
            if index == 0, let token {
                // Reply is free but single use; it carries no retry key (LINE accepts one only on push).
                return .json(.line, path: "/v2/bot/message/reply", operation: "reply",
                             body: ["replyToken": .string(token), "messages": .array(batch)])
            }
            // Push retries with the same key get 409 instead of a second message.
            return .json(.line, path: "/v2/bot/message/push", operation: "push",
                         body: ["to": .string(to), "messages": .array(batch)],
                         retryKey: DeterministicUUID.make(from: "\(idempotencyKey)#\(index)"))
        }
    }

    private func quickReply(_ buttons: [ReplyButton]) throws(RenderError) -> JSONValue? {
        guard !buttons.isEmpty else { return nil }
        guard buttons.count <= Self.quickReplyLimit else {
            throw .tooManyButtons(count: buttons.count, limit: Self.quickReplyLimit)
        }
        var items: [JSONValue] = []
        for button in buttons {
            let length = button.action.utf16.count
            guard length > 0, length <= Self.postbackDataLimit else {
                throw .actionTooLong(action: button.action, length: length, limit: Self.postbackDataLimit)
            }
            let label = button.label.isEmpty ? button.action : button.label
            items.append(["type": "action", "action": [
                "type": "postback",
                "label": .string(TextSplitter.truncate(label, limit: Self.labelLimit)),
                "data": .string(button.action),
                // Shown in the chat as the user's message, so the transcript reads naturally.
                "displayText": .string(TextSplitter.truncate(label, limit: Self.displayTextLimit)),
            ]])
        }
        return ["items": .array(items)]
    }

    /// Whether a failed reply should be sent again by push: LINE answers 400 "Invalid reply token"
    /// when the token expired or was already used. Re-render without the token and send again.
    public static func isInvalidReplyToken(_ outcome: DeliveryOutcome) -> Bool {
        guard case let .permanent(failure) = outcome, failure.status == 400 else { return false }
        return failure.reason.lowercased().contains("reply token")
    }
}
