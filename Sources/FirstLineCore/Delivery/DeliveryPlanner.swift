import Foundation

/// One message waiting in the outbox, as the planner sees it.
public struct PendingDelivery: Sendable, Equatable {
    public var id: Int64
    public var platform: Platform
    public var conversationKey: String
    /// When it may be attempted (its retry time).
    public var notBefore: Date

    public init(id: Int64, platform: Platform, conversationKey: String, notBefore: Date) {
        self.id = id
        self.platform = platform
        self.conversationKey = conversationKey
        self.notBefore = notBefore
    }
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
public struct DeliveryPlanner: Sendable {
    public struct State: Sendable, Equatable {
        /// When each conversation ("platform|key") last had a message sent.
        public var lastSentToConversation: [String: Date] = [:]
        /// Per platform: tokens available and when they were last refilled (a token bucket).
        public var tokens: [Platform: Double] = [:]
        public var refilledAt: [Platform: Date] = [:]

        public init() {}
    }

    public var limits: RateLimits

    public init(limits: RateLimits = .default) {
        self.limits = limits
    }

    /// The ids to send now, in send order, and the state after sending them.
    /// `pending` must hold every pending row of the platforms involved, due or not, oldest first.
    public func plan(_ pending: [PendingDelivery], now: Date, state: State) -> (send: [Int64], state: State) {
        var state = state
        var blocked = Set<String>()
        var send: [Int64] = []
        for row in pending.sorted(by: { $0.id < $1.id }) {
            let conversation = "\(row.platform.rawValue)|\(row.conversationKey)"
            guard !blocked.contains(conversation) else { continue }
            // Whatever happens to this row, later rows of its conversation wait for it.
            blocked.insert(conversation)
            guard row.notBefore <= now else { continue }
            if let last = state.lastSentToConversation[conversation],
               now.timeIntervalSince(last) < (limits.perConversationInterval[row.platform] ?? 0) {
                continue
            }
            guard take(platform: row.platform, now: now, state: &state) else { continue }
            state.lastSentToConversation[conversation] = now
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
