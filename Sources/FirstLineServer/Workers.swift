import FirstLineCore
import FirstLineMessengers
import FirstLineStore
import Foundation
import Logging
import ServiceLifecycle

/// Answers what the webhooks committed to the inbox (design §2 step 3): woken by each webhook,
/// and every `interval` anyway, so nothing acknowledged waits for a restart.
///
/// Its first pass, once the content is loaded, resumes what an earlier process acknowledged and did
/// not answer (web and terminal messages too: `StartPoint` says which rows were committed before this
/// process opened its port). It runs here rather than before the port opens, so a start with a long
/// backlog is still ready at once, and a SIGTERM during it stops it like any other pass.
///
/// On graceful shutdown it finishes the turn in progress and stops: the rest of the backlog stays
/// pending, committed, for the next start.
struct InboxWorker: Service {
    let conversations: ConversationService
    let start: StartPoint
    let wakeUp: WakeUp
    /// Woken after each round that answered something, so replies go out at once.
    let outbox: WakeUp
    let interval: Duration
    let logger: Logger

    func run() async throws {
        // Set once the content is loaded, just before the port opens (answering earlier would load the
        // content a second time, concurrently, and slow the start).
        var resumeUpTo: Int64?
        while !Task.isCancelledOrShuttingDown {
            if let point = await start.lastInboxID {
                resumeUpTo = point
                break
            }
            await wakeUp.waitUnlessShuttingDown(timeout: .milliseconds(100))
        }
        var resuming = true
        var backoff = StorageBackoff()
        while !Task.isCancelledOrShuttingDown {
            let answered = await conversations.processPending(leavingRecentSynchronous: 30,
                                                              resumingUpTo: resuming ? resumeUpTo : nil,
                                                              while: { !Task.isCancelledOrShuttingDown })
            if resuming, answered > 0 {
                logger.info("resumed pending inbox events", metadata: ["count": "\(answered)"])
            }
            resuming = false
            if answered > 0 { await outbox.signal() }
            if await conversations.storageRefusedLastPass {
                // A full or read-only disk: webhooks are refused with 503 meanwhile, and each pass would only
                // fail again. Wait longer each time (wake-ups do not cut it short), then try again by itself.
                let delay = backoff.failed()
                if backoff.failures == 1 {
                    logger.warning("the store refuses writes; the inbox worker backs off until it takes them again")
                }
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: delay) }
                continue
            }
            if backoff.failures > 0 {
                logger.notice("the store takes writes again; the inbox worker resumed",
                              metadata: ["failed_passes": "\(backoff.failures)"])
                backoff = StorageBackoff()
            }
            await wakeUp.waitUnlessShuttingDown(timeout: interval)
        }
    }
}

/// The inbox worker's pause after passes that the store refused: 0.25 s, doubling up to 5 s, so a disk that
/// comes back is noticed within seconds and a full one is not hammered.
struct StorageBackoff: Sendable, Equatable {
    private(set) var failures = 0

    mutating func failed() -> Duration {
        failures += 1
        return .milliseconds(min(5000, 250 << min(failures - 1, 5)))
    }
}

/// Where the inbox stood when this process was about to open its port: rows up to `lastInboxID` were
/// committed by earlier processes. Set by the server's start-up, read by the inbox worker.
actor StartPoint {
    /// nil until set; then `.some(nil)` for an empty inbox.
    private(set) var lastInboxID: Int64??

    func set(lastInboxID id: Int64?) { lastInboxID = .some(id) }
}

/// Runs the desk's pass (routing, queue draining, SLA alarms, reassignment, approval reminders)
/// every `interval`: timers come due and working hours begin without anyone writing.
struct DeskWorker: Service {
    let desk: TicketDesk
    let wakeUp: WakeUp
    let outbox: WakeUp
    let interval: Duration

    func run() async throws {
        while !Task.isCancelledOrShuttingDown {
            await desk.tick()
            await outbox.signal()
            await wakeUp.waitUnlessShuttingDown(timeout: interval)
        }
    }
}

/// Looks for outages every `interval` (issue: outages): a failed pass is logged and the next
/// one tries again, so a database hiccup does not end the watch.
struct IncidentWorker: Service {
    let watch: IncidentWatch
    /// Tells linked employees of resolved incidents; each pass resumes what a restart cut short.
    let broadcaster: IncidentBroadcaster
    let wakeUp: WakeUp
    let outbox: WakeUp
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isCancelledOrShuttingDown {
            do {
                if try await !watch.check().isEmpty { await outbox.signal() }
            } catch {
                logger.error("incident watch pass failed", metadata: ["error": "\(error)"])
            }
            do {
                if try await broadcaster.pass() > 0 { await outbox.signal() }
            } catch {
                logger.error("incident broadcast pass failed", metadata: ["error": "\(error)"])
            }
            await wakeUp.waitUnlessShuttingDown(timeout: interval)
        }
    }
}

/// Delivers outbox rows to the messengers (design §2 step 5): in order per conversation,
/// within rate limits, retried with backoff and the platform's Retry-After, given up after the
/// policy's maximum age. A row is marked `sending` before the request and `sent` after it, so a
/// restart never sends a row twice unless it crashed in between (then LINE's retry key still
/// deduplicates).
actor OutboxWorker: Service {
    let database: any OutboxRepository & TicketRepository & ConversationRepository & SharedQueueClaims
    /// This replica's hold on the rows it sends, when replicas share the store; nil for one process.
    let lease: WorkLease?
    let messengers: MessengerConfiguration
    let client: MessengerClient
    let clock: any ServerClock
    let policy: RetryPolicy
    let planner: DeliveryPlanner
    let wakeUp: WakeUp
    let interval: Duration
    let logger: Logger
    let metrics: ServerMetrics
    private var plannerState = DeliveryPlanner.State()
    private var random = SystemRandomNumberGenerator()

    init(database: any OutboxRepository & TicketRepository & ConversationRepository & SharedQueueClaims, lease: WorkLease? = nil,
         messengers: MessengerConfiguration, client: MessengerClient, clock: any ServerClock,
         policy: RetryPolicy = RetryPolicy(), planner: DeliveryPlanner = DeliveryPlanner(), wakeUp: WakeUp,
         interval: Duration = .milliseconds(200), logger: Logger, metrics: ServerMetrics = ServerMetrics()) {
        self.metrics = metrics
        self.lease = lease
        self.database = database
        self.messengers = messengers
        self.client = client
        self.clock = clock
        self.policy = policy
        self.planner = planner
        self.wakeUp = wakeUp
        self.interval = interval
        self.logger = logger
    }

    func run() async throws {
        // Rows left `sending` by a crash go back to pending: better a rare duplicate than a lost reply.
        let recovered = (try? await database.recoverInterrupted(now: clock.now())) ?? 0
        if recovered > 0 { logger.warning("outbox rows interrupted mid-send are retried", metadata: ["count": "\(recovered)"]) }
        var lastRecovery = clock.now()
        while !Task.isCancelledOrShuttingDown {
            if let lease, clock.now().timeIntervalSince(lastRecovery) >= lease.duration / 2 {
                // Replicas: a replica that died mid-send leaves rows `sending`; once its lease runs out they
                // are retried here, without waiting for that replica to come back.
                lastRecovery = clock.now()
                await recoverExpiredSends()
            }
            await deliverDue()
            await wakeUp.waitUnlessShuttingDown(timeout: interval)
        }
    }

    /// Returns the rows of replicas whose lease ran out mid-send to the queue; returns how many.
    @discardableResult
    func recoverExpiredSends() async -> Int {
        do {
            let recovered = try await database.recoverExpiredSends(at: clock.now())
            if recovered > 0 {
                logger.warning("outbox rows of a replica that stopped mid-send are retried", metadata: ["count": "\(recovered)"])
            }
            return recovered
        } catch {
            logger.error("cannot recover interrupted sends", metadata: ["error": "\(error)"])
            return 0
        }
    }

    /// One round: plan, then send what the plan allows. Returns how many rows were sent.
    @discardableResult
    func deliverDue() async -> Int {
        let platforms = messengers.enabledPlatforms
        guard !platforms.isEmpty else { return 0 }
        let rows: [OutboxMessage]
        do {
            rows = try await database.pending(platforms: platforms, limit: 500)
        } catch {
            logger.error("cannot read the outbox", metadata: ["error": "\(error)"])
            return 0
        }
        let now = clock.now()
        let byID = Dictionary(uniqueKeysWithValues: rows.compactMap { row in row.id.map { ($0, row) } })
        let plan = planner.plan(rows.compactMap { row in
            row.id.map { PendingDelivery(id: $0, platform: row.platform, conversationKey: row.conversationKey,
                                         notBefore: row.nextAttemptAt) }
        }, now: now, state: plannerState)
        plannerState = plan.state
        var sent = 0
        for id in plan.send {
            // On graceful shutdown the send in progress finishes and the rest waits for the next start.
            guard !Task.isCancelledOrShuttingDown else { break }
            guard let row = byID[id] else { continue }
            if await deliver(row) { sent += 1 }
        }
        return sent
    }

    private func deliver(_ row: OutboxMessage) async -> Bool {
        guard let id = row.id else { return false }
        let claimed: OutboxMessage
        do {
            if let lease {
                claimed = try await database.markSending(id: id, lease: lease, at: clock.now())
            } else {
                claimed = try await database.markSending(id: id)
            }
        } catch {
            return false  // another worker took it, or it is no longer pending
        }
        guard let adapter = messengers.adapter(for: row.platform),
              let envelope = OutboundEnvelope.decode(row.payload), let key = ConversationKey(storageKey: row.conversationKey)
        else {
            try? await database.markFailed(id: id, error: "cannot render this row")
            return false
        }
        let now = clock.now()
        var outcome = await send(envelope, key: key, adapter: adapter, row: row, replyToken: envelope.replyToken, now: now)
        if LineAdapter.isInvalidReplyToken(outcome) {
            // The token expired or was used: the same message as a push.
            outcome = await send(envelope, key: key, adapter: adapter, row: row, replyToken: nil, now: now)
        }
        switch outcome {
        case let .delivered(delivered):
            try? await database.markSent(id: id, at: clock.now(), platformMessageID: delivered.messageID)
            metrics.delivery(row.platform.rawValue, "sent")
            return true
        case let .retryable(failure), let .rateLimited(failure):
            let verdict = policy.verdict(attempts: claimed.attempts, createdAt: row.createdAt, now: clock.now(),
                                         retryAfter: failure.retryAfter, random: Double.random(in: 0...1, using: &random))
            switch verdict {
            case let .retry(at):
                try? await database.markRetry(id: id, nextAttemptAt: at, error: failure.reason)
                metrics.delivery(row.platform.rawValue, "retried")
            case .giveUp:
                try? await database.markFailed(id: id, error: "gave up: \(failure.reason)")
                metrics.delivery(row.platform.rawValue, "given_up")
                metrics.givenUp(row.platform.rawValue)
                logger.error("outbox message given up", metadata: ["outbox.id": "\(id)", "platform": "\(row.platform.rawValue)"])
                await noteUndelivered(row, reason: failure.reason)
            }
        case let .permanent(failure):
            try? await database.markFailed(id: id, error: failure.reason)
            metrics.delivery(row.platform.rawValue, "refused")
            logger.error("outbox message refused by the platform", metadata: [
                "outbox.id": "\(id)", "platform": "\(row.platform.rawValue)", "reason": "\(failure.reason)",
            ])
        }
        return false
    }

    /// Tells the agents, on the conversation's open ticket, that the employee never got a message:
    /// a person then knows to reach them another way.
    private func noteUndelivered(_ row: OutboxMessage, reason: String) async {
        guard let conversation = try? await database.conversation(platform: row.platform, conversationKey: row.conversationKey),
              let conversationID = conversation.id,
              let ticket = try? await database.openTicket(conversationID: conversationID) else { return }
        let text = "A message to the employee could not be delivered on \(row.platform.rawValue) and was given up "
            + "after \(Int(policy.maximumAge / 3600)) hours (\(reason.prefix(120))). Please contact them directly."
        _ = try? await database.addNote(number: ticket.number, text: text, actor: .system, at: clock.now())
    }

    /// Renders and sends every request of one message; stops at the first that is not delivered.
    private func send(_ envelope: OutboundEnvelope, key: ConversationKey, adapter: any MessengerAdapter, row: OutboxMessage,
                      replyToken: ReplyToken?, now: Date) async -> DeliveryOutcome {
        let requests: [OutboundRequest]
        do {
            requests = try adapter.render(envelope.reply, to: key, replyToken: replyToken, idempotencyKey: row.idempotencyKey, now: now)
        } catch {
            return .permanent(.init(status: nil, reason: "render: \(error)"))
        }
        var last = DeliveryOutcome.permanent(.init(status: nil, reason: "nothing to send"))
        // Parts delivered by an earlier attempt are not sent again: only the rest of the reply goes out.
        let start = min(row.partsSent, requests.count)
        if start == requests.count { return .delivered(.init(status: 200)) }
        for (index, request) in requests.enumerated().dropFirst(start) {
            last = await client.send(request)
            guard case let .delivered(delivered) = last else { return last }
            if requests.count > 1, let id = row.id {
                // The first part is the one a thread hangs under (the agents' channel post); markSent
                // keeps that id.
                try? await database.markPartsSent(id: id, parts: index + 1, platformMessageID: index == 0 ? delivered.messageID : nil)
            }
        }
        return last
    }
}

extension WakeUp {
    /// Waits as `wait` does, but returns at once when the server begins a graceful shutdown: a
    /// worker parked for its interval must not hold up SIGTERM for that long.
    func waitUnlessShuttingDown(timeout: Duration) async {
        try? await cancelWhenGracefulShutdown {
            await self.wait(timeout: timeout)
        }
    }
}
