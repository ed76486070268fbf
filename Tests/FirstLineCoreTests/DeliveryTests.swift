import FirstLineCore
import Foundation
import Testing

@Suite("Outbox delivery: retry schedule and send planning")
struct DeliveryTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("backoff doubles from the initial delay, capped, with jitter around it")
    func backoff() {
        let policy = RetryPolicy()
        // random 0.5 is no jitter: 1, 2, 4, 8 … seconds, capped at 300.
        let delays = (1...10).map { attempts -> TimeInterval in
            guard case let .retry(at) = policy.verdict(attempts: attempts, createdAt: start, now: start, retryAfter: nil, random: 0.5)
            else { return -1 }
            return at.timeIntervalSince(start)
        }
        #expect(delays == [1, 2, 4, 8, 16, 32, 64, 128, 256, 300])
        // The jitter stays within ±20 %.
        let low = policy.verdict(attempts: 3, createdAt: start, now: start, retryAfter: nil, random: 0)
        let high = policy.verdict(attempts: 3, createdAt: start, now: start, retryAfter: nil, random: 1)
        #expect(low == .retry(at: start.addingTimeInterval(3.2)))
        #expect(high == .retry(at: start.addingTimeInterval(4.8)))
    }

    @Test("the platform's Retry-After is honoured when it is longer than the backoff")
    func retryAfter() {
        let policy = RetryPolicy()
        #expect(policy.verdict(attempts: 1, createdAt: start, now: start, retryAfter: 30, random: 0.5)
            == .retry(at: start.addingTimeInterval(30)))
        #expect(policy.verdict(attempts: 5, createdAt: start, now: start, retryAfter: 2, random: 0.5)
            == .retry(at: start.addingTimeInterval(16)))
    }

    @Test("a message older than the maximum age is given up")
    func givesUp() {
        let policy = RetryPolicy()
        let late = start.addingTimeInterval(policy.maximumAge - 10)
        #expect(policy.verdict(attempts: 9, createdAt: start, now: late, retryAfter: nil, random: 0.5) == .giveUp)
        #expect(policy.verdict(attempts: 1, createdAt: start, now: late, retryAfter: nil, random: 0.5) != .giveUp)
    }

    @Test("a conversation's messages go in order: a later one waits for an earlier one's retry")
    func orderPerConversation() {
        let planner = DeliveryPlanner(limits: RateLimits(perPlatform: [:], perConversationInterval: [:]))
        let pending = [
            PendingDelivery(id: 1, platform: .slack, conversationKey: "C1", notBefore: start.addingTimeInterval(60)),
            PendingDelivery(id: 2, platform: .slack, conversationKey: "C1", notBefore: start),
            PendingDelivery(id: 3, platform: .slack, conversationKey: "C2", notBefore: start),
        ]
        #expect(planner.plan(pending, now: start, state: .init()).send == [3])
        #expect(planner.plan(pending, now: start.addingTimeInterval(61), state: .init()).send == [1, 3])
    }

    @Test("one message per conversation per round, spaced by the per-conversation interval")
    func conversationSpacing() {
        let planner = DeliveryPlanner(limits: RateLimits(perPlatform: [:], perConversationInterval: [.telegram: 1]))
        let pending = [
            PendingDelivery(id: 1, platform: .telegram, conversationKey: "42", notBefore: start),
            PendingDelivery(id: 2, platform: .telegram, conversationKey: "42", notBefore: start),
        ]
        let first = planner.plan(pending, now: start, state: .init())
        #expect(first.send == [1])
        let tooSoon = planner.plan(Array(pending.dropFirst()), now: start.addingTimeInterval(0.5), state: first.state)
        #expect(tooSoon.send.isEmpty)
        let later = planner.plan(Array(pending.dropFirst()), now: start.addingTimeInterval(1), state: first.state)
        #expect(later.send == [2])
    }

    @Test("the platform's token bucket caps a burst and refills with time")
    func platformRate() {
        let planner = DeliveryPlanner(limits: RateLimits(perPlatform: [.line: 2], perConversationInterval: [:]))
        let pending = (1...5).map { PendingDelivery(id: Int64($0), platform: .line, conversationKey: "U\($0)", notBefore: start) }
        let burst = planner.plan(pending, now: start, state: .init())
        #expect(burst.send == [1, 2])
        let refilled = planner.plan(Array(pending.dropFirst(2)), now: start.addingTimeInterval(1), state: burst.state)
        #expect(refilled.send == [3, 4])
    }
}
