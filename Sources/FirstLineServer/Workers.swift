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
/// policy's maximum age. A row is marked `sending` before the request and `sent` after it.
///
/// Issue 15:
/// - **In doubt.** A row found `sending` at start (a crash) or after a replica's lease ran out, or one whose
///   request got no answer, may already be at the platform. Before sending it again the worker settles that
///   where the platform allows: Slack is asked for the conversation's recent history (the outbox key is in
///   each message's `metadata`) and the row is sent only if absent; a LINE push carries a retry key derived
///   from the row, so the platform drops a repeat (409 counts as delivered), and a reply token still fresh
///   that the platform calls invalid was used by the earlier attempt; Telegram and LINE WORKS offer neither,
///   so the row is sent again and counted in `firstline_outbox_in_doubt_total{platform}`.
/// - **Outages.** A failing platform is probed every couple of seconds (see `DeliveryPlanner`); its first
///   success brings its waiting rows forward, so a backlog goes out within seconds of the recovery, still in
///   order per conversation and within the rate limits; a 429's Retry-After pauses the platform.
/// - **Slow platforms.** Sends run concurrently, one at a time per conversation and at most
///   `concurrentSendsPerPlatform` per platform: a platform taking 10 s to answer holds up neither the other
///   conversations nor the other platforms (webhook acknowledgements never wait for the outbox).
actor OutboxWorker: Service {
    /// Sends in flight per platform (AsyncHTTPClient opens up to 8 connections per host by default).
    static let concurrentSendsPerPlatform = 8

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
    /// Conversations ("platform|key") with a send in flight, and how many sends each platform has in flight.
    private var busy = Set<String>()
    private var inFlight: [Platform: Int] = [:]

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
        // Rows left `sending` by a crash go back to pending, marked in doubt: each is settled before it is sent
        // again (better a rare duplicate than a lost reply, and no duplicate where the platform lets us check).
        let recovered = (try? await database.recoverInterrupted(now: clock.now())) ?? 0
        if recovered > 0 {
            logger.warning("outbox rows interrupted mid-send are settled and retried", metadata: ["count": "\(recovered)"])
        }
        var lastRecovery = clock.now()
        // Sends outlive the round that started them; on graceful shutdown the loop stops starting new ones and
        // the group waits for those in flight (the server cancels them if they run past its deadline).
        await withDiscardingTaskGroup { group in
            while !Task.isCancelledOrShuttingDown {
                if let lease, clock.now().timeIntervalSince(lastRecovery) >= lease.duration / 2 {
                    // Replicas: a replica that died mid-send leaves rows `sending`; once its lease runs out they
                    // are retried here, without waiting for that replica to come back.
                    lastRecovery = clock.now()
                    await recoverExpiredSends()
                }
                for row in await startDue() {
                    group.addTask { await self.deliverAndRelease(row) }
                }
                await wakeUp.waitUnlessShuttingDown(timeout: interval)
            }
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

    /// One round, finished before it returns (tests and tools): plan, then send what the plan allows,
    /// concurrently as `run` does. Returns how many rows were sent.
    @discardableResult
    func deliverDue() async -> Int {
        let rows = await startDue()
        return await withTaskGroup(of: Bool.self) { group in
            for row in rows { group.addTask { await self.deliverAndRelease(row) } }
            var sent = 0
            for await delivered in group where delivered { sent += 1 }
            return sent
        }
    }

    /// Plans a round and marks the rows it starts as in flight (their conversations busy).
    private func startDue() async -> [OutboxMessage] {
        let platforms = messengers.enabledPlatforms
        guard !platforms.isEmpty, !Task.isCancelledOrShuttingDown else { return [] }
        let rows: [OutboxMessage]
        do {
            rows = try await database.pending(platforms: platforms, limit: 500)
        } catch {
            logger.error("cannot read the outbox", metadata: ["error": "\(error)"])
            return []
        }
        let now = clock.now()
        let byID = Dictionary(uniqueKeysWithValues: rows.compactMap { row in row.id.map { ($0, row) } })
        var slots: [Platform: Int] = [:]
        for platform in platforms { slots[platform] = max(0, Self.concurrentSendsPerPlatform - inFlight[platform, default: 0]) }
        let plan = planner.plan(rows.compactMap { row in
            row.id.map { PendingDelivery(id: $0, platform: row.platform, conversationKey: row.conversationKey,
                                         notBefore: row.nextAttemptAt, attempts: row.attempts) }
        }, now: now, state: plannerState, busy: busy, slots: slots)
        plannerState = plan.state
        let started = plan.send.compactMap { byID[$0] }
        for row in started {
            busy.insert(Self.conversation(row))
            inFlight[row.platform, default: 0] += 1
        }
        return started
    }

    private static func conversation(_ row: OutboxMessage) -> String { "\(row.platform.rawValue)|\(row.conversationKey)" }

    private func deliverAndRelease(_ row: OutboxMessage) async -> Bool {
        let delivered = await deliver(row)
        busy.remove(Self.conversation(row))
        inFlight[row.platform, default: 1] -= 1
        // The conversation's next reply (and the slot) may go now.
        await wakeUp.signal()
        return delivered
    }

    private func observe(_ observation: DeliveryPlanner.Observation, platform: Platform) async {
        let recovered = DeliveryPlanner.record(observation, platform: platform, at: clock.now(), in: &plannerState)
        guard recovered else { return }
        // The platform answers again: its waiting rows go now (in order, within the rate) rather than each at
        // the end of a backoff that grew during the outage.
        do {
            let count = try await database.bringForward(platform: platform, now: clock.now())
            logger.info("platform answers again; waiting messages brought forward",
                        metadata: ["platform": "\(platform.rawValue)", "count": "\(count)"])
        } catch {
            logger.error("cannot bring waiting messages forward", metadata: ["error": "\(error)"])
        }
    }

    private func deliver(_ row: OutboxMessage) async -> Bool {
        guard let id = row.id else { return false }
        var claimed: OutboxMessage
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
        // The claim re-read the row: its parts and doubt are what the store holds now, not what the plan saw.
        claimed.partsSent = max(claimed.partsSent, row.partsSent)
        let now = clock.now()
        if claimed.inDoubt, claimed.platform == .line, claimed.partsSent == 0, let token = envelope.replyToken,
           !token.isUsable(at: now) {
            // The interrupted attempt may have used the reply token (no retry key there); the push now cannot be
            // matched with it.
            countInDoubt(claimed, how: "resent")
        }
        var outcome = await send(envelope, key: key, adapter: adapter, row: claimed, replyToken: envelope.replyToken, now: now)
        if LineAdapter.isInvalidReplyToken(outcome) {
            if claimed.inDoubt, let token = envelope.replyToken, token.isUsable(at: clock.now()) {
                // Only this row ever held the token, and it has not expired: the interrupted attempt used it.
                outcome = .delivered(.init(status: 400, duplicate: true))
                logger.info("in-doubt LINE reply was delivered before the interruption", metadata: ["outbox.id": "\(id)"])
            } else {
                // The token expired or was used: the same message as a push.
                if claimed.inDoubt, envelope.replyToken != nil { countInDoubt(claimed, how: "resent") }
                outcome = await send(envelope, key: key, adapter: adapter, row: claimed, replyToken: nil, now: now)
            }
        }
        switch outcome {
        case let .delivered(delivered):
            let sentAt = clock.now()
            await recordUntilStored("sent", id: id) {
                try await database.markSent(id: id, at: sentAt, platformMessageID: delivered.messageID)
            }
            metrics.delivery(row.platform.rawValue, "sent")
            await observe(.delivered, platform: row.platform)
            return true
        case let .retryable(failure), let .rateLimited(failure):
            let limited = if case .rateLimited = outcome { true } else { false }
            let verdict = policy.verdict(attempts: claimed.attempts, createdAt: row.createdAt, now: clock.now(),
                                         retryAfter: failure.retryAfter, random: Double.random(in: 0...1, using: &random))
            // Still in doubt if it was and nothing settled it, or if this attempt got no answer.
            let inDoubt = failure.mayHaveArrived || (claimed.inDoubt && failure.status == nil)
            switch verdict {
            case let .retry(at):
                try? await database.markRetry(id: id, nextAttemptAt: at, error: failure.reason, inDoubt: inDoubt)
                metrics.delivery(row.platform.rawValue, "retried")
            case .giveUp:
                try? await database.markFailed(id: id, error: "gave up: \(failure.reason)")
                metrics.delivery(row.platform.rawValue, "given_up")
                metrics.givenUp(row.platform.rawValue)
                logger.error("outbox message given up", metadata: ["outbox.id": "\(id)", "platform": "\(row.platform.rawValue)"])
                await noteUndelivered(row, reason: failure.reason)
            }
            await observe(limited ? .rateLimited(retryAfter: failure.retryAfter) : .failed, platform: row.platform)
        case let .permanent(failure):
            try? await database.markFailed(id: id, error: failure.reason)
            metrics.delivery(row.platform.rawValue, "refused")
            logger.error("outbox message refused by the platform", metadata: [
                "outbox.id": "\(id)", "platform": "\(row.platform.rawValue)", "reason": "\(failure.reason)",
            ])
            // The platform answered: it is up, whatever it thought of this message.
            await observe(.delivered, platform: row.platform)
        }
        return false
    }

    /// An in-doubt row sent again without a way to tell whether the platform had it: counted, so an operator
    /// sees how often an employee may have got a message twice.
    private func countInDoubt(_ row: OutboxMessage, how: String) {
        metrics.inDoubt(row.platform.rawValue)
        logger.warning("outbox row in doubt sent again; the platform cannot tell a repeat", metadata: [
            "outbox.id": "\(row.id ?? 0)", "platform": "\(row.platform.rawValue)", "resolution": "\(how)",
        ])
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
    /// For a row in doubt, the first request not yet recorded as sent is settled first (`settle`).
    /// Records what the platform already did. The platform has the message, so giving up on the record would leave
    /// the row `sending` and send it again at the next start: while the store refuses writes (a full disk, a
    /// read-only file) the record is tried again with a growing pause, and the conversation waits meanwhile so
    /// its next reply cannot overtake this one. Only shutdown stops it (the row is then in doubt at the next start).
    private func recordUntilStored(_ what: String, id: Int64, _ record: () async throws -> Void) async {
        var pause = Duration.milliseconds(250)
        while true {
            do {
                try await record()
                return
            } catch {
                if Task.isCancelledOrShuttingDown { return }
                logger.error("cannot record an outbox delivery; trying again", metadata: [
                    "outbox.id": "\(id)", "record": "\(what)", "error": "\(error)",
                ])
                try? await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(5))
            }
        }
    }

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
            if index == start, row.inDoubt {
                switch await settle(request, part: index, row: row, key: key) {
                case let .alreadyThere(messageID):
                    last = .delivered(.init(status: 200, messageID: messageID, duplicate: true))
                    if requests.count > 1, let id = row.id {
                        await recordUntilStored("parts sent", id: id) {
                            try await database.markPartsSent(id: id, parts: index + 1, platformMessageID: index == 0 ? messageID : nil)
                        }
                    }
                    continue
                case let .cannotTell(failure):
                    return .retryable(failure)
                case .send:
                    break
                }
            }
            last = await client.send(request)
            guard case let .delivered(delivered) = last else { return last }
            if requests.count > 1, let id = row.id {
                // The first part is the one a thread hangs under (the agents' channel post); markSent
                // keeps that id.
                await recordUntilStored("parts sent", id: id) {
                    try await database.markPartsSent(id: id, parts: index + 1, platformMessageID: index == 0 ? delivered.messageID : nil)
                }
            }
        }
        return last
    }

    private enum Settlement {
        /// The platform has it: do not send it again.
        case alreadyThere(messageID: String?)
        /// Send it (it is not there, or the platform drops a repeat itself).
        case send
        /// Could not look: try again later, still in doubt.
        case cannotTell(DeliveryOutcome.Failure)
    }

    /// Decides what to do with the request an interrupted attempt may have delivered.
    private func settle(_ request: OutboundRequest, part: Int, row: OutboxMessage, key: ConversationKey) async -> Settlement {
        switch row.platform {
        case .slack where request.operation == "chat.postMessage":
            guard let slack = messengers.adapter(for: .slack) as? SlackAdapter,
                  let lookup = try? slack.outboxLookup(to: key, since: row.createdAt)
            else { return .send }
            switch await client.lookUpSlackMessage(lookup, idempotencyKey: row.idempotencyKey, part: part) {
            case let .found(messageID):
                metrics.inDoubtSettled(row.platform.rawValue, "found")
                logger.info("in-doubt Slack message found in the conversation; not sent again", metadata: ["outbox.id": "\(row.id ?? 0)"])
                return .alreadyThere(messageID: messageID)
            case .absent:
                metrics.inDoubtSettled(row.platform.rawValue, "absent")
                return .send
            case .unknown:
                return .cannotTell(.init(status: nil, reason: "in doubt: the conversation's history could not be read"))
            case let .undecidable(reason):
                // Waiting would not help (a missing history scope, a busy channel): send, rather than lose it.
                logger.warning("Slack history cannot settle an in-doubt message; it is sent again", metadata: [
                    "outbox.id": "\(row.id ?? 0)", "reason": "\(reason.prefix(120))",
                ])
                countInDoubt(row, how: "history_unavailable")
                return .send
            }
        case .line where request.retryKey != nil:
            // The platform drops a repeat of the same retry key (409, counted as delivered).
            metrics.inDoubtSettled(row.platform.rawValue, "retry_key")
            return .send
        case .line:
            // A reply with its token: a token the earlier attempt used is refused, and `deliver` reads that.
            return .send
        default:
            countInDoubt(row, how: "resent")
            return .send
        }
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
