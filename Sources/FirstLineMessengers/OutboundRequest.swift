import FirstLineCore
import Foundation

/// One HTTP call to a platform API, fully rendered but without credentials.
///
/// Secrets are added by `MessengerClient` at send time (Slack, LINE and LINE WORKS `Authorization`,
/// Telegram's `/bot<token>` path segment), so a request can be logged, stored or compared in a test
/// without leaking a token.
public struct OutboundRequest: Sendable, Equatable, Codable {
    public var platform: Platform
    /// The HTTP method; every call FirstLine makes is a `POST`.
    public var method: String
    /// The path relative to the platform's API base URL, for example `/chat.postMessage`,
    /// `/v2/bot/message/push`, `/bots/<botId>/users/<userId>/messages`. For Telegram it is the
    /// method alone (`/sendMessage`): the client inserts `/bot<token>` before it.
    public var path: String
    /// Non-secret headers (content type, `X-Line-Retry-Key`).
    public var headers: [String: String]
    /// The JSON body.
    public var body: [UInt8]
    /// The platform's idempotency key when it has one (LINE push `X-Line-Retry-Key`, a UUID derived
    /// from the outbox idempotency key, so a retried send is accepted once). Also in `headers`.
    public var retryKey: String?
    /// The API operation, for logs and metrics: `chat.postMessage`, `sendMessage`, `reply`, `push`…
    public var operation: String

    public init(platform: Platform, method: String = "POST", path: String, headers: [String: String] = [:],
                body: [UInt8], retryKey: String? = nil, operation: String) {
        self.platform = platform
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
        self.retryKey = retryKey
        self.operation = operation
    }

    static func json(_ platform: Platform, path: String, operation: String, body: JSONValue,
                     retryKey: String? = nil) -> OutboundRequest {
        var headers = ["Content-Type": "application/json; charset=utf-8"]
        if let retryKey { headers["X-Line-Retry-Key"] = retryKey }
        return OutboundRequest(platform: platform, path: path, headers: headers, body: body.encoded(),
                               retryKey: retryKey, operation: operation)
    }
}
