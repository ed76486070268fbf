import FirstLineCore
import FirstLineMessengers
import Foundation
import Testing

let articleButtons = [
    ReplyButton(action: .solved(articleID: "vpn-reset"), label: "해결됐어요"),
    ReplyButton(action: .stillBroken(articleID: "vpn-reset"), label: "아직 안 돼요"),
    ReplyButton(action: .talkToPerson, label: "담당자와 이야기하기"),
]

@Suite struct SlackRenderingTests {
    let adapter = SlackAdapter(signingSecret: "x")

    @Test func replyWithButtonsIsBlockKit() throws {
        let reply = Reply(text: "VPN 클라이언트를 다시 시작해 보세요 & <재부팅>", buttons: articleButtons)
        let requests = try adapter.render(reply, to: .slack(channel: "D01TEST", threadTS: nil), replyToken: nil,
                                          idempotencyKey: "slack:Ev01TEST:1", now: vectorEpoch)
        try #require(requests.count == 1)
        let request = requests[0]
        #expect(request.path == "/chat.postMessage")
        #expect(request.method == "POST")
        #expect(request.headers["Content-Type"] == "application/json; charset=utf-8")
        #expect(request.headers["Authorization"] == nil)
        let body = try jsonObject(request.body)
        #expect(body["channel"] as? String == "D01TEST")
        #expect(body["thread_ts"] == nil)
        let blocks = try #require(body["blocks"] as? [[String: Any]])
        try #require(blocks.count == 2)
        let section = try #require(blocks[0]["text"] as? [String: Any])
        #expect(blocks[0]["type"] as? String == "section")
        #expect(section["type"] as? String == "mrkdwn")
        #expect(section["text"] as? String == "VPN 클라이언트를 다시 시작해 보세요 &amp; &lt;재부팅&gt;")
        #expect(blocks[1]["type"] as? String == "actions")
        let elements = try #require(blocks[1]["elements"] as? [[String: Any]])
        #expect(elements.compactMap { $0["value"] as? String } == ["solved:vpn-reset", "broken:vpn-reset", "human"])
        let actionIDs = elements.compactMap { $0["action_id"] as? String }
        #expect(Set(actionIDs).count == 3)
        #expect(elements.compactMap { ($0["text"] as? [String: Any])?["text"] as? String }
            == ["해결됐어요", "아직 안 돼요", "담당자와 이야기하기"])
    }

    @Test func threadedConversationPostsInTheThread() throws {
        let requests = try adapter.render(Reply(text: "ok"), to: .slack(channel: "C01HELP", threadTS: "1700000100.000200"),
                                          replyToken: nil, idempotencyKey: "k", now: vectorEpoch)
        #expect(try jsonObject(requests[0].body)["thread_ts"] as? String == "1700000100.000200")
    }

    @Test func longJapaneseTextIsSplitIntoSectionsAndMessages() throws {
        // 36,000 UTF-16 units with escapable characters: > 10 sections, so two messages.
        let unit = "プリンタの電源を切って、30秒待ってから入れ直してください。A&B <確認>\n"
        let text = String(repeating: unit, count: 36_000 / unit.utf16.count + 1)
        let requests = try adapter.render(Reply(text: text, buttons: articleButtons), to: .slack(channel: "D01", threadTS: nil),
                                          replyToken: nil, idempotencyKey: "k", now: vectorEpoch)
        #expect(requests.count == 2)
        var sections: [String] = []
        for (index, request) in requests.enumerated() {
            let blocks = try #require(try jsonObject(request.body)["blocks"] as? [[String: Any]])
            let hasActions = blocks.contains { $0["type"] as? String == "actions" }
            #expect(hasActions == (index == requests.count - 1), "buttons only on the last message")
            #expect(blocks.count <= 50)
            for block in blocks where block["type"] as? String == "section" {
                let escaped = try #require((block["text"] as? [String: Any])?["text"] as? String)
                #expect(escaped.utf16.count <= SlackAdapter.sectionLimit)
                sections.append(slackUnescape(escaped))
            }
            let fallback = try #require(try jsonObject(request.body)["text"] as? String)
            #expect(fallback.utf16.count <= 4000)
        }
        #expect(sections.joined() == text)
    }

    @Test func updateReplacesAMessage() throws {
        let request = try adapter.renderUpdate(Reply(text: "Claimed by Ken"), channel: "C01AGENTS", messageTS: "1700000001.000200")
        #expect(request.path == "/chat.update")
        let body = try jsonObject(request.body)
        #expect(body["ts"] as? String == "1700000001.000200")
        #expect(body["channel"] as? String == "C01AGENTS")
    }
}

@Suite struct TelegramRenderingTests {
    let adapter = TelegramAdapter(secretToken: "s")

    @Test func replyWithButtonsIsAnInlineKeyboard() throws {
        let reply = Reply(text: "プリンタの電源を入れ直してください。", buttons: [
            ReplyButton(action: .solved(articleID: "printer-jam"), label: "解決"),
            ReplyButton(action: .stillBroken(articleID: "printer-jam"), label: "まだ動かない"),
        ])
        let requests = try adapter.render(reply, to: .telegram(chatID: 123456), replyToken: nil, idempotencyKey: "k",
                                          now: vectorEpoch)
        try #require(requests.count == 1)
        #expect(requests[0].path == "/sendMessage")
        let body = try jsonObject(requests[0].body)
        #expect(body["chat_id"] as? Int == 123456)
        #expect(body["text"] as? String == "プリンタの電源を入れ直してください。")
        let keyboard = try #require((body["reply_markup"] as? [String: Any])?["inline_keyboard"] as? [[[String: Any]]])
        #expect(keyboard.flatMap { $0 }.compactMap { $0["callback_data"] as? String }
            == ["solved:printer-jam", "broken:printer-jam"])
        #expect(keyboard.flatMap { $0 }.compactMap { $0["text"] as? String } == ["解決", "まだ動かない"])
    }

    @Test func ratingButtonsShareARow() throws {
        let buttons = (1...5).map { ReplyButton(action: .rate($0), label: String(repeating: "★", count: $0)) }
        let requests = try adapter.render(Reply(text: "평가해 주세요", buttons: buttons), to: .telegram(chatID: 1),
                                          replyToken: nil, idempotencyKey: "k", now: vectorEpoch)
        let keyboard = try #require((try jsonObject(requests[0].body)["reply_markup"] as? [String: Any])?["inline_keyboard"] as? [[Any]])
        #expect(keyboard.count == 1)
        #expect(keyboard[0].count == 5)
    }

    @Test func callbackDataOverSixtyFourBytesFailsClearly() throws {
        // 7 + 60 = 67 bytes; a Hangul id would be 3 bytes a character.
        let longID = String(repeating: "a", count: 60)
        let reply = Reply(text: "x", buttons: [ReplyButton(action: .choose(articleID: longID), label: "long")])
        #expect(throws: RenderError.actionTooLong(action: "choose:\(longID)", length: 67, limit: 64)) {
            try adapter.render(reply, to: .telegram(chatID: 1), replyToken: nil, idempotencyKey: "k", now: vectorEpoch)
        }
        let fits = Reply(text: "x", buttons: [ReplyButton(action: .choose(articleID: String(repeating: "a", count: 57)), label: "ok")])
        _ = try adapter.render(fits, to: .telegram(chatID: 1), replyToken: nil, idempotencyKey: "k", now: vectorEpoch)
    }

    @Test func longKoreanTextWithEmojiSplitsAt4096UTF16Units() throws {
        let unit = "VPN이 안 되면 먼저 네트워크 연결을 확인하세요 👍🏽 그다음 클라이언트를 재시작합니다. 👨‍👩‍👧‍👦🇰🇷 "
        let text = String(repeating: unit, count: 12_000 / unit.utf16.count + 1)
        let requests = try adapter.render(Reply(text: text, buttons: articleButtons), to: .telegram(chatID: 1),
                                          replyToken: nil, idempotencyKey: "k", now: vectorEpoch)
        #expect(requests.count >= 3)
        var parts: [String] = []
        for (index, request) in requests.enumerated() {
            let body = try jsonObject(request.body)
            let part = try #require(body["text"] as? String)
            #expect(part.utf16.count <= 4096)
            #expect((body["reply_markup"] != nil) == (index == requests.count - 1))
            parts.append(part)
        }
        #expect(parts.joined() == text)
        #expect(parts.flatMap { Array($0) } == Array(text), "no grapheme was cut")
    }
}

@Suite struct LineRenderingTests {
    let adapter = LineAdapter(channelSecret: "s")
    let user = ConversationKey.line(to: "U11111111111111111111111111111111")

    @Test func freshTokenRepliesWithQuickReplies() throws {
        let token = ReplyToken(value: "rt-1", issuedAt: vectorEpoch)
        let reply = Reply(text: "パスワードの再設定はこちら", buttons: [
            ReplyButton(action: .solved(articleID: "password-reset"), label: "解決しました"),
            ReplyButton(action: .talkToPerson, label: "担当者につなぐ、少し長めのラベルです、ほんとうに長い"),
        ])
        let requests = try adapter.render(reply, to: user, replyToken: token, idempotencyKey: "line:01HTEST:1",
                                          now: vectorEpoch.addingTimeInterval(10))
        try #require(requests.count == 1)
        #expect(requests[0].path == "/v2/bot/message/reply")
        #expect(requests[0].retryKey == nil)
        let body = try jsonObject(requests[0].body)
        #expect(body["replyToken"] as? String == "rt-1")
        let messages = try #require(body["messages"] as? [[String: Any]])
        #expect(messages.count == 1)
        #expect(messages[0]["text"] as? String == "パスワードの再設定はこちら")
        let items = try #require((messages[0]["quickReply"] as? [String: Any])?["items"] as? [[String: Any]])
        let actions = items.compactMap { $0["action"] as? [String: Any] }
        #expect(actions.compactMap { $0["type"] as? String } == ["postback", "postback"])
        #expect(actions.compactMap { $0["data"] as? String } == ["solved:password-reset", "human"])
        let labels = actions.compactMap { $0["label"] as? String }
        #expect(labels[0] == "解決しました")
        #expect(labels[1].utf16.count <= 20)
        #expect(labels[1].hasSuffix("…"))
        #expect(labels[1].hasPrefix("担当者につなぐ"))
        #expect(actions[1]["displayText"] as? String == "担当者につなぐ、少し長めのラベルです、ほんとうに長い")
    }

    @Test func staleOrMissingTokenPushesWithADeterministicRetryKey() throws {
        let token = ReplyToken(value: "rt-1", issuedAt: vectorEpoch)
        let stale = try adapter.render(Reply(text: "hi"), to: user, replyToken: token, idempotencyKey: "line:01HTEST:1",
                                       now: vectorEpoch.addingTimeInterval(51))
        let none = try adapter.render(Reply(text: "hi"), to: user, replyToken: nil, idempotencyKey: "line:01HTEST:1",
                                      now: vectorEpoch)
        try #require(stale.count == 1)
        #expect(stale[0].path == "/v2/bot/message/push")
        #expect(try jsonObject(stale[0].body)["to"] as? String == "U11111111111111111111111111111111")
        let key = try #require(stale[0].retryKey)
        #expect(stale[0].headers["X-Line-Retry-Key"] == key)
        #expect(UUID(uuidString: key) != nil)
        #expect(Array(key)[14] == "5", "a name-based (v5) UUID")
        // Same outbox key → same retry key, across renders; another key → another retry key.
        #expect(none[0].retryKey == key)
        let other = try adapter.render(Reply(text: "hi"), to: user, replyToken: nil, idempotencyKey: "line:01HTEST:2",
                                       now: vectorEpoch)
        #expect(other[0].retryKey != key)
    }

    @Test func longTextUsesReplyForTheFirstFiveMessagesThenPush() throws {
        let unit = "パスワードを忘れた場合は、ポータルの「再設定」から手続きしてください。😀😃😄\n\n"
        let text = String(repeating: unit, count: 30_000 / unit.utf16.count + 1)
        let requests = try adapter.render(Reply(text: text, buttons: articleButtons), to: user,
                                          replyToken: ReplyToken(value: "rt-9", issuedAt: vectorEpoch),
                                          idempotencyKey: "k", now: vectorEpoch)
        try #require(requests.count == 2)
        #expect(requests[0].path == "/v2/bot/message/reply")
        #expect(requests[1].path == "/v2/bot/message/push")
        var texts: [String] = []
        var quickReplies = 0
        for request in requests {
            let messages = try #require(try jsonObject(request.body)["messages"] as? [[String: Any]])
            #expect(messages.count <= 5)
            for message in messages {
                let part = try #require(message["text"] as? String)
                #expect(part.utf16.count <= 5000)
                texts.append(part)
                if message["quickReply"] != nil { quickReplies += 1 }
            }
        }
        #expect(texts.count == 7)
        #expect(texts.joined() == text)
        #expect(quickReplies == 1)
        let lastMessages = try #require(try jsonObject(requests[1].body)["messages"] as? [[String: Any]])
        #expect(lastMessages.last?["quickReply"] != nil)
    }

    @Test func tooManyButtonsFail() {
        let buttons = (0..<14).map { ReplyButton(action: .choose(articleID: "a\($0)"), label: "\($0)") }
        #expect(throws: RenderError.tooManyButtons(count: 14, limit: 13)) {
            try adapter.render(Reply(text: "x", buttons: buttons), to: user, replyToken: nil, idempotencyKey: "k", now: vectorEpoch)
        }
    }
}

@Suite struct LineWorksRenderingTests {
    let adapter = LineWorksAdapter(botID: "2000001", botSecret: "s")

    @Test func buttonsBecomeAButtonTemplate() throws {
        let requests = try adapter.render(Reply(text: "経費精算はポータルから申請します。", buttons: articleButtons),
                                          to: .lineWorksUser(userID: "u-1"), replyToken: nil, idempotencyKey: "k",
                                          now: vectorEpoch)
        try #require(requests.count == 1)
        #expect(requests[0].path == "/bots/2000001/users/u-1/messages")
        let content = try #require(try jsonObject(requests[0].body)["content"] as? [String: Any])
        #expect(content["type"] as? String == "button_template")
        #expect(content["contentText"] as? String == "経費精算はポータルから申請します。")
        let actions = try #require(content["actions"] as? [[String: Any]])
        #expect(actions.compactMap { $0["postback"] as? String } == ["solved:vpn-reset", "broken:vpn-reset", "human"])
        #expect(actions.allSatisfy { $0["type"] as? String == "message" })
        #expect(actions.allSatisfy { (($0["label"] as? String)?.utf16.count ?? 99) <= 20 })
    }

    @Test func channelPathAndPlainText() throws {
        let requests = try adapter.render(Reply(text: "안녕하세요"), to: .lineWorksChannel(channelID: "ch-8f2b1e"),
                                          replyToken: nil, idempotencyKey: "k", now: vectorEpoch)
        #expect(requests[0].path == "/bots/2000001/channels/ch-8f2b1e/messages")
        let content = try #require(try jsonObject(requests[0].body)["content"] as? [String: Any])
        #expect(content["type"] as? String == "text")
        #expect(content["text"] as? String == "안녕하세요")
    }

    @Test func elevenButtonsUseQuickReplies() throws {
        let buttons = (0..<11).map { ReplyButton(action: .choose(articleID: "a\($0)"), label: "記事 \($0)") }
        let requests = try adapter.render(Reply(text: "どれですか?", buttons: buttons), to: .lineWorksUser(userID: "u-1"),
                                          replyToken: nil, idempotencyKey: "k", now: vectorEpoch)
        let content = try #require(try jsonObject(requests[0].body)["content"] as? [String: Any])
        #expect(content["type"] as? String == "text")
        let items = try #require((content["quickReply"] as? [String: Any])?["items"] as? [[String: Any]])
        #expect(items.count == 11)
    }

    @Test func longTextKeepsTheTemplatePartShort() throws {
        let unit = "経費精算の方法: 領収書を撮影し、申請フォームに添付します。😀 "
        let text = String(repeating: unit, count: 4500 / unit.utf16.count + 1)
        let requests = try adapter.render(Reply(text: text, buttons: articleButtons), to: .lineWorksUser(userID: "u-1"),
                                          replyToken: nil, idempotencyKey: "k", now: vectorEpoch)
        var parts: [String] = []
        for (index, request) in requests.enumerated() {
            let content = try #require(try jsonObject(request.body)["content"] as? [String: Any])
            let isLast = index == requests.count - 1
            #expect((content["type"] as? String == "button_template") == isLast)
            let part = try #require((content["contentText"] ?? content["text"]) as? String)
            #expect(part.utf16.count <= (isLast ? 1000 : 2000))
            parts.append(part)
        }
        #expect(parts.joined() == text)
    }
}

@Suite struct RenderErrorTests {
    @Test func wrongPlatformAndEmptyText() {
        let adapters: [any MessengerAdapter] = [
            SlackAdapter(signingSecret: "s"), TelegramAdapter(secretToken: "s"), LineAdapter(channelSecret: "s"),
            LineWorksAdapter(botID: "b", botSecret: "s"),
        ]
        let keys: [Platform: ConversationKey] = [
            .slack: .slack(channel: "D1", threadTS: nil), .telegram: .telegram(chatID: 1), .line: .line(to: "U1"),
            .lineworks: .lineWorksUser(userID: "u"),
        ]
        for adapter in adapters {
            let foreign: ConversationKey = adapter.platform == .telegram ? .line(to: "U1") : .telegram(chatID: 1)
            #expect(throws: RenderError.wrongPlatform(expected: adapter.platform, got: foreign.platform)) {
                try adapter.render(Reply(text: "x"), to: foreign, replyToken: nil, idempotencyKey: "k", now: vectorEpoch)
            }
            #expect(throws: RenderError.emptyText) {
                try adapter.render(Reply(text: ""), to: keys[adapter.platform]!, replyToken: nil, idempotencyKey: "k",
                                   now: vectorEpoch)
            }
        }
    }
}
