import Foundation
import Testing

@testable import FirstLineCore

/// Issue 15, points 2 and 3: the planner's view of a platform's health (probes during an outage, a pause for
/// a 429's Retry-After, recovery) and of sends in flight (busy conversations, bounded slots). Pure: the clock
/// is the `now` passed in.
@Suite("Delivery planner: outages, Retry-After, sends in flight")
struct OutageRecoveryPlannerTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    private func row(_ id: Int64, _ conversation: String, due: TimeInterval = 0, attempts: Int = 0,
                     platform: Platform = .slack) -> PendingDelivery {
        PendingDelivery(id: id, platform: platform, conversationKey: conversation, notBefore: start.addingTimeInterval(due),
                        attempts: attempts)
    }

    @Test("while a platform fails, one backed-off row is probed per interval; a success reports the recovery once")
    func probesAFailingPlatform() {
        let planner = DeliveryPlanner(probeInterval: 2)
        var state = DeliveryPlanner.State()
        // Given three conversations whose rows failed and wait 30 s, 60 s and 120 s, on a platform that failed
        DeliveryPlanner.record(.failed, platform: .slack, at: start, in: &state)
        let rows = [row(1, "A", due: 30, attempts: 3), row(2, "B", due: 60, attempts: 4), row(3, "C", due: 120, attempts: 5)]

        // When the planner runs now, then 1 s later, then 2 s later
        let first = planner.plan(rows, now: start, state: state)
        let soon = planner.plan(rows, now: start.addingTimeInterval(1), state: first.state)
        let later = planner.plan(rows, now: start.addingTimeInterval(2), state: first.state)

        // Then one row is tried at once (the oldest), none a second later, one again after the interval
        #expect(first.send == [1])
        #expect(soon.send.isEmpty)
        #expect(later.send == [1])

        // And the first success after the failures says "recovered", the next one does not
        var health = later.state
        #expect(DeliveryPlanner.record(.delivered, platform: .slack, at: start.addingTimeInterval(2), in: &health))
        #expect(!DeliveryPlanner.record(.delivered, platform: .slack, at: start.addingTimeInterval(3), in: &health))
        // A healthy platform is not probed: rows wait for their own time
        #expect(planner.plan(rows, now: start.addingTimeInterval(10), state: health).send.isEmpty)
    }

    @Test("a row never attempted (a notice scheduled for later) is not a probe")
    func scheduledRowsAreNotProbed() {
        let planner = DeliveryPlanner(probeInterval: 2)
        var state = DeliveryPlanner.State()
        DeliveryPlanner.record(.failed, platform: .telegram, at: start, in: &state)
        let rows = [row(1, "A", due: 3600, attempts: 0, platform: .telegram)]
        #expect(planner.plan(rows, now: start.addingTimeInterval(5), state: state).send.isEmpty)
    }

    @Test("a 429 with Retry-After pauses the whole platform until then, probes included; other platforms go on")
    func retryAfterPausesThePlatform() {
        let planner = DeliveryPlanner(probeInterval: 1)
        var state = DeliveryPlanner.State()
        DeliveryPlanner.record(.rateLimited(retryAfter: 5), platform: .line, at: start, in: &state)
        let rows = [row(1, "A", due: 0, attempts: 1, platform: .line), row(2, "B", due: 0, platform: .line),
                    row(3, "C", due: 0, platform: .telegram)]

        #expect(planner.plan(rows, now: start.addingTimeInterval(4.9), state: state).send == [3])
        #expect(planner.plan(rows, now: start.addingTimeInterval(5), state: state).send == [1, 2, 3])
    }

    @Test("a conversation with a send in flight waits; others go, up to the platform's free slots")
    func busyConversationsAndSlots() {
        let planner = DeliveryPlanner(limits: RateLimits(perPlatform: [:], perConversationInterval: [:]))
        let rows = [row(1, "A"), row(2, "A"), row(3, "B"), row(4, "C"), row(5, "D")]

        // A is being sent: neither of its rows goes (order), B, C, D do
        let free = planner.plan(rows, now: start, state: .init(), busy: ["slack|A"])
        #expect(free.send == [3, 4, 5])
        // Two slots left on the platform: the two oldest conversations' heads
        let bounded = planner.plan(rows, now: start, state: .init(), busy: [], slots: [.slack: 2])
        #expect(bounded.send == [1, 3])
        // No slot: nothing, and a later row of a skipped conversation never overtakes its head
        #expect(planner.plan(rows, now: start, state: .init(), slots: [.slack: 0]).send.isEmpty)
    }

    @Test("after a recovery the backlog goes out in order per conversation, at the platform's rate")
    func backlogWithinTheRate() {
        // 5 messages a second across the platform, one a second per conversation
        let planner = DeliveryPlanner(limits: RateLimits(perPlatform: [.slack: 5], perConversationInterval: [.slack: 1]))
        var pending = (0..<20).map { index in row(Int64(index + 1), "C\(index % 10)", attempts: 2) }
        var state = DeliveryPlanner.State()
        var sentAt: [Int64: TimeInterval] = [:]
        var second: TimeInterval = 0
        while !pending.isEmpty, second < 30 {
            let plan = planner.plan(pending, now: start.addingTimeInterval(second), state: state)
            state = plan.state
            #expect(plan.send.count <= 5, "at most the bucket's capacity in one instant")
            for id in plan.send { sentAt[id] = second }
            pending.removeAll { plan.send.contains($0.id) }
            second += 0.25
        }
        #expect(pending.isEmpty)
        // In order: each conversation's second message after its first, at least a second apart
        for conversation in 0..<10 {
            let first = sentAt[Int64(conversation + 1)]!, next = sentAt[Int64(conversation + 11)]!
            #expect(next - first >= 1)
        }
        // 20 messages at 5/s (after the first burst of 5): done within 4 s of the recovery
        #expect(sentAt.values.max()! <= 4)
    }
}
