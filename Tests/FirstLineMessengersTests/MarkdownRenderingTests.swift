import FirstLineCore
import FirstLineMessengers
import Foundation
import Testing

/// Issue 16, point 6: the articles' Markdown reaches each messenger in the form it shows.
@Suite struct MarkdownRenderingTests {
    static let article = "1. Press **Win + P** and choose `Duplicate`.\n2. See [the guide](https://wiki.example.com/a?b=1) <now>."

    @Test("Slack gets mrkdwn: *bold*, `code`, <url|text>, the rest escaped")
    func slack() throws {
        let requests = try SlackAdapter(signingSecret: "x").render(
            Reply(text: Self.article), to: .slack(channel: "D1", threadTS: nil), replyToken: nil, idempotencyKey: "k", now: vectorEpoch)
        let request = try #require(requests.first)
        let body = try jsonObject(request.body)
        let blocks = try #require(body["blocks"] as? [[String: Any]])
        let text = try #require((blocks.first?["text"] as? [String: Any])?["text"] as? String)
        #expect(text == "1. Press *Win + P* and choose `Duplicate`.\n2. See <https://wiki.example.com/a?b=1|the guide> &lt;now&gt;.")
    }

    @Test("Telegram and LINE get plain text without markers, the link's address kept")
    func plain() throws {
        let expected = "1. Press Win + P and choose Duplicate.\n2. See the guide (https://wiki.example.com/a?b=1) <now>."
        let telegram = try TelegramAdapter(secretToken: "s").render(
            Reply(text: Self.article), to: .telegram(chatID: 1), replyToken: nil, idempotencyKey: "k", now: vectorEpoch)
        let telegramRequest = try #require(telegram.first)
        #expect(try jsonObject(telegramRequest.body)["text"] as? String == expected)
        let line = try LineAdapter(channelSecret: "s").render(
            Reply(text: Self.article), to: .line(to: "U1"), replyToken: nil, idempotencyKey: "k", now: vectorEpoch)
        let lineRequest = try #require(line.first)
        let messages = try #require(try jsonObject(lineRequest.body)["messages"] as? [[String: Any]])
        #expect(messages.first?["text"] as? String == expected)
    }
}
