import FirstLineCore
import FirstLineMessengers
import FirstLineServer
import FirstLineTestSupport
import Foundation
import GRDB
import Testing

@testable import FirstLineStore

/// A reply longer than one platform message goes out in parts; when a later part fails, the retry
/// resumes after the parts already delivered (issue 6 §4: never a message twice).
@Suite("outbox: split replies resume where they stopped", .serialized)
struct OutboxPartsTests {
    @Test("LINE WORKS: part 2 of 2 fails once; part 1 is sent once, part 2 twice (the failure and the retry)")
    func resumesAfterDeliveredParts() async throws {
        var retry = RetryPolicy()
        retry.initialDelay = 0.1
        retry.maximumDelay = 0.2
        try await WebhookWorld.with(.all, retry: retry) { world in
            let first = String(repeating: "A", count: 1500)
            let second = String(repeating: "B", count: 1400) + " PART2MARKER"
            let reply = Reply(text: first + "\n\n" + second)
            let payload = String(decoding: try JSONEncoder().encode(reply), as: UTF8.self)
            await world.fake.failNext(.serverError(), count: 1, bodyContaining: "PART2MARKER")
            _ = try await world.database.enqueue([NewOutboxMessage(
                platform: .lineworks, conversationKey: "lineworks:user:u-parts", idempotencyKey: "test:parts:1",
                payload: payload)], at: Date())

            let sent = try await world.eventually("the row to be sent") { () -> OutboxMessage? in
                try await world.outboxRows().first { $0.idempotencyKey == "test:parts:1" && $0.status == .sent }
            }
            #expect(sent.partsSent == 2)
            #expect(sent.attempts == 2)
            let calls = await world.fake.calls(pathContaining: "/users/u-parts/messages")
            let bodies = calls.map { String(decoding: $0.body, as: UTF8.self) }
            #expect(bodies.filter { $0.contains("AAAAAAAAAA") }.count == 1, "part 1 went out once")
            #expect(bodies.filter { $0.contains("PART2MARKER") }.count == 2, "part 2: the failed try and the retry")
        }
    }
}
