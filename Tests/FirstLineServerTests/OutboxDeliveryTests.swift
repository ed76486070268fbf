import AsyncHTTPClient
import FirstLineCore
import FirstLineMessengers
import FirstLineTestSupport
import Foundation
import GRDB
import Logging
import Testing

@testable import FirstLineServer
@testable import FirstLineStore

/// Issue 15, points 1–3, through the real outbox worker, a SQLite file and the fake platform API on 127.0.0.1:
/// rows found mid-send are settled per platform, an outage's backlog is brought forward on the platform's
/// first success (an injected clock), and a slow platform holds up no other conversation.
@Suite("outbox worker: in doubt after a crash, outage recovery, slow platform", .serialized)
struct OutboxDeliveryTests {
    struct World {
        let database: AppDatabase
        let fake: FakePlatformAPI
        let client: MessengerClient
        let messengers: MessengerConfiguration
        let clock: ManualClock
        let metrics: ServerMetrics
        let folder: URL

        func worker(planner: DeliveryPlanner = DeliveryPlanner(), clock: (any ServerClock)? = nil) -> OutboxWorker {
            OutboxWorker(database: database, messengers: messengers, client: client, clock: clock ?? self.clock, planner: planner,
                         wakeUp: WakeUp(), logger: TestEnvironment.quietLogger, metrics: metrics)
        }

        /// Queues a reply; returns its row.
        @discardableResult
        func enqueue(_ key: ConversationKey, _ text: String, idempotencyKey: String, replyToken: ReplyToken? = nil) async throws -> OutboxMessage {
            let payload = try OutboundEnvelope(reply: Reply(text: text), replyToken: replyToken).encoded(JSONEncoder())
            #expect(try await database.enqueue(NewOutboxMessage(platform: key.platform, conversationKey: key.storageKey,
                                                                idempotencyKey: idempotencyKey, payload: payload), at: clock.now()))
            // The store keeps times to the millisecond: a moment passes, so the row is due by the injected clock.
            clock.advance(by: 0.01)
            return try #require(try await database.pending(platforms: [key.platform], limit: 500).first { $0.idempotencyKey == idempotencyKey })
        }

        /// What a process that died mid-send leaves: the row claimed, its request possibly at the platform
        /// (`reached`), and the next start's recovery marking it in doubt.
        func crashMidSend(_ row: OutboxMessage, reached: Bool) async throws {
            _ = try await database.markSending(id: row.id!)
            if reached {
                let envelope = try #require(OutboundEnvelope.decode(row.payload))
                let adapter = try #require(messengers.adapter(for: row.platform))
                let request = try adapter.render(envelope.reply, to: ConversationKey(storageKey: row.conversationKey)!,
                                                 replyToken: envelope.replyToken, idempotencyKey: row.idempotencyKey,
                                                 now: clock.now())[0]
                #expect(await client.send(request).isDelivered)
            }
            #expect(try await database.recoverInterrupted(now: clock.now()) == 1)
            clock.advance(by: 0.01)
        }

        func row(_ key: String) async throws -> OutboxMessage? {
            try await database.read { db in try OutboxMessage.filter(Column("idempotencyKey") == key).fetchOne(db) }
        }

        func metricsText() async throws -> String {
            try await metrics.exposition(database: database)
        }
    }

    static func with(timeout: Duration = .seconds(5), _ body: (World) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("firstline-outbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let fake = FakePlatformAPI()
        let base = try await fake.start().absoluteString
        let messengers = MessengerConfiguration(
            slack: .init(signingSecret: "s", botToken: "xoxb-outbox", apiURL: base),
            telegram: .init(botToken: "1:outbox", secretToken: "s", apiURL: base),
            line: .init(channelSecret: "s", channelAccessToken: "line-outbox", apiURL: base))
        let client = try MessengerClient(configuration: messengers, httpClient: .shared, timeout: timeout,
                                         logger: TestEnvironment.quietLogger)
        let database = try AppDatabase.open(path: folder.appendingPathComponent("firstline.sqlite").path)
        let world = World(database: database, fake: fake, client: client, messengers: messengers,
                          clock: ManualClock(Date()), metrics: ServerMetrics(), folder: folder)
        do {
            try await body(world)
        } catch {
            await fake.stop()
            try? database.close()
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
        await fake.stop()
        try? database.close()
        try? FileManager.default.removeItem(at: folder)
    }

    // MARK: - In doubt

    @Test("Slack: a message that reached Slack before the crash is found in the history and not posted again")
    func slackFoundInHistory() async throws {
        try await Self.with { world in
            let row = try await world.enqueue(.slack(channel: "D0DOUBT", threadTS: nil), "VPN을 다시 시작하세요", idempotencyKey: "slack:EvD1:1")
            try await world.crashMidSend(row, reached: true)

            #expect(await world.worker().deliverDue() == 1)

            let accepted = await world.fake.accepted
            #expect(accepted.count == 1, "posted once: \(accepted)")
            #expect(await world.fake.calls(pathContaining: "conversations.history").count == 1)
            let sent = try #require(try await world.row("slack:EvD1:1"))
            #expect(sent.status == .sent)
            #expect(try await world.metricsText().contains(#"firstline_outbox_in_doubt_settled_total{platform="slack",how="found"} 1"#))
        }
    }

    @Test("Slack: in a thread, a message the crash stopped before Slack had it is looked up, absent, and posted once")
    func slackAbsentFromThread() async throws {
        try await Self.with { world in
            let row = try await world.enqueue(.slack(channel: "C0DOUBT", threadTS: "1700000000.000100"), "プリンターを再起動してください",
                                              idempotencyKey: "slack:EvD2:1")
            try await world.crashMidSend(row, reached: false)

            #expect(await world.worker().deliverDue() == 1)

            #expect(await world.fake.accepted.count == 1)
            #expect(await world.fake.calls(pathContaining: "conversations.replies").count == 1)
            #expect(try await world.metricsText().contains(#"how="absent"} 1"#))
        }
    }

    @Test("Slack: a history Slack cannot give leaves the row pending and in doubt, not posted blindly")
    func slackHistoryUnavailable() async throws {
        try await Self.with { world in
            let row = try await world.enqueue(.slack(channel: "D0DOUBT3", threadTS: nil), "hello", idempotencyKey: "slack:EvD3:1")
            try await world.crashMidSend(row, reached: true)
            await world.fake.failNext(.serverError(), count: 1, pathContaining: "conversations.history")

            #expect(await world.worker().deliverDue() == 0)
            let waiting = try #require(try await world.row("slack:EvD3:1"))
            #expect(waiting.status == .pending && waiting.inDoubt)
            #expect(await world.fake.accepted.count == 1, "only the crashed process's post")
        }
    }

    @Test("Slack: a history Slack refuses (no history scope) cannot settle it: sent again rather than lost, and counted")
    func slackHistoryRefused() async throws {
        try await Self.with { world in
            let row = try await world.enqueue(.slack(channel: "D0DOUBT4", threadTS: nil), "hello", idempotencyKey: "slack:EvD4:1")
            try await world.crashMidSend(row, reached: false)
            await world.fake.failNext(.slackError("missing_scope"), count: 1, pathContaining: "conversations.history")

            #expect(await world.worker().deliverDue() == 1)
            #expect(await world.fake.accepted.count == 1)
            let text = try await world.metricsText()
            #expect(text.contains(#"firstline_outbox_in_doubt_total{platform="slack"} 1"#), "\(text)")
        }
    }

    @Test("LINE: a push that reached LINE is sent again with the same retry key, dropped (409), and marked sent")
    func linePushRetryKey() async throws {
        try await Self.with { world in
            let row = try await world.enqueue(.line(to: "U0DOUBT"), "Wi-Fi를 다시 연결하세요", idempotencyKey: "line:e1:1")
            try await world.crashMidSend(row, reached: true)

            #expect(await world.worker().deliverDue() == 1)

            #expect(await world.fake.accepted.count == 1)
            #expect(await world.fake.calls(pathContaining: "/push").count == 2, "the repeat reached LINE and was dropped")
            #expect(try await world.row("line:e1:1")?.status == .sent)
        }
    }

    @Test("LINE: a reply whose fresh token the crashed attempt used is taken as delivered, not pushed again")
    func lineReplyTokenUsed() async throws {
        try await Self.with { world in
            let token = ReplyToken(value: "rt-doubt", issuedAt: world.clock.now())
            let row = try await world.enqueue(.line(to: "U0DOUBT2"), "パスワードをリセットしました", idempotencyKey: "line:e2:1",
                                              replyToken: token)
            try await world.crashMidSend(row, reached: true)

            #expect(await world.worker().deliverDue() == 1)

            #expect(await world.fake.accepted.count == 1)
            #expect(await world.fake.calls(pathContaining: "/push").isEmpty)
        }
    }

    @Test("Telegram: no way to tell, so the row is sent again and counted in firstline_outbox_in_doubt_total")
    func telegramResentAndCounted() async throws {
        try await Self.with { world in
            let row = try await world.enqueue(.telegram(chatID: 777), "printer is jammed", idempotencyKey: "telegram:9:1")
            try await world.crashMidSend(row, reached: true)

            #expect(await world.worker().deliverDue() == 1)

            #expect(await world.fake.accepted.count == 2, "the employee may see it twice: counted")
            let text = try await world.metricsText()
            #expect(text.contains(#"firstline_outbox_in_doubt_total{platform="telegram"} 1"#), "\(text)")
        }
    }

    // MARK: - Outage recovery

    @Test("after an outage, the platform's first success brings every waiting row forward: in order, within the rate")
    func outageBacklogBroughtForward() async throws {
        try await Self.with { world in
            // Given 6 Slack conversations with two replies each, during an outage (every call 503)
            await world.fake.failAll(.serverError())
            for conversation in 0..<6 {
                for index in 1...2 {
                    try await world.enqueue(.slack(channel: "D0OUT\(conversation)", threadTS: nil), "reply \(index)",
                                            idempotencyKey: "slack:Out\(conversation):\(index)")
                }
            }
            let worker = world.worker(planner: DeliveryPlanner(probeInterval: 2))
            // The outage lasts a minute: the worker keeps trying (every head fails, then one probe per 2 s)
            for _ in 0..<30 {
                _ = await worker.deliverDue()
                world.clock.advance(by: 2)
            }
            let waiting = try await world.database.pending(platforms: [.slack], limit: 100)
            #expect(waiting.count == 12)
            let latest = try #require(waiting.map(\.nextAttemptAt).max())
            #expect(latest.timeIntervalSince(world.clock.now()) > 10, "backoff alone would leave rows waiting long")

            // When the platform is back
            await world.fake.failAll(nil)
            let recovered = world.clock.now()
            var rounds = 0
            while try await world.database.pendingCount() > 0, rounds < 40 {
                _ = await worker.deliverDue()
                world.clock.advance(by: 0.25)
                rounds += 1
            }

            // Then everything went out within 10 s (of the injected clock) after the recovery, each once, in order
            #expect(try await world.database.pendingCount() == 0)
            #expect(world.clock.now().timeIntervalSince(recovered) <= 10, "took \(world.clock.now().timeIntervalSince(recovered)) s")
            let accepted = await world.fake.accepted
            #expect(accepted.count == 12)
            #expect(Set(accepted.compactMap(\.identity)).count == 12, "none twice")
            for conversation in 0..<6 {
                let order = accepted.filter { $0.conversation == "D0OUT\(conversation)" }.map(\.text)
                #expect(order == ["reply 1", "reply 2"], "conversation \(conversation): \(order)")
            }
        }
    }

    @Test("a 429 with Retry-After is respected: nothing goes to the platform before it, then the backlog goes")
    func retryAfterRespected() async throws {
        try await Self.with { world in
            for conversation in 0..<3 {
                try await world.enqueue(.telegram(chatID: 9000 + Int64(conversation)), "retry after", idempotencyKey: "telegram:RA\(conversation):1")
            }
            await world.fake.failNext(.rateLimited(retryAfter: 5), count: 1)
            let worker = world.worker(planner: DeliveryPlanner(probeInterval: 1))
            let limitedAt = world.clock.now()
            _ = await worker.deliverDue()   // the first gets 429 (5 s); the others of the round may go
            let callsAfterLimit = await world.fake.calls.count
            var times: [TimeInterval] = []
            while try await world.database.pendingCount() > 0, world.clock.now().timeIntervalSince(limitedAt) < 20 {
                world.clock.advance(by: 0.5)
                let before = await world.fake.calls.count
                _ = await worker.deliverDue()
                if await world.fake.calls.count > before { times.append(world.clock.now().timeIntervalSince(limitedAt)) }
            }
            #expect(try await world.database.pendingCount() == 0)
            #expect(callsAfterLimit >= 1)
            #expect(times.allSatisfy { $0 >= 5 }, "a call before the Retry-After: \(times)")
            #expect(await world.fake.accepted.count == 3)
        }
    }

    // MARK: - Slow platform

    @Test("a platform call taking 3 s holds up neither other conversations nor other platforms; one conversation stays in order")
    func slowCallDoesNotHoldOthers() async throws {
        try await Self.with(timeout: .seconds(10)) { world in
            // Given a Slack conversation whose next call is slow, and replies waiting in other conversations
            await world.fake.failNext(.slow(seconds: 3), count: 1, bodyContaining: "SLOW-FIRST")
            try await world.enqueue(.slack(channel: "D0SLOW", threadTS: nil), "SLOW-FIRST", idempotencyKey: "slack:Slow:1")
            try await world.enqueue(.slack(channel: "D0SLOW", threadTS: nil), "SLOW-SECOND", idempotencyKey: "slack:Slow:2")
            for conversation in 0..<4 {
                try await world.enqueue(.slack(channel: "D0FAST\(conversation)", threadTS: nil), "fast", idempotencyKey: "slack:Fast\(conversation):1")
            }
            try await world.enqueue(.telegram(chatID: 4242), "fast telegram", idempotencyKey: "telegram:Fast:1")
            // (the wall clock: the per-conversation spacing between the slow conversation's replies is real time)
            let worker = world.worker(clock: SystemClock())
            let started = Date()

            // When the worker runs as the server runs it (sends outliving their round)
            let run = Task { try await worker.run() }
            defer { run.cancel() }
            let fastDone = try await Self.eventually(timeout: .seconds(10)) { () -> Date? in
                let accepted = await world.fake.accepted
                return accepted.filter { $0.text.hasPrefix("fast") }.count == 5 ? Date() : nil
            }
            let allDone = try await Self.eventually(timeout: .seconds(15)) { () -> [FakePlatformAPI.Delivery]? in
                let accepted = await world.fake.accepted
                return accepted.count == 7 ? accepted : nil
            }

            // Then the other conversations were answered at once, and the slow one's second reply came after its first
            #expect(fastDone.timeIntervalSince(started) < 2, "fast replies took \(fastDone.timeIntervalSince(started)) s")
            let slow = allDone.filter { $0.conversation == "D0SLOW" }.map(\.text)
            #expect(slow == ["SLOW-FIRST", "SLOW-SECOND"])
            // (the fake records a call when it arrives; the worker records it sent when the answer is back)
            let (first, second) = try await Self.eventually(timeout: .seconds(5)) { () -> (Date, Date)? in
                guard let first = try await world.row("slack:Slow:1")?.sentAt,
                      let second = try await world.row("slack:Slow:2")?.sentAt else { return nil }
                return (first, second)
            }
            #expect(second >= first)
        }
    }

    static func eventually<T>(timeout: Duration, _ probe: () async throws -> T?) async throws -> T {
        let started = ContinuousClock.now
        while true {
            if let value = try await probe() { return value }
            if ContinuousClock.now - started > timeout { throw ReplicaTestFailure("timed out") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
