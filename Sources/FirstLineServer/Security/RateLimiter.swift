import FirstLineCore
import Foundation

/// Token buckets by key (an address, a sender, a chat session), on the injected clock so tests
/// step time instead of sleeping. One actor for the whole server: a check is a dictionary lookup.
///
/// Buckets that have refilled are forgotten when the table grows, so a flood of distinct keys
/// (spoofed senders, scanned sessions) costs memory only while it lasts.
public actor RateLimiter {
    /// What a limit is about, for the metrics (`firstline_rate_limited_total{scope}`).
    public enum Scope: String, Sendable, CaseIterable {
        case webhookIP = "webhook_ip"
        case webhookSender = "webhook_sender"
        case chatIP = "chat_ip"
        case chatSession = "chat_session"
        case sessionsIP = "sessions_ip"
        case loginIP = "login_ip"
    }

    private struct Key: Hashable {
        var scope: Scope
        var value: String
    }

    private let limits: [Scope: RateLimit]
    private let clock: any ServerClock
    private var buckets: [Key: TokenBucket] = [:]
    private let sweepThreshold: Int

    public init(limits: RequestLimits, clock: any ServerClock, sweepThreshold: Int = 100_000) {
        self.limits = [
            .webhookIP: limits.webhookPerIP, .webhookSender: limits.webhookPerSender, .chatIP: limits.chatPerIP,
            .chatSession: limits.chatPerSession, .sessionsIP: limits.sessionsPerIP, .loginIP: limits.loginFailuresPerIP,
        ]
        self.clock = clock
        self.sweepThreshold = sweepThreshold
    }

    /// Takes one token from each key's bucket, or none at all when any of them is empty: then the
    /// scope that refused and the whole seconds to wait (at least 1, for `Retry-After`).
    public func admit(_ requests: [(Scope, String)]) -> (scope: Scope, retryAfter: Int)? {
        let now = clock.now()
        var waits: [(Scope, TimeInterval)] = []
        for (scope, value) in requests {
            guard let limit = limits[scope], !limit.isOff else { continue }
            let key = Key(scope: scope, value: value)
            var bucket = buckets[key] ?? TokenBucket(limit: limit, at: now)
            if let wait = bucket.wait(limit: limit, at: now) { waits.append((scope, wait)) }
            buckets[key] = bucket
        }
        if let longest = waits.max(by: { $0.1 < $1.1 }) {
            return (longest.0, max(1, Int(longest.1.rounded(.up))))
        }
        for (scope, value) in requests {
            guard let limit = limits[scope], !limit.isOff else { continue }
            let key = Key(scope: scope, value: value)
            var bucket = buckets[key] ?? TokenBucket(limit: limit, at: now)
            _ = bucket.take(limit: limit, at: now)
            buckets[key] = bucket
        }
        sweepIfLarge(now: now)
        return nil
    }

    /// One key, one token.
    public func admit(_ scope: Scope, _ value: String) -> Int? {
        admit([(scope, value)])?.retryAfter
    }

    /// The seconds until `value` has a token again in `scope`, without taking one; nil when it has.
    public func waitTime(_ scope: Scope, _ value: String) -> Int? {
        guard let limit = limits[scope], !limit.isOff, var bucket = buckets[Key(scope: scope, value: value)] else { return nil }
        let wait = bucket.wait(limit: limit, at: clock.now())
        return wait.map { max(1, Int($0.rounded(.up))) }
    }

    /// Spends a token of `value` in `scope` whether or not there is one left (a failed login).
    public func spend(_ scope: Scope, _ value: String) {
        guard let limit = limits[scope], !limit.isOff else { return }
        let now = clock.now()
        let key = Key(scope: scope, value: value)
        var bucket = buckets[key] ?? TokenBucket(limit: limit, at: now)
        _ = bucket.take(limit: limit, at: now)
        buckets[key] = bucket
        sweepIfLarge(now: now)
    }

    /// How many keys are tracked (tests, and the sweep's check).
    public var trackedKeys: Int { buckets.count }

    private func sweepIfLarge(now: Date) {
        guard buckets.count > sweepThreshold else { return }
        buckets = buckets.filter { key, bucket in
            guard let limit = limits[key.scope] else { return false }
            return !bucket.isFull(limit: limit, at: now)
        }
    }
}
