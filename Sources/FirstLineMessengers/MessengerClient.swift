import AsyncHTTPClient
import FirstLineCore
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Sends rendered `OutboundRequest`s to the platform APIs and classifies the answers.
///
/// It adds the credentials (never stored in requests), applies a timeout, and turns every result,
/// including transport errors, into a `DeliveryOutcome`: `send` does not throw, so the outbox
/// worker has one decision to make. It does not retry by itself, except once for LINE WORKS after
/// a 401 with a fresh token; backoff belongs to the outbox, which survives restarts.
public struct MessengerClient: Sendable {
    /// Responses are read up to this size; platform answers are small JSON.
    public static let responseBodyLimit = 1 << 20

    public let configuration: MessengerConfiguration
    private let httpClient: HTTPClient
    private let lineWorksTokens: LineWorksTokenProvider?
    private let timeout: Duration
    private let logger: Logger

    /// - Parameters:
    ///   - lineWorksTokens: the token provider for LINE WORKS; required to send there.
    ///   - timeout: per request, connect to last byte; a timeout is a retryable outcome (in doubt: the request
    ///     may have arrived). 15 s by default, so a platform that takes 10 s to answer still delivers.
    public init(configuration: MessengerConfiguration, httpClient: HTTPClient, lineWorksTokens: LineWorksTokenProvider?,
                timeout: Duration = .seconds(15), logger: Logger) {
        self.configuration = configuration
        self.httpClient = httpClient
        self.lineWorksTokens = lineWorksTokens
        self.timeout = timeout
        self.logger = logger
    }

    /// A client for everything `configuration` enables, reading the LINE WORKS key file if needed.
    public init(configuration: MessengerConfiguration, httpClient: HTTPClient, timeout: Duration = .seconds(15),
                logger: Logger) throws(ConfigurationError) {
        let tokens = try configuration.lineWorks.map { (works) throws(ConfigurationError) in
            try LineWorksTokenProvider(configuration: works, httpClient: httpClient)
        }
        self.init(configuration: configuration, httpClient: httpClient, lineWorksTokens: tokens, timeout: timeout,
                  logger: logger)
    }

    /// Sends one request and classifies the result.
    public func send(_ request: OutboundRequest) async -> DeliveryOutcome {
        await exchange(request).outcome
    }

    /// Asks Slack whether part `part` of the outbox row `idempotencyKey` is already in the conversation
    /// (`SlackAdapter.outboxLookup`): the check a send interrupted by a crash makes before posting again.
    public func lookUpSlackMessage(_ request: OutboundRequest, idempotencyKey: String, part: Int) async -> OutboxLookup {
        let (outcome, body) = await exchange(request)
        switch outcome {
        case .delivered: return SlackAdapter.findOutboxMessage(in: body, idempotencyKey: idempotencyKey, part: part)
        case let .permanent(failure): return .undecidable(reason: failure.reason)
        case .retryable, .rateLimited: return .unknown
        }
    }

    /// Sends one request; returns the classified result and the response body.
    private func exchange(_ request: OutboundRequest) async -> (outcome: DeliveryOutcome, body: [UInt8]) {
        let started = ContinuousClock.now
        let outcome: (outcome: DeliveryOutcome, body: [UInt8])
        switch request.platform {
        case .slack:
            if let slack = configuration.slack {
                outcome = await perform(request, url: slack.apiURL + request.path, bearer: slack.botToken,
                                        secret: slack.botToken)
            } else {
                outcome = (Self.notConfigured(.slack), [])
            }
        case .telegram:
            if let telegram = configuration.telegram {
                // The token is part of the path; it must never reach a log line.
                outcome = await perform(request, url: telegram.apiURL + "/bot" + telegram.botToken + request.path,
                                        bearer: nil, secret: telegram.botToken)
            } else {
                outcome = (Self.notConfigured(.telegram), [])
            }
        case .line:
            if let line = configuration.line {
                outcome = await perform(request, url: line.apiURL + request.path, bearer: line.channelAccessToken,
                                        secret: line.channelAccessToken)
            } else {
                outcome = (Self.notConfigured(.line), [])
            }
        case .lineworks:
            outcome = (await sendLineWorks(request), [])
        case .web, .terminal:
            // Answered within their own request; a request for them is a wiring mistake, never retried.
            outcome = (Self.notConfigured(request.platform), [])
        }
        log(request, outcome.outcome, elapsed: ContinuousClock.now - started)
        return outcome
    }

    private func sendLineWorks(_ request: OutboundRequest) async -> DeliveryOutcome {
        guard let works = configuration.lineWorks, let lineWorksTokens else { return Self.notConfigured(.lineworks) }
        var outcome = Self.notConfigured(.lineworks)
        // A token can be revoked or expire early; one retry with a fresh token covers that, a
        // second 401 means the credentials themselves are wrong.
        for attempt in 0..<2 {
            let token: String
            do {
                token = try await lineWorksTokens.accessToken()
            } catch {
                return Self.outcome(for: error)
            }
            outcome = await perform(request, url: works.apiURL + request.path, bearer: token, secret: token).outcome
            guard case let .permanent(failure) = outcome, failure.status == 401, attempt == 0 else { return outcome }
            await lineWorksTokens.invalidate(token)
        }
        return outcome
    }

    private func perform(_ request: OutboundRequest, url: String, bearer: String?,
                         secret: String) async -> (outcome: DeliveryOutcome, body: [UInt8]) {
        var http = HTTPClientRequest(url: url)
        http.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers.sorted(by: { $0.key < $1.key }) {
            http.headers.add(name: name, value: value)
        }
        if let bearer { http.headers.replaceOrAdd(name: "Authorization", value: "Bearer \(bearer)") }
        http.body = .bytes(ByteBuffer(bytes: request.body))
        do {
            let response = try await httpClient.execute(http, timeout: TimeAmount(timeout))
            // Always drain the body (AHC keeps the connection otherwise); an unreadable body is
            // classified from the status alone.
            let body = (try? await response.body.collect(upTo: Self.responseBodyLimit)).map { Array($0.readableBytesView) } ?? []
            return (ResponseClassifier.classify(platform: request.platform, status: Int(response.status.code),
                                                retryAfterHeader: response.headers.first(name: "Retry-After"), body: body,
                                                sentWithRetryKey: request.retryKey != nil), body)
        } catch {
            // Belt and braces: no transport error is known to echo a URL, but Telegram's carries the token.
            let reason = describeTransportError(error).replacingOccurrences(of: secret, with: "<redacted>")
            return (.retryable(.init(status: nil, reason: reason, mayHaveArrived: !Self.neverConnected(error))), [])
        }
    }

    /// Whether the request certainly never left: the connection was refused or not made in time. Anything else
    /// (a deadline passed while waiting for the answer, a connection closed mid-exchange) may have delivered it.
    static func neverConnected(_ error: any Error) -> Bool {
        if let error = error as? HTTPClientError, error == .connectTimeout { return true }
        let text = "\(type(of: error)) \(error)".lowercased()
        return text.contains("connection refused") || text.contains("connectionerror") || text.contains("connecttimeout")
            || text.contains("connect timeout")
    }

    private static func notConfigured(_ platform: Platform) -> DeliveryOutcome {
        .permanent(.init(status: nil, reason: "\(platform.rawValue) is not configured"))
    }

    private static func outcome(for error: LineWorksTokenError) -> DeliveryOutcome {
        switch error {
        case let .rejected(status, code):
            .permanent(.init(status: status, reason: "LINE WORKS token refused: \(code ?? "HTTP \(status)")"))
        case .signing:
            .permanent(.init(status: nil, reason: "LINE WORKS assertion could not be signed"))
        case let .unavailable(status):
            .retryable(.init(status: status, reason: "LINE WORKS auth server failed"))
        case let .transport(reason):
            .retryable(.init(status: nil, reason: "LINE WORKS auth: \(reason)"))
        case .malformedResponse:
            .retryable(.init(status: nil, reason: "LINE WORKS auth answered without a token"))
        }
    }

    private func log(_ request: OutboundRequest, _ outcome: DeliveryOutcome, elapsed: Duration) {
        var metadata: Logger.Metadata = [
            "messenger.platform": "\(request.platform.rawValue)",
            "messenger.operation": "\(request.operation)",
            "messenger.outcome": "\(outcome.kind)",
            "messenger.elapsed_ms": "\(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)",
        ]
        switch outcome {
        case let .delivered(delivered):
            metadata["http.status"] = "\(delivered.status)"
            logger.debug("message delivered", metadata: metadata)
        case let .retryable(failure), let .rateLimited(failure), let .permanent(failure):
            if let status = failure.status { metadata["http.status"] = "\(status)" }
            if let retryAfter = failure.retryAfter { metadata["retry_after_s"] = "\(retryAfter)" }
            metadata["reason"] = "\(failure.reason)"
            if case .permanent = outcome {
                logger.warning("message not delivered", metadata: metadata)
            } else {
                logger.info("message delivery will be retried", metadata: metadata)
            }
        }
    }
}
