import FirstLineCore
import Foundation

/// Telegram Bot API webhooks and `sendMessage` (messengers.md §2).
public struct TelegramAdapter: MessengerAdapter {
    /// `sendMessage` text limit, in UTF-16 code units (Telegram's "characters").
    public static let textLimit = 4096
    /// `callback_data` limit, in bytes.
    public static let callbackDataLimit = 64
    /// Buttons on one inline keyboard.
    public static let buttonLimit = 100

    public var platform: Platform { .telegram }
    /// The secret token, and during a rotation the previous one too.
    private let secretTokens: [WebhookSignature.SharedSecret]
    /// The agents' group: there the bot reads only replies to its own posts (agents answering a
    /// ticket), never the agents' other chatter.
    public let agentChat: Int64?

    /// - Parameter secretToken: the `secret_token` given to `setWebhook`.
    public init(secretToken: String, previousSecretToken: String? = nil, agentChat: Int64? = nil) {
        self.secretTokens = ([secretToken] + [previousSecretToken].compactMap(\.self)).map(WebhookSignature.SharedSecret.init)
        self.agentChat = agentChat
    }

    // MARK: - Inbound

    public func verify(headers: [String: String], body: [UInt8], now: Date) throws(VerificationError) {
        // Telegram signs nothing: the secret token header is the whole proof, so it is compared in
        // constant time.
        let presented = try Headers.require("x-telegram-bot-api-secret-token", in: headers)
        guard secretTokens.map({ $0.matches(presented) }).contains(true) else { throw .signatureMismatch }
    }

    public func parse(body: [UInt8], headers: [String: String], receivedAt: Date) throws(ParseError) -> ParsedWebhook {
        let update = try JSONValue.parseObject(body)
        guard let updateField = update["update_id"] else { throw .missingField("update_id") }
        guard let updateID = updateField.int64 else { throw .unexpectedValue(field: "update_id") }
        let eventID = String(updateID)

        if let message = update["message"] {
            return .events([try parseMessage(message, eventID: eventID)])
        }
        if let query = update["callback_query"] {
            return .events([try parseCallback(query, eventID: eventID)])
        }
        if let change = update["my_chat_member"] {
            return .events([try parseMembership(change, eventID: eventID)])
        }
        // edited_message, channel_post, inline queries…: not conversation input. Kept as an ignored
        // event when it names a chat, so it is still deduplicated and logged.
        let chat = (update["edited_message"] ?? update["channel_post"] ?? update["edited_channel_post"])?["chat"]
        guard let chatID = chat?["id"]?.int64 else { return .events([]) }
        return .events([InboundEvent(platform: .telegram, eventID: eventID, conversationKey: .telegram(chatID: chatID),
                                     userID: "", kind: .ignored(reason: "unsupported update type"))])
    }

    private func chatID(of message: JSONValue, field: String) throws(ParseError) -> Int64 {
        guard let chat = message["chat"] else { throw .missingField("\(field).chat") }
        guard let id = chat["id"]?.int64 else { throw .missingField("\(field).chat.id") }
        return id
    }

    private static func user(_ from: JSONValue?) -> (id: String, name: String?, isBot: Bool) {
        let id = from?["id"]?.int64.map(String.init) ?? ""
        let name = [from?.text("first_name"), from?.text("last_name")].compactMap(\.self).joined(separator: " ")
        return (id, name.isEmpty ? from?.text("username") : name, from?["is_bot"]?.bool ?? false)
    }

    private func parseMessage(_ message: JSONValue, eventID: String) throws(ParseError) -> InboundEvent {
        let chat = try chatID(of: message, field: "message")
        let key = ConversationKey.telegram(chatID: chat)
        let from = Self.user(message["from"])
        let repliesTo = message["reply_to_message"]?["message_id"]?.int64.map(String.init)
        func make(_ kind: InboundEvent.Kind) -> InboundEvent {
            InboundEvent(platform: .telegram, eventID: eventID, conversationKey: key, userID: from.id,
                         displayName: from.name, kind: kind, repliesTo: chat == agentChat ? repliesTo : nil)
        }
        if from.isBot { return make(.ignored(reason: "message from a bot")) }
        guard let text = message.text("text") else { return make(.ignored(reason: "message without text")) }
        if chat == agentChat, repliesTo == nil { return make(.ignored(reason: "agents' group message that answers no post")) }
        // "/start" (possibly "/start <payload>" or "/start@BotName") is what the client sends when the
        // user opens the bot: a join, not a question.
        let command = text.split(separator: " ", maxSplits: 1).first.map { $0.split(separator: "@").first ?? $0 }
        if command == "/start" { return make(.joined) }
        return make(.text(text))
    }

    private func parseCallback(_ query: JSONValue, eventID: String) throws(ParseError) -> InboundEvent {
        guard let queryID = query.text("id") else { throw .missingField("callback_query.id") }
        let from = Self.user(query["from"])
        // Buttons on inline-mode messages have no `message`; answer the user privately then.
        let chat = query["message"]?["chat"]?["id"]?.int64 ?? query["from"]?["id"]?.int64
        guard let chat else { throw .missingField("callback_query.message.chat.id") }
        let kind: InboundEvent.Kind = query.text("data").map { .button(action: $0) }
            ?? .ignored(reason: "callback without data")
        return InboundEvent(platform: .telegram, eventID: eventID, conversationKey: .telegram(chatID: chat),
                            userID: from.id, displayName: from.name, kind: kind, callbackQueryID: queryID)
    }

    private func parseMembership(_ change: JSONValue, eventID: String) throws(ParseError) -> InboundEvent {
        let key = ConversationKey.telegram(chatID: try chatID(of: change, field: "my_chat_member"))
        let from = Self.user(change["from"])
        let status = change["new_chat_member"]?["status"]?.string
        // The bot itself was added to a group (or unblocked in a private chat).
        let kind: InboundEvent.Kind = status == "member" || status == "administrator"
            ? .joined : .ignored(reason: "bot removed or restricted")
        return InboundEvent(platform: .telegram, eventID: eventID, conversationKey: key, userID: from.id,
                            displayName: from.name, kind: kind)
    }

    // MARK: - Outbound

    public func render(_ reply: Reply, to conversation: ConversationKey, replyToken: ReplyToken?, idempotencyKey: String,
                       now: Date) throws(RenderError) -> [OutboundRequest] {
        guard case let .telegram(chatID) = conversation else {
            throw .wrongPlatform(expected: .telegram, got: conversation.platform)
        }
        guard !reply.text.isEmpty else { throw .emptyText }
        let keyboard = try inlineKeyboard(reply.buttons)
        let parts = TextSplitter.split(InlineMarkdown.plain(reply.text), limit: Self.textLimit, measure: .utf16)
        return parts.enumerated().map { index, part in
            // Plain text (no parse_mode), so article text needs no escaping and cannot fail to parse.
            var body: [String: JSONValue] = ["chat_id": .int(chatID), "text": .string(part)]
            if index == parts.count - 1, let keyboard { body["reply_markup"] = ["inline_keyboard": keyboard] }
            return .json(.telegram, path: "/sendMessage", operation: "sendMessage", body: .object(body))
        }
    }

    private func inlineKeyboard(_ buttons: [ReplyButton]) throws(RenderError) -> JSONValue? {
        guard !buttons.isEmpty else { return nil }
        guard buttons.count <= Self.buttonLimit else { throw .tooManyButtons(count: buttons.count, limit: Self.buttonLimit) }
        var cells: [JSONValue] = []
        for button in buttons {
            let bytes = button.action.utf8.count
            guard bytes >= 1, bytes <= Self.callbackDataLimit else {
                throw .actionTooLong(action: button.action, length: bytes, limit: Self.callbackDataLimit)
            }
            cells.append(["text": .string(button.label.isEmpty ? button.action : button.label),
                          "callback_data": .string(button.action)])
        }
        // Short labels (ratings, yes/no) share a row; article titles get a row each so they stay readable.
        let compact = buttons.allSatisfy { $0.label.count <= 8 }
        let perRow = compact ? 5 : 1
        let rows = stride(from: 0, to: cells.count, by: perRow).map { JSONValue.array(Array(cells[$0..<min($0 + perRow, cells.count)])) }
        return .array(rows)
    }

    /// `answerCallbackQuery` for a button press, without a toast: the reply itself follows as a message.
    public func acknowledgement(for event: InboundEvent) -> OutboundRequest? {
        guard event.platform == .telegram, let queryID = event.callbackQueryID else { return nil }
        return .json(.telegram, path: "/answerCallbackQuery", operation: "answerCallbackQuery",
                     body: ["callback_query_id": .string(queryID)])
    }
}
