import AsyncHTTPClient
import FirstLineCore
import FirstLineMessengers
import Foundation
import Testing
import _CryptoExtras

@Suite struct ConfigurationTests {
    static let secrets = [
        "FIRSTLINE_SLACK_SIGNING_SECRET": "slack-signing-secret-value",
        "FIRSTLINE_SLACK_BOT_TOKEN": "xoxb-secret-bot-token",
        "FIRSTLINE_TELEGRAM_BOT_TOKEN": "123:telegram-secret-token",
        "FIRSTLINE_TELEGRAM_SECRET_TOKEN": "webhook_secret-1",
        "FIRSTLINE_LINE_CHANNEL_SECRET": "line-channel-secret-value",
        "FIRSTLINE_LINE_CHANNEL_ACCESS_TOKEN": "line-access-token-value",
        "FIRSTLINE_LINEWORKS_BOT_ID": "2000001",
        "FIRSTLINE_LINEWORKS_BOT_SECRET": "works-bot-secret-value",
        "FIRSTLINE_LINEWORKS_CLIENT_ID": "works-client-id",
        "FIRSTLINE_LINEWORKS_CLIENT_SECRET": "works-client-secret-value",
        "FIRSTLINE_LINEWORKS_SERVICE_ACCOUNT": "abcde.serviceaccount@example.com",
        "FIRSTLINE_LINEWORKS_PRIVATE_KEY_FILE": "/tmp/unused.pem",
    ]

    @Test func nothingSetEnablesNothing() throws {
        let configuration = try MessengerConfiguration.fromEnvironment(["FIRSTLINE_SLACK_SIGNING_SECRET": " "])
        #expect(configuration.enabledPlatforms.isEmpty)
        #expect(configuration.adapters.isEmpty)
    }

    @Test func everythingSetUsesTheRealBaseURLsByDefault() throws {
        let configuration = try MessengerConfiguration.fromEnvironment(Self.secrets)
        #expect(configuration.enabledPlatforms == Set(Platform.messengers))
        #expect(configuration.slack?.apiURL == "https://slack.com/api")
        #expect(configuration.telegram?.apiURL == "https://api.telegram.org")
        #expect(configuration.line?.apiURL == "https://api.line.me")
        #expect(configuration.lineWorks?.apiURL == "https://www.worksapis.com/v1.0")
        #expect(configuration.lineWorks?.authURL == "https://auth.worksmobile.com")
        #expect(configuration.adapters.count == 4)
        #expect(configuration.adapter(for: .lineworks)?.platform == .lineworks)
    }

    @Test func baseURLsPointAtAFake() throws {
        var env = Self.secrets
        for name in ["SLACK", "TELEGRAM", "LINE", "LINEWORKS"] { env["FIRSTLINE_\(name)_API_URL"] = "http://127.0.0.1:9999/" }
        env["FIRSTLINE_LINEWORKS_AUTH_URL"] = "http://127.0.0.1:9999"
        let configuration = try MessengerConfiguration.fromEnvironment(env)
        #expect(configuration.slack?.apiURL == "http://127.0.0.1:9999")
        #expect(configuration.lineWorks?.authURL == "http://127.0.0.1:9999")
    }

    @Test func partialSecretsAreAnError() {
        #expect(throws: ConfigurationError.incomplete(platform: .slack, missing: ["FIRSTLINE_SLACK_BOT_TOKEN"])) {
            try MessengerConfiguration.fromEnvironment(["FIRSTLINE_SLACK_SIGNING_SECRET": "x"])
        }
        var works = Self.secrets
        works["FIRSTLINE_LINEWORKS_SERVICE_ACCOUNT"] = nil
        works["FIRSTLINE_LINEWORKS_PRIVATE_KEY_FILE"] = ""
        #expect(throws: ConfigurationError.incomplete(platform: .lineworks, missing: [
            "FIRSTLINE_LINEWORKS_SERVICE_ACCOUNT", "FIRSTLINE_LINEWORKS_PRIVATE_KEY_FILE",
        ])) {
            try MessengerConfiguration.fromEnvironment(works)
        }
    }

    @Test func badValuesAreNamed() {
        var env = Self.secrets
        env["FIRSTLINE_LINE_API_URL"] = "api.line.me"
        #expect(throws: ConfigurationError.invalidURL(variable: "FIRSTLINE_LINE_API_URL")) {
            try MessengerConfiguration.fromEnvironment(env)
        }
        env = Self.secrets
        env["FIRSTLINE_TELEGRAM_SECRET_TOKEN"] = "has spaces!"
        #expect(throws: ConfigurationError.invalidValue(variable: "FIRSTLINE_TELEGRAM_SECRET_TOKEN")) {
            try MessengerConfiguration.fromEnvironment(env)
        }
    }

    @Test func printedFormsShowNoSecret() throws {
        let configuration = try MessengerConfiguration.fromEnvironment(Self.secrets)
        let printed = [
            "\(configuration)", String(reflecting: configuration), "\(configuration.slack!)", "\(configuration.telegram!)",
            "\(configuration.line!)", "\(configuration.lineWorks!)", String(reflecting: configuration.lineWorks!),
        ].joined(separator: "\n")
        for (name, value) in Self.secrets where name.contains("SECRET") || name.contains("TOKEN") {
            #expect(!printed.contains(value), "\(name) leaked")
        }
        var dumped = ""
        dump(configuration.slack!, to: &dumped)
        #expect(!dumped.contains("xoxb-secret-bot-token"))
    }

    @Test func privateKeyFileIsLoaded() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("firstline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyFile = directory.appendingPathComponent("private.key").path
        try testPrivateKey.pemRepresentation.write(toFile: keyFile, atomically: true, encoding: .utf8)

        var env = Self.secrets
        env["FIRSTLINE_LINEWORKS_PRIVATE_KEY_FILE"] = keyFile
        let configuration = try MessengerConfiguration.fromEnvironment(env)
        let loaded = try #require(try configuration.lineWorks?.loadPrivateKey())
        #expect(loaded.publicKey.pemRepresentation == testPrivateKey.publicKey.pemRepresentation)
        _ = try MessengerClient(configuration: configuration, httpClient: .shared, logger: quietLogger)

        let garbage = directory.appendingPathComponent("garbage.key").path
        try "not a key".write(toFile: garbage, atomically: true, encoding: .utf8)
        var bad = configuration.lineWorks!
        bad.privateKeyFile = garbage
        #expect(throws: ConfigurationError.invalidPrivateKey(path: garbage)) { try bad.loadPrivateKey() }
        bad.privateKeyFile = directory.appendingPathComponent("missing.key").path
        #expect(throws: ConfigurationError.privateKeyUnreadable(path: bad.privateKeyFile)) { try bad.loadPrivateKey() }
    }
}
