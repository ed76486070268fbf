import Crypto
import FirstLineCore
import Foundation

/// LINE WORKS (NAVER WORKS) Bot API 2.0 callbacks and messages (messengers.md §4).
public struct LineWorksAdapter: MessengerAdapter {
    /// Text message limit. The docs give 2,000 characters for API 1.0 and nothing firm for 2.0;
    /// counted in UTF-16 units, the largest plausible unit, so parts fit either way.
    public static let textLimit = 2000
    /// `button_template` `contentText` limit.
    public static let buttonTextLimit = 1000
    /// Actions on one button template; more buttons (up to the quick reply limit) use quick replies.
    public static let buttonTemplateLimit = 10
    public static let quickReplyLimit = 13
    /// Action label limit (characters) **[unconfirmed for 2.0; LINE's value]**.
    public static let labelLimit = 20
    /// Postback limit **[unconfirmed]**: a generous guard so an absurd action fails here, clearly.
    public static let postbackLimit = 1000

    public var platform: Platform { .lineworks }
    /// The bot id, part of every message path.
    public let botID: String
    /// The bot secret, and during a rotation the previous one too.
    private let botSecrets: [SymmetricKey]

    public init(botID: String, botSecret: String, previousBotSecret: String? = nil) {
        self.botID = botID
        self.botSecrets = ([botSecret] + [previousBotSecret].compactMap(\.self)).map { SymmetricKey(data: Array($0.utf8)) }
    }

    // MARK: - Inbound

    public func verify(headers: [String: String], body: [UInt8], now: Date) throws(VerificationError) {
        let signature = try Headers.require("x-works-signature", in: headers)
        try WebhookSignature.verifyBase64(signature, body: body, keys: botSecrets)
    }

    public func parse(body: [UInt8], headers: [String: String], receivedAt: Date) throws(ParseError) -> ParsedWebhook {
        let event = try JSONValue.parseObject(body)
        // LINE WORKS has no event id and never redelivers; the digest of the exact bytes still
        // dedupes a request a proxy might replay.
        let eventID = Hex.encode(SHA256.hash(data: body))
        guard let source = event["source"] else { throw .missingField("source") }
        let userID = source.text("userId") ?? ""
        let key: ConversationKey
        if let channelID = source.text("channelId") {
            key = .lineWorksChannel(channelID: channelID)
        } else if !userID.isEmpty {
            key = .lineWorksUser(userID: userID)
        } else {
            throw .missingField("source.userId")
        }

        func make(_ kind: InboundEvent.Kind) -> ParsedWebhook {
            .events([InboundEvent(platform: .lineworks, eventID: eventID, conversationKey: key, userID: userID, kind: kind)])
        }

        switch event["type"]?.string {
        case "message":
            let content = event["content"]
            // A tap on a button template's message action arrives as a message with a postback.
            if let postback = content?.text("postback") { return make(.button(action: postback)) }
            guard content?["type"]?.string == "text", let text = content?.text("text") else {
                return make(.ignored(reason: "unsupported message type"))
            }
            return make(.text(text))
        case "postback":
            guard let data = event.text("data") else { return make(.ignored(reason: "postback without data")) }
            return make(.button(action: data))
        case "join", "joined":
            return make(.joined)
        default:
            return make(.ignored(reason: "unsupported event type"))
        }
    }

    // MARK: - Outbound

    public func render(_ reply: Reply, to conversation: ConversationKey, replyToken: ReplyToken?, idempotencyKey: String,
                       now: Date) throws(RenderError) -> [OutboundRequest] {
        let path: String
        switch conversation {
        case let .lineWorksUser(userID):
            path = "/bots/\(pathSegment(botID))/users/\(pathSegment(userID))/messages"
        case let .lineWorksChannel(channelID):
            path = "/bots/\(pathSegment(botID))/channels/\(pathSegment(channelID))/messages"
        default:
            throw .wrongPlatform(expected: .lineworks, got: conversation.platform)
        }
        guard !reply.text.isEmpty else { throw .emptyText }
        let actions = try actions(reply.buttons)
        let useTemplate = !actions.isEmpty && actions.count <= Self.buttonTemplateLimit
        // LINE WORKS shows text as written: the articles' Markdown markers are taken out.
        let text = InlineMarkdown.plain(reply.text)
        let parts = useTemplate
            ? TextSplitter.split(text, limit: Self.textLimit, lastLimit: Self.buttonTextLimit, measure: .utf16)
            : TextSplitter.split(text, limit: Self.textLimit, measure: .utf16)
        return parts.enumerated().map { index, part in
            let isLast = index == parts.count - 1
            let content: JSONValue
            if isLast, useTemplate {
                content = ["type": "button_template", "contentText": .string(part), "actions": .array(actions)]
            } else if isLast, !actions.isEmpty {
                content = ["type": "text", "text": .string(part),
                           "quickReply": ["items": .array(actions.map { ["action": $0] })]]
            } else {
                content = ["type": "text", "text": .string(part)]
            }
            return .json(.lineworks, path: path, operation: "messages", body: ["content": content])
        }
    }

    private func actions(_ buttons: [ReplyButton]) throws(RenderError) -> [JSONValue] {
        guard buttons.count <= Self.quickReplyLimit else {
            throw .tooManyButtons(count: buttons.count, limit: Self.quickReplyLimit)
        }
        var actions: [JSONValue] = []
        for button in buttons {
            let length = button.action.utf16.count
            guard length > 0, length <= Self.postbackLimit else {
                throw .actionTooLong(action: button.action, length: length, limit: Self.postbackLimit)
            }
            let label = TextSplitter.truncate(button.label.isEmpty ? button.action : button.label, limit: Self.labelLimit)
            // A message action posts the label as the user's message (a readable transcript) and
            // delivers the action in `content.postback`.
            actions.append(["type": "message", "label": .string(label), "text": .string(label),
                            "postback": .string(button.action)])
        }
        return actions
    }
}
