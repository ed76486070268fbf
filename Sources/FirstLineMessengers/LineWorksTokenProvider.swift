import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import _CryptoExtras

/// Why a LINE WORKS access token could not be had. Never carries the assertion or a secret.
public enum LineWorksTokenError: Error, Sendable, Equatable {
    /// The JWT could not be signed with the private key.
    case signing
    /// No answer from the auth server (network error, timeout).
    case transport(String)
    /// The auth server refused (4xx): wrong client id/secret, service account or key. `error` is the
    /// OAuth error code when given.
    case rejected(status: Int, error: String?)
    /// The auth server failed (5xx).
    case unavailable(status: Int)
    /// A 2xx answer without an `access_token`.
    case malformedResponse
}

/// Gets and caches the bot's access token with the service-account JWT flow (messengers.md §4):
/// an RS256 JWT assertion is exchanged at `<auth URL>/oauth2/v2.0/token`.
///
/// The token is reused until `refreshMargin` before it expires, or until a 401 invalidates it.
/// Concurrent callers while a refresh runs all wait for that one refresh.
public actor LineWorksTokenProvider {
    /// What the JWT flow needs.
    public struct Credentials: Sendable {
        public var clientID: String
        public var clientSecret: String
        public var serviceAccount: String
        public var privateKey: _RSA.Signing.PrivateKey
        /// The auth server's base URL, without the `/oauth2/v2.0/token` path.
        public var authURL: String

        public init(clientID: String, clientSecret: String, serviceAccount: String,
                    privateKey: _RSA.Signing.PrivateKey, authURL: String) {
            self.clientID = clientID
            self.clientSecret = clientSecret
            self.serviceAccount = serviceAccount
            self.privateKey = privateKey
            self.authURL = authURL
        }
    }

    private struct Issued: Sendable {
        var token: String
        var expiresAt: Date
    }

    private let credentials: Credentials
    private let httpClient: HTTPClient
    private let now: @Sendable () -> Date
    private let refreshMargin: TimeInterval
    private let assertionLifetime: TimeInterval
    private let timeout: Duration
    private var cached: Issued?
    private var refreshing: Task<Issued, any Error>?

    /// - Parameters:
    ///   - now: the clock (injected so tests can step past expiry).
    ///   - refreshMargin: how long before expiry a token is replaced, so a token never expires
    ///     between being handed out and being used.
    ///   - assertionLifetime: the JWT's `exp - iat`; LINE WORKS allows at most 60 minutes.
    public init(credentials: Credentials, httpClient: HTTPClient, now: @escaping @Sendable () -> Date = { Date() },
                refreshMargin: TimeInterval = 300, assertionLifetime: TimeInterval = 3600,
                timeout: Duration = .seconds(10)) {
        self.credentials = credentials
        self.httpClient = httpClient
        self.now = now
        self.refreshMargin = refreshMargin
        self.assertionLifetime = min(assertionLifetime, 3600)
        self.timeout = timeout
    }

    /// Builds a provider from the configuration, reading the private key file.
    public init(configuration: MessengerConfiguration.LineWorks, httpClient: HTTPClient,
                now: @escaping @Sendable () -> Date = { Date() }) throws(ConfigurationError) {
        let key = try configuration.loadPrivateKey()
        self.init(credentials: Credentials(clientID: configuration.clientID, clientSecret: configuration.clientSecret,
                                           serviceAccount: configuration.serviceAccount, privateKey: key,
                                           authURL: configuration.authURL),
                  httpClient: httpClient, now: now)
    }

    /// A valid access token: the cached one, or a fresh one from the auth server.
    public func accessToken() async throws(LineWorksTokenError) -> String {
        if let cached, now() < cached.expiresAt.addingTimeInterval(-refreshMargin) {
            return cached.token
        }
        let task: Task<Issued, any Error>
        if let refreshing {
            task = refreshing
        } else {
            let credentials = credentials, httpClient = httpClient, now = now
            let lifetime = assertionLifetime, timeout = timeout
            task = Task {
                try await Self.exchange(credentials: credentials, httpClient: httpClient, now: now,
                                        lifetime: lifetime, timeout: timeout)
            }
            refreshing = task
        }
        do {
            let issued = try await task.value
            // The first waiter back stores the result; the others find the task already cleared.
            if refreshing == task {
                refreshing = nil
                cached = issued
            }
            return issued.token
        } catch {
            if refreshing == task { refreshing = nil }
            throw (error as? LineWorksTokenError) ?? .transport("cancelled")
        }
    }

    /// Drops `token` after the API answered 401 with it, so the next call fetches a new one. A
    /// token that was already replaced (another request saw the 401 first) is left alone.
    public func invalidate(_ token: String) {
        if cached?.token == token { cached = nil }
    }

    /// The signed JWT assertion: header `{"alg":"RS256","typ":"JWT"}`, claims `iss` = client id,
    /// `sub` = service account, `iat`, `exp`; RSASSA-PKCS1-v1_5 with SHA-256.
    public nonisolated static func makeAssertion(clientID: String, serviceAccount: String,
                                                 privateKey: _RSA.Signing.PrivateKey, issuedAt: Date,
                                                 lifetime: TimeInterval) throws(LineWorksTokenError) -> String {
        let iat = Int64(issuedAt.timeIntervalSince1970.rounded(.down))
        let header: JSONValue = ["alg": "RS256", "typ": "JWT"]
        let claims: JSONValue = ["iss": .string(clientID), "sub": .string(serviceAccount),
                                 "iat": .int(iat), "exp": .int(iat + Int64(lifetime))]
        let signingInput = base64URL(header.encoded()) + "." + base64URL(claims.encoded())
        let signature: _RSA.Signing.RSASignature
        do {
            // The default padding of `signature(for:)` is PSS; RS256 is PKCS#1 v1.5.
            signature = try privateKey.signature(for: SHA256.hash(data: Array(signingInput.utf8)),
                                                 padding: .insecurePKCS1v1_5)
        } catch {
            throw .signing
        }
        return signingInput + "." + base64URL(Array(signature.rawRepresentation))
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    private static func exchange(credentials: Credentials, httpClient: HTTPClient, now: @Sendable () -> Date,
                                 lifetime: TimeInterval, timeout: Duration) async throws(LineWorksTokenError) -> Issued {
        let assertion = try makeAssertion(clientID: credentials.clientID, serviceAccount: credentials.serviceAccount,
                                          privateKey: credentials.privateKey, issuedAt: now(), lifetime: lifetime)
        var request = HTTPClientRequest(url: credentials.authURL + "/oauth2/v2.0/token")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: FormEncoding.encode([
            ("assertion", assertion),
            ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
            ("client_id", credentials.clientID),
            ("client_secret", credentials.clientSecret),
            ("scope", "bot"),
        ])))
        let status: Int
        let body: [UInt8]
        do {
            let response = try await httpClient.execute(request, timeout: TimeAmount(timeout))
            status = Int(response.status.code)
            body = Array((try await response.body.collect(upTo: 64 * 1024)).readableBytesView)
        } catch {
            throw .transport(describeTransportError(error))
        }
        let json = try? JSONValue.parseObject(body)
        switch status {
        case 200..<300:
            guard let token = json?.text("access_token") else { throw .malformedResponse }
            // LINE WORKS sends expires_in as a string ("86400"); `int64` reads both forms.
            let lifetime = json?["expires_in"]?.int64 ?? 3600
            return Issued(token: token, expiresAt: now().addingTimeInterval(TimeInterval(lifetime)))
        case 500...:
            throw .unavailable(status: status)
        default:
            throw .rejected(status: status, error: json?.text("error"))
        }
    }
}

/// A short description of a transport failure. AHC and NIO errors name the failure and at most
/// a host and port; they never include request headers or bodies.
func describeTransportError(_ error: any Error) -> String {
    if let error = error as? HTTPClientError {
        return String(String(describing: error).prefix(200))
    }
    return String("\(type(of: error)): \(error)".prefix(200))
}
