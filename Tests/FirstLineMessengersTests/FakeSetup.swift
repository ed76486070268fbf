import AsyncHTTPClient
import FirstLineCore
import FirstLineMessengers
import FirstLineTestSupport
import Foundation
import _CryptoExtras

/// One throwaway RSA key for all LINE WORKS tests (generation is the slow part).
let testPrivateKey: _RSA.Signing.PrivateKey = {
    do { return try _RSA.Signing.PrivateKey(keySize: .bits2048) } catch { fatalError("RSA key generation failed: \(error)") }
}()

/// A fake platform API with a client pointed at it, every platform enabled.
struct FakeSetup {
    static let slackToken = "xoxb-test-token"
    static let telegramToken = "123456:TEST-token"
    static let lineToken = "line-access-token"

    let fake: FakePlatformAPI
    let url: URL
    let configuration: MessengerConfiguration
    let client: MessengerClient
    let tokens: LineWorksTokenProvider
    let clock: TestClock

    static func start(timeout: Duration = .seconds(30)) async throws -> FakeSetup {
        let fake = FakePlatformAPI()
        let url = try await fake.start()
        let base = url.absoluteString
        let configuration = MessengerConfiguration(
            slack: .init(signingSecret: "s", botToken: slackToken, apiURL: base),
            telegram: .init(botToken: telegramToken, secretToken: "s", apiURL: base),
            line: .init(channelSecret: "s", channelAccessToken: lineToken, apiURL: base),
            lineWorks: .init(botID: "2000001", botSecret: "s", clientID: "client-id", clientSecret: "client secret+/=&",
                             serviceAccount: "abcde.serviceaccount@example.com", privateKeyFile: "/unused",
                             apiURL: base, authURL: base))
        let clock = TestClock()
        let tokens = LineWorksTokenProvider(
            credentials: .init(clientID: "client-id", clientSecret: "client secret+/=&",
                               serviceAccount: "abcde.serviceaccount@example.com", privateKey: testPrivateKey, authURL: base),
            httpClient: .shared, now: { clock.now() })
        let client = MessengerClient(configuration: configuration, httpClient: .shared, lineWorksTokens: tokens,
                                     timeout: timeout, logger: quietLogger)
        return FakeSetup(fake: fake, url: url, configuration: configuration, client: client, tokens: tokens, clock: clock)
    }

    /// Runs `body` against a fresh fake and always stops it.
    static func with(timeout: Duration = .seconds(30), _ body: (FakeSetup) async throws -> Void) async throws {
        let setup = try await start(timeout: timeout)
        do {
            try await body(setup)
        } catch {
            await setup.fake.stop()
            throw error
        }
        await setup.fake.stop()
    }

    func adapter(_ platform: Platform) -> any MessengerAdapter {
        configuration.adapter(for: platform)!
    }
}
