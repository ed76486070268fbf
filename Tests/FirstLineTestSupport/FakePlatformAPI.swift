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
///   refused in between.
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
        case 1 where segments[0] == "chat.postMessage" || segments[0] == "chat.update":
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
        var delay = 0.0
        let text = String(decoding: body, as: UTF8.self)
        if let index = rules.firstIndex(where: { rule in
            (rule.pathContains.map { path.contains($0) } ?? true) && (rule.bodyContains.map { text.contains($0) } ?? true)
        }) {
            let failure = rules[index].failure
            rules[index].remaining -= 1
            if rules[index].remaining <= 0 { rules.remove(at: index) }
            if case let .slow(seconds) = failure {
                delay = seconds
            } else {
                return Self.failureAnswer(failure, route: route)
            }
        }
        var answer = success(route: route, headers: headers, body: body)
        answer.delay = delay
        return answer
    }

    private func success(route: Route, headers: [String: String], body: [UInt8]) -> Answer {
        let json = ((try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]) ?? [:]
        messageCounter += 1
        switch route {
        case .slack:
            guard headers["authorization"]?.hasPrefix("Bearer ") == true else {
                return Answer(status: 200, body: #"{"ok":false,"error":"not_authed"}"#)
            }
            let channel = json["channel"] as? String ?? ""
            let ts = String(format: "1700000001.%06d", messageCounter)
            return Answer(status: 200, body: Self.json(["ok": true, "channel": channel, "ts": ts]))
        case let .telegram(method):
            if method == "answerCallbackQuery" { return Answer(status: 200, body: #"{"ok":true,"result":true}"#) }
            let chatID = json["chat_id"] ?? 0
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
