import Crypto
import FirstLineCore
import FirstLineMessengers
import Foundation
import Testing

/// Recorded-shape payloads per platform: text, button, join, the bot's own messages, retries.
@Suite struct SlackParsingTests {
    let adapter = SlackAdapter(signingSecret: "test_signing_secret", botUserID: "U0BOT")
    let json = ["content-type": "application/json"]

    @Test func directMessageIsText() throws {
        let event = try singleEvent(adapter.parse(body: bytes(Fixtures.slackDirectMessage), headers: json, receivedAt: vectorEpoch))
        #expect(event == InboundEvent(platform: .slack, eventID: "Ev01TEST",
                                      conversationKey: .slack(channel: "D01TEST", threadTS: nil), userID: "U01TEST",
                                      displayName: "minji", kind: .text("VPN이 안 돼요")))
    }

    @Test func vectorBodyParsesWithoutContentType() throws {
        let event = try singleEvent(adapter.parse(body: bytes(Fixtures.slackVectorBody), headers: [:], receivedAt: vectorEpoch))
        #expect(event.kind == .text("VPN이 안 돼요"))
        #expect(event.eventID == "Ev01TEST")
    }

    @Test func retryHeaderMarksRetry() throws {
        var headers = json
        headers["x-slack-retry-num"] = "1"
        headers["x-slack-retry-reason"] = "http_timeout"
        let event = try singleEvent(adapter.parse(body: bytes(Fixtures.slackDirectMessage), headers: headers, receivedAt: vectorEpoch))
        #expect(event.isRetry)
        // Same event id as the first delivery, so the inbox drops it.
        #expect(event.eventID == "Ev01TEST")
        let first = try singleEvent(adapter.parse(body: bytes(Fixtures.slackDirectMessage), headers: json, receivedAt: vectorEpoch))
        #expect(!first.isRetry)
    }

    @Test func mentionIsAnsweredInAThreadWithoutTheMention() throws {
        let event = try singleEvent(adapter.parse(body: bytes(Fixtures.slackAppMention), headers: json, receivedAt: vectorEpoch))
        #expect(event.kind == .text("プリンタが動かない"))
        #expect(event.conversationKey == .slack(channel: "C01HELP", threadTS: "1700000100.000200"))
        #expect(event.userID == "U02EMP")

        let inThread = try singleEvent(adapter.parse(body: bytes(Fixtures.slackThreadMention), headers: json, receivedAt: vectorEpoch))
        #expect(inThread.kind == .text("still broken"))
        // A mention inside the thread stays in the same conversation.
        #expect(inThread.conversationKey == event.conversationKey)
    }

    @Test func channelCopyOfAMentionIsIgnored() throws {
        let event = try singleEvent(adapter.parse(body: bytes(Fixtures.slackChannelMessage), headers: json, receivedAt: vectorEpoch))
        #expect(event.kind == .ignored(reason: "channel message without mention"))
        #expect(!event.isActionable)
    }

    @Test(arguments: [
        (Fixtures.slackBotMessage, "message from a bot"),
        (Fixtures.slackOwnUserMessage, "the bot's own message"),
        (Fixtures.slackMessageChanged, "message with a subtype"),
    ])
    func botsOwnMessagesAndEditsAreIgnored(_ body: String, _ reason: String) throws {
        let event = try singleEvent(adapter.parse(body: bytes(body), headers: json, receivedAt: vectorEpoch))
        #expect(event.kind == .ignored(reason: reason))
    }

    @Test func ownUserMessageIsTextWhenTheBotUserIsUnknown() throws {
        // Without auth.test's user id only bot_id/subtype can tell; documents why botUserID matters.
        let unaware = SlackAdapter(signingSecret: "x")
        let event = try singleEvent(unaware.parse(body: bytes(Fixtures.slackOwnUserMessage), headers: json, receivedAt: vectorEpoch))
        #expect(event.kind == .text("Did this solve it?"))
    }

    @Test func botAddedToChannelIsJoin() throws {
        let event = try singleEvent(adapter.parse(body: bytes(Fixtures.slackBotJoined), headers: json, receivedAt: vectorEpoch))
        #expect(event.kind == .joined)
        #expect(event.conversationKey == .slack(channel: "C01HELP", threadTS: nil))
    }

    @Test func urlVerificationIsAHandshake() throws {
        let parsed = try adapter.parse(body: bytes(Fixtures.slackURLVerification), headers: json, receivedAt: vectorEpoch)
        #expect(parsed == .handshake(challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"))
    }

    @Test func blockActionIsAButton() throws {
        let body = slackFormBody(payload: Fixtures.slackBlockActions)
        // Interactivity bodies are verified as sent, form encoding included.
        let signature = slackSignature(secret: "test_signing_secret", timestamp: "1700000060", body: body)
        try adapter.verify(headers: ["x-slack-signature": signature, "x-slack-request-timestamp": "1700000060"], body: body,
                           now: vectorEpoch.addingTimeInterval(60))

        let headers = ["content-type": "application/x-www-form-urlencoded"]
        let event = try singleEvent(adapter.parse(body: body, headers: headers, receivedAt: vectorEpoch))
        #expect(event == InboundEvent(platform: .slack, eventID: "action:U01TEST:1700000060.123456",
                                      conversationKey: .slack(channel: "D01TEST", threadTS: nil), userID: "U01TEST",
                                      displayName: "minji", kind: .button(action: "solved:vpn-reset")))
    }

    @Test func blockActionInAThreadKeepsTheThread() throws {
        let event = try singleEvent(adapter.parse(body: slackFormBody(payload: Fixtures.slackThreadBlockActions),
                                                  headers: [:], receivedAt: vectorEpoch))
        #expect(event.kind == .button(action: "human"))
        #expect(event.conversationKey == .slack(channel: "C01HELP", threadTS: "1700000100.000200"))
    }

    @Test func malformedBodies() {
        #expect(throws: ParseError.notJSON) {
            try adapter.parse(body: bytes("{\"type\":"), headers: json, receivedAt: vectorEpoch)
        }
        #expect(throws: ParseError.missingField("event_id")) {
            try adapter.parse(body: bytes(#"{"type":"event_callback","event":{}}"#), headers: json, receivedAt: vectorEpoch)
        }
        #expect(throws: ParseError.malformedForm) {
            try adapter.parse(body: bytes("token=abc"), headers: ["content-type": "application/x-www-form-urlencoded"],
                              receivedAt: vectorEpoch)
        }
        #expect(throws: ParseError.notJSON) {
            try adapter.parse(body: bytes("payload=%7Bnope"), headers: [:], receivedAt: vectorEpoch)
        }
    }

    @Test func rateLimitNoticeHasNoEvents() throws {
        let body = bytes(#"{"token":"x","type":"app_rate_limited","team_id":"T01TEAM","minute_rate_limited":1518467820,"api_app_id":"A01APP"}"#)
        #expect(try adapter.parse(body: body, headers: json, receivedAt: vectorEpoch) == .events([]))
    }
}

@Suite struct TelegramParsingTests {
    let adapter = TelegramAdapter(secretToken: "secret")

    @Test func textMessage() throws {
        let event = try singleEvent(adapter.parse(body: bytes(Fixtures.telegramText), headers: [:], receivedAt: vectorEpoch))
        #expect(event == InboundEvent(platform: .telegram, eventID: "100000001", conversationKey: .telegram(chatID: 123456),
                                      userID: "123456", displayName: "Ken Sato", kind: .text("プリンタが動かない")))
    }

    @Test func startCommandIsJoin() throws {
        let event = try singleEvent(adapter.parse(body: bytes(Fixtures.telegramStart), headers: [:], receivedAt: vectorEpoch))
        #expect(event.kind == .joined)
    }

    @Test func callbackQueryIsAButtonToAcknowledge() throws {
        let event = try singleEvent(adapter.parse(body: bytes(Fixtures.telegramCallback), headers: [:], receivedAt: vectorEpoch))
        #expect(event.kind == .button(action: "solved:printer-jam"))
        #expect(event.eventID == "100000002")
        #expect(event.callbackQueryID == "4382bfdwdsb323b2d9")
        #expect(event.conversationKey == .telegram(chatID: 123456))

        let ack = try #require(adapter.acknowledgement(for: event))
        #expect(ack.path == "/answerCallbackQuery")
        #expect(try jsonObject(ack.body)["callback_query_id"] as? String == "4382bfdwdsb323b2d9")
    }

    @Test func textNeedsNoAcknowledgement() throws {
        let event = try singleEvent(adapter.parse(body: bytes(Fixtures.telegramText), headers: [:], receivedAt: vectorEpoch))
        #expect(adapter.acknowledgement(for: event) == nil)
    }

    @Test func botMessageIsIgnored() throws {
        let event = try singleEvent(adapter.parse(body: bytes(Fixtures.telegramBotMessage), headers: [:], receivedAt: vectorEpoch))
        #expect(event.kind == .ignored(reason: "message from a bot"))
        #expect(event.conversationKey == .telegram(chatID: -1001234567890))
    }

    @Test func addedToGroupIsJoin() throws {
        let event = try singleEvent(adapter.parse(body: bytes(Fixtures.telegramAddedToGroup), headers: [:], receivedAt: vectorEpoch))
        #expect(event.kind == .joined)
        #expect(event.conversationKey == .telegram(chatID: -1001234567890))
    }

    @Test func editIsIgnored() throws {
        let event = try singleEvent(adapter.parse(body: bytes(Fixtures.telegramEdited), headers: [:], receivedAt: vectorEpoch))
        #expect(event.kind == .ignored(reason: "unsupported update type"))
        #expect(event.eventID == "100000005")
    }

    @Test func malformed() {
        #expect(throws: ParseError.missingField("update_id")) {
            try adapter.parse(body: bytes(#"{"message":{}}"#), headers: [:], receivedAt: vectorEpoch)
        }
        #expect(throws: ParseError.unexpectedValue(field: "update_id")) {
            try adapter.parse(body: bytes(#"{"update_id":"x"}"#), headers: [:], receivedAt: vectorEpoch)
        }
        #expect(throws: ParseError.missingField("message.chat")) {
            try adapter.parse(body: bytes(#"{"update_id":1,"message":{"text":"hi"}}"#), headers: [:], receivedAt: vectorEpoch)
        }
    }
}

@Suite struct LineParsingTests {
    let adapter = LineAdapter(channelSecret: "test_channel_secret")

    @Test func textMessageCarriesItsReplyToken() throws {
        let received = vectorEpoch.addingTimeInterval(2)
        let event = try singleEvent(adapter.parse(body: bytes(Fixtures.lineVectorBody), headers: [:], receivedAt: received))
        #expect(event == InboundEvent(
            platform: .line, eventID: "01HTEST", conversationKey: .line(to: "U11111111111111111111111111111111"),
            userID: "U11111111111111111111111111111111", kind: .text("パスワードを忘れました"),
            // LINE's own timestamp is earlier than the receipt: the token's minute counts from it.
            replyToken: ReplyToken(value: "rt-1", issuedAt: vectorEpoch)))
    }

    @Test func postbackIsAButton() throws {
        let event = try singleEvent(adapter.parse(body: bytes(Fixtures.linePostback), headers: [:], receivedAt: vectorEpoch.addingTimeInterval(31)))
        #expect(event.kind == .button(action: "broken:password-reset"))
        #expect(event.replyToken?.value == "rt-2")
    }

    @Test func followIsJoin() throws {
        let event = try singleEvent(adapter.parse(body: bytes(Fixtures.lineFollow), headers: [:], receivedAt: vectorEpoch))
        #expect(event.kind == .joined)
        #expect(event.replyToken?.value == "rt-0")
    }

    @Test func redeliveryIsARetryWithoutReplyToken() throws {
        let event = try singleEvent(adapter.parse(body: bytes(Fixtures.lineRedelivered), headers: [:], receivedAt: vectorEpoch.addingTimeInterval(600)))
        #expect(event.isRetry)
        #expect(event.eventID == "01HTEST")
        #expect(event.replyToken == nil)
    }

    @Test func groupMessageRepliesToTheGroupAndStickersAreIgnored() throws {
        let all = events(try adapter.parse(body: bytes(Fixtures.lineGroupAndSticker), headers: [:], receivedAt: vectorEpoch))
        try #require(all.count == 2)
        #expect(all[0].conversationKey == .line(to: "C22222222222222222222222222222222"))
        #expect(all[0].userID == "U33333333333333333333333333333333")
        #expect(all[0].kind == .text("와이파이 비밀번호 알려주세요"))
        #expect(all[1].kind == .ignored(reason: "unsupported message type"))
        #expect(all[1].replyToken == nil)
    }

    @Test func consoleVerifyHasNoEvents() throws {
        #expect(try adapter.parse(body: bytes(Fixtures.lineVerify), headers: [:], receivedAt: vectorEpoch) == .events([]))
    }

    @Test func eventFromTheBotItselfIsIgnored() throws {
        let body = Fixtures.lineVectorBody.replacingOccurrences(of: "U11111111111111111111111111111111",
                                                                with: "U00000000000000000000000000000000")
        let event = try singleEvent(adapter.parse(body: bytes(body), headers: [:], receivedAt: vectorEpoch))
        #expect(event.kind == .ignored(reason: "the bot's own message"))
    }

    @Test func malformed() {
        #expect(throws: ParseError.missingField("events")) {
            try adapter.parse(body: bytes(#"{"destination":"U0"}"#), headers: [:], receivedAt: vectorEpoch)
        }
        #expect(throws: ParseError.missingField("events[0].webhookEventId")) {
            try adapter.parse(body: bytes(#"{"events":[{"type":"follow","source":{"type":"user","userId":"U1"}}]}"#),
                              headers: [:], receivedAt: vectorEpoch)
        }
        #expect(throws: ParseError.notJSON) {
            try adapter.parse(body: bytes("[]"), headers: [:], receivedAt: vectorEpoch)
        }
    }
}

@Suite struct LineWorksParsingTests {
    let adapter = LineWorksAdapter(botID: "2000001", botSecret: "test_bot_secret")

    @Test func textMessageIsKeyedByTheBodyDigest() throws {
        let body = bytes(Fixtures.lineWorksVectorBody)
        let event = try singleEvent(adapter.parse(body: body, headers: [:], receivedAt: vectorEpoch))
        #expect(event == InboundEvent(platform: .lineworks, eventID: sha256Hex(body),
                                      conversationKey: .lineWorksUser(userID: "u-1"), userID: "u-1",
                                      kind: .text("経費精算の方法は?")))
        #expect(event.eventID.hasPrefix("9eba1428"))
    }

    @Test func buttonTapAndPostbackAreButtons() throws {
        let tap = try singleEvent(adapter.parse(body: bytes(Fixtures.lineWorksButtonTap), headers: [:], receivedAt: vectorEpoch))
        #expect(tap.kind == .button(action: "solved:expense-claims"))
        let postback = try singleEvent(adapter.parse(body: bytes(Fixtures.lineWorksPostback), headers: [:], receivedAt: vectorEpoch))
        #expect(postback.kind == .button(action: "human"))
        #expect(postback.conversationKey == .lineWorksUser(userID: "c72af563-4b5b-4c8e-b0a4-0f2a1e5f3a11"))
    }

    @Test func channelMessageRepliesToTheChannel() throws {
        let event = try singleEvent(adapter.parse(body: bytes(Fixtures.lineWorksChannelText), headers: [:], receivedAt: vectorEpoch))
        #expect(event.conversationKey == .lineWorksChannel(channelID: "ch-8f2b1e"))
        #expect(event.kind == .text("프린터 드라이버 설치"))
    }

    @Test func joinedAndImages() throws {
        let joined = try singleEvent(adapter.parse(body: bytes(Fixtures.lineWorksJoined), headers: [:], receivedAt: vectorEpoch))
        #expect(joined.kind == .joined)
        let image = try singleEvent(adapter.parse(body: bytes(Fixtures.lineWorksImage), headers: [:], receivedAt: vectorEpoch))
        #expect(image.kind == .ignored(reason: "unsupported message type"))
    }

    @Test func malformed() {
        #expect(throws: ParseError.missingField("source")) {
            try adapter.parse(body: bytes(#"{"type":"message"}"#), headers: [:], receivedAt: vectorEpoch)
        }
    }
}

@Suite struct ConversationKeyTests {
    @Test(arguments: [
        ConversationKey.slack(channel: "D01TEST", threadTS: nil),
        .slack(channel: "C01HELP", threadTS: "1700000100.000200"),
        .telegram(chatID: -1001234567890),
        .line(to: "U11111111111111111111111111111111"),
        .lineWorksUser(userID: "c72af563-4b5b-4c8e-b0a4-0f2a1e5f3a11"),
        .lineWorksChannel(channelID: "ch-8f2b1e"),
    ])
    func storageKeyRoundTrips(_ key: ConversationKey) {
        #expect(ConversationKey(storageKey: key.storageKey) == key)
    }

    @Test func storageKeysAreReadable() {
        #expect(ConversationKey.slack(channel: "C1", threadTS: "1.2").storageKey == "slack:C1:1.2")
        #expect(ConversationKey.lineWorksChannel(channelID: "c").storageKey == "lineworks:channel:c")
        for bad in ["", "slack:", "telegram:abc", "lineworks:room:x", "kakao:1", "slack::1"] {
            #expect(ConversationKey(storageKey: bad) == nil, "\(bad)")
        }
    }

    @Test func eventsRoundTripThroughJSON() throws {
        let event = InboundEvent(platform: .line, eventID: "01H", conversationKey: .line(to: "U1"), userID: "U1",
                                 kind: .button(action: "rate:5"), replyToken: ReplyToken(value: "rt", issuedAt: vectorEpoch),
                                 isRetry: true)
        let data = try JSONEncoder().encode(event)
        #expect(try JSONDecoder().decode(InboundEvent.self, from: data) == event)
    }
}
