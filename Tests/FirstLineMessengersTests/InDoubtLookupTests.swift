import FirstLineCore
import FirstLineTestSupport
import Foundation
import Testing

@testable import FirstLineMessengers

/// Issue 15, point 1: what lets a send interrupted by a crash be settled without a second message. Slack
/// messages carry the outbox key in `metadata`, and the conversation's history (the fake keeps what was
/// posted) tells whether a message is there; LINE pushes carry a retry key derived from the row, and the
/// fake, like the platform, drops a repeat with 409; a reply token is single use.
@Suite struct InDoubtLookupTests {
    let dm = ConversationKey.slack(channel: "D01DOUBT", threadTS: nil)
    let thread = ConversationKey.slack(channel: "C01DOUBT", threadTS: "1700000000.000100")
    let reply = Reply(text: "VPN 클라이언트를 다시 시작해 보세요。パスワードを忘れました? Try again.")

    @Test("a Slack message carries its outbox key and part in metadata, for every part of a split reply")
    func slackMetadata() throws {
        let adapter = SlackAdapter(signingSecret: "s")
        let long = Reply(text: (0..<12).map { "Paragraph \($0) " + String(repeating: "x", count: 2900) }.joined(separator: "\n\n"))
        let requests = try adapter.render(long, to: dm, replyToken: nil, idempotencyKey: "slack:Ev1:1", now: Date())
        #expect(requests.count == 2)
        for (index, request) in requests.enumerated() {
            let body = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
            let metadata = try #require(body["metadata"] as? [String: Any])
            #expect(metadata["event_type"] as? String == "firstline_outbox")
            let payload = try #require(metadata["event_payload"] as? [String: Any])
            #expect(payload["key"] as? String == "slack:Ev1:1")
            #expect(payload["part"] as? Int == index)
        }
    }

    @Test("the lookup reads a DM's history, a thread's replies, with metadata, from a minute before the row")
    func lookupRequests() throws {
        let adapter = SlackAdapter(signingSecret: "s")
        let created = Date(timeIntervalSince1970: 1_800_000_000)
        let history = try adapter.outboxLookup(to: dm, since: created)
        #expect(history.path == "/conversations.history")
        let text = String(decoding: history.body, as: UTF8.self)
        #expect(text.contains("channel=D01DOUBT"))
        #expect(text.contains("include_all_metadata=true"))
        #expect(text.contains("oldest=1799999940.000000"))
        let replies = try adapter.outboxLookup(to: thread, since: created)
        #expect(replies.path == "/conversations.replies")
        #expect(String(decoding: replies.body, as: UTF8.self).contains("ts=1700000000.000100"))
        #expect(throws: RenderError.self) { try adapter.outboxLookup(to: .telegram(chatID: 1), since: created) }
    }

    @Test("reading a history answer: found with its ts, absent, or unknown when it cannot tell")
    func readingHistory() {
        let found = Array(#"""
            {"ok":true,"has_more":false,"messages":[{"ts":"2.0","metadata":{"event_type":"firstline_outbox",
             "event_payload":{"key":"k","part":1}}},{"ts":"1.0","metadata":{"event_type":"firstline_outbox",
             "event_payload":{"key":"k","part":0}}}]}
            """#.utf8)
        #expect(SlackAdapter.findOutboxMessage(in: found, idempotencyKey: "k", part: 0) == .found(messageID: "1.0"))
        #expect(SlackAdapter.findOutboxMessage(in: found, idempotencyKey: "k", part: 1) == .found(messageID: "2.0"))
        #expect(SlackAdapter.findOutboxMessage(in: found, idempotencyKey: "other", part: 0) == .absent)
        let more = Array(#"{"ok":true,"has_more":true,"messages":[]}"#.utf8)
        #expect(SlackAdapter.findOutboxMessage(in: more, idempotencyKey: "k", part: 0)
            == .undecidable(reason: "more messages since than one page"))
        let error = Array(#"{"ok":false,"error":"missing_scope"}"#.utf8)
        #expect(SlackAdapter.findOutboxMessage(in: error, idempotencyKey: "k", part: 0) == .undecidable(reason: "missing_scope"))
        #expect(SlackAdapter.findOutboxMessage(in: Array("not json".utf8), idempotencyKey: "k", part: 0) == .unknown)
    }

    @Test("against the fake: a posted message is found in the DM's history and in a thread's replies, another is not")
    func lookupAgainstTheFake() async throws {
        try await FakeSetup.with { setup in
            let slack = SlackAdapter(signingSecret: "s")
            let since = Date()
            for key in [dm, thread] {
                let request = try slack.render(reply, to: key, replyToken: nil, idempotencyKey: "slack:Ev9:1", now: since)[0]
                #expect(await setup.client.send(request).isDelivered)
                let lookup = try slack.outboxLookup(to: key, since: since)
                let there = await setup.client.lookUpSlackMessage(lookup, idempotencyKey: "slack:Ev9:1", part: 0)
                guard case .found(.some) = there else { Issue.record("\(key): \(there)"); continue }
                #expect(await setup.client.lookUpSlackMessage(lookup, idempotencyKey: "slack:Ev9:2", part: 0) == .absent)
            }
            // A history the platform cannot give (an outage) cannot tell
            await setup.fake.failAll(.serverError())
            let lookup = try slack.outboxLookup(to: dm, since: since)
            #expect(await setup.client.lookUpSlackMessage(lookup, idempotencyKey: "slack:Ev9:1", part: 0) == .unknown)
            await setup.fake.failAll(nil)
            // A lookup Slack refuses (the app lacks im:history) will not tell however often it is asked
            await setup.fake.failNext(.slackError("missing_scope"), pathContaining: "conversations.history")
            #expect(await setup.client.lookUpSlackMessage(lookup, idempotencyKey: "slack:Ev9:1", part: 0)
                == .undecidable(reason: "missing_scope"))
            #expect(await setup.fake.accepted.count == 2, "lookups deliver nothing")
        }
    }

    @Test("LINE: a push sent again with the same row's key is dropped by the platform (409) and counts as delivered")
    func lineRetryKey() async throws {
        try await FakeSetup.with { setup in
            let line = LineAdapter(channelSecret: "s")
            let first = try line.render(reply, to: .line(to: "U1"), replyToken: nil, idempotencyKey: "line:e1:1", now: Date())[0]
            let again = try line.render(reply, to: .line(to: "U1"), replyToken: nil, idempotencyKey: "line:e1:1", now: Date())[0]
            #expect(first.retryKey != nil && first.retryKey == again.retryKey, "derived from the row, stable")
            #expect(first.headers["X-Line-Retry-Key"] == first.retryKey)
            #expect(await setup.client.send(first).isDelivered)
            guard case let .delivered(repeatOutcome) = await setup.client.send(again) else { Issue.record("not delivered"); return }
            #expect(repeatOutcome.status == 409 && repeatOutcome.duplicate)
            #expect(await setup.fake.accepted.count == 1, "the employee saw it once")
        }
    }

    @Test("LINE: a reply token used once is refused the second time (400 Invalid reply token)")
    func replyTokenSingleUse() async throws {
        try await FakeSetup.with { setup in
            let line = LineAdapter(channelSecret: "s")
            let token = ReplyToken(value: "rt-once", issuedAt: Date())
            let request = try line.render(reply, to: .line(to: "U1"), replyToken: token, idempotencyKey: "line:e2:1", now: Date())[0]
            #expect(request.path == "/v2/bot/message/reply")
            #expect(await setup.client.send(request).isDelivered)
            let second = await setup.client.send(request)
            #expect(LineAdapter.isInvalidReplyToken(second), "\(second)")
            #expect(await setup.fake.accepted.count == 1)
        }
    }

    @Test("a refused connection certainly delivered nothing; a timeout may have")
    func transportDoubt() async throws {
        try await FakeSetup.with(timeout: .milliseconds(500)) { setup in
            let slack = SlackAdapter(signingSecret: "s")
            let request = try slack.render(reply, to: dm, replyToken: nil, idempotencyKey: "k", now: Date())[0]
            await setup.fake.failNext(.slow(seconds: 2))
            guard case let .retryable(slow) = await setup.client.send(request) else { Issue.record("no timeout"); return }
            #expect(slow.status == nil && slow.mayHaveArrived)
            await setup.fake.stop()
            guard case let .retryable(refused) = await setup.client.send(request) else { Issue.record("not refused"); return }
            #expect(refused.status == nil && !refused.mayHaveArrived, "\(refused.reason)")
            _ = try await setup.fake.start()
        }
    }
}
