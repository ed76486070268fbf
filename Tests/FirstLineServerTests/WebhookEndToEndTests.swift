import FirstLineCore
import FirstLineMessengers
import FirstLineServer
import FirstLineTestSupport
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

@testable import FirstLineStore

/// The first line of an article's body in the shipped knowledge base: what a reply showing it contains.
func articleFirstLine(_ language: String, _ id: String) throws -> String {
    let url = Repository.knowledgeBase.appendingPathComponent(language).appendingPathComponent("\(id).md")
    let text = try String(contentsOf: url, encoding: .utf8)
    let parts = text.components(separatedBy: "\n---\n")
    let body = try #require(parts.count >= 2 ? parts[1] : nil, "no front matter in \(url.path)")
    let line = try #require(body.split(separator: "\n").first.map(String.init), "empty article \(id)")
    // Enough to identify the article without depending on how the reply wraps it.
    return String(line.prefix(30))
}

/// Messenger webhooks end to end: a signed request on a real socket → 200 → inbox → dialogue engine →
/// outbox → the (fake) platform API, with the real composition root and workers.
@Suite("messenger webhooks end to end", .serialized)
struct WebhookEndToEndTests {
    // MARK: Slack

    @Test("Slack: a DM gets the VPN article with buttons, Still broken leads to a ticket")
    func slackJourneyToTicket() async throws {
        try await WebhookWorld.with { world in
            let client = world.client
            var eventCounter = 0
            var sent = 0  // postMessage calls seen so far

            /// Sends one request, requires a quick 200, and returns the messages it caused.
            func step(_ send: () async throws -> TestResponse) async throws -> [SlackPost] {
                let started = ContinuousClock.now
                let response = try await send()
                #expect(response.status == .ok, "\(String(buffer: response.body))")
                #expect(ContinuousClock.now - started < .seconds(3), "Slack wants the ack within 3 s")
                try await world.settle()
                let calls = try await world.calls("chat.postMessage", atLeast: sent + 1)
                defer { sent = calls.count }
                return calls[sent...].map(SlackPost.init)
            }
            func say(_ text: String) async throws -> [SlackPost] {
                eventCounter += 1
                let body = WebhookSigning.slackDM(eventID: "Ev\(eventCounter)E2E", text: text,
                                                  ts: "1700000000.00010\(eventCounter)")
                return try await step { try await client.slack("events", body: body) }
            }
            func press(_ value: String) async throws -> [SlackPost] {
                eventCounter += 1
                let body = WebhookSigning.slackButton(value: value, actionTS: "1700000060.00000\(eventCounter)")
                return try await step { try await client.slack("actions", body: body, form: true) }
            }

            var posts = try await say("VPN이 안 돼요")
            if let choose = posts.last?.buttons.first(where: { $0 == "choose:vpn-connect" }) {
                posts = try await press(choose)
            }
            let shown = try #require(posts.last)
            #expect(shown.channel == "D01E2E")
            #expect(shown.text.contains(try articleFirstLine("ko", "vpn-connect")), "\(shown.text)")
            for value in ["solved:vpn-connect", "broken:vpn-connect", "human"] {
                #expect(shown.buttons.contains(value), "\(shown.buttons)")
            }

            // Still broken on every article, answer what is asked, until a ticket number is posted.
            var ticket: String?
            posts = try await press("broken:vpn-connect")
            for _ in 0..<10 {
                if let number = posts.lazy.flatMap({ ticketNumbers(in: $0.text) }).first {
                    ticket = number
                    break
                }
                let buttons = posts.last(where: { !$0.buttons.isEmpty })?.buttons ?? []
                if let broken = buttons.first(where: { $0.hasPrefix("broken:") }) {
                    posts = try await press(broken)
                } else if buttons.contains("blocks:yes") {
                    posts = try await press("blocks:yes")
                } else {
                    posts = try await say("재택근무 중에 회사 VPN 연결이 계속 실패해요")
                }
            }
            let number = try #require(ticket, "no ticket number was posted")
            let all = await world.fake.calls(pathContaining: "chat.postMessage").map(SlackPost.init)
            #expect(!all.contains { $0.text.contains("{{") }, "an unresolved placeholder was posted")
            let stored = try #require(try await world.database.ticket(number: number))
            #expect(stored.channel == .slack)
            // Every Slack call was authenticated with the bot token.
            #expect(await world.fake.calls.allSatisfy { $0.headers["authorization"] == "Bearer \(WebhookSigning.slackToken)" })
        }
    }

    @Test("Slack: a retried delivery (X-Slack-Retry-Num) is acknowledged, stored once and answered once")
    func slackRetryIsDeduplicated() async throws {
        try await WebhookWorld.with { world in
            let body = WebhookSigning.slackDM(eventID: "EvDUPE", text: "VPN이 안 돼요", ts: "1700000000.000900")
            #expect(try await world.client.slack("events", body: body).status == .ok)
            #expect(try await world.client.slack("events", body: body, retry: 1).status == .ok)
            try await world.settle()
            #expect(try await world.inboxCount() == 1)
            let rows = try await world.outboxRows()
            #expect(!rows.isEmpty)
            #expect(rows.allSatisfy { $0.idempotencyKey.hasPrefix("slack:EvDUPE:") }, "\(rows.map(\.idempotencyKey))")
            #expect(rows.allSatisfy { $0.status == .sent })
            // A third delivery after the answer went out changes nothing either.
            #expect(try await world.client.slack("events", body: body, retry: 2).status == .ok)
            try await world.settle()
            #expect(try await world.inboxCount() == 1)
            let posts = await world.fake.calls(pathContaining: "chat.postMessage")
            #expect(posts.count == rows.count, "\(posts.count) posts for \(rows.count) replies")
            #expect(posts.count == 1)
        }
    }

    @Test("refusals: 401 bad or stale signature, 400 malformed, 413 too large, 404 not configured; nothing stored")
    func refusalsStoreNothing() async throws {
        try await WebhookWorld.with { world in
            let client = world.client
            let before = try await RowCounts.of(world.database)
            let body = WebhookSigning.slackDM(eventID: "EvBAD", text: "VPN이 안 돼요", ts: "1700000000.000100")

            let forged = WebhookSigning.slack(secret: "not-the-secret", timestamp: String(Int(Date().timeIntervalSince1970)),
                                              body: body)
            expectError(try await client.slack("events", body: body, signature: forged), .unauthorized)
            var tampered = body
            tampered[tampered.count - 3] ^= 0x01
            let ts = String(Int(Date().timeIntervalSince1970))
            expectError(try await client.slack("events", body: tampered, signature: WebhookSigning.slack(timestamp: ts, body: body)),
                        .unauthorized)
            expectError(try await client.slack("events", body: body, timestamp: Date().addingTimeInterval(-301)), .unauthorized)
            expectError(try await client.slack("events", body: body, timestamp: Date().addingTimeInterval(-3600)), .unauthorized)
            var unsigned: HTTPFields = [.contentType: "application/json"]
            unsigned[HTTPField.Name("X-Slack-Request-Timestamp")!] = ts
            expectError(try await client.post("/webhooks/slack/events", body: body, headers: unsigned), .unauthorized)

            expectError(try await client.slack("events", body: Array(#"{"type":"event_callback","event_id":"#.utf8)), .badRequest)
            expectError(try await client.slack("events", body: Array(#"{"type":"event_callback"}"#.utf8)), .badRequest)
            expectError(try await client.slack("actions", body: Array("payload=%7Bnot-json".utf8), form: true), .badRequest)

            let huge = Array(repeating: UInt8(ascii: "a"), count: (1 << 20) + 1)
            expectError(try await client.slack("events", body: huge), .contentTooLarge)

            expectError(try await client.telegram(body: WebhookSigning.telegramText(updateID: 9, text: "hi"), secret: "wrong"),
                        .unauthorized)
            var badLine: HTTPFields = [.contentType: "application/json"]
            badLine[HTTPField.Name("x-line-signature")!] = "AAAA"
            expectError(try await client.post("/webhooks/line", body: WebhookSigning.lineText(eventID: "01BAD", text: "x",
                                                                                               replyToken: "rt"),
                                              headers: badLine), .unauthorized)

            #expect(try await RowCounts.of(world.database) == before)
            #expect(await world.fake.calls.isEmpty)
        }
        // Only Slack configured: the other webhooks do not exist.
        try await WebhookWorld.with(.slackOnly) { world in
            let before = try await RowCounts.of(world.database)
            expectError(try await world.client.telegram(body: WebhookSigning.telegramText(updateID: 1, text: "hi")), .notFound)
            expectError(try await world.client.line(body: WebhookSigning.lineText(eventID: "01X", text: "hi", replyToken: "rt")),
                        .notFound)
            expectError(try await world.client.lineWorks(body: WebhookSigning.lineWorksText(text: "hi")), .notFound)
            #expect(try await RowCounts.of(world.database) == before)
        }
    }

    @Test("Slack url_verification answers the challenge")
    func slackHandshake() async throws {
        try await WebhookWorld.with { world in
            let body = Array(#"{"token":"t","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}"#.utf8)
            let response = try await world.client.slack("events", body: body)
            #expect(response.status == .ok)
            #expect(String(buffer: response.body) == "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P")
            #expect(try await world.inboxCount() == 0)
        }
    }

    // MARK: Telegram

    @Test("Telegram: a question gets an inline keyboard; Still broken is acknowledged and answered")
    func telegramQuestionAndButton() async throws {
        try await WebhookWorld.with { world in
            let client = world.client
            #expect(try await client.telegram(body: WebhookSigning.telegramText(updateID: 500, text: "パスワードを忘れました")).status == .ok)
            try await world.settle()
            var sends = try await world.calls("/sendMessage", atLeast: 1).map(TelegramPost.init)
            if let choose = sends.last?.buttons.first(where: { $0 == "choose:password-reset" }) {
                let before = sends.count
                #expect(try await client.telegram(body: WebhookSigning.telegramCallback(updateID: 501, queryID: "q-choose",
                                                                                         data: choose)).status == .ok)
                try await world.settle()
                sends = Array(try await world.calls("/sendMessage", atLeast: before + 1).map(TelegramPost.init)[before...])
            }
            let shown = try #require(sends.last)
            #expect(shown.chatID == 424242)
            #expect(shown.text.contains(try articleFirstLine("ja", "password-reset")), "\(shown.text)")
            #expect(shown.buttons.contains("broken:password-reset"), "\(shown.buttons)")
            #expect(shown.buttons.contains("solved:password-reset"), "\(shown.buttons)")
            // The token travels in the path only.
            #expect(await world.fake.calls.allSatisfy { $0.path.hasPrefix("/bot\(WebhookSigning.telegramToken)/") })

            let sendsBefore = await world.fake.calls(pathContaining: "/sendMessage").count
            #expect(try await client.telegram(body: WebhookSigning.telegramCallback(updateID: 502, queryID: "q-broken",
                                                                                     data: "broken:password-reset")).status == .ok)
            let answers = try await world.calls("/answerCallbackQuery", atLeast: 1)
            #expect(answers.contains { $0.jsonBody?["callback_query_id"] as? String == "q-broken" })
            try await world.settle()
            let next = try await world.calls("/sendMessage", atLeast: sendsBefore + 1)
            #expect(!TelegramPost(next[next.count - 1]).text.isEmpty)

            // A wrong secret is refused and stores nothing.
            let inbox = try await world.inboxCount()
            expectError(try await client.telegram(body: WebhookSigning.telegramText(updateID: 503, text: "hi"), secret: "nope"),
                        .unauthorized)
            #expect(try await world.inboxCount() == inbox)
        }
    }

    // MARK: LINE and LINE WORKS

    @Test("LINE: a signed text message is answered with the article (reply or push)")
    func lineTextMessage() async throws {
        try await WebhookWorld.with { world in
            let body = WebhookSigning.lineText(eventID: "01HE2ELINE000000000000000", text: "パスワードを忘れました",
                                               replyToken: "rt-e2e-1")
            #expect(try await world.client.line(body: body).status == .ok)
            try await world.settle()
            let calls = try await world.calls("/v2/bot/message/", atLeast: 1)
            let texts = calls.flatMap { call in
                (call.jsonBody?["messages"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String }
            }
            let joined = texts.joined(separator: "\n")
            #expect(joined.contains(try articleFirstLine("ja", "password-reset")) || joined.contains("パスワード"), "\(joined)")
            // A fresh reply token is used for the first message.
            #expect(calls[0].path.hasSuffix("/reply"), "\(calls.map(\.path))")
            #expect(calls[0].jsonBody?["replyToken"] as? String == "rt-e2e-1")
            #expect(calls.allSatisfy { $0.headers["authorization"] == "Bearer \(WebhookSigning.lineToken)" })
        }
    }

    @Test("LINE WORKS: a signed text message is answered with the article")
    func lineWorksTextMessage() async throws {
        try await WebhookWorld.with { world in
            #expect(try await world.client.lineWorks(body: WebhookSigning.lineWorksText(text: "printer is jammed")).status == .ok)
            try await world.settle()
            let calls = try await world.calls("/bots/\(WebhookSigning.worksBotID)/users/u-e2e/messages", atLeast: 1)
            let texts = calls.compactMap { call -> String? in
                let content = call.jsonBody?["content"] as? [String: Any]
                return content?["contentText"] as? String ?? content?["text"] as? String
            }
            let joined = texts.joined(separator: "\n")
            #expect(joined.contains(try articleFirstLine("en", "printer-paper-jam")), "\(joined)")
            #expect(await world.fake.calls(pathContaining: "/oauth2/v2.0/token").count == 1)
            let rows = try await world.outboxRows()
            #expect(rows.allSatisfy { $0.status == .sent }, "\(rows.map(\.lastError))")
        }
    }

    // MARK: Platform outage

    @Test("platform down: replies queued while Slack is unreachable go out after it recovers, in order, once")
    func outageThenRecovery() async throws {
        try await WebhookWorld.with { world in
            await world.fake.stop()
            let questions = ["VPN이 안 돼요", "프린터에 종이가 걸렸어요", "와이파이 연결이 안 돼요"]
            for (index, question) in questions.enumerated() {
                let body = WebhookSigning.slackDM(eventID: "EvDOWN\(index)", text: question, ts: "1700000100.00000\(index)")
                #expect(try await world.client.slack("events", body: body).status == .ok)
            }
            // Every question answered, and the first reply has failed at least once against the closed port.
            let database = world.database
            let lastSeen = Mutex("")
            _ = try await world.eventually("the first reply to fail; last seen: \(lastSeen.withLock { $0 })") { () -> Bool? in
                let rows = try await world.outboxRows()
                let inboxPending = try await database.read { db in
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inbox WHERE status = 'pending'") ?? 0
                }
                let seen = "inbox pending \(inboxPending); outbox " + rows.map { "\($0.id ?? 0) \($0.conversationKey) \($0.status) \($0.attempts) \($0.lastError ?? "")" }.joined(separator: ", ")
                lastSeen.withLock { $0 = seen }
                // The first row may be in flight again already (a failing platform is probed as soon as an attempt ends).
                guard inboxPending == 0, let first = rows.first, first.attempts >= 1, first.lastError != nil else { return nil }
                return true
            }
            #expect(await world.fake.calls.isEmpty)
            #expect(try await world.outboxRows().allSatisfy { $0.status != .sent })

            _ = try await world.fake.start()
            try await world.settle()
            let rows = try await world.outboxRows()
            #expect(rows.count >= questions.count)
            #expect(rows.allSatisfy { $0.status == .sent }, "\(rows.map { "\($0.status) \($0.lastError ?? "")" })")
            let posts = await world.fake.calls(pathContaining: "chat.postMessage").map(SlackPost.init)
            #expect(posts.count == rows.count, "\(posts.count) posts for \(rows.count) outbox rows: sent twice or lost")
            let expected = rows.map { row -> String in
                let payload = (try? JSONSerialization.jsonObject(with: Data(row.payload.utf8))) as? [String: Any]
                let reply = payload?["reply"] as? [String: Any]
                return String((reply?["text"] as? String ?? "").prefix(40))
            }
            #expect(posts.map { String($0.text.prefix(40)) } == expected,
                    "\(rows.map { "\($0.id ?? 0) \($0.conversationKey) attempts \($0.attempts) \($0.sentAt.map { "\($0.timeIntervalSince1970)" } ?? "")" })")
        }
    }
}

/// The edges around the happy paths: loops, double clicks, redeliveries, refused reply tokens, 429 and 5xx.
@Suite("messenger webhook edges end to end", .serialized)
struct WebhookEdgeEndToEndTests {
    @Test("Slack: the bot's own messages are acknowledged but never stored or answered (no loop)")
    func slackIgnoresOwnMessages() async throws {
        try await WebhookWorld.with { world in
            let botMessage = Array(WebhookSigning.json([
                "type": "event_callback", "event_id": "EvBOTMSG",
                "event": ["type": "message", "subtype": "bot_message", "bot_id": "B01", "channel": "D01E2E",
                          "channel_type": "im", "text": "VPN 연결 방법", "ts": "1700000001.000200"],
            ]).utf8)
            let ownUser = WebhookSigning.slackDM(eventID: "EvOWN", text: "VPN 연결 방법", ts: "1700000001.000300",
                                                 user: WebhookSigning.slackBotUser)
            #expect(try await world.client.slack("events", body: botMessage).status == .ok)
            #expect(try await world.client.slack("events", body: ownUser).status == .ok)
            try await world.settle()
            #expect(try await world.inboxCount() == 0)
            #expect(try await world.outboxRows().isEmpty)
            #expect(await world.fake.calls.isEmpty)
        }
    }

    @Test("Slack: a double-clicked button (same action_ts) is one event and one answer")
    func slackDoubleClick() async throws {
        try await WebhookWorld.with { world in
            let question = WebhookSigning.slackDM(eventID: "EvDC1", text: "VPN이 안 돼요", ts: "1700000000.000100")
            #expect(try await world.client.slack("events", body: question).status == .ok)
            try await world.settle()
            let before = await world.fake.calls(pathContaining: "chat.postMessage").count
            let click = WebhookSigning.slackButton(value: "solved:vpn-connect", actionTS: "1700000060.111111")
            async let first = world.client.slack("actions", body: click, form: true)
            async let second = world.client.slack("actions", body: click, form: true)
            #expect(try await first.status == .ok)
            #expect(try await second.status == .ok)
            try await world.settle()
            #expect(try await world.inboxCount() == 2)
            let rows = try await world.outboxRows()
            let posts = await world.fake.calls(pathContaining: "chat.postMessage")
            #expect(posts.count == rows.count)
            #expect(posts.count > before)
        }
    }

    @Test("Telegram: a redelivered update is stored and answered once")
    func telegramRedelivery() async throws {
        try await WebhookWorld.with { world in
            let update = WebhookSigning.telegramText(updateID: 777, text: "パスワードを忘れました")
            #expect(try await world.client.telegram(body: update).status == .ok)
            #expect(try await world.client.telegram(body: update).status == .ok)
            try await world.settle()
            #expect(try await world.inboxCount() == 1)
            let rows = try await world.outboxRows()
            #expect(await world.fake.calls(pathContaining: "/sendMessage").count == rows.count)
        }
    }

    @Test("Telegram 429 and Slack 503: the reply is retried after the wait and delivered once")
    func rateLimitedAndServerErrors() async throws {
        try await WebhookWorld.with { world in
            await world.fake.failNext(.rateLimited(retryAfter: 1), count: 1, pathContaining: "/sendMessage")
            await world.fake.failNext(.serverError(status: 503), count: 2, pathContaining: "chat.postMessage")
            #expect(try await world.client.telegram(body: WebhookSigning.telegramText(updateID: 900, text: "printer is jammed"))
                .status == .ok)
            #expect(try await world.client.slack("events", body: WebhookSigning.slackDM(
                eventID: "Ev503", text: "printer is jammed", ts: "1700000000.000500")).status == .ok)
            try await world.settle()
            let rows = try await world.outboxRows()
            #expect(rows.allSatisfy { $0.status == .sent }, "\(rows.map { "\($0.status) \($0.lastError ?? "")" })")
            let telegramRows = rows.filter { $0.platform == .telegram }.count
            let slackRows = rows.filter { $0.platform == .slack }.count
            let sendCalls = await world.fake.calls(pathContaining: "/sendMessage")
            let slackCalls = await world.fake.calls(pathContaining: "chat.postMessage")
            #expect(sendCalls.count == telegramRows + 1, "one 429, then each reply once")
            #expect(slackCalls.count == slackRows + 2, "two 503s, then each reply once")
            // Retry-After was honoured: the retry came at least a second after the 429.
            if sendCalls.count >= 2 {
                #expect(sendCalls[1].receivedAt.timeIntervalSince(sendCalls[0].receivedAt) >= 0.95)
            }
        }
    }

    @Test("LINE: the console Verify (no events) is 200; a redelivery is not answered twice")
    func lineVerifyAndRedelivery() async throws {
        try await WebhookWorld.with { world in
            #expect(try await world.client.line(body: Array(#"{"destination":"U0","events":[]}"#.utf8)).status == .ok)
            let body = WebhookSigning.lineText(eventID: "01HE2EREDELIVER0000000000", text: "パスワードを忘れました",
                                               replyToken: "rt-r1")
            #expect(try await world.client.line(body: body).status == .ok)
            try await world.settle()
            let redelivered = Array(String(decoding: body, as: UTF8.self)
                .replacingOccurrences(of: #""isRedelivery":false"#, with: #""isRedelivery":true"#).utf8)
            #expect(try await world.client.line(body: redelivered).status == .ok)
            try await world.settle()
            #expect(try await world.inboxCount() == 1)
            let rows = try await world.outboxRows()
            #expect(await world.fake.calls(pathContaining: "/v2/bot/message/").count == rows.count)
        }
    }

    @Test("LINE: a refused reply token falls back to one push with a retry key")
    func lineInvalidReplyTokenFallsBackToPush() async throws {
        try await WebhookWorld.with { world in
            await world.fake.failNext(.status(400), count: 1, pathContaining: "/reply")
            let body = WebhookSigning.lineText(eventID: "01HE2EPUSH000000000000000", text: "パスワードを忘れました",
                                               replyToken: "rt-used")
            #expect(try await world.client.line(body: body).status == .ok)
            try await world.settle()
            let rows = try await world.outboxRows()
            #expect(rows.allSatisfy { $0.status == .sent }, "\(rows.map { "\($0.status) \($0.lastError ?? "")" })")
            let replies = await world.fake.calls(pathContaining: "/reply")
            let pushes = await world.fake.calls(pathContaining: "/push")
            #expect(replies.count == 1)
            #expect(pushes.count == rows.count, "\(pushes.count) pushes for \(rows.count) rows")
            #expect(pushes.allSatisfy { $0.headers["x-line-retry-key"] != nil })
            #expect(pushes.first?.jsonBody?["to"] as? String == "U1111E2E")
        }
    }
    @Test("LINE: a push that timed out but was accepted is retried with the same key, and the 409 counts as sent")
    func linePushTimeoutThen409() async throws {
        try await WebhookWorld.with(clientTimeout: .milliseconds(500)) { world in
            await world.fake.failNext(.slow(seconds: 1.5), count: 1, pathContaining: "/push")
            // Sent two minutes ago: the reply token is too old, so the answer is pushed.
            let body = WebhookSigning.lineText(eventID: "01HE2E409000000000000000", text: "パスワードを忘れました",
                                               replyToken: "rt-old", sentAt: Date().addingTimeInterval(-120))
            #expect(try await world.client.line(body: body).status == .ok)
            try await world.settle()
            let rows = try await world.outboxRows()
            #expect(rows.allSatisfy { $0.status == .sent }, "\(rows.map { "\($0.status) \($0.lastError ?? "")" })")
            #expect(await world.fake.calls(pathContaining: "/reply").isEmpty)
            let pushes = await world.fake.calls(pathContaining: "/push")
            let keys = pushes.compactMap { $0.headers["x-line-retry-key"] }
            #expect(keys.count == pushes.count)
            #expect(Set(keys).count == rows.count, "one retry key per reply: \(keys)")
            #expect(pushes.count == rows.count + 1, "the timed-out push was retried once")
        }
    }

    @Test("Slack: a channel mention is answered in its thread, and a click there continues that conversation")
    func slackChannelMentionThread() async throws {
        try await WebhookWorld.with { world in
            let mention = Array(WebhookSigning.json([
                "type": "event_callback", "event_id": "EvMENTION",
                "event": ["type": "app_mention", "user": "U02EMP", "channel": "C01HELP",
                          "text": "<@\(WebhookSigning.slackBotUser)> VPN이 안 돼요", "ts": "1700000100.000200"],
            ]).utf8)
            #expect(try await world.client.slack("events", body: mention).status == .ok)
            try await world.settle()
            let first = try await world.calls("chat.postMessage", atLeast: 1)
            #expect(first.allSatisfy { $0.jsonBody?["thread_ts"] as? String == "1700000100.000200" })
            #expect(first.allSatisfy { $0.jsonBody?["channel"] as? String == "C01HELP" })
            let click = WebhookSigning.slackForm(payload: WebhookSigning.json([
                "type": "block_actions", "user": ["id": "U02EMP", "name": "ken"], "trigger_id": "1.2.3",
                "container": ["type": "message", "message_ts": "1700000101.000100", "channel_id": "C01HELP",
                              "is_ephemeral": false, "thread_ts": "1700000100.000200"],
                "channel": ["id": "C01HELP", "name": "helpdesk"],
                "actions": [["action_id": "firstline-0", "block_id": "firstline-actions", "type": "button",
                             "value": "broken:vpn-connect", "action_ts": "1700000160.000001"]],
            ]))
            #expect(try await world.client.slack("actions", body: click, form: true).status == .ok)
            try await world.settle()
            let all = try await world.calls("chat.postMessage", atLeast: first.count + 1)
            #expect(all.allSatisfy { $0.jsonBody?["thread_ts"] as? String == "1700000100.000200" })
            let conversations = try await world.database.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM conversation") ?? 0
            }
            #expect(conversations == 1, "the click opened another conversation")
            #expect(try await world.database.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inbox WHERE status = 'failed'") ?? 0
            } == 0)
        }
    }
}
