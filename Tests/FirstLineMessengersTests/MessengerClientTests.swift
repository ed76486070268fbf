import AsyncHTTPClient
import FirstLineCore
import FirstLineMessengers
import FirstLineTestSupport
import Foundation
import Testing

/// The client against the fake platform API: what is sent, and how each answer is classified.
@Suite struct MessengerClientTests {
    let slackKey = ConversationKey.slack(channel: "D01TEST", threadTS: nil)
    let reply = Reply(text: "VPN 클라이언트를 다시 시작해 보세요.", buttons: articleButtons)

    func render(_ setup: FakeSetup, _ key: ConversationKey, replyToken: ReplyToken? = nil, idempotencyKey: String = "k",
                now: Date = vectorEpoch) throws -> [OutboundRequest] {
        try setup.adapter(key.platform).render(reply, to: key, replyToken: replyToken, idempotencyKey: idempotencyKey, now: now)
    }

    @Test func slackSuccess() async throws {
        try await FakeSetup.with { setup in
            let request = try render(setup, slackKey)[0]
            let outcome = await setup.client.send(request)
            guard case let .delivered(delivered) = outcome else { Issue.record("\(outcome)"); return }
            #expect(delivered.status == 200)
            #expect(delivered.messageID?.contains(".") == true)
            let calls = await setup.fake.calls
            try #require(calls.count == 1)
            #expect(calls[0].path == "/chat.postMessage")
            #expect(calls[0].method == "POST")
            #expect(calls[0].headers["authorization"] == "Bearer \(FakeSetup.slackToken)")
            #expect(calls[0].headers["content-type"] == "application/json; charset=utf-8")
            #expect(calls[0].body == request.body)
        }
    }

    @Test func slackRateLimitCarriesRetryAfter() async throws {
        try await FakeSetup.with { setup in
            await setup.fake.failNext(.rateLimited(retryAfter: 7))
            let outcome = await setup.client.send(try render(setup, slackKey)[0])
            #expect(outcome == .rateLimited(.init(status: 429, reason: "ratelimited", retryAfter: 7)))
            #expect(outcome.retryAfter == 7)
            // The failure was for one call only.
            let next = try render(setup, slackKey)[0]
            #expect(await setup.client.send(next).isDelivered)
        }
    }

    @Test(arguments: [500, 502, 503, 504])
    func serverErrorsAreRetryable(_ status: Int) async throws {
        try await FakeSetup.with { setup in
            await setup.fake.failNext(.serverError(status: status))
            let outcome = await setup.client.send(try render(setup, slackKey)[0])
            guard case let .retryable(failure) = outcome else { Issue.record("\(outcome)"); return }
            #expect(failure.status == status)
        }
    }

    @Test func slackErrorsArePermanentUnlessSlackIsAtFault() async throws {
        try await FakeSetup.with { setup in
            await setup.fake.failNext(.slackError("channel_not_found"))
            let request = try render(setup, slackKey)[0]
            #expect(await setup.client.send(request) == .permanent(.init(status: 200, reason: "channel_not_found")))
            await setup.fake.failNext(.slackError("internal_error"))
            #expect(await setup.client.send(request) == .retryable(.init(status: 200, reason: "internal_error")))
        }
    }

    @Test func telegramSendAndAnswerCallback() async throws {
        try await FakeSetup.with { setup in
            let outcome = await setup.client.send(try render(setup, .telegram(chatID: 123456))[0])
            guard case let .delivered(delivered) = outcome else { Issue.record("\(outcome)"); return }
            #expect(delivered.messageID != nil)

            let event = InboundEvent(platform: .telegram, eventID: "1", conversationKey: .telegram(chatID: 123456),
                                     userID: "123456", kind: .button(action: "human"), callbackQueryID: "cbq-1")
            let ack = try #require(setup.adapter(.telegram).acknowledgement(for: event))
            #expect(await setup.client.send(ack).isDelivered)

            let calls = await setup.fake.calls
            #expect(calls.map(\.path) == ["/bot\(FakeSetup.telegramToken)/sendMessage",
                                          "/bot\(FakeSetup.telegramToken)/answerCallbackQuery"])
            #expect(calls[0].headers["authorization"] == nil)
        }
    }

    @Test func telegramRetryAfterComesFromTheBody() async throws {
        try await FakeSetup.with { setup in
            await setup.fake.failNext(.rateLimited(retryAfter: 5))
            let outcome = await setup.client.send(try render(setup, .telegram(chatID: 123456))[0])
            #expect(outcome == .rateLimited(.init(status: 429, reason: "Too Many Requests: retry after 5", retryAfter: 5)))
        }
    }

    @Test(arguments: [400, 403])
    func telegramClientErrorsArePermanent(_ status: Int) async throws {
        try await FakeSetup.with { setup in
            await setup.fake.failNext(.status(status))
            let outcome = await setup.client.send(try render(setup, .telegram(chatID: 123456))[0])
            guard case let .permanent(failure) = outcome else { Issue.record("\(outcome)"); return }
            #expect(failure.status == status)
            #expect(failure.reason.hasPrefix(status == 400 ? "Bad Request" : "Forbidden"))
            #expect(!failure.reason.contains(FakeSetup.telegramToken))
        }
    }

    @Test func lineRetriedPushIsAcceptedOnce() async throws {
        try await FakeSetup.with { setup in
            let push = try render(setup, .line(to: "U1"), idempotencyKey: "line:01HTEST:1")[0]
            #expect(push.path == "/v2/bot/message/push")
            #expect(await setup.client.send(push).isDelivered)
            // A retry after a lost response: same key, LINE answers 409, which is a delivery.
            let again = try render(setup, .line(to: "U1"), idempotencyKey: "line:01HTEST:1")[0]
            #expect(await setup.client.send(again) == .delivered(.init(status: 409, duplicate: true)))
            let calls = await setup.fake.calls
            #expect(calls.count == 2)
            #expect(calls[0].headers["x-line-retry-key"] == calls[1].headers["x-line-retry-key"])
            #expect(calls[0].headers["authorization"] == "Bearer \(FakeSetup.lineToken)")
        }
    }

    @Test func lineInvalidReplyTokenFallsBackToPush() async throws {
        try await FakeSetup.with { setup in
            let token = ReplyToken(value: "rt-1", issuedAt: vectorEpoch)
            let replyRequest = try render(setup, .line(to: "U1"), replyToken: token)[0]
            #expect(replyRequest.path == "/v2/bot/message/reply")
            await setup.fake.failNext(.status(400))
            let outcome = await setup.client.send(replyRequest)
            #expect(outcome == .permanent(.init(status: 400, reason: "Invalid reply token")))
            #expect(LineAdapter.isInvalidReplyToken(outcome))
            let push = try render(setup, .line(to: "U1"), replyToken: nil)[0]
            #expect(await setup.client.send(push).isDelivered)
        }
    }

    @Test func timeoutIsRetryable() async throws {
        try await FakeSetup.with(timeout: .milliseconds(300)) { setup in
            await setup.fake.failNext(.slow(seconds: 1.5))
            let outcome = await setup.client.send(try render(setup, slackKey)[0])
            guard case let .retryable(failure) = outcome else { Issue.record("\(outcome)"); return }
            #expect(failure.status == nil)
        }
    }

    @Test func downIsRetryableAndRecoversOnTheSamePort() async throws {
        // AHC keeps retrying a refused connection until the deadline: keep the timeout short.
        try await FakeSetup.with(timeout: .seconds(5)) { setup in
            await setup.fake.stop()
            let outcome = await setup.client.send(try render(setup, .telegram(chatID: 1))[0])
            guard case let .retryable(failure) = outcome else { Issue.record("\(outcome)"); return }
            #expect(failure.status == nil)
            #expect(!failure.reason.contains(FakeSetup.telegramToken))
            let url = try await setup.fake.start()
            #expect(url == setup.url)
            let again = try render(setup, .telegram(chatID: 1))[0]
            #expect(await setup.client.send(again).isDelivered)
        }
    }

    @Test func unconfiguredPlatformIsPermanent() async throws {
        let client = MessengerClient(configuration: MessengerConfiguration(), httpClient: .shared, lineWorksTokens: nil,
                                     logger: quietLogger)
        let request = try TelegramAdapter(secretToken: "s").render(Reply(text: "x"), to: .telegram(chatID: 1),
                                                                   replyToken: nil, idempotencyKey: "k", now: vectorEpoch)[0]
        #expect(await client.send(request) == .permanent(.init(status: nil, reason: "telegram is not configured")))
    }

    @Test func lineWorksSendUsesOneCachedToken() async throws {
        try await FakeSetup.with { setup in
            let user = try render(setup, .lineWorksUser(userID: "u-1"))[0]
            let channel = try render(setup, .lineWorksChannel(channelID: "ch-1"))[0]
            #expect(await setup.client.send(user) == .delivered(.init(status: 201)))
            #expect(await setup.client.send(channel) == .delivered(.init(status: 201)))
            let calls = await setup.fake.calls
            #expect(calls.map(\.path) == ["/oauth2/v2.0/token", "/bots/2000001/users/u-1/messages",
                                          "/bots/2000001/channels/ch-1/messages"])
            #expect(calls[1].headers["authorization"] == "Bearer fake-lineworks-token-1")
        }
    }
}
