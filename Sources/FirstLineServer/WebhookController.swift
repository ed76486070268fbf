import FirstLineCore
import FirstLineMessengers
import FirstLineStore
import Foundation
import Hummingbird
import Logging
import NIOCore

/// `POST /webhooks/<platform>` (design §2 steps 1–2, §6): verify the signature over the raw bytes,
/// parse, commit every event to the inbox, and only then answer 200 — without waiting for the
/// dialogue engine or the platform API. A platform without its secrets answers 404; a bad or
/// stale signature 401, a malformed body 400, a body over 1 MiB 413; none of them stores anything.
struct WebhookController {
    static let bodyLimit = 1 << 20

    let messengers: MessengerConfiguration
    /// Only the inbox: a webhook's work ends when its events are durable.
    let recorder: InboxRecorder
    let client: MessengerClient?
    let inbox: WakeUp
    let clock: any ServerClock
    let logger: Logger
    let metrics: ServerMetrics
    /// Per-sender buckets (`webhook_per_sender`); the per-address one is `RateLimitMiddleware`'s.
    let limiter: RateLimiter

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/webhooks/slack/events") { request, _ in try await receive(request, on: .slack) }
        router.post("/webhooks/slack/actions") { request, _ in try await receive(request, on: .slack) }
        router.post("/webhooks/telegram") { request, _ in try await receive(request, on: .telegram) }
        router.post("/webhooks/line") { request, _ in try await receive(request, on: .line) }
        router.post("/webhooks/lineworks") { request, _ in try await receive(request, on: .lineworks) }
    }

    func receive(_ request: Request, on platform: Platform) async throws -> Response {
        guard let adapter = messengers.adapter(for: platform) else { throw AppError.notFound("webhook") }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > Self.bodyLimit {
            throw AppError.bodyTooLarge(limit: Self.bodyLimit)
        }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: Self.bodyLimit)
        } catch {
            throw AppError.bodyTooLarge(limit: Self.bodyLimit)
        }
        let body = Array(buffer.readableBytesView)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }

        let now = clock.now()
        do {
            try adapter.verify(headers: headers, body: body, now: now)
        } catch {
            metrics.webhook(platform.rawValue, "rejected")
            throw AppError.badSignature("\(error)")
        }
        let parsed: ParsedWebhook
        do {
            parsed = try adapter.parse(body: body, headers: headers, receivedAt: now)
        } catch {
            metrics.webhook(platform.rawValue, "rejected")
            throw AppError.malformedWebhook("\(error)")
        }
        switch parsed {
        case let .handshake(challenge):
            var fields = HTTPFields()
            fields[.contentType] = "text/plain; charset=utf-8"
            return Response(status: .ok, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: challenge)))
        case let .events(events):
            // A sender over their limit gets the whole delivery refused (429, nothing stored): the
            // platform retries later, so nothing is lost and nothing is answered out of order.
            let senders = Set(events.filter(\.isActionable).map { "\(platform.rawValue):\($0.userID)" })
            if !senders.isEmpty, let refused = await limiter.admit(senders.sorted().map { (.webhookSender, $0) }) {
                metrics.rateLimited(refused.scope.rawValue)
                metrics.webhook(platform.rawValue, "rate_limited")
                logger.notice("webhook sender over the rate limit", metadata: [
                    "platform": "\(platform.rawValue)", "retry_after": "\(refused.retryAfter)",
                ])
                throw AppError.rateLimited(retryAfter: refused.retryAfter)
            }
            var recorded = 0
            for event in events where event.isActionable {
                guard let message = Self.inboundMessage(event) else { continue }
                // A platform retry of an event already committed is acknowledged and dropped.
                if try await recorder.record(message) {
                    recorded += 1
                    metrics.webhook(platform.rawValue, "accepted")
                } else {
                    metrics.webhook(platform.rawValue, "duplicate")
                }
                if let acknowledgement = adapter.acknowledgement(for: event), let client {
                    // Telegram's button spinner; best effort, never delays the 200.
                    Task { _ = await client.send(acknowledgement) }
                }
            }
            for event in events where !event.isActionable {
                logger.debug("webhook event ignored", metadata: ["platform": "\(platform.rawValue)", "event": "\(event.eventID)"])
            }
            if recorded > 0 { await inbox.signal() }
            return Self.acknowledgement()
        }
    }

    /// `{"ok":true}`, encoded once: every webhook answers the same bytes.
    private static let acknowledgementBody = ByteBuffer(string: #"{"ok":true}"#)

    static func acknowledgement() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: acknowledgementBody))
    }

    static func inboundMessage(_ event: InboundEvent) -> InboundMessage? {
        let content: InboundMessage.Content
        switch event.kind {
        case let .text(text): content = .text(text)
        case let .button(action): content = .button(action)
        case .joined: content = .joined
        case .ignored: return nil
        }
        return InboundMessage(platform: event.platform, eventID: event.eventID, conversationKey: event.conversationKey.storageKey,
                              userID: event.userID, displayName: event.displayName ?? event.userID, content: content,
                              replyToken: event.replyToken, repliesTo: event.repliesTo)
    }
}

/// A wake-up call between the webhook handlers and a worker: the handler signals after
/// committing, the worker sleeps until signalled or until its polling interval passes.
public actor WakeUp {
    private var waiter: CheckedContinuation<Void, Never>?
    private var pending = false

    public init() {}

    public func signal() {
        if let waiter {
            self.waiter = nil
            waiter.resume()
        } else {
            pending = true
        }
    }

    /// Returns when signalled (or at once if a signal came since the last wait), or after `timeout`.
    public func wait(timeout: Duration) async {
        if pending {
            pending = false
            return
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.park() }
            group.addTask {
                try? await Task.sleep(for: timeout)
                await self.signal()
            }
            await group.next()
            group.cancelAll()
        }
        pending = false
    }

    private func park() async {
        await withCheckedContinuation { continuation in
            if pending {
                pending = false
                continuation.resume()
            } else {
                waiter = continuation
            }
        }
    }
}
