import FirstLineContent
import FirstLineCore
import FirstLineMessengers
import FirstLineServer
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import FirstLineStore

/// Issue 15, point 4: rate limits (429 with Retry-After, counted in /metrics) on the injected clock,
/// web chat sessions only the server issues, security headers, and secrets being rotated.
@Suite("security limits: rate limits, issued sessions, headers, rotated secrets")
struct SecurityLimitsTests {
    static func withServer(_ adjust: @Sendable (inout ServerConfiguration) -> Void = { _ in },
                           _ body: @Sendable (TestEnvironment, any TestClientProtocol, AppDatabase) async throws -> Void) async throws {
        try await TestEnvironment.with { base in
            var env = base
            adjust(&env.configuration)
            env.configuration.adminToken = testAdminToken
            let server = env
            try await server.withServer { client, database in try await body(server, client, database) }
        }
    }

    static func metric(_ client: some TestClientProtocol, _ line: String) async throws -> Double? {
        let text = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
        guard let found = text.split(separator: "\n").first(where: { $0.hasPrefix(line + " ") }) else { return nil }
        return Double(found.split(separator: " ").last ?? "")
    }

    // MARK: Rate limits

    @Test("300 chat messages from one session in a burst: the default 30 pass, 270 get 429 with Retry-After; a token returns with time")
    func chatBurst() async throws {
        try await Self.withServer { env, client, database in
            let session = try await client.newSession()
            var statuses: [HTTPResponse.Status: Int] = [:]
            var retryAfter: Set<String> = []
            for index in 0..<300 {
                let response = try await client.postChat(JSON.string(["session": session, "text": "printer is jammed \(index)"]))
                statuses[response.status, default: 0] += 1
                if response.status == .tooManyRequests {
                    expectError(response, .tooManyRequests, code: "rate_limited")
                    retryAfter.insert(response.headers[HTTPField.Name("Retry-After")!] ?? "missing")
                }
            }
            #expect(statuses[.ok] == 30)
            #expect(statuses[.tooManyRequests] == 270)
            // 30 per 60 s: one message every 2 s, so the clock that never moved says 2 s.
            #expect(retryAfter == ["2"])
            // Refused messages stored nothing: 30 messages from the employee in the transcript.
            #expect(try await database.transcript(session: session).filter { $0.author == .employee }.count == 30)
            #expect(try await Self.metric(client, #"firstline_rate_limited_total{scope="chat_session"}"#) == 270)
            // Another session is not held up by this one.
            _ = try await client.chat(session: try await client.newSession(), text: "printer is jammed")
            // Two seconds later there is room for one more, not two.
            env.clock.advance(by: 2)
            #expect(try await client.postChat(JSON.string(["session": session, "text": "again"])).status == .ok)
            #expect(try await client.postChat(JSON.string(["session": session, "text": "again"])).status == .tooManyRequests)
        }
    }

    @Test("failed logins from one address: after 20 refused tokens even a good token waits; the bucket refills")
    func loginFailures() async throws {
        try await Self.withServer { env, client, _ in
            for _ in 0..<20 {
                expectError(try await client.api(.get, "/api/v1/me", token: "fl_wrong-\(UUID().uuidString)"), .unauthorized)
            }
            let blocked = try await client.api(.get, "/api/v1/me", token: testAdminToken)
            expectError(blocked, .tooManyRequests, code: "rate_limited")
            #expect(blocked.headers[HTTPField.Name("Retry-After")!] == "3")
            // A request without a token is no guess and spends nothing, but it waits too.
            expectError(try await client.api(.get, "/api/v1/me", token: nil), .tooManyRequests)
            // The API description is not behind the login limit.
            #expect(try await client.execute(uri: "/api/v1/openapi.json", method: .get).status == .ok)
            env.clock.advance(by: 3)
            #expect(try await client.api(.get, "/api/v1/me", token: testAdminToken).status == .ok)
            #expect(try await Self.metric(client, #"firstline_rate_limited_total{scope="login_ip"}"#) == 2)
        }
    }

    @Test("new sessions and chat requests per address follow their own limits from firstline.yml")
    func perAddressChat() async throws {
        try await Self.withServer({ configuration in
            configuration.limits.sessionsPerIP = RateLimit(requests: 3, perSeconds: 60)
            configuration.limits.chatPerIP = RateLimit(requests: 5, perSeconds: 10)
        }) { env, client, _ in
            for _ in 0..<3 { _ = try await client.newSession() }
            let refused = try await client.execute(uri: "/api/v1/chat/sessions", method: .post)
            expectError(refused, .tooManyRequests, code: "rate_limited")
            #expect(refused.headers[HTTPField.Name("Retry-After")!] == "20")
            // Three chat requests spent (a refusal spends no token of either bucket); two are left.
            for _ in 0..<2 {
                #expect(try await client.execute(uri: "/api/v1/chat/history", method: .get).status == .badRequest)
            }
            let chat = try await client.execute(uri: "/api/v1/chat/history", method: .get)
            expectError(chat, .tooManyRequests, code: "rate_limited")
            #expect(chat.headers[HTTPField.Name("Retry-After")!] == "2")
            env.clock.advance(by: 20)
            #expect(try await client.execute(uri: "/api/v1/chat/sessions", method: .post).status == .created)
        }
    }

    static let slackSecret = "rotation-new-slack-secret"
    static let oldSlackSecret = "rotation-old-slack-secret"

    static func slackConfiguration(_ configuration: inout ServerConfiguration) {
        var slack = MessengerConfiguration.Slack(signingSecret: slackSecret, botToken: "xoxb-test", botUserID: "U0BOT")
        slack.previousSigningSecret = oldSlackSecret
        configuration.messengers = MessengerConfiguration(slack: slack)
        configuration.processesInbox = false
    }

    func slack(_ client: some TestClientProtocol, secret: String, eventID: String, user: String,
               at now: Date) async throws -> TestResponse {
        let body = WebhookSigning.slackDM(eventID: eventID, text: "printer is jammed", ts: "1700000000.\(eventID.count)",
                                          channel: "D\(user)", user: user)
        let ts = String(Int(now.timeIntervalSince1970))
        return try await client.slack("events", body: body, timestamp: now,
                                      signature: WebhookSigning.slack(secret: secret, timestamp: ts, body: body))
    }

    @Test("webhooks: one sender over webhook_per_sender gets 429 and nothing stored; others pass; per address too")
    func webhookLimits() async throws {
        try await Self.withServer({ configuration in
            Self.slackConfiguration(&configuration)
            configuration.limits.webhookPerSender = RateLimit(requests: 3, perSeconds: 60)
            configuration.limits.webhookPerIP = RateLimit(requests: 8, perSeconds: 1)
        }) { env, client, database in
            let now = env.clock.now()
            for index in 0..<3 {
                #expect(try await slack(client, secret: Self.slackSecret, eventID: "Ev-a\(index)", user: "UAAA", at: now).status == .ok)
            }
            let inboxBefore = try await database.pending(limit: 100).count
            let refused = try await slack(client, secret: Self.slackSecret, eventID: "Ev-a3", user: "UAAA", at: now)
            expectError(refused, .tooManyRequests, code: "rate_limited")
            #expect(refused.headers[HTTPField.Name("Retry-After")!] == "20")
            #expect(try await database.pending(limit: 100).count == inboxBefore, "a refused delivery stores nothing")
            #expect(try await slack(client, secret: Self.slackSecret, eventID: "Ev-b0", user: "UBBB", at: now).status == .ok)
            #expect(try await Self.metric(client, #"firstline_webhook_events_total{platform="slack",result="rate_limited"}"#) == 1)
            // Five requests so far from this address; three more pass, the ninth in the same second does not.
            for index in 0..<3 {
                #expect(try await slack(client, secret: Self.slackSecret, eventID: "Ev-c\(index)", user: "UC\(index)", at: now).status == .ok)
            }
            let perIP = try await slack(client, secret: Self.slackSecret, eventID: "Ev-d", user: "UDDD", at: now)
            expectError(perIP, .tooManyRequests, code: "rate_limited")
            #expect(try await Self.metric(client, #"firstline_rate_limited_total{scope="webhook_ip"}"#) == 1)
            #expect(try await Self.metric(client, #"firstline_rate_limited_total{scope="webhook_sender"}"#) == 1)
        }
    }

    @Test("the default limits pass a platform's burst: 2,000 webhooks from one address and 500 from one sender")
    func defaultsAreGenerousForPlatforms() async throws {
        try await Self.withServer({ Self.slackConfiguration(&$0) }) { env, client, database in
            let now = env.clock.now()
            for index in 0..<2000 {
                let user = index < 500 ? "UONE" : "U\(index % 400)"
                let response = try await slack(client, secret: Self.slackSecret, eventID: "Ev-\(index)", user: user, at: now)
                try #require(response.status == .ok, "webhook \(index): \(response.status)")
            }
            #expect(try await database.pending(limit: 5000).count == 2000)
        }
    }

    // MARK: Secrets being rotated

    @Test("during a rotation both the new and the previous secret verify; any other is 401 and stores nothing")
    func rotatedSecrets() async throws {
        try await Self.withServer({ Self.slackConfiguration(&$0) }) { env, client, database in
            let now = env.clock.now()
            #expect(try await slack(client, secret: Self.slackSecret, eventID: "Ev-new", user: "U1", at: now).status == .ok)
            #expect(try await slack(client, secret: Self.oldSlackSecret, eventID: "Ev-old", user: "U2", at: now).status == .ok)
            expectError(try await slack(client, secret: "someone-elses-secret", eventID: "Ev-bad", user: "U3", at: now),
                        .unauthorized, code: "bad_signature")
            #expect(try await database.pending(limit: 10).count == 2)
        }
    }

    @Test("the *_PREVIOUS variables are read for every platform and the admin token; the Telegram one is checked")
    func previousVariables() throws {
        let environment = [
            "FIRSTLINE_SLACK_SIGNING_SECRET": "s-new", "FIRSTLINE_SLACK_SIGNING_SECRET_PREVIOUS": "s-old", "FIRSTLINE_SLACK_BOT_TOKEN": "x",
            "FIRSTLINE_TELEGRAM_BOT_TOKEN": "1:x", "FIRSTLINE_TELEGRAM_SECRET_TOKEN": "t-new", "FIRSTLINE_TELEGRAM_SECRET_TOKEN_PREVIOUS": "t-old",
            "FIRSTLINE_LINE_CHANNEL_SECRET": "l-new", "FIRSTLINE_LINE_CHANNEL_SECRET_PREVIOUS": "l-old",
            "FIRSTLINE_LINE_CHANNEL_ACCESS_TOKEN": "x",
        ]
        let configuration = try MessengerConfiguration.fromEnvironment(environment)
        #expect(configuration.slack?.previousSigningSecret == "s-old")
        #expect(configuration.telegram?.previousSecretToken == "t-old")
        #expect(configuration.line?.previousChannelSecret == "l-old")
        let telegram = try #require(configuration.adapter(for: .telegram))
        for (secret, valid) in [("t-new", true), ("t-old", true), ("t-other", false)] {
            let headers = ["x-telegram-bot-api-secret-token": secret]
            #expect(((try? telegram.verify(headers: headers, body: [], now: Date())) != nil) == valid, "\(secret)")
        }
        let line = try #require(configuration.adapter(for: .line))
        let body = Array(#"{"events":[]}"#.utf8)
        for (secret, valid) in [("l-new", true), ("l-old", true), ("l-other", false)] {
            let headers = ["x-line-signature": WebhookSigning.base64(secret: secret, body: body)]
            #expect(((try? line.verify(headers: headers, body: body, now: Date())) != nil) == valid, "\(secret)")
        }
        var bad = environment
        bad["FIRSTLINE_TELEGRAM_SECRET_TOKEN_PREVIOUS"] = "has spaces"
        #expect(throws: ConfigurationError.self) { try MessengerConfiguration.fromEnvironment(bad) }
        #expect(!"\(configuration)".contains("s-old") && !"\(String(reflecting: configuration.slack))".contains("s-old"))
    }

    @Test("the bootstrap admin token being replaced works beside the new one, and never alone")
    func previousAdminToken() async throws {
        let previous = "fl_previous-bootstrap-admin-0123456789"
        try await Self.withServer({ $0.previousAdminToken = previous }) { _, client, _ in
            #expect(try await client.api(.get, "/api/v1/me", token: testAdminToken).status == .ok)
            #expect(try await client.api(.get, "/api/v1/me", token: previous).status == .ok)
            expectError(try await client.api(.get, "/api/v1/me", token: previous + "x"), .unauthorized)
        }
        let alone = Authenticator(accounts: try AppDatabase.inMemory(), bootstrapToken: nil, previousBootstrapToken: previous)
        await #expect(throws: AppError.self) { try await alone.principal(token: previous) }
    }

    // MARK: Sessions

    @Test("a session is issued in an HttpOnly SameSite=Strict cookie; the cookie alone carries the chat; it survives a restart")
    func sessionCookie() async throws {
        try await TestEnvironment.with { env in
            let session = try await env.withServer { client, _ in
                let issued = try await client.execute(uri: "/api/v1/chat/sessions", method: .post)
                #expect(issued.status == .created)
                let session = try JSON.decode(IssuedSession.self, issued.body).session
                let cookie = try #require(issued.headers[.setCookie])
                #expect(cookie.hasPrefix("firstline_session=\(session);"))
                for attribute in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age="] {
                    #expect(cookie.contains(attribute), "\(attribute) in \(cookie)")
                }
                #expect(!cookie.contains("Secure"), "plain HTTP without a trusted proxy saying https")
                // Issued, nothing said yet: an empty history, not an unknown session.
                let cookieHeader: HTTPFields = [.cookie: "firstline_session=\(session)", .contentType: "application/json"]
                let empty = try await client.execute(uri: "/api/v1/chat/history", method: .get, headers: cookieHeader)
                #expect(empty.status == .ok)
                #expect(try JSON.decode(ChatHistoryTests.HistoryAnswer.self, empty.body).messages.isEmpty)
                // The page sends no session in the body: the cookie is enough.
                let sent = try await client.execute(uri: "/api/v1/chat/messages", method: .post, headers: cookieHeader,
                                                    body: ByteBuffer(string: #"{"text":"printer is jammed"}"#))
                #expect(sent.status == .ok)
                #expect(try JSON.decode(ChatAnswer.self, sent.body).session == session)
                let polled = try await client.execute(uri: "/api/v1/chat/messages", method: .get, headers: cookieHeader)
                #expect(polled.status == .ok)
                // A made-up cookie is as unknown as a made-up body field.
                expectError(try await client.execute(uri: "/api/v1/chat/messages", method: .get,
                                                     headers: [.cookie: "firstline_session=ws_guessed"]), .notFound, code: "unknown_session")
                return session
            }
            try await env.withServer { client, database in
                #expect(try await client.chat(session: session, text: "still jammed").session == session)
                // Only the hash is stored.
                let stored = try await database.read { db in try String.fetchAll(db, sql: "SELECT keyHash FROM chatSession") }
                #expect(stored.count == 1 && stored[0].count == 64 && !stored.contains(session))
            }
        }
    }

    @Test("behind a trusted proxy the cookie is Secure and the forwarded address is the client; others' headers are ignored")
    func trustedProxy() async throws {
        // The router test client has no socket: its peer is "local".
        try await Self.withServer({ configuration in
            configuration.limits.trustedProxies = ["local"]
            configuration.limits.sessionsPerIP = RateLimit(requests: 1, perSeconds: 60)
        }) { _, client, _ in
            let first = try await client.execute(uri: "/api/v1/chat/sessions", method: .post,
                                                 headers: [HTTPField.Name("X-Forwarded-For")!: "203.0.113.7",
                                                           HTTPField.Name("X-Forwarded-Proto")!: "https"])
            #expect(first.headers[.setCookie]?.contains("Secure") == true)
            // Another client behind the same proxy has its own bucket; the first one has spent its own.
            #expect(try await client.execute(uri: "/api/v1/chat/sessions", method: .post,
                                             headers: [HTTPField.Name("X-Forwarded-For")!: "203.0.113.8"]).status == .created)
            #expect(try await client.execute(uri: "/api/v1/chat/sessions", method: .post,
                                             headers: [HTTPField.Name("X-Forwarded-For")!: "203.0.113.7"]).status == .tooManyRequests)
        }
        let peer = "198.51.100.1"
        let spoofed: HTTPFields = [HTTPField.Name("X-Forwarded-For")!: "10.0.0.1", HTTPField.Name("X-Forwarded-Proto")!: "https"]
        #expect(ClientAddress.resolve(peer: peer, headers: spoofed, trustedProxies: []) .address == peer)
        #expect(!ClientAddress.resolve(peer: peer, headers: spoofed, trustedProxies: []).isHTTPS)
        let chain: HTTPFields = [HTTPField.Name("X-Forwarded-For")!: "1.2.3.4, 203.0.113.9, 10.0.0.2"]
        #expect(ClientAddress.resolve(peer: "10.0.0.1", headers: chain, trustedProxies: ["10.0.0.1", "10.0.0.2"]).address == "203.0.113.9")
    }

    @Test("over a real socket the peer address is the client: a forwarded header from an untrusted peer changes nothing")
    func livePeerAddress() async throws {
        try await TestEnvironment.with { base in
            var env = base
            env.configuration.limits.sessionsPerIP = RateLimit(requests: 1, perSeconds: 60)
            try await env.withServer(.live) { client, _ in
                #expect(try await client.execute(uri: "/api/v1/chat/sessions", method: .post).status == .created)
                let spoofed = try await client.execute(uri: "/api/v1/chat/sessions", method: .post,
                                                       headers: [HTTPField.Name("X-Forwarded-For")!: "203.0.113.50"])
                expectError(spoofed, .tooManyRequests, code: "rate_limited")
                #expect(spoofed.headers[HTTPField.Name("Retry-After")!] == "60")
            }
            // The loopback peer named as the proxy: now each forwarded client has its own bucket.
            env.configuration.limits.trustedProxies = ["127.0.0.1", "::1"]
            try await env.withServer(.live) { client, _ in
                for (address, status) in [("203.0.113.51", HTTPResponse.Status.created), ("203.0.113.52", .created),
                                          ("203.0.113.51", .tooManyRequests)] {
                    let response = try await client.execute(uri: "/api/v1/chat/sessions", method: .post,
                                                            headers: [HTTPField.Name("X-Forwarded-For")!: address])
                    #expect(response.status == status, "\(address)")
                }
            }
        }
    }

    // MARK: Headers

    @Test("every HTML page has the CSP (own script and style only, no framing), nosniff and the referrer policy; no inline script",
          arguments: ["/chat", "/console"])
    func pageHeaders(_ path: String) async throws {
        try await Self.withServer { _, client, _ in
            let response = try await client.execute(uri: path, method: .get)
            #expect(response.status == .ok)
            let policy = try #require(response.headers[HTTPField.Name("Content-Security-Policy")!])
            for directive in ["default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"] {
                #expect(policy.contains(directive), "\(directive) in \(policy)")
            }
            #expect(!policy.contains("unsafe"))
            #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
            #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
            let html = String(buffer: response.body)
            #expect(!html.contains("<script>") && !html.contains("<style"), "inline code in \(path)")
            #expect(html.range(of: #"\son[a-z]+="#, options: .regularExpression) == nil, "an inline event handler in \(path)")
            // The JSON API gets nosniff too, errors included.
            let error = try await client.execute(uri: "/api/v1/chat/messages", method: .get)
            #expect(error.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
        }
    }

    // MARK: Settings

    @Test("limits: in firstline.yml: each bucket, 0 turns one off, trusted proxies are addresses; mistakes name their line")
    func settings() throws {
        let settings = try SettingsFile.parse("""
            limits:
              webhook_per_sender: { requests: 100, per_seconds: 60 }
              chat_per_session: { requests: 0 }
              trusted_proxies: [127.0.0.1, "::1"]
            """, file: "firstline.yml")
        #expect(settings.limits.webhookPerSender == RateLimit(requests: 100, perSeconds: 60))
        #expect(settings.limits.chatPerSession.isOff)
        #expect(settings.limits.trustedProxies == ["127.0.0.1", "::1"])
        #expect(settings.limits.webhookPerIP == RequestLimits().webhookPerIP, "the others keep their defaults")
        #expect(throws: SettingsFile.Failure.self) {
            try SettingsFile.parse("limits:\n  trusted_proxies: [proxy.example.com]\n", file: "f")
        }
        #expect(throws: SettingsFile.Failure.self) { try SettingsFile.parse("limits:\n  chat_per_ip: { requests: -1 }\n", file: "f") }
        #expect(throws: SettingsFile.Failure.self) { try SettingsFile.parse("limits:\n  chat_per_hour: 5\n", file: "f") }
    }

    @Test("a flood of distinct keys is forgotten once their buckets have refilled: memory lasts only as long as the flood")
    func forgetsRefilledKeys() async {
        let clock = ManualClock(TestEnvironment.start)
        var limits = RequestLimits()
        limits.chatPerSession = RateLimit(requests: 2, perSeconds: 10)
        let limiter = RateLimiter(limits: limits, clock: clock, sweepThreshold: 100)
        for index in 0..<100 { #expect(await limiter.admit(.chatSession, "guess-\(index)") == nil) }
        #expect(await limiter.trackedKeys == 100)
        clock.advance(by: 10)
        #expect(await limiter.admit(.chatSession, "one-more") == nil)
        #expect(await limiter.trackedKeys == 1, "only the key still being refilled is kept")
    }

    @Test("a token bucket: the burst, then one token per refill interval, never above the burst")
    func tokenBucket() {
        let limit = RateLimit(requests: 3, perSeconds: 3)
        let start = Date(timeIntervalSince1970: 0)
        var bucket = TokenBucket(limit: limit, at: start)
        #expect((0..<3).allSatisfy { _ in bucket.take(limit: limit, at: start) == nil })
        #expect(bucket.take(limit: limit, at: start) == 1)
        #expect(bucket.take(limit: limit, at: start.addingTimeInterval(1)) == nil)
        #expect(bucket.isFull(limit: limit, at: start.addingTimeInterval(100)))
        #expect((0..<3).allSatisfy { _ in bucket.take(limit: limit, at: start.addingTimeInterval(100)) == nil })
        #expect(bucket.take(limit: limit, at: start.addingTimeInterval(100)) != nil)
    }
}
