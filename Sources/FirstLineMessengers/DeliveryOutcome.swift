import FirstLineCore
import Foundation

/// What became of one `OutboundRequest`, classified for the outbox worker.
public enum DeliveryOutcome: Sendable, Equatable {
    /// The platform accepted the message.
    public struct Delivered: Sendable, Equatable {
        public var status: Int
        /// The platform's id of the new message when it returns one (Slack `ts`, Telegram
        /// `message_id`, LINE `sentMessages[0].id`): needed to update or thread on it later.
        public var messageID: String?
        /// LINE answered 409 to a repeated `X-Line-Retry-Key`: an earlier attempt was accepted.
        public var duplicate: Bool

        public init(status: Int, messageID: String? = nil, duplicate: Bool = false) {
            self.status = status
            self.messageID = messageID
            self.duplicate = duplicate
        }
    }

    /// Why a delivery failed. `reason` is the platform's error code or description, or the
    /// transport error, never a token or message content.
    public struct Failure: Sendable, Equatable {
        /// The HTTP status; nil when no response came (connection refused, timeout).
        public var status: Int?
        public var reason: String
        /// How long the platform asked to wait, in seconds (`Retry-After`, Telegram
        /// `parameters.retry_after`).
        public var retryAfter: TimeInterval?

        /// The request may have reached the platform although no answer came (a timeout or a connection lost
        /// after sending, not a refused connection): a retry may deliver the message a second time.
        public var mayHaveArrived: Bool

        public init(status: Int?, reason: String, retryAfter: TimeInterval? = nil, mayHaveArrived: Bool = false) {
            self.status = status
            self.reason = reason
            self.retryAfter = retryAfter
            self.mayHaveArrived = mayHaveArrived
        }
    }

    case delivered(Delivered)
    /// Worth retrying with backoff: 5xx, 408, network error, timeout, Slack `internal_error`.
    case retryable(Failure)
    /// 429 (or Slack `ratelimited`): retry after `retryAfter` if given, and slow the conversation down.
    case rateLimited(Failure)
    /// Retrying will not help: other 4xx, Slack `ok:false` errors such as `channel_not_found`,
    /// Telegram `ok:false`, a platform that is not configured, an unusable reply.
    case permanent(Failure)

    /// The delay the platform asked for, if any.
    public var retryAfter: TimeInterval? {
        switch self {
        case .delivered: nil
        case let .retryable(failure), let .rateLimited(failure), let .permanent(failure): failure.retryAfter
        }
    }

    public var isDelivered: Bool {
        if case .delivered = self { return true }
        return false
    }

    /// A short name for logs and metrics.
    public var kind: String {
        switch self {
        case .delivered: "delivered"
        case .retryable: "retryable"
        case .rateLimited: "rate_limited"
        case .permanent: "permanent"
        }
    }
}

/// What the conversation's history says about a message FirstLine may have posted before a crash.
public enum OutboxLookup: Sendable, Equatable {
    /// It is there (with the platform's id of it).
    case found(messageID: String?)
    /// The history is complete and does not have it: sending it is safe.
    case absent
    /// The history could not be read this time (an outage, a timeout): ask again later.
    case unknown
    /// The history will not tell: Slack refused the lookup (a missing `*:history` scope, a channel the bot
    /// left) or more messages came since than one request reads. Sending again is then the only way not to
    /// lose the reply (and it is counted as in doubt).
    case undecidable(reason: String)
}

/// Reads platform responses into outcomes. Pure, so every rule is testable without a network.
enum ResponseClassifier {
    /// Slack `ok:false` errors that are Slack's trouble, not ours (Web API docs "errors" lists).
    static let slackRetryableErrors: Set<String> = [
        "internal_error", "fatal_error", "service_unavailable", "request_timeout", "team_added_to_org",
    ]

    static func classify(platform: Platform, status: Int, retryAfterHeader: String?, body: [UInt8],
                         sentWithRetryKey: Bool) -> DeliveryOutcome {
        let json = try? JSONValue.parseObject(body)
        let retryAfter = retryAfterHeader.flatMap(parseRetryAfter)
            ?? json?["parameters"]?["retry_after"]?.int64.map(TimeInterval.init)
        let reason = platformReason(platform, json).map { String($0.prefix(200)) } ?? "HTTP \(status)"
        switch status {
        case 200..<300:
            return classifySuccess(platform: platform, status: status, json: json, retryAfter: retryAfter)
        case 429:
            return .rateLimited(.init(status: status, reason: reason, retryAfter: retryAfter))
        case 409 where platform == .line && sentWithRetryKey:
            return .delivered(.init(status: status, duplicate: true))
        case 408, 500...:
            return .retryable(.init(status: status, reason: reason, retryAfter: retryAfter))
        default:
            return .permanent(.init(status: status, reason: reason))
        }
    }

    private static func classifySuccess(platform: Platform, status: Int, json: JSONValue?,
                                        retryAfter: TimeInterval?) -> DeliveryOutcome {
        switch platform {
        case .slack:
            // Slack reports most errors as 200 {"ok":false,"error":"…"}.
            guard let json, let ok = json["ok"]?.bool else {
                // Unconfirmed delivery: retrying risks a duplicate, giving up risks a loss; a
                // duplicate is the lesser harm for a helpdesk answer.
                return .retryable(.init(status: status, reason: "unreadable response"))
            }
            if ok { return .delivered(.init(status: status, messageID: json.text("ts"))) }
            let error = json.text("error") ?? "unknown_error"
            if error == "ratelimited" { return .rateLimited(.init(status: status, reason: error, retryAfter: retryAfter)) }
            if slackRetryableErrors.contains(error) { return .retryable(.init(status: status, reason: error, retryAfter: retryAfter)) }
            return .permanent(.init(status: status, reason: error))
        case .telegram:
            if json?["ok"]?.bool == false {
                return .permanent(.init(status: status, reason: json?.text("description") ?? "ok:false"))
            }
            return .delivered(.init(status: status, messageID: json?["result"]?["message_id"]?.int64.map(String.init)))
        case .line:
            let first = json?["sentMessages"]?.array?.first
            return .delivered(.init(status: status, messageID: first?.text("id")))
        case .lineworks, .web, .terminal:
            return .delivered(.init(status: status))
        }
    }

    private static func platformReason(_ platform: Platform, _ json: JSONValue?) -> String? {
        guard let json else { return nil }
        return switch platform {
        case .slack: json.text("error")
        case .telegram: json.text("description")
        case .line: json.text("message")
        case .lineworks: json.text("code") ?? json.text("description")
        case .web, .terminal: nil
        }
    }

    /// `Retry-After` in seconds (the form every platform here uses); HTTP-dates are ignored.
    static func parseRetryAfter(_ value: String) -> TimeInterval? {
        guard let seconds = TimeInterval(value.trimmingCharacters(in: .whitespaces)), seconds >= 0, seconds.isFinite
        else { return nil }
        return seconds
    }
}
