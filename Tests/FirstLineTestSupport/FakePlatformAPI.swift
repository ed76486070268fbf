import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// A stand-in for the Slack, Telegram, LINE and LINE WORKS APIs on 127.0.0.1, for tests.
///
/// Point the `FIRSTLINE_*_API_URL` / `FIRSTLINE_LINEWORKS_AUTH_URL` variables at the URL `start()`
/// returns. It serves the real paths (with or without the real bases' `/api` or `/v1.0` prefix),
/// records every call, answers like the platform, and fails on demand:
/// - `failNext(.rateLimited(retryAfter: 2), count: 3)`, `.serverError()`, `.status(400)`,
///   `.slackError("channel_not_found")`, `.slow(seconds:)`;
/// - down: `stop()`, then `start()` again serves on the same port, so clients see connection
///   refused in between;
/// - an outage: `failAll(.serverError())` or `failAll(.rateLimited(retryAfter: 2))` fails every message call
///   until `failAll(nil)`; `delayAll(seconds:)` answers every call late (a slow platform).
///
/// Like the platforms, it keeps what it accepted: Slack `conversations.history` / `conversations.replies`
/// answer from the messages posted (with their `metadata`), LINE drops a push whose `X-Line-Retry-Key` it
/// accepted before (409) and refuses a reply token used twice (400), and `accepted` lists every message
/// delivered, so a test can count what an employee would have seen twice.
public actor FakePlatformAPI {
    /// One request as received.
    public struct Call: Sendable, Equatable {
        public var method: String
        /// The path as sent, including any base prefix and Telegram's `/bot<token>`.
        public var path: String
        /// Header values by lower-cased name (the last one wins for repeated names).
        public var headers: [String: String]
        public var body: [UInt8]
        public var receivedAt: Date

        public var bodyText: String { String(decoding: body, as: UTF8.self) }

        /// The body parsed as a JSON object, or nil.
        public var jsonBody: [String: Any]? {
            (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
        }

        /// The body parsed as a URL-encoded form.
        public var formBody: [String: String] {
            var fields: [String: String] = [:]
            for pair in bodyText.split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let decode = { (text: Substring) in text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
                fields[decode(parts[0])] = parts.count == 2 ? decode(parts[1]) : ""
            }
            return fields
        }
    }

    /// A failure to inject.
    public enum Failure: Sendable, Equatable {
        /// 429. Telegram paths put `parameters.retry_after` in the body (as Telegram does);
        /// the others send a `Retry-After` header (and Slack `{"ok":false,"error":"ratelimited"}`).
        case rateLimited(retryAfter: Int)
        /// A 5xx with the platform's error body.
        case serverError(status: Int = 503)
        /// Any status with the platform's usual error body for it (400, 401, 403, 404…).
        case status(Int)
        /// Slack's 200 `{"ok":false,"error":…}`.
        case slackError(String)
        /// Answer normally, but only after `seconds` (for client timeouts).
        case slow(seconds: Double)
    }

    /// A message the fake accepted (what the employee sees), in arrival order.
    public struct Delivery: Sendable, Equatable {
        /// `slack`, `telegram`, `line` or `lineworks`.
        public var platform: String
        /// Channel (and thread), chat id, LINE user or LINE WORKS path: the conversation it went to.
        public var conversation: String
        /// Slack: the outbox key and part of its metadata (`key#part`); LINE push: the retry key; LINE reply:
        /// `reply:<token>`; nil when the platform has no such identity (Telegram, LINE WORKS).
        public var identity: String?
        public var text: String
        public var receivedAt: Date
    }

    private struct SlackMessage {
        var channel: String
        var ts: String
        var threadTS: String?
        var text: String
        var metadata: Any?
    }

    public enum FakeError: Error, Sendable {
        case couldNotStart
    }

    private struct Rule {
        var failure: Failure
        var remaining: Int
        var pathContains: String?
        var bodyContains: String?
    }

    private struct Answer: Sendable {
        var status: Int
        var headers: [String: String] = [:]
        var body: String = ""
        var delay: Double = 0
    }

    /// Seconds LINE WORKS tokens are valid for (`expires_in`); see `setTokenLifetime`.
    public private(set) var tokenLifetime: Int = 86400
    /// Whether `expires_in` is sent as a string, as LINE WORKS does, rather than a number.
    public private(set) var tokenLifetimeAsString = false

    private var recorded: [Call] = []
    private var rules: [Rule] = []
    private var port: Int?
    private var runTask: Task<Void, Never>?
    private var serviceGroup: ServiceGroup?
    /// Whether the current run has bound its port (false while starting).
    private var bound = false
    private var issuedTokens: Set<String> = []
    private var tokenCounter = 0
    private var messageCounter = 0
    private var acceptedRetryKeys: Set<String> = []
    private var usedReplyTokens: Set<String> = []
    private var slackMessages: [SlackMessage] = []
    private var delivered: [Delivery] = []
    /// Every message call fails with this while set (`failAll`).
    private var outage: Failure?
    /// Every call is answered this late (`delayAll`).
    private var delayEverything: Double = 0

    public init() {}

    // MARK: - Lifecycle

    /// Starts serving and returns the base URL (`http://127.0.0.1:<port>`). The first start picks a
    /// free port; a start after `stop()` reuses it.
    public func start() async throws -> URL {
        if runTask != nil {
            // Already running, or another caller is starting it: wait for the bound port.
            while runTask != nil {
                if bound, let port { return Self.url(port) }
                try await Task.sleep(for: .milliseconds(10))
            }
            throw FakeError.couldNotStart
        }
        bound = false
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "FakePlatformAPI")
        logger.logLevel = .error
        let responder = CallbackResponder<BasicRequestContext> { [self] request, _ in
            var request = request
            let body = try await request.collectBody(upTo: 4 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
            let answer = await self.answer(method: request.method.rawValue, path: request.uri.path, headers: headers,
                                           body: Array(body.readableBytesView))
            if answer.delay > 0 { try? await Task.sleep(for: .milliseconds(Int(answer.delay * 1000))) }
            var fields = HTTPFields()
            fields[.contentType] = answer.body.isEmpty ? nil : "application/json; charset=utf-8"
            for (name, value) in answer.headers {
                if let name = HTTPField.Name(name) { fields[name] = value }
            }
            return Response(status: .init(code: answer.status), headers: fields,
                            body: .init(byteBuffer: ByteBuffer(string: answer.body)))
        }
        let app = Application(
            responder: responder,
            configuration: .init(address: .hostname("127.0.0.1", port: port ?? 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger)
        // Run under a ServiceGroup so `stop()` can shut down gracefully (in-flight calls finish,
        // idle keep-alive connections close) rather than cancel.
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        serviceGroup = group
        runTask = Task {
            try? await group.run()
            // Also ends the wait below when binding failed before the server ever ran.
            continuation.finish()
        }
        for await boundPort in ports where boundPort > 0 {
            port = boundPort
            bound = true
            return Self.url(boundPort)
        }
        runTask = nil
        serviceGroup = nil
        throw FakeError.couldNotStart
    }

    /// Stops serving: connections are refused until the next `start()`.
    public func stop() async {
        guard let runTask else { return }
        await serviceGroup?.triggerGracefulShutdown()
        await runTask.value
        self.runTask = nil
        serviceGroup = nil
        bound = false
    }

    /// The base URL while running.
    public var baseURL: URL? { port.map(Self.url) }

    private static func url(_ port: Int) -> URL {
        URL(string: "http://127.0.0.1:\(port)")!
    }

    // MARK: - Control and inspection

    /// Every call so far, in arrival order.
    public var calls: [Call] { recorded }

    /// The calls whose path contains `fragment`.
    public func calls(pathContaining fragment: String) -> [Call] {
        recorded.filter { $0.path.contains(fragment) }
    }

    /// Makes the next `count` calls (whose path contains `pathContaining`, if given) fail with `failure`.
    /// Rules are consumed in the order they were added.
    public func failNext(_ failure: Failure, count: Int = 1, pathContaining: String? = nil, bodyContaining: String? = nil) {
        rules.append(Rule(failure: failure, remaining: count, pathContains: pathContaining, bodyContains: bodyContaining))
    }

    /// Forgets calls, pending failures, issued tokens and retry keys (not the port).
    public func reset() {
        recorded = []
        rules = []
        issuedTokens = []
        acceptedRetryKeys = []
        usedReplyTokens = []
        slackMessages = []
        delivered = []
        outage = nil
        delayEverything = 0
    }

    /// Every message delivered so far (not the refused, failed or deduplicated calls), in arrival order.
    public var accepted: [Delivery] { delivered }

    /// While `failure` is set, every call but LINE WORKS's token endpoint fails with it (`nil` ends the outage).
    /// A `.slow` failure is not an outage: use `delayAll`.
    public func failAll(_ failure: Failure?) {
        outage = failure
    }

    /// Answers every call but LINE WORKS's token endpoint `seconds` late (0 ends it): a platform that is slow but works.
    public func delayAll(seconds: Double) {
        delayEverything = seconds
    }

    /// Makes every LINE WORKS token issued so far invalid (the next message call gets 401).
    public func revokeTokens() {
        issuedTokens = []
    }

    public func setTokenLifetime(_ seconds: Int, asString: Bool = false) {
        tokenLifetime = seconds
        tokenLifetimeAsString = asString
    }

    // MARK: - Answers

    private enum Route {
        case slack(String), telegram(String), lineReply, linePush, lineWorksMessage, lineWorksToken, unknown

        var platformName: String {
            switch self {
            case .slack: "slack"
            case .telegram: "telegram"
            case .lineReply, .linePush: "line"
            case .lineWorksMessage, .lineWorksToken: "lineworks"
            case .unknown: "unknown"
            }
        }
    }

    private static func route(_ path: String) -> Route {
        var segments = path.split(separator: "/").map(String.init)
        // Accept the real base URLs' own prefixes too (slack.com/api, worksapis.com/v1.0).
        if let first = segments.first, first == "api" || first == "v1.0" { segments.removeFirst() }
        switch segments.count {
        case 1 where ["chat.postMessage", "chat.update", "conversations.history", "conversations.replies"].contains(segments[0]):
            return .slack(segments[0])
        case 2 where segments[0].hasPrefix("bot") && segments[0].count > 3:
            return .telegram(segments[1])
        case 4 where segments[0] == "v2" && segments[1] == "bot" && segments[2] == "message":
            return segments[3] == "reply" ? .lineReply : segments[3] == "push" ? .linePush : .unknown
        case 3 where segments == ["oauth2", "v2.0", "token"]:
            return .lineWorksToken
        case 5 where segments[0] == "bots" && ["users", "channels"].contains(segments[2]) && segments[4] == "messages":
            return .lineWorksMessage
        default:
            return .unknown
        }
    }

    private func answer(method: String, path: String, headers: [String: String], body: [UInt8]) -> Answer {
        recorded.append(Call(method: method, path: path, headers: headers, body: body, receivedAt: Date()))
        let route = Self.route(path)
        // The LINE WORKS auth server is another service: neither an outage nor a delay of the messaging API.
        var delay = Self.isTokenRoute(route) ? 0 : delayEverything
        let text = String(decoding: body, as: UTF8.self)
        if let outage, !Self.isTokenRoute(route) {
            if case let .slow(seconds) = outage {
                delay = max(delay, seconds)
            } else {
                var answer = Self.failureAnswer(outage, route: route)
                answer.delay = delay
                return answer
            }
        }
        if let index = rules.firstIndex(where: { rule in
            (rule.pathContains.map { path.contains($0) } ?? true) && (rule.bodyContains.map { text.contains($0) } ?? true)
        }) {
            let failure = rules[index].failure
            rules[index].remaining -= 1
            if rules[index].remaining <= 0 { rules.remove(at: index) }
            if case let .slow(seconds) = failure {
                delay = max(delay, seconds)
            } else {
                var answer = Self.failureAnswer(failure, route: route)
                answer.delay = delay
                return answer
            }
        }
        var answer = success(route: route, path: path, headers: headers, body: body)
        answer.delay = delay
        return answer
    }

    private static func isTokenRoute(_ route: Route) -> Bool {
        if case .lineWorksToken = route { return true }
        return false
    }

    private func accept(_ platform: String, _ conversation: String, identity: String?, text: String) {
        delivered.append(Delivery(platform: platform, conversation: conversation, identity: identity, text: text,
                                  receivedAt: Date()))
    }

    /// `conversations.history` (top-level messages of a channel) or `conversations.replies` (a thread, its
    /// parent first), newest first as Slack lists them, from `oldest` on; metadata only with include_all_metadata.
    private func slackHistory(method: String, form: [String: String]) -> Answer {
        let channel = form["channel"] ?? ""
        let oldest = Double(form["oldest"] ?? "") ?? 0
        let withMetadata = form["include_all_metadata"] == "true" || form["include_all_metadata"] == "1"
        let thread = method == "conversations.replies" ? form["ts"] : nil
        if method == "conversations.replies", thread == nil {
            return Answer(status: 200, body: #"{"ok":false,"error":"invalid_arguments"}"#)
        }
        let listed = slackMessages.filter { message in
            guard message.channel == channel, (Double(message.ts) ?? 0) >= oldest else { return false }
            if let thread { return message.threadTS == thread || message.ts == thread }
            return message.threadTS == nil
        }
        let messages: [[String: Any]] = listed.reversed().map { message in
            var item: [String: Any] = ["type": "message", "ts": message.ts, "text": message.text, "bot_id": "B0FAKE"]
            if let threadTS = message.threadTS { item["thread_ts"] = threadTS }
            if withMetadata, let metadata = message.metadata { item["metadata"] = metadata }
            return item
        }
        return Answer(status: 200, body: Self.json(["ok": true, "messages": messages, "has_more": false]))
    }

    private static func form(_ body: [UInt8]) -> [String: String] {
        Call(method: "POST", path: "", headers: [:], body: body, receivedAt: Date()).formBody
    }

    private func success(route: Route, path: String, headers: [String: String], body: [UInt8]) -> Answer {
        let json = ((try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]) ?? [:]
        messageCounter += 1
        switch route {
        case let .slack(method):
            guard headers["authorization"]?.hasPrefix("Bearer ") == true else {
                return Answer(status: 200, body: #"{"ok":false,"error":"not_authed"}"#)
            }
            if method.hasPrefix("conversations.") { return slackHistory(method: method, form: Self.form(body)) }
            let channel = json["channel"] as? String ?? ""
            let ts = String(format: "%.6f", Date().timeIntervalSince1970 + Double(messageCounter % 1000) / 1_000_000)
            if method == "chat.postMessage" {
                let threadTS = json["thread_ts"] as? String
                let text = json["text"] as? String ?? ""
                let metadata = json["metadata"] as? [String: Any]
                slackMessages.append(SlackMessage(channel: channel, ts: ts, threadTS: threadTS, text: text, metadata: metadata))
                let payload = metadata?["event_payload"] as? [String: Any]
                let identity = (payload?["key"] as? String).map { "\($0)#\(payload?["part"] as? Int ?? 0)" }
                accept("slack", channel + (threadTS.map { "/" + $0 } ?? ""), identity: identity, text: text)
            }
            return Answer(status: 200, body: Self.json(["ok": true, "channel": channel, "ts": ts]))
        case let .telegram(method):
            if method == "answerCallbackQuery" { return Answer(status: 200, body: #"{"ok":true,"result":true}"#) }
            let chatID = json["chat_id"] ?? 0
            if method == "sendMessage" {
                accept("telegram", "\(chatID)", identity: nil, text: json["text"] as? String ?? "")
            }
            return Answer(status: 200, body: Self.json([
                "ok": true,
                "result": ["message_id": messageCounter, "date": 1_700_000_000, "chat": ["id": chatID, "type": "private"],
                           "text": json["text"] ?? ""],
            ]))
        case .lineReply, .linePush:
            guard headers["authorization"]?.hasPrefix("Bearer ") == true else {
                return Answer(status: 401, body: #"{"message":"Authentication failed due to the following reason: no token."}"#)
            }
            if let key = headers["x-line-retry-key"] {
                if acceptedRetryKeys.contains(key) {
                    return Answer(status: 409, headers: ["x-line-accepted-request-id": "fake"],
                                  body: #"{"message":"The retry key is already accepted","sentMessages":[]}"#)
                }
                acceptedRetryKeys.insert(key)
            }
            var identity = headers["x-line-retry-key"]
            var conversation = json["to"] as? String ?? ""
            if case .lineReply = route {
                // A reply token is single use, as on the platform: the second use is refused.
                let token = json["replyToken"] as? String ?? ""
                guard usedReplyTokens.insert(token).inserted else {
                    return Answer(status: 400, body: #"{"message":"Invalid reply token"}"#)
                }
                identity = "reply:" + token
                conversation = "reply"
            }
            let messages = json["messages"] as? [[String: Any]] ?? []
            accept("line", conversation, identity: identity, text: messages.compactMap { $0["text"] as? String }.joined(separator: "\n"))
            return Answer(status: 200, body: Self.json(["sentMessages": [["id": String(messageCounter), "quoteToken": "q"]]]))
        case .lineWorksToken:
            tokenCounter += 1
            let token = "fake-lineworks-token-\(tokenCounter)"
            issuedTokens.insert(token)
            let lifetime: Any = tokenLifetimeAsString ? String(tokenLifetime) : tokenLifetime
            return Answer(status: 200, body: Self.json([
                "access_token": token, "refresh_token": "fake-refresh-\(tokenCounter)", "token_type": "Bearer",
                "expires_in": lifetime, "scope": "bot",
            ]))
        case .lineWorksMessage:
            let presented = headers["authorization"].map { String($0.dropFirst("Bearer ".count)) } ?? ""
            guard issuedTokens.contains(presented) else {
                return Answer(status: 401, body: #"{"code":"UNAUTHORIZED","description":"Authentication failed"}"#)
            }
            let content = json["content"] as? [String: Any]
            accept("lineworks", path, identity: nil, text: content?["text"] as? String ?? "")
            return Answer(status: 201)
        case .unknown:
            return Answer(status: 404, body: #"{"ok":false,"error":"unknown_method"}"#)
        }
    }

    private static func failureAnswer(_ failure: Failure, route: Route) -> Answer {
        switch failure {
        case let .rateLimited(seconds):
            switch route {
            case .telegram:
                return Answer(status: 429, body: json([
                    "ok": false, "error_code": 429, "description": "Too Many Requests: retry after \(seconds)",
                    "parameters": ["retry_after": seconds],
                ]))
            case .slack:
                return Answer(status: 429, headers: ["Retry-After": String(seconds)], body: #"{"ok":false,"error":"ratelimited"}"#)
            default:
                return Answer(status: 429, headers: ["Retry-After": String(seconds)],
                              body: #"{"message":"The API rate limit has been exceeded. Try again later."}"#)
            }
        case let .serverError(status), let .status(status):
            return errorAnswer(status: status, route: route)
        case let .slackError(error):
            return Answer(status: 200, body: json(["ok": false, "error": error]))
        case .slow:
            return Answer(status: 500)
        }
    }

    private static func errorAnswer(status: Int, route: Route) -> Answer {
        switch route {
        case .telegram:
            let description = status >= 500 ? "Internal Server Error" : status == 403
                ? "Forbidden: bot was blocked by the user" : "Bad Request: chat not found"
            return Answer(status: status, body: json(["ok": false, "error_code": status, "description": description]))
        case .lineReply, .linePush:
            let message = status >= 500 ? "Internal server error" : status == 400 ? "Invalid reply token" : "Error"
            return Answer(status: status, body: json(["message": message]))
        case .slack:
            return Answer(status: status, body: status >= 500 ? "" : json(["ok": false, "error": "invalid_request"]))
        default:
            return Answer(status: status, body: json(["code": status >= 500 ? "SERVER_ERROR" : "BAD_REQUEST",
                                                      "description": "fake failure"]))
        }
    }

    private static func json(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
