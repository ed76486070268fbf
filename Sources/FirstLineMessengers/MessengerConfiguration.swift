import FirstLineCore
import Foundation
import _CryptoExtras

/// Which platforms are enabled and how to reach them, from the environment (design.md §6).
/// A platform is enabled only when all its secrets are set; `description` never shows a secret.
public struct MessengerConfiguration: Sendable, Equatable {
    public static let defaultSlackAPIURL = "https://slack.com/api"
    public static let defaultTelegramAPIURL = "https://api.telegram.org"
    public static let defaultLineAPIURL = "https://api.line.me"
    public static let defaultLineWorksAPIURL = "https://www.worksapis.com/v1.0"
    public static let defaultLineWorksAuthURL = "https://auth.worksmobile.com"

    public struct Slack: Sendable, Equatable {
        public var signingSecret: String
        /// `FIRSTLINE_SLACK_SIGNING_SECRET_PREVIOUS`: also accepted while a new secret is rolled out.
        public var previousSigningSecret: String?
        public var botToken: String
        /// The agents' channel for ticket notices (`FIRSTLINE_SLACK_AGENT_CHANNEL`), optional.
        public var agentChannel: String?
        /// The bot's own user id (from `auth.test`); not an environment variable, set it in code.
        public var botUserID: String?
        public var apiURL: String

        public init(signingSecret: String, botToken: String, agentChannel: String? = nil, botUserID: String? = nil,
                    apiURL: String = MessengerConfiguration.defaultSlackAPIURL) {
            self.signingSecret = signingSecret
            self.botToken = botToken
            self.agentChannel = agentChannel
            self.botUserID = botUserID
            self.apiURL = apiURL
        }
    }

    public struct Telegram: Sendable, Equatable {
        public var botToken: String
        public var secretToken: String
        /// `FIRSTLINE_TELEGRAM_SECRET_TOKEN_PREVIOUS`: also accepted while `setWebhook` switches to the new one.
        public var previousSecretToken: String?
        public var apiURL: String
        /// The agents' group chat id (`FIRSTLINE_TELEGRAM_AGENT_CHAT`, a negative number), optional.
        public var agentChat: Int64?

        public init(botToken: String, secretToken: String, apiURL: String = MessengerConfiguration.defaultTelegramAPIURL,
                    agentChat: Int64? = nil) {
            self.botToken = botToken
            self.secretToken = secretToken
            self.apiURL = apiURL
            self.agentChat = agentChat
        }
    }

    public struct Line: Sendable, Equatable {
        public var channelSecret: String
        /// `FIRSTLINE_LINE_CHANNEL_SECRET_PREVIOUS`: also accepted while the channel secret is reissued.
        public var previousChannelSecret: String?
        public var channelAccessToken: String
        public var apiURL: String

        public init(channelSecret: String, channelAccessToken: String, apiURL: String = MessengerConfiguration.defaultLineAPIURL) {
            self.channelSecret = channelSecret
            self.channelAccessToken = channelAccessToken
            self.apiURL = apiURL
        }
    }

    public struct LineWorks: Sendable, Equatable {
        public var botID: String
        public var botSecret: String
        /// `FIRSTLINE_LINEWORKS_BOT_SECRET_PREVIOUS`: also accepted while the bot secret is reissued.
        public var previousBotSecret: String?
        public var clientID: String
        public var clientSecret: String
        public var serviceAccount: String
        /// Path of the service account's private key PEM.
        public var privateKeyFile: String
        public var apiURL: String
        public var authURL: String

        public init(botID: String, botSecret: String, clientID: String, clientSecret: String, serviceAccount: String,
                    privateKeyFile: String, apiURL: String = MessengerConfiguration.defaultLineWorksAPIURL,
                    authURL: String = MessengerConfiguration.defaultLineWorksAuthURL) {
            self.botID = botID
            self.botSecret = botSecret
            self.clientID = clientID
            self.clientSecret = clientSecret
            self.serviceAccount = serviceAccount
            self.privateKeyFile = privateKeyFile
            self.apiURL = apiURL
            self.authURL = authURL
        }

        /// Reads and parses the private key file (RSA, ≥ 2048 bits, PKCS#1 or PKCS#8 PEM).
        public func loadPrivateKey() throws(ConfigurationError) -> _RSA.Signing.PrivateKey {
            let pem: String
            do {
                pem = try String(contentsOfFile: privateKeyFile, encoding: .utf8)
            } catch {
                throw .privateKeyUnreadable(path: privateKeyFile)
            }
            do {
                return try _RSA.Signing.PrivateKey(pemRepresentation: pem)
            } catch {
                throw .invalidPrivateKey(path: privateKeyFile)
            }
        }
    }

    public var slack: Slack?
    public var telegram: Telegram?
    public var line: Line?
    public var lineWorks: LineWorks?

    public init(slack: Slack? = nil, telegram: Telegram? = nil, line: Line? = nil, lineWorks: LineWorks? = nil) {
        self.slack = slack
        self.telegram = telegram
        self.line = line
        self.lineWorks = lineWorks
    }

    /// Reads the `FIRSTLINE_*` variables of design.md §6. Empty values count as unset. A platform
    /// with none of its secrets set is disabled; one with only some of them set is an error (a
    /// typo should not silently disable a platform).
    public static func fromEnvironment(_ env: [String: String]) throws(ConfigurationError) -> MessengerConfiguration {
        func value(_ name: String) -> String? {
            guard let value = env[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
            return value
        }
        func group(_ platform: Platform, _ names: [String]) throws(ConfigurationError) -> [String]? {
            let values = names.map(value)
            if values.allSatisfy({ $0 == nil }) { return nil }
            let missing = zip(names, values).filter { $0.1 == nil }.map(\.0)
            guard missing.isEmpty else { throw .incomplete(platform: platform, missing: missing) }
            return values.compactMap(\.self)
        }
        func url(_ name: String, default defaultURL: String) throws(ConfigurationError) -> String {
            guard let raw = value(name) else { return defaultURL }
            guard let parsed = URL(string: raw), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""),
                  parsed.host?.isEmpty == false
            else { throw .invalidURL(variable: name) }
            // Paths are appended with a leading slash.
            var trimmed = raw
            while trimmed.hasSuffix("/") { trimmed.removeLast() }
            return trimmed
        }

        var configuration = MessengerConfiguration()
        if let slack = try group(.slack, ["FIRSTLINE_SLACK_SIGNING_SECRET", "FIRSTLINE_SLACK_BOT_TOKEN"]) {
            configuration.slack = Slack(signingSecret: slack[0], botToken: slack[1],
                                        agentChannel: value("FIRSTLINE_SLACK_AGENT_CHANNEL"),
                                        apiURL: try url("FIRSTLINE_SLACK_API_URL", default: defaultSlackAPIURL))
            configuration.slack?.previousSigningSecret = value("FIRSTLINE_SLACK_SIGNING_SECRET_PREVIOUS")
        }
        if let telegram = try group(.telegram, ["FIRSTLINE_TELEGRAM_BOT_TOKEN", "FIRSTLINE_TELEGRAM_SECRET_TOKEN"]) {
            // setWebhook accepts only 1–256 of A-Z a-z 0-9 _ -: anything else can never match.
            let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
            guard telegram[1].count <= 256, telegram[1].allSatisfy(allowed.contains) else {
                throw .invalidValue(variable: "FIRSTLINE_TELEGRAM_SECRET_TOKEN")
            }
            let previousToken = value("FIRSTLINE_TELEGRAM_SECRET_TOKEN_PREVIOUS")
            if let previousToken, previousToken.count > 256 || !previousToken.allSatisfy(allowed.contains) {
                throw .invalidValue(variable: "FIRSTLINE_TELEGRAM_SECRET_TOKEN_PREVIOUS")
            }
            var agentChat: Int64?
            if let raw = value("FIRSTLINE_TELEGRAM_AGENT_CHAT") {
                guard let chat = Int64(raw) else { throw .invalidValue(variable: "FIRSTLINE_TELEGRAM_AGENT_CHAT") }
                agentChat = chat
            }
            configuration.telegram = Telegram(botToken: telegram[0], secretToken: telegram[1],
                                              apiURL: try url("FIRSTLINE_TELEGRAM_API_URL", default: defaultTelegramAPIURL),
                                              agentChat: agentChat)
            configuration.telegram?.previousSecretToken = previousToken
        }
        if let line = try group(.line, ["FIRSTLINE_LINE_CHANNEL_SECRET", "FIRSTLINE_LINE_CHANNEL_ACCESS_TOKEN"]) {
            configuration.line = Line(channelSecret: line[0], channelAccessToken: line[1],
                                      apiURL: try url("FIRSTLINE_LINE_API_URL", default: defaultLineAPIURL))
            configuration.line?.previousChannelSecret = value("FIRSTLINE_LINE_CHANNEL_SECRET_PREVIOUS")
        }
        if let works = try group(.lineworks, [
            "FIRSTLINE_LINEWORKS_BOT_ID", "FIRSTLINE_LINEWORKS_BOT_SECRET", "FIRSTLINE_LINEWORKS_CLIENT_ID",
            "FIRSTLINE_LINEWORKS_CLIENT_SECRET", "FIRSTLINE_LINEWORKS_SERVICE_ACCOUNT", "FIRSTLINE_LINEWORKS_PRIVATE_KEY_FILE",
        ]) {
            configuration.lineWorks = LineWorks(
                botID: works[0], botSecret: works[1], clientID: works[2], clientSecret: works[3], serviceAccount: works[4],
                privateKeyFile: works[5],
                apiURL: try url("FIRSTLINE_LINEWORKS_API_URL", default: defaultLineWorksAPIURL),
                authURL: try url("FIRSTLINE_LINEWORKS_AUTH_URL", default: defaultLineWorksAuthURL))
            configuration.lineWorks?.previousBotSecret = value("FIRSTLINE_LINEWORKS_BOT_SECRET_PREVIOUS")
        }
        return configuration
    }

    /// The platforms whose secrets are set.
    public var enabledPlatforms: Set<Platform> {
        var platforms: Set<Platform> = []
        if slack != nil { platforms.insert(.slack) }
        if telegram != nil { platforms.insert(.telegram) }
        if line != nil { platforms.insert(.line) }
        if lineWorks != nil { platforms.insert(.lineworks) }
        return platforms
    }

    /// The webhook adapter for a platform, or nil when it is disabled (its webhook answers 404).
    public func adapter(for platform: Platform) -> (any MessengerAdapter)? {
        switch platform {
        case .slack: slack.map { SlackAdapter(signingSecret: $0.signingSecret, previousSigningSecret: $0.previousSigningSecret,
                                              botUserID: $0.botUserID, agentChannel: $0.agentChannel) }
        case .telegram: telegram.map { TelegramAdapter(secretToken: $0.secretToken, previousSecretToken: $0.previousSecretToken,
                                                       agentChat: $0.agentChat) }
        case .line: line.map { LineAdapter(channelSecret: $0.channelSecret, previousChannelSecret: $0.previousChannelSecret) }
        case .lineworks: lineWorks.map { LineWorksAdapter(botID: $0.botID, botSecret: $0.botSecret, previousBotSecret: $0.previousBotSecret) }
        case .web, .terminal: nil
        }
    }

    /// The adapters of every enabled platform.
    public var adapters: [Platform: any MessengerAdapter] {
        var adapters: [Platform: any MessengerAdapter] = [:]
        for platform in Platform.messengers {
            if let adapter = adapter(for: platform) { adapters[platform] = adapter }
        }
        return adapters
    }
}

extension MessengerConfiguration: CustomStringConvertible, CustomDebugStringConvertible {
    /// Enabled platforms and base URLs only: safe to log.
    public var description: String {
        var parts: [String] = []
        if let slack { parts.append("slack(\(slack.apiURL))") }
        if let telegram { parts.append("telegram(\(telegram.apiURL))") }
        if let line { parts.append("line(\(line.apiURL))") }
        if let lineWorks { parts.append("lineworks(bot \(lineWorks.botID), \(lineWorks.apiURL), auth \(lineWorks.authURL))") }
        return "MessengerConfiguration[\(parts.joined(separator: ", "))]"
    }

    public var debugDescription: String { description }
}

// The per-platform settings hold secrets: their printed forms and mirrors show only the
// non-secret fields, so `logger.info("\(configuration.slack)")` or `dump` cannot leak a token.

extension MessengerConfiguration.Slack: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "Slack(apiURL: \(apiURL), agentChannel: \(agentChannel ?? "none"))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["apiURL": apiURL, "agentChannel": agentChannel as Any]) }
}

extension MessengerConfiguration.Telegram: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "Telegram(apiURL: \(apiURL))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["apiURL": apiURL]) }
}

extension MessengerConfiguration.Line: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "Line(apiURL: \(apiURL))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["apiURL": apiURL]) }
}

extension MessengerConfiguration.LineWorks: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "LineWorks(botID: \(botID), apiURL: \(apiURL), authURL: \(authURL))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["botID": botID, "apiURL": apiURL, "authURL": authURL]) }
}
