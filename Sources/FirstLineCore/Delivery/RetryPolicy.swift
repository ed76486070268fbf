import Foundation

/// When to try a failed delivery again (design §2 step 5): exponential backoff with jitter,
/// the platform's own Retry-After when it gives one, and a maximum age after which the message
/// is given up on (and a person is told, through a ticket note).
public struct RetryPolicy: Sendable, Equatable {
    /// Delay after the first failure.
    public var initialDelay: TimeInterval = 1
    public var multiplier: Double = 2
    public var maximumDelay: TimeInterval = 300
    /// Share of the delay added or removed at random, so that many messages that failed
    /// together (the platform was down) do not all retry in the same second.
    public var jitter: Double = 0.2
    /// A message older than this is not sent any more: late answers confuse more than they help.
    public var maximumAge: TimeInterval = 24 * 3600

    public init() {}

    /// What to do after a failed attempt.
    public enum Verdict: Sendable, Equatable {
        case retry(at: Date)
        case giveUp
    }

    /// - Parameters:
    ///   - attempts: attempts made so far, including the one that just failed (≥ 1).
    ///   - retryAfter: the platform's requested wait, if any; never retried sooner than that.
    ///   - random: a value in 0...1, injected so the schedule is testable.
    public func verdict(attempts: Int, createdAt: Date, now: Date, retryAfter: TimeInterval?, random: Double) -> Verdict {
        let exponent = Double(max(attempts - 1, 0))
        let base = min(initialDelay * pow(multiplier, exponent), maximumDelay)
        let jittered = base * (1 + jitter * (2 * min(max(random, 0), 1) - 1))
        let delay = max(jittered, retryAfter ?? 0)
        let next = now.addingTimeInterval(delay)
        return next.timeIntervalSince(createdAt) > maximumAge ? .giveUp : .retry(at: next)
    }
}
