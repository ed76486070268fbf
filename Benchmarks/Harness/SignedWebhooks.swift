import Crypto
import Foundation

/// The four messengers the harness attacks, with the route each delivers to.
public enum HarnessPlatform: String, CaseIterable, Sendable, Hashable {
    case slack, telegram, line, lineworks

    public var path: String {
        switch self {
        case .slack: "/webhooks/slack/events"
        case .telegram: "/webhooks/telegram"
        case .line: "/webhooks/line"
        case .lineworks: "/webhooks/lineworks"
        }
    }
}

/// The webhook secrets a harness server is started with (the `FIRSTLINE_*` variables of `environment`).
public struct HarnessSecrets: Sendable {
    public var slackSigningSecret = "harness-slack-signing-secret"
    public var telegramSecretToken = "harness-telegram-secret-token"
    public var lineChannelSecret = "harness-line-channel-secret"
    public var lineWorksBotSecret = "harness-lineworks-bot-secret"
    public var lineWorksBotID = "2000001"

    public init() {}

    /// Everything `firstline serve` needs to enable all four platforms against a fake API at `apiURL`.
    /// LINE WORKS also needs a service account key (`privateKeyFile`, an RSA PEM).
    public func environment(apiURL: String, privateKeyFile: String) -> [String: String] {
        [
            "FIRSTLINE_SLACK_SIGNING_SECRET": slackSigningSecret, "FIRSTLINE_SLACK_BOT_TOKEN": "xoxb-harness",
            "FIRSTLINE_SLACK_API_URL": apiURL,
            "FIRSTLINE_TELEGRAM_BOT_TOKEN": "4242:harness", "FIRSTLINE_TELEGRAM_SECRET_TOKEN": telegramSecretToken,
            "FIRSTLINE_TELEGRAM_API_URL": apiURL,
            "FIRSTLINE_LINE_CHANNEL_SECRET": lineChannelSecret, "FIRSTLINE_LINE_CHANNEL_ACCESS_TOKEN": "harness-line-token",
            "FIRSTLINE_LINE_API_URL": apiURL,
            "FIRSTLINE_LINEWORKS_BOT_ID": lineWorksBotID, "FIRSTLINE_LINEWORKS_BOT_SECRET": lineWorksBotSecret,
            "FIRSTLINE_LINEWORKS_CLIENT_ID": "harness-client", "FIRSTLINE_LINEWORKS_CLIENT_SECRET": "harness-client-secret",
            "FIRSTLINE_LINEWORKS_SERVICE_ACCOUNT": "harness.serviceaccount@example.com",
            "FIRSTLINE_LINEWORKS_PRIVATE_KEY_FILE": privateKeyFile,
            "FIRSTLINE_LINEWORKS_API_URL": apiURL, "FIRSTLINE_LINEWORKS_AUTH_URL": apiURL,
        ]
    }
}

/// One webhook request as a platform would send it: route, headers (in order, repeats allowed) and raw body.
public struct SignedWebhook: Sendable, Hashable {
    public var platform: HarnessPlatform
    public var headers: [Header]
    public var body: [UInt8]
    /// `platform:eventID` as the inbox stores it (the outbox keys replies `platform:eventID:index`).
    public var eventKey: String

    public struct Header: Sendable, Hashable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public var path: String { platform.path }
}

/// Builds correctly signed message events of the four platforms (../shared/docs/messengers.md §1–4, §8):
/// Slack `v0=hex(HMAC-SHA256(secret, "v0:ts:body"))` with its timestamp, Telegram's secret-token header,
/// LINE `base64(HMAC-SHA256(channel secret, body))`, LINE WORKS the same with the bot secret and its bot id.
public struct WebhookFactory: Sendable {
    public let secrets: HarnessSecrets

    public init(secrets: HarnessSecrets = HarnessSecrets()) {
        self.secrets = secrets
    }

    /// A direct message from person `conversation` of `platform`, distinct for each (`runID`, `serial`).
    public func message(_ platform: HarnessPlatform, conversation: Int, serial: Int, text: String, runID: String,
                        now: Date = Date()) -> SignedWebhook {
        let seconds = Int(now.timeIntervalSince1970)
        let body: String
        let eventKey: String
        switch platform {
        case .slack:
            let eventID = "Ev\(runID)x\(serial)"
            body = #"{"token":"harness","team_id":"T0HARNESS","api_app_id":"A0HARNESS","type":"event_callback","#
                + #""event_id":"\#(eventID)","event_time":\#(seconds),"event":{"type":"message","channel":"D\#(runID)\#(conversation)","#
                + #""channel_type":"im","user":"U\#(runID)\#(conversation)","text":"\#(text)","ts":"\#(seconds).\#(100_000 + serial)"}}"#
            eventKey = "slack:\(eventID)"
        case .telegram:
            // update_id must be an integer: the run id's hash keeps runs against one database apart.
            let updateID = Self.numericRun(runID) * 10_000_000 + serial
            let chat = 7_000_000 + conversation
            body = #"{"update_id":\#(updateID),"message":{"message_id":\#(serial % 100_000 + 1),"date":\#(seconds),"#
                + #""chat":{"id":\#(chat),"type":"private"},"from":{"id":\#(chat),"is_bot":false,"first_name":"Ken","#
                + #""language_code":"ja"},"text":"\#(text)"}}"#
            eventKey = "telegram:\(updateID)"
        case .line:
            let eventID = "01H\(runID.uppercased())X\(serial)"
            body = #"{"destination":"U0000","events":[{"type":"message","mode":"active","timestamp":\#(seconds * 1000),"#
                + #""webhookEventId":"\#(eventID)","deliveryContext":{"isRedelivery":false},"#
                + #""source":{"type":"user","userId":"U\#(runID)L\#(conversation)"},"replyToken":"rt-\#(runID)-\#(serial)","#
                + #""message":{"type":"text","id":"\#(serial)","text":"\#(text)"}}]}"#
            eventKey = "line:\(eventID)"
        case .lineworks:
            let issued = Self.iso8601(now, serial: serial)
            body = #"{"type":"message","source":{"userId":"w-\#(runID)-\#(conversation)","domainId":1},"#
                + #""issuedTime":"\#(issued)","content":{"type":"text","text":"\#(text)"}}"#
            eventKey = ""  // set below: LINE WORKS has no event id, the server uses the body's digest
        }
        var webhook = SignedWebhook(platform: platform, headers: [], body: Array(body.utf8), eventKey: eventKey)
        if platform == .lineworks { webhook.eventKey = "lineworks:" + Self.hex(SHA256.hash(data: webhook.body)) }
        webhook.headers = signatureHeaders(for: platform, body: webhook.body, timestamp: seconds)
        return webhook
    }

    /// The headers that authenticate `body` on `platform` (Slack's with `timestamp`), plus the content type.
    public func signatureHeaders(for platform: HarnessPlatform, body: [UInt8], timestamp: Int) -> [SignedWebhook.Header] {
        var headers = [SignedWebhook.Header("Content-Type", "application/json")]
        switch platform {
        case .slack:
            let key = SymmetricKey(data: Array(secrets.slackSigningSecret.utf8))
            let mac = HMAC<SHA256>.authenticationCode(for: Array("v0:\(timestamp):".utf8) + body, using: key)
            headers.append(.init("X-Slack-Request-Timestamp", String(timestamp)))
            headers.append(.init("X-Slack-Signature", "v0=" + Self.hex(mac)))
        case .telegram:
            headers.append(.init("X-Telegram-Bot-Api-Secret-Token", secrets.telegramSecretToken))
        case .line:
            headers.append(.init("x-line-signature", Self.base64HMAC(secret: secrets.lineChannelSecret, body: body)))
        case .lineworks:
            headers.append(.init("X-WORKS-Signature", Self.base64HMAC(secret: secrets.lineWorksBotSecret, body: body)))
            headers.append(.init("X-WORKS-BotId", secrets.lineWorksBotID))
        }
        return headers
    }

    static func base64HMAC(secret: String, body: [UInt8]) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8)))
        return Data(mac).base64EncodedString()
    }

    static func numericRun(_ runID: String) -> Int {
        var hash: UInt64 = 1469598103934665603
        for byte in runID.utf8 { hash = (hash ^ UInt64(byte)) &* 1099511628211 }
        return Int(hash % 900_000) + 100_000
    }

    /// `issuedTime` one millisecond apart per serial: the body (and so LINE WORKS's digest id) differs per event.
    static func iso8601(_ date: Date, serial: Int) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: (date.timeIntervalSince1970.rounded(.down)) + Double(serial) / 1000))
    }

    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Questions in the three languages that the bundled content answers with an article.
    public static let questions = ["VPN won't connect", "printer is jammed", "パスワードを忘れました", "프린터가 안 돼요",
                                   "wifi keeps dropping", "outlook does not open", "VPN이 안 돼요", "Wi-Fiがつながりません"]
}
