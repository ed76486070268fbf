import Crypto
import FirstLineCore
import Foundation

/// Slack Events API and interactivity (messengers.md §1).
///
/// One adapter serves both webhook routes: `/webhooks/slack/events` (JSON) and
/// `/webhooks/slack/actions` (form body `payload=<JSON>`); `parse` tells them apart.
public struct SlackAdapter: MessengerAdapter {
    /// Requests older or newer than this are rejected as replays (Slack SDK's check).
    public static let replayWindow: TimeInterval = 300
    /// A section block's text limit.
    public static let sectionLimit = 3000
    /// Sections per message: 10 × 3000 stays under the 40,000-character message limit and far
    /// under the 50-block limit, leaving room for the actions block.
    public static let sectionsPerMessage = 10
    /// Elements per actions block.
    public static let buttonLimit = 25
    /// Button label and `value` limits.
    public static let buttonLabelLimit = 75
    public static let buttonValueLimit = 2000

    public var platform: Platform { .slack }
    /// The bot's own user id (from `auth.test`), if known: messages from it are ignored, and a
    /// `member_joined_channel` for it becomes `.joined`.
    public let botUserID: String?
    /// The agents' channel: thread replies there are read (agents answering a ticket post) even
    /// without a mention, unlike every other channel message.
    public let agentChannel: String?
    /// The signing secret, and during a rotation the previous one too: a request signed with either verifies.
    private let signingKeys: [SymmetricKey]

    public init(signingSecret: String, previousSigningSecret: String? = nil, botUserID: String? = nil, agentChannel: String? = nil) {
        self.signingKeys = ([signingSecret] + [previousSigningSecret].compactMap(\.self)).map { SymmetricKey(data: Array($0.utf8)) }
        self.botUserID = botUserID
        self.agentChannel = agentChannel
    }

    // MARK: - Inbound

    public func verify(headers: [String: String], body: [UInt8], now: Date) throws(VerificationError) {
        let signature = try Headers.require("x-slack-signature", in: headers)
        let timestamp = try Headers.require("x-slack-request-timestamp", in: headers)
        guard let seconds = Int64(timestamp) else { throw .malformedTimestamp }
        guard signature.hasPrefix("v0="), let mac = Hex.decode(signature.dropFirst(3)), mac.count == SHA256.byteCount
        else { throw .malformedSignature }
        let signed = Array("v0:\(timestamp):".utf8) + body
        // Every key is tried (no early exit), each comparison in constant time.
        let matches = signingKeys.map { HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: signed, using: $0) }
        guard matches.contains(true) else { throw .signatureMismatch }
        // Checked after the MAC, so "stale" always means an authentic request that is too old or
        // from the future: a replay or a skewed clock, worth telling apart in the logs.
        let skew = now.timeIntervalSince1970 - TimeInterval(seconds)
        guard abs(skew) <= Self.replayWindow else { throw .staleTimestamp(skewSeconds: Int(skew.rounded())) }
    }

    public func parse(body: [UInt8], headers: [String: String], receivedAt: Date) throws(ParseError) -> ParsedWebhook {
        let isRetry = Headers.value("x-slack-retry-num", in: headers) != nil
        if Self.isFormBody(body, headers: headers) {
            return try parseInteraction(body, isRetry: isRetry)
        }
        let root = try JSONValue.parseObject(body)
        switch root["type"]?.string {
        case "url_verification":
            guard let challenge = root["challenge"]?.string else { throw .missingField("challenge") }
            return .handshake(challenge: challenge)
        case "event_callback":
            guard let eventID = root.text("event_id") else { throw .missingField("event_id") }
            guard let event = root["event"], case .object = event else { throw .missingField("event") }
            return .events([parseEvent(event, eventID: eventID, isRetry: isRetry)])
        default:
            // app_rate_limited and future envelope types: nothing to act on, but acknowledge.
            return .events([])
        }
    }

    private static func isFormBody(_ body: [UInt8], headers: [String: String]) -> Bool {
        if let type = Headers.value("content-type", in: headers)?.lowercased() {
            if type.hasPrefix("application/x-www-form-urlencoded") { return true }
            if type.hasPrefix("application/json") { return false }
        }
        return body.starts(with: Array("payload=".utf8))
    }

    private func parseEvent(_ event: JSONValue, eventID: String, isRetry: Bool) -> InboundEvent {
        let type = event["type"]?.string ?? ""
        // `channel` and `user` are strings in message events but objects in some others: read
        // them leniently and let the event type decide what matters.
        let channel = event["channel"]?.string ?? ""
        let user = event["user"]?.string ?? ""
        let profile = event["user_profile"]
        let displayName = profile?.text("display_name") ?? profile?.text("real_name")

        func make(_ key: ConversationKey, _ kind: InboundEvent.Kind) -> InboundEvent {
            InboundEvent(platform: .slack, eventID: eventID, conversationKey: key, userID: user,
                         displayName: displayName, kind: kind, isRetry: isRetry)
        }

        switch type {
        case "message", "app_mention":
            let threadTS = event.text("thread_ts")
            let isDirect = event["channel_type"]?.string == "im"
            // In a DM the bot answers at the top level (or in the thread the user chose); in a
            // channel it answers in a thread under the mention, so each mention is a conversation.
            let key = ConversationKey.slack(channel: channel, threadTS: isDirect ? threadTS : threadTS ?? event.text("ts"))
            if let reason = ownMessageReason(event, user: user) { return make(key, .ignored(reason: reason)) }
            if type == "message", !isDirect, let agentChannel, channel == agentChannel,
               let threadTS, threadTS != event.text("ts") {
                // A reply in a thread of the agents' channel: an agent answering a ticket post.
                let text = event["text"]?.string ?? ""
                guard !text.isEmpty else { return make(key, .ignored(reason: "message without text")) }
                return make(key, .text(text))
            }
            if type == "message", !isDirect {
                // Channel mentions also arrive as app_mention (with another event_id): answering
                // only that one avoids double answers and replying to every channel message.
                return make(key, .ignored(reason: "channel message without mention"))
            }
            let text = type == "app_mention" ? Self.strippingLeadingMentions(event["text"]?.string ?? "")
                : event["text"]?.string ?? ""
            guard !text.isEmpty else { return make(key, .ignored(reason: "message without text")) }
            return make(key, .text(text))
        case "member_joined_channel":
            let key = ConversationKey.slack(channel: channel, threadTS: nil)
            guard let botUserID, user == botUserID else { return make(key, .ignored(reason: "another member joined")) }
            return make(key, .joined)
        default:
            return make(.slack(channel: channel, threadTS: nil), .ignored(reason: "unsupported event type"))
        }
    }

    /// Why a message event is the bot's own (or another bot's, or an edit): answering those loops.
    private func ownMessageReason(_ event: JSONValue, user: String) -> String? {
        if event["bot_id"]?.string != nil { return "message from a bot" }
        if event["subtype"]?.string != nil { return "message with a subtype" }
        if let botUserID, user == botUserID { return "the bot's own message" }
        return nil
    }

    /// `<@U123> VPN` → `VPN`: the mention that addressed the bot is not part of the question.
    static func strippingLeadingMentions(_ text: String) -> String {
        var rest = Substring(text)
        while true {
            let trimmed = rest.drop(while: \.isWhitespace)
            guard trimmed.hasPrefix("<@"), let close = trimmed.firstIndex(of: ">") else {
                return String(trimmed)
            }
            rest = trimmed[trimmed.index(after: close)...]
        }
    }

    private func parseInteraction(_ body: [UInt8], isRetry: Bool) throws(ParseError) -> ParsedWebhook {
        guard let payloadText = FormEncoding.value(of: "payload", in: body) else { throw .malformedForm }
        let payload = try JSONValue.parseObject(Array(payloadText.utf8))
        // View submissions, shortcuts… are not used by FirstLine: acknowledge and drop.
        guard payload["type"]?.string == "block_actions" else { return .events([]) }
        guard let userID = payload["user"]?.text("id") else { throw .missingField("user.id") }
        // Actions on an App Home view have no channel to answer in.
        guard let channel = payload["channel"]?.text("id") ?? payload["container"]?.text("channel_id") else {
            return .events([])
        }
        let threadTS = payload["container"]?.text("thread_ts") ?? payload["message"]?.text("thread_ts")
        let key = ConversationKey.slack(channel: channel, threadTS: threadTS)
        let user = payload["user"]
        let displayName = user?.text("name") ?? user?.text("username")
        let actions = payload["actions"]?.array ?? []
        return .events(actions.enumerated().map { index, action in
            // Slack does not retry interactivity, but agents double-click: (user, action_ts) is
            // the idempotency key messengers.md §1 gives.
            let actionTS = action.text("action_ts") ?? payload.text("trigger_id") ?? "unknown"
            let eventID = "action:\(userID):\(actionTS)" + (index == 0 ? "" : ":\(index)")
            let kind: InboundEvent.Kind = action.text("value").map { .button(action: $0) }
                ?? .ignored(reason: "action without value")
            return InboundEvent(platform: .slack, eventID: eventID, conversationKey: key, userID: userID,
                                displayName: displayName, kind: kind, isRetry: isRetry)
        })
    }

    // MARK: - Outbound

    /// Counts a grapheme as Slack will after escaping (`&` → `&amp;`, `<` → `&lt;`, `>` → `&gt;`),
    /// in UTF-16 units: Slack's documentation says "characters" without a unit, and UTF-16 is the
    /// largest of the plausible counts, so parts fit whichever Slack uses.
    static let escapedMeasure = TextMeasure { character in
        switch character {
        case "&": 5
        case "<", ">": 4
        default: character.utf16.count
        }
    }

    /// Escapes the three characters Slack's mrkdwn reserves, so article text shows as written.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;")
            .replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    /// An article's Markdown as Slack mrkdwn: `**bold**` → `*bold*`, `` `code` `` stays,
    /// `[text](url)` → `<url|text>`; everything else escaped as written.
    static func mrkdwn(_ text: String) -> String {
        InlineMarkdown.spans(text).map { span in
            switch span {
            case let .text(text): escape(text)
            case let .bold(text): "*\(escape(text))*"
            case let .code(text): "`\(escape(text))`"
            case let .link(text, url): "<\(url.replacingOccurrences(of: "|", with: "%7C"))|\(escape(text))>"
            }
        }.joined()
    }

    public func render(_ reply: Reply, to conversation: ConversationKey, replyToken: ReplyToken?, idempotencyKey: String,
                       now: Date) throws(RenderError) -> [OutboundRequest] {
        guard case let .slack(channel, threadTS) = conversation else {
            throw .wrongPlatform(expected: .slack, got: conversation.platform)
        }
        let actions = try actionsBlock(reply.buttons)
        let sections = try sectionTexts(reply.text)
        let messages = stride(from: 0, to: sections.count, by: Self.sectionsPerMessage).map {
            Array(sections[$0..<min($0 + Self.sectionsPerMessage, sections.count)])
        }
        return messages.enumerated().map { index, sectionGroup in
            var blocks = sectionGroup.map(Self.sectionBlock)
            if index == messages.count - 1, let actions { blocks.append(actions) }
            var body: [String: JSONValue] = [
                "channel": .string(channel),
                // Shown in notifications and by clients without Block Kit.
                "text": .string(Self.mrkdwn(sectionGroup[0])),
                "blocks": .array(blocks),
            ]
            if let threadTS { body["thread_ts"] = .string(threadTS) }
            // The outbox key travels with the message, so a send interrupted by a crash can be looked up in the
            // conversation's history (`outboxLookup`) instead of being posted a second time.
            body["metadata"] = Self.metadata(idempotencyKey: idempotencyKey, part: index)
            return .json(.slack, path: "/chat.postMessage", operation: "chat.postMessage", body: .object(body))
        }
    }

    // MARK: - Finding a message sent before a crash

    /// The `metadata.event_type` of every message FirstLine posts.
    public static let metadataEventType = "firstline_outbox"
    /// How far before the row's creation the history is read: Slack's clock and ours may differ a little.
    public static let lookupClockMargin: TimeInterval = 60

    static func metadata(idempotencyKey: String, part: Int) -> JSONValue {
        ["event_type": .string(metadataEventType),
         "event_payload": ["key": .string(idempotencyKey), "part": .int(Int64(part))]]
    }

    /// The history request that shows whether part `part` of the outbox row `idempotencyKey` reached the
    /// conversation: `conversations.history` for a channel or DM, `conversations.replies` for a thread (thread
    /// replies are not in the channel's history), with `include_all_metadata`, from `since` (the row's creation,
    /// less a margin for clock skew) on.
    public func outboxLookup(to conversation: ConversationKey, since: Date) throws(RenderError) -> OutboundRequest {
        guard case let .slack(channel, threadTS) = conversation else {
            throw .wrongPlatform(expected: .slack, got: conversation.platform)
        }
        let oldest = String(format: "%.6f", max(0, since.timeIntervalSince1970 - Self.lookupClockMargin))
        var fields = [("channel", channel)]
        if let threadTS { fields.append(("ts", threadTS)) }
        fields += [("oldest", oldest), ("include_all_metadata", "true"), ("limit", "200")]
        let method = threadTS == nil ? "conversations.history" : "conversations.replies"
        return OutboundRequest(platform: .slack, path: "/" + method,
                               headers: ["Content-Type": "application/x-www-form-urlencoded"],
                               body: Array(FormEncoding.encode(fields).utf8), operation: method)
    }

    /// What a history answer says about part `part` of the row `idempotencyKey`: `.found(ts)` when a message
    /// carries its metadata, `.absent` when the answer lists none (and is complete), `.undecidable` when Slack
    /// refused (`ok:false`) or there are more pages than one request reads, `.unknown` for an unreadable answer.
    public static func findOutboxMessage(in body: [UInt8], idempotencyKey: String, part: Int) -> OutboxLookup {
        guard let root = try? JSONValue.parseObject(body) else { return .unknown }
        guard root["ok"]?.bool == true, let messages = root["messages"]?.array else {
            return .undecidable(reason: root.text("error") ?? "no messages in the answer")
        }
        for message in messages {
            guard let metadata = message["metadata"], metadata["event_type"]?.string == metadataEventType,
                  let payload = metadata["event_payload"],
                  payload["key"]?.string == idempotencyKey, payload["part"]?.int64 == Int64(part)
            else { continue }
            return .found(messageID: message.text("ts"))
        }
        return root["has_more"]?.bool == true ? .undecidable(reason: "more messages since than one page") : .absent
    }

    /// A `chat.update` replacing a message the bot posted (for example to remove the buttons after
    /// a click). Only the first 10 sections of a long text fit in one message; the rest is dropped.
    public func renderUpdate(_ reply: Reply, channel: String, messageTS: String) throws(RenderError) -> OutboundRequest {
        let sections = Array(try sectionTexts(reply.text).prefix(Self.sectionsPerMessage))
        var blocks = sections.map(Self.sectionBlock)
        if let actions = try actionsBlock(reply.buttons) { blocks.append(actions) }
        let body: JSONValue = [
            "channel": .string(channel), "ts": .string(messageTS),
            "text": .string(Self.mrkdwn(sections[0])), "blocks": .array(blocks),
        ]
        return .json(.slack, path: "/chat.update", operation: "chat.update", body: body)
    }

    private func sectionTexts(_ text: String) throws(RenderError) -> [String] {
        guard !text.isEmpty else { throw .emptyText }
        return TextSplitter.split(text, limit: Self.sectionLimit, measure: Self.escapedMeasure)
    }

    private static func sectionBlock(_ text: String) -> JSONValue {
        ["type": "section", "text": ["type": "mrkdwn", "text": .string(mrkdwn(text))]]
    }

    private func actionsBlock(_ buttons: [ReplyButton]) throws(RenderError) -> JSONValue? {
        guard !buttons.isEmpty else { return nil }
        guard buttons.count <= Self.buttonLimit else { throw .tooManyButtons(count: buttons.count, limit: Self.buttonLimit) }
        var elements: [JSONValue] = []
        for (index, button) in buttons.enumerated() {
            let length = button.action.utf16.count
            guard length > 0, length <= Self.buttonValueLimit else {
                throw .actionTooLong(action: button.action, length: length, limit: Self.buttonValueLimit)
            }
            let label = button.label.isEmpty ? button.action : button.label
            elements.append([
                "type": "button",
                // Unique within the message, as Slack requires; the action itself is in `value`.
                "action_id": .string("firstline-\(index)"),
                "text": ["type": "plain_text", "emoji": true,
                         "text": .string(TextSplitter.truncate(label, limit: Self.buttonLabelLimit))],
                "value": .string(button.action),
            ])
        }
        return ["type": "actions", "block_id": "firstline-actions", "elements": .array(elements)]
    }
}
