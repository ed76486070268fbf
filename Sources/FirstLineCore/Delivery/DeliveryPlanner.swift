import Foundation

/// One message waiting in the outbox, as the planner sees it.
public struct PendingDelivery: Sendable, Equatable {
    public var id: Int64
    public var platform: Platform
    public var conversationKey: String
    /// When it may be attempted (its retry time).
    public var notBefore: Date
    /// Attempts made so far: a row that failed before may be tried early as a probe during an outage.
    public var attempts: Int

    public init(id: Int64, platform: Platform, conversationKey: String, notBefore: Date, attempts: Int = 0) {
        self.id = id
        self.platform = platform
        self.conversationKey = conversationKey
        self.notBefore = notBefore
        self.attempts = attempts
    }

    /// The conversation as the planner keys it ("platform|key").
    public var conversation: String { "\(platform.rawValue)|\(conversationKey)" }
}

/// Per-platform and per-conversation send rates.
public struct RateLimits: Sendable, Equatable {
    /// Messages per second across the whole platform (a bot-wide limit).
    public var perPlatform: [Platform: Double]
    /// Minimum seconds between two messages to one conversation.
    public var perConversationInterval: [Platform: TimeInterval]

    /// Below the platforms' published limits (messengers.md): Slack ~1 message/s per channel,
    /// Telegram 30/s overall and 1/s per chat, LINE and LINE WORKS generous but bursty.
    public static let `default` = RateLimits(
        perPlatform: [.slack: 20, .telegram: 25, .line: 50, .lineworks: 20],
        perConversationInterval: [.slack: 1, .telegram: 1, .line: 0.2, .lineworks: 0.5])

    public init(perPlatform: [Platform: Double], perConversationInterval: [Platform: TimeInterval]) {
        self.perPlatform = perPlatform
        self.perConversationInterval = perConversationInterval
    }
}

/// Decides which outbox rows to send now (design §2 step 5): in order per conversation (a
/// message never overtakes an earlier one that is waiting for its retry), within the rate
/// limits. Pure: the worker keeps the `state` between rounds and does the sending.
///
/// Outages (issue 15): while a platform fails, its rows back off each on its own schedule, which after a
/// minute's outage would leave the last of them waiting minutes after the platform is back. So the planner
/// keeps each platform's health: while it is failing, one waiting row is tried as a probe every
/// `probeInterval`; the worker reports each outcome (`record`), and a success after failures tells it the
/// platform recovered (it then brings the platform's waiting rows forward). A 429 with a Retry-After pauses
/// the whole platform until then: nothing is sent to it, probes included.
public struct DeliveryPlanner: Sendable {
    public struct State: Sendable, Equatable {
        /// When each conversation ("platform|key") last had a message sent.
        public var lastSentToConversation: [String: Date] = [:]
        /// Per platform: tokens available and when they were last refilled (a token bucket).
        public var tokens: [Platform: Double] = [:]
        public var refilledAt: [Platform: Date] = [:]
        /// Platforms whose last answered attempt failed, since when (cleared by a success).
        public var failingSince: [Platform: Date] = [:]
        /// When a row of each platform was last planned for sending.
        public var lastAttemptAt: [Platform: Date] = [:]
        /// A platform's Retry-After: nothing is sent to it before then.
        public var pausedUntil: [Platform: Date] = [:]

        public init() {}
    }

    /// What became of an attempt, as far as the platform's health goes.
    public enum Observation: Sendable, Equatable {
        case delivered
        /// A 5xx, a timeout, a refused connection: the platform is in trouble.
        case failed
        /// 429; `retryAfter` seconds if the platform said.
        case rateLimited(retryAfter: TimeInterval?)
    }

    public var limits: RateLimits
    /// How often a failing platform is probed with one of its waiting rows, whatever their backoff.
    public var probeInterval: TimeInterval

    public init(limits: RateLimits = .default, probeInterval: TimeInterval = 2) {
        self.limits = limits
        self.probeInterval = probeInterval
    }

    /// Records an attempt's outcome in `state`; returns true when it is the first success after failures (the
    /// platform recovered: its waiting rows should be brought forward).
    @discardableResult
    public static func record(_ observation: Observation, platform: Platform, at now: Date, in state: inout State) -> Bool {
        switch observation {
        case .delivered:
            let recovered = state.failingSince[platform] != nil
            state.failingSince[platform] = nil
            // A pause the platform asked for stands until its time, even if a call that was already in flight
            // succeeded meanwhile.
            return recovered
        case .failed:
            if state.failingSince[platform] == nil { state.failingSince[platform] = now }
            return false
        case let .rateLimited(retryAfter):
            if state.failingSince[platform] == nil { state.failingSince[platform] = now }
            if let retryAfter, retryAfter > 0 {
                let until = now.addingTimeInterval(retryAfter)
                state.pausedUntil[platform] = max(state.pausedUntil[platform] ?? until, until)
            }
            return false
        }
    }

    /// The ids to send now, in send order, and the state after sending them.
    /// `pending` must hold every pending row of the platforms involved, due or not, oldest first.
    /// - Parameters:
    ///   - busy: conversations with a send in flight: their rows wait, so replies stay in order.
    ///   - slots: how many more sends each platform may start now (absent: no bound).
    public func plan(_ pending: [PendingDelivery], now: Date, state: State, busy: Set<String> = [],
                     slots: [Platform: Int] = [:]) -> (send: [Int64], state: State) {
        var state = state
        var blocked = busy
        var send: [Int64] = []
        var started: [Platform: Int] = [:]
        var probed = Set<Platform>()
        for row in pending.sorted(by: { $0.id < $1.id }) {
            let conversation = row.conversation
            guard !blocked.contains(conversation) else { continue }
            // Whatever happens to this row, later rows of its conversation wait for it.
            blocked.insert(conversation)
            if let paused = state.pausedUntil[row.platform], paused > now { continue }
            if let free = slots[row.platform], started[row.platform, default: 0] >= free { continue }
            if row.notBefore > now {
                // Not due: only a probe of a failing platform goes early, one per interval.
                guard row.attempts > 0, state.failingSince[row.platform] != nil, !probed.contains(row.platform),
                      now.timeIntervalSince(state.lastAttemptAt[row.platform] ?? .distantPast) >= probeInterval
                else { continue }
                probed.insert(row.platform)
            }
            if let last = state.lastSentToConversation[conversation],
               now.timeIntervalSince(last) < (limits.perConversationInterval[row.platform] ?? 0) {
                continue
            }
            guard take(platform: row.platform, now: now, state: &state) else { continue }
            state.lastSentToConversation[conversation] = now
            state.lastAttemptAt[row.platform] = now
            started[row.platform, default: 0] += 1
            send.append(row.id)
        }
        return (send, state)
    }

    private func take(platform: Platform, now: Date, state: inout State) -> Bool {
        guard let rate = limits.perPlatform[platform], rate > 0 else { return true }
        let capacity = max(rate, 1)
        var tokens = state.tokens[platform] ?? capacity
        if let refilled = state.refilledAt[platform] {
            tokens = min(capacity, tokens + now.timeIntervalSince(refilled) * rate)
        }
        state.refilledAt[platform] = now
        guard tokens >= 1 else {
            state.tokens[platform] = tokens
            return false
        }
        state.tokens[platform] = tokens - 1
        return true
    }
}
