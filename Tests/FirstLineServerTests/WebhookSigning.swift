import AsyncHTTPClient
import Crypto
import _CryptoExtras
import FirstLineCore
import FirstLineMessengers
import FirstLineServer
import FirstLineTestSupport
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@testable import FirstLineStore

// Signing as the platforms do (messengers.md §8), and a harness that runs the real application on a
// loopback socket with every messenger pointed at a `FakePlatformAPI`.

enum WebhookSigning {
    static let slackSecret = "e2e_slack_signing_secret"
    static let slackToken = "xoxb-e2e-token"
    static let slackBotUser = "U0BOT"
    static let telegramToken = "123456:E2E-token"
    static let telegramSecret = "e2e_telegram_secret-1"
    static let lineSecret = "e2e_line_channel_secret"
    static let lineToken = "e2e-line-access-token"
    static let worksBotID = "2000001"
    static let worksSecret = "e2e_works_bot_secret"

    /// `"v0=" + hex(HMAC-SHA256(secret, "v0:" + ts + ":" + body))`.
    static func slack(secret: String = slackSecret, timestamp: String, body: [UInt8]) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array("v0:\(timestamp):".utf8) + body,
                                                  using: SymmetricKey(data: Array(secret.utf8)))
        return "v0=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    /// `base64(HMAC-SHA256(secret, body))`: LINE and LINE WORKS.
    static func base64(secret: String, body: [UInt8]) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8)))).base64EncodedString()
    }

    /// Slack's interactivity form body: `payload=<percent-encoded JSON>`.
    static func slackForm(payload: String) -> [UInt8] {
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return Array(("payload=" + (payload.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "")).utf8)
    }

    static func json(_ object: Any) -> String {
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    // MARK: Payloads

    static func slackDM(eventID: String, text: String, ts: String, channel: String = "D01E2E", user: String = "U01E2E") -> [UInt8] {
        Array(json([
            "type": "event_callback", "team_id": "T1", "api_app_id": "A1", "event_id": eventID, "event_time": 1_700_000_000,
            "event": ["type": "message", "channel_type": "im", "channel": channel, "user": user, "text": text, "ts": ts],
        ]).utf8)
    }

    /// A message in a channel thread (an agent answering under a ticket post in the agents' channel).
    static func slackThreadReply(eventID: String, text: String, ts: String, threadTS: String, channel: String,
                                 user: String) -> [UInt8] {
        Array(json([
            "type": "event_callback", "team_id": "T1", "api_app_id": "A1", "event_id": eventID, "event_time": 1_700_000_000,
            "event": ["type": "message", "channel_type": "channel", "channel": channel, "user": user, "text": text, "ts": ts,
                      "thread_ts": threadTS],
        ]).utf8)
    }

    static func slackButton(value: String, actionTS: String, channel: String = "D01E2E", user: String = "U01E2E") -> [UInt8] {
        slackForm(payload: json([
            "type": "block_actions", "user": ["id": user, "name": "minji"], "trigger_id": "1.2.\(actionTS)",
            "container": ["type": "message", "message_ts": "1700000001.000200", "channel_id": channel, "is_ephemeral": false],
            "channel": ["id": channel, "name": "directmessage"],
            "response_url": "https://hooks.slack.com/actions/T1/1/x",
            "actions": [["action_id": "firstline-0", "block_id": "firstline-actions", "type": "button", "value": value,
                         "action_ts": actionTS]],
        ]))
    }

    static func telegramText(updateID: Int, chatID: Int = 424242, text: String) -> [UInt8] {
        Array(json([
            "update_id": updateID,
            "message": ["message_id": updateID % 1000, "date": Int(Date().timeIntervalSince1970),
                        "chat": ["id": chatID, "type": "private"],
                        "from": ["id": chatID, "is_bot": false, "first_name": "Ken", "language_code": "ja"], "text": text],
        ]).utf8)
    }

    /// A message in a group that replies to the message `repliesTo` (an agent answering a post).
    static func telegramGroupReply(updateID: Int, chatID: Int, userID: Int, text: String, repliesTo: Int) -> [UInt8] {
        Array(json([
            "update_id": updateID,
            "message": ["message_id": 9000 + updateID % 1000, "date": Int(Date().timeIntervalSince1970),
                        "chat": ["id": chatID, "type": "supergroup", "title": "IT agents"],
                        "from": ["id": userID, "is_bot": false, "first_name": "Agent"], "text": text,
                        "reply_to_message": ["message_id": repliesTo, "date": 1_700_000_000,
                                             "chat": ["id": chatID, "type": "supergroup"],
                                             "from": ["id": 1, "is_bot": true, "first_name": "FirstLine"], "text": "…"]],
        ]).utf8)
    }

    static func telegramCallback(updateID: Int, queryID: String, chatID: Int = 424242, fromID: Int? = nil,
                                 data: String) -> [UInt8] {
        Array(json([
            "update_id": updateID,
            "callback_query": [
                "id": queryID, "chat_instance": "-1", "data": data,
                "from": ["id": fromID ?? chatID, "is_bot": false, "first_name": "Ken", "language_code": "ja"],
                "message": ["message_id": 6, "date": Int(Date().timeIntervalSince1970), "chat": ["id": chatID, "type": "private"],
                            "text": "…"],
            ],
        ]).utf8)
    }

    static func lineText(eventID: String, text: String, replyToken: String, user: String = "U1111E2E",
                         sentAt: Date = Date()) -> [UInt8] {
        Array(json([
            "destination": "U0000",
            "events": [[
                "type": "message", "mode": "active", "timestamp": Int(sentAt.timeIntervalSince1970 * 1000),
                "webhookEventId": eventID, "deliveryContext": ["isRedelivery": false],
                "source": ["type": "user", "userId": user], "replyToken": replyToken,
                "message": ["type": "text", "id": "1", "text": text],
            ]],
        ]).utf8)
    }

    static func lineWorksText(text: String, user: String = "u-e2e", issued: String = "2025-01-01T00:00:00.000Z") -> [UInt8] {
        Array(json([
            "type": "message", "source": ["userId": user, "domainId": 1], "issuedTime": issued,
            "content": ["type": "text", "text": text],
        ]).utf8)
    }
}

// MARK: - Requests

extension TestClientProtocol {
    func post(_ uri: String, body: [UInt8], headers: HTTPFields) async throws -> TestResponse {
        try await execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(bytes: body))
    }

    /// A Slack request signed now (or at `timestamp`).
    func slack(_ route: String, body: [UInt8], form: Bool = false, timestamp: Date = Date(), retry: Int? = nil,
               signature: String? = nil) async throws -> TestResponse {
        let ts = String(Int(timestamp.timeIntervalSince1970))
        var headers: HTTPFields = [.contentType: form ? "application/x-www-form-urlencoded" : "application/json"]
        headers[HTTPField.Name("X-Slack-Request-Timestamp")!] = ts
        headers[HTTPField.Name("X-Slack-Signature")!] = signature ?? WebhookSigning.slack(timestamp: ts, body: body)
        if let retry {
            headers[HTTPField.Name("X-Slack-Retry-Num")!] = String(retry)
            headers[HTTPField.Name("X-Slack-Retry-Reason")!] = "http_timeout"
        }
        return try await post("/webhooks/slack/\(route)", body: body, headers: headers)
    }

    func telegram(body: [UInt8], secret: String = WebhookSigning.telegramSecret) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        headers[HTTPField.Name("X-Telegram-Bot-Api-Secret-Token")!] = secret
        return try await post("/webhooks/telegram", body: body, headers: headers)
    }

    func line(body: [UInt8]) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        headers[HTTPField.Name("x-line-signature")!] = WebhookSigning.base64(secret: WebhookSigning.lineSecret, body: body)
        return try await post("/webhooks/line", body: body, headers: headers)
    }

    func lineWorks(body: [UInt8]) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        headers[HTTPField.Name("X-WORKS-Signature")!] = WebhookSigning.base64(secret: WebhookSigning.worksSecret, body: body)
        headers[HTTPField.Name("X-WORKS-BotId")!] = WebhookSigning.worksBotID
        return try await post("/webhooks/lineworks", body: body, headers: headers)
    }
}

// MARK: - The harness

/// The real application (`FirstLineApplication.build`) on a loopback port, its messengers pointed at a
/// started `FakePlatformAPI`, workers polling every 50 ms, a system clock (Slack signatures carry the
/// current time), and a temporary SQLite file.
struct WebhookWorld: Sendable {
    let client: any TestClientProtocol
    let database: AppDatabase
    let fake: FakePlatformAPI

    enum Platforms: Sendable {
        case all
        case slackOnly
    }

    static func with(_ platforms: Platforms = .all, clientTimeout: Duration = .seconds(5), retry: RetryPolicy? = nil,
                     slackAgentChannel: String? = nil, telegramAgentChat: Int64? = nil, desk: DeskPolicy? = nil,
                     adminToken: String? = nil, logger: Logger = TestEnvironment.quietLogger,
                     _ body: @Sendable (WebhookWorld) async throws -> Void) async throws {
        try await TestEnvironment.with { env in
            let fake = FakePlatformAPI()
            let base = try await fake.start().absoluteString
            do {
                var configuration = env.configuration
                configuration.workerInterval = .milliseconds(50)
                configuration.contentCheckInterval = nil
                if let retry { configuration.outboxRetry = retry }
                if let desk { configuration.desk = desk }
                configuration.adminToken = adminToken
                let slack = MessengerConfiguration.Slack(signingSecret: WebhookSigning.slackSecret,
                                                         botToken: WebhookSigning.slackToken,
                                                         agentChannel: slackAgentChannel,
                                                         botUserID: WebhookSigning.slackBotUser, apiURL: base)
                switch platforms {
                case .slackOnly:
                    configuration.messengers = MessengerConfiguration(slack: slack)
                case .all:
                    let keyFile = env.folder.appendingPathComponent("works.pem").path
                    try generateRSAKey(at: keyFile)
                    configuration.messengers = MessengerConfiguration(
                        slack: slack,
                        telegram: .init(botToken: WebhookSigning.telegramToken, secretToken: WebhookSigning.telegramSecret,
                                        apiURL: base, agentChat: telegramAgentChat),
                        line: .init(channelSecret: WebhookSigning.lineSecret, channelAccessToken: WebhookSigning.lineToken,
                                    apiURL: base),
                        lineWorks: .init(botID: WebhookSigning.worksBotID, botSecret: WebhookSigning.worksSecret,
                                         clientID: "client-id", clientSecret: "client-secret",
                                         serviceAccount: "e2e.serviceaccount@example.com", privateKeyFile: keyFile,
                                         apiURL: base, authURL: base))
                }
                let messengerClient = try MessengerClient(configuration: configuration.messengers, httpClient: .shared,
                                                          timeout: clientTimeout, logger: logger)
                let database = try env.openDatabase()
                defer { try? database.close() }
                let dependencies = ServerDependencies(database: database, clock: SystemClock(),
                                                      logger: logger, messengerClient: messengerClient)
                let app = FirstLineApplication.build(configuration: configuration, dependencies: dependencies)
                try await app.test(.live) { client in
                    try await body(WebhookWorld(client: client, database: database, fake: fake))
                }
            } catch {
                await fake.stop()
                throw error
            }
            await fake.stop()
        }
    }

    /// In process rather than with `openssl genrsa`: Foundation's `Process.run` has crashed (SIGSEGV in its
    /// memcpy) while many suites start processes at once.
    private static func generateRSAKey(at path: String) throws {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        try key.pemRepresentation.write(toFile: path, atomically: true, encoding: .utf8)
    }

    // MARK: Waiting (bounded polling: the workers are real async services)

    /// Polls `probe` every 25 ms until it returns a value, for at most `timeout`.
    func eventually<T>(_ what: @autoclosure () -> String, timeout: Duration = .seconds(15),
                       sourceLocation: SourceLocation = #_sourceLocation,
                       _ probe: () async throws -> T?) async throws -> T {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            if let value = try await probe() { return value }
            if clock.now >= deadline {
                let description = what()
                try #require(Bool(false), "timed out waiting for \(description)", sourceLocation: sourceLocation)
            }
            try await Task.sleep(for: .milliseconds(25))
        }
    }

    /// Waits until every inbox row is processed and every outbox row is final (sent or failed).
    func settle(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let database = database
        _ = try await eventually("inbox and outbox to settle", sourceLocation: sourceLocation) { () -> Bool? in
            let busy = try await database.read { db in
                let inbox = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inbox WHERE status = 'pending'") ?? 0
                let outbox = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')") ?? 0
                return inbox + outbox
            }
            return busy == 0 ? true : nil
        }
    }

    /// Waits until `count` calls whose path contains `fragment` were recorded, and returns them all.
    @discardableResult
    func calls(_ fragment: String, atLeast count: Int,
               sourceLocation: SourceLocation = #_sourceLocation) async throws -> [FakePlatformAPI.Call] {
        let fake = fake
        return try await eventually("\(count) call(s) to \(fragment)", sourceLocation: sourceLocation) {
            let calls = await fake.calls(pathContaining: fragment)
            return calls.count >= count ? calls : nil
        }
    }

    func inboxCount() async throws -> Int {
        try await database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inbox") ?? 0 }
    }

    func outboxRows() async throws -> [OutboxMessage] {
        try await database.read { db in try OutboxMessage.order(Column("id")).fetchAll(db) }
    }
}

// MARK: - Reading what the fake received

/// A Slack `chat.postMessage` body: the section texts and the button values.
struct SlackPost {
    var channel: String
    var text: String
    var buttons: [String]

    init(_ call: FakePlatformAPI.Call) {
        let json = call.jsonBody ?? [:]
        channel = json["channel"] as? String ?? ""
        let blocks = json["blocks"] as? [[String: Any]] ?? []
        text = blocks.compactMap { ($0["text"] as? [String: Any])?["text"] as? String }.joined(separator: "\n")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
        buttons = blocks.flatMap { ($0["elements"] as? [[String: Any]]) ?? [] }.compactMap { $0["value"] as? String }
    }
}

/// A Telegram `sendMessage` body: the text and the inline keyboard's callback data.
struct TelegramPost {
    var chatID: Int
    var text: String
    var buttons: [String]

    init(_ call: FakePlatformAPI.Call) {
        let json = call.jsonBody ?? [:]
        chatID = json["chat_id"] as? Int ?? 0
        text = json["text"] as? String ?? ""
        let keyboard = (json["reply_markup"] as? [String: Any])?["inline_keyboard"] as? [[[String: Any]]] ?? []
        buttons = keyboard.flatMap { $0 }.compactMap { $0["callback_data"] as? String }
    }
}
