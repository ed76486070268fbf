import Foundation

/// One rate limit: at most `requests` in a burst, refilled evenly over `perSeconds`
/// (a token bucket). `requests == 0` turns the limit off.
public struct RateLimit: Sendable, Equatable, CustomStringConvertible {
    public var requests: Int
    public var perSeconds: Double

    public init(requests: Int, perSeconds: Double) {
        self.requests = requests
        self.perSeconds = perSeconds
    }

    public static func perMinute(_ requests: Int) -> RateLimit { RateLimit(requests: requests, perSeconds: 60) }

    public var isOff: Bool { requests <= 0 || perSeconds <= 0 }

    public var description: String { isOff ? "off" : "\(requests) per \(perSeconds) s" }
}

/// The request limits of issue 15 (point 4), set in `firstline.yml` under `limits:`. The defaults
/// are generous where a platform sends for many people from few addresses (webhooks per IP), and
/// tight where one person or one browser is behind the key (a chat session, failed logins).
public struct RequestLimits: Sendable, Equatable {
    /// Webhook requests from one client address: platforms deliver everyone's messages from a few IPs.
    public var webhookPerIP = RateLimit(requests: 20_000, perSeconds: 1)
    /// Webhook events from one platform sender (a person, or a bot stuck in a loop).
    public var webhookPerSender = RateLimit(requests: 600, perSeconds: 60)
    /// Chat API requests from one client address; an office behind one NAT address shares it.
    public var chatPerIP = RateLimit(requests: 600, perSeconds: 60)
    /// Messages and polls of one web chat session: a person types, a script floods.
    public var chatPerSession = RateLimit(requests: 30, perSeconds: 60)
    /// New web chat sessions from one client address.
    public var sessionsPerIP = RateLimit(requests: 60, perSeconds: 60)
    /// Refused bearer tokens (a 401 for a request that presented one) from one client address; once
    /// spent, every `/api/v1` request from that address answers 429 until the bucket refills.
    public var loginFailuresPerIP = RateLimit(requests: 20, perSeconds: 60)
    /// Addresses of reverse proxies whose `X-Forwarded-For` / `X-Forwarded-Proto` are believed.
    /// Empty (the default): the peer address is the client, and forwarded headers are ignored.
    public var trustedProxies: [String] = []

    public init() {}
}

/// A token bucket's state; pure arithmetic on times that the caller supplies (an injected clock).
public struct TokenBucket: Sendable, Equatable {
    public private(set) var tokens: Double
    public private(set) var updated: Date

    public init(limit: RateLimit, at now: Date) {
        tokens = Double(limit.requests)
        updated = now
    }

    /// Takes `count` tokens if there are as many; otherwise takes none and returns the seconds
    /// until there will be (what `Retry-After` says).
    public mutating func take(_ count: Double = 1, limit: RateLimit, at now: Date) -> TimeInterval? {
        refill(limit: limit, at: now)
        if tokens >= count {
            tokens -= count
            return nil
        }
        return (count - tokens) / rate(limit)
    }

    /// The seconds until `count` tokens are there, without taking any; nil when they are now.
    public mutating func wait(for count: Double = 1, limit: RateLimit, at now: Date) -> TimeInterval? {
        refill(limit: limit, at: now)
        return tokens >= count ? nil : (count - tokens) / rate(limit)
    }

    /// Whether the bucket is full at `now` (an idle key that can be forgotten).
    public func isFull(limit: RateLimit, at now: Date) -> Bool {
        tokens + max(0, now.timeIntervalSince(updated)) * rate(limit) >= Double(limit.requests)
    }

    private mutating func refill(limit: RateLimit, at now: Date) {
        let elapsed = max(0, now.timeIntervalSince(updated))
        tokens = min(Double(limit.requests), tokens + elapsed * rate(limit))
        if now > updated { updated = now }
    }

    private func rate(_ limit: RateLimit) -> Double { Double(limit.requests) / limit.perSeconds }
}

extension RequestLimits {
    /// Whether `text` is a literal IPv4 (dotted quad) or IPv6 address; no names, no ranges.
    public static func isIPAddress(_ text: String) -> Bool {
        let quads = text.split(separator: ".", omittingEmptySubsequences: false)
        if quads.count == 4, quads.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCII) && (UInt8($0) != nil) }) {
            return true
        }
        let hex = Set("0123456789abcdefABCDEF:.")
        return text.contains(":") && text.count <= 45 && text.allSatisfy(hex.contains)
    }
}
