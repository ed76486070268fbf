import FirstLineCore
import FirstLineStore
import Foundation
import Logging

/// Carries inbox entries through design §2: each entry goes to one handler by its kind
/// (`InboundRoute`): an employee's turn, a desk button, an agent's relay from the agents' channel.
/// Agents' actions from the API come in here too, because they are turns of the same conversations.
///
/// Turns run strictly one at a time (`serially`): every conversation sees its messages in order,
/// and a retry of a failed turn can never overtake a newer one.
public actor ConversationService {
    let context: InboundContext
    /// How late a ticket may be reopened, by the employee (the engine) and by an agent (the API).
    public nonisolated let reopen: ReopenPolicy
    /// Commits webhook events to the inbox in shared transactions (group commit).
    public nonisolated let recorder: InboxRecorder
    private let employeeTurns: EmployeeTurnHandler
    private let deskButtons: DeskButtonHandler
    private let agentRelays: AgentRelayHandler
    private let agentTurns: AgentTurnCommitter
    private let incidentTurns: IncidentResolutionTurn
    /// This replica's hold on the inbox rows it takes, when replicas share the store; nil for one process
    /// on its own SQLite file, which reads the inbox directly.
    private let lease: WorkLease?
    private var turnInProgress = false
    private var waitingTurns: [CheckedContinuation<Void, Never>] = []

    public init(store: any ConversationStore & InboxBatchStore, library: ContentLibrary, settings: DialogueSettings,
                clock: any ServerClock, logger: Logger, desk: TicketDesk? = nil, metrics: ServerMetrics = ServerMetrics(),
                lease: WorkLease? = nil, incidents: IncidentWatch? = nil) {
        self.lease = lease
        let context = InboundContext(store: store, library: library, settings: settings, clock: clock, logger: logger,
                                     desk: desk, metrics: metrics, incidents: incidents)
        self.context = context
        reopen = settings.reopen
        recorder = InboxRecorder(writer: InboxWriter(database: store), clock: clock)
        employeeTurns = EmployeeTurnHandler(context: context)
        deskButtons = DeskButtonHandler(context: context)
        agentTurns = AgentTurnCommitter(context: context)
        incidentTurns = IncidentResolutionTurn(context: context)
        agentRelays = AgentRelayHandler(context: context, agentTurns: agentTurns)
    }

    /// Commits `message` to the inbox and processes it. Nil when the platform already delivered
    /// this event (a retry), or another caller answered it first: it is answered once.
    public func receive(_ message: InboundMessage) async throws -> TurnResult? {
        guard try await recorder.record(message) else { return nil }
        guard let event = try await context.store.inboxEvent(platform: message.platform, eventID: message.eventID) else {
            throw StoreError.notFound(.inbox, message.eventID)
        }
        if let lease, let id = event.id, try await !claim(id, lease: lease) { return nil }
        guard case let .answered(result) = try await serially({ try await self.process(event) }) else { return nil }
        await deskFollowUp(result)
        return result
    }

    /// Claims the row a request brought, so no other replica answers it meanwhile. An earlier message of the
    /// same conversation that another replica is still answering comes first: this waits for it, briefly
    /// (a web page sends one message at a time, so that is rare); if it still cannot claim the row, a worker
    /// answers it later and the page collects the reply by polling.
    private func claim(_ id: Int64, lease: WorkLease) async throws -> Bool {
        for attempt in 0..<Self.claimAttempts {
            if try await context.store.claimInboxEvent(id: id, lease: lease, at: context.clock.now()) { return true }
            if attempt + 1 < Self.claimAttempts { try await Task.sleep(for: .milliseconds(50)) }
        }
        return false
    }

    static let claimAttempts = 40

    /// How long the inbox worker steps aside before each answer while webhooks arrive in a burst.
    static let burstPause: Duration = .milliseconds(5)

    /// Lets the desk route a ticket the turn opened and resync one it changed. Outside the turn
    /// lock: the desk's own pass takes its time and must not hold up the next message.
    func deskFollowUp(_ result: TurnResult) async {
        guard let desk = context.desk else { return }
        for number in result.changedTickets { await desk.ticketChanged(number) }
    }

    /// Runs one turn at a time. An actor alone does not: it lets other calls in while a turn
    /// awaits the database, and two messages of one conversation would then read the same
    /// state and the later commit would erase the earlier turn.
    func serially<T: Sendable>(_ work: () async throws -> T) async throws -> T {
        while turnInProgress {
            await withCheckedContinuation { waitingTurns.append($0) }
        }
        turnInProgress = true
        defer {
            turnInProgress = false
            if !waitingTurns.isEmpty { waitingTurns.removeFirst().resume() }
        }
        return try await work()
    }

    /// Processes every inbox row still pending, oldest first, in batches until none is left:
    /// after a restart, what was acknowledged but not yet answered is answered now.
    ///
    /// - Parameters:
    ///   - grace: web and terminal messages are answered by the request that brought them; the
    ///     background worker passes how long to leave them to that request, and only answers those
    ///     left behind (by a crash) for longer.
    ///   - resumeUpTo: rows with this id or lower were committed before this process opened its port, so
    ///     no request of this process is answering them: they are answered whatever their age.
    ///   - keepGoing: asked before each event; the worker stops between turns when the server shuts
    ///     down, leaving the rest pending for the next start instead of holding SIGTERM up.
    @discardableResult
    public func processPending(batch: Int = 100, leavingRecentSynchronous grace: TimeInterval? = nil,
                               resumingUpTo resumeUpTo: Int64? = nil,
                               while keepGoing: @Sendable () -> Bool = { true }) async -> Int {
        var processed = 0
        var skipped = Set<Int64>()
        let cutoff = grace.map { context.clock.now().addingTimeInterval(-$0) }
        storageRefusedLastPass = false
        do {
            while true {
                let events: [InboxEvent]
                if let lease {
                    // Shared with other replicas: claim the oldest pending event of each conversation that no
                    // live replica holds. A failed one (skipped) holds its conversation back until it is retried.
                    events = try await context.store.claimPending(limit: batch, lease: lease, skipping: skipped,
                                                                  leavingNonMessengerAfter: cutoff, at: context.clock.now())
                } else {
                    // Rows that failed stay pending for a later retry; skip them in this pass.
                    events = try await context.store.pending(limit: batch + skipped.count).filter { event in
                        guard let id = event.id, !skipped.contains(id) else { return false }
                        let leftBehind = resumeUpTo.map { id <= $0 } ?? false
                        if let cutoff, !event.platform.isMessenger, !leftBehind, event.receivedAt > cutoff {
                            skipped.insert(id)  // not ours to answer in this pass
                            return false
                        }
                        return true
                    }
                }
                guard !events.isEmpty else { break }
                guard keepGoing() else {
                    await releaseClaims()
                    break
                }
                for event in events.prefix(batch) {
                    guard keepGoing() else {
                        await releaseClaims()
                        return processed
                    }
                    // Acknowledgements first: during a webhook burst each answer waits a moment, so
                    // the 200s (which platforms time out on) keep the CPU and the database writer.
                    if await recorder.isUnderBurst { try? await Task.sleep(for: Self.burstPause) }
                    do {
                        switch try await serially({ try await self.process(event) }) {
                        case let .answered(result):
                            await deskFollowUp(result)
                            processed += 1
                        case .answeredMeanwhile:
                            break
                        }
                    } catch let error as StoreError where error.isStorageUnavailable {
                        // The disk, not this event: every other turn would fail the same way, so the pass ends
                        // here (the event stays pending, its turn rolled back) and the worker backs off.
                        storageRefusedLastPass = true
                        context.logger.warning("inbox pass stopped: the store refuses writes",
                                               metadata: ["inbox.id": "\(event.id ?? -1)", "error": "\(error)"])
                        await releaseClaims()
                        return processed
                    } catch {
                        event.id.map { _ = skipped.insert($0) }
                        context.logger.error("inbox event failed",
                                             metadata: ["inbox.id": "\(event.id ?? -1)", "error": "\(error)"])
                    }
                }
            }
        } catch {
            if (error as? StoreError)?.isStorageUnavailable == true { storageRefusedLastPass = true }
            context.logger.error("cannot read the inbox", metadata: ["error": "\(error)"])
        }
        return processed
    }

    /// Whether the last `processPending` pass ended because the store refused a write (disk full, read-only):
    /// the inbox worker then waits longer before the next pass, and resumes at its usual pace once a pass
    /// gets through.
    public private(set) var storageRefusedLastPass = false

    /// Stopping (graceful shutdown) with claimed events not yet answered: they go back to the other replicas
    /// now rather than when the lease runs out, so a rolling deploy does not hold their conversations up.
    private func releaseClaims() async {
        guard let lease else { return }
        do {
            let released = try await context.store.releaseInboxClaims(holder: lease.holder)
            if released > 0 { context.logger.info("inbox claims given back", metadata: ["count": "\(released)"]) }
        } catch {
            // They come back to the others when the lease runs out.
            context.logger.warning("cannot give back inbox claims", metadata: ["error": "\(error)"])
        }
    }

    /// Whether a conversation exists for this platform conversation.
    public func hasConversation(platform: Platform, conversationKey: String) async throws -> Bool {
        try await context.store.conversation(platform: platform, conversationKey: conversationKey) != nil
    }

    /// Decodes one inbox entry and hands it to the handler of its kind.
    private func process(_ event: InboxEvent) async throws -> InboundOutcome {
        let eventID = try stored(event.id, .inbox, event.eventID)
        let now = context.clock.now()
        let message: InboundMessage
        let route: InboundRoute
        do {
            message = try JSONDecoder().decode(InboundMessage.self, from: Data(event.payload.utf8))
            route = try InboundRoute.of(message, agentChannel: context.desk?.agentChannel)
        } catch {
            // A row this version cannot read would block nothing else; park it as failed.
            try await context.store.markFailed(id: eventID, error: "cannot handle this entry: \(error)", at: now)
            throw error
        }
        switch route {
        case let .agentRelay(text, post, channel):
            // Another caller may have answered this row while this one waited for its turn.
            guard try await context.store.inboxEvent(platform: event.platform, eventID: event.eventID)?.status == .pending else {
                return .answeredMeanwhile
            }
            return .answered(try await agentRelays.handle(message, text: text, post: post, channel: channel,
                                                          inboxEventID: eventID))
        case let .employeeTurn(dialogueEvent, transcript):
            guard let start = try await beginTurn(message, inboxEventID: eventID, at: now) else { return .answeredMeanwhile }
            if case let .message(text) = dialogueEvent, let action = try await typedApproval(text, start: start) {
                return .answered(try await deskButtons.handle(action, message: message, start: start,
                                                              inboxEventID: eventID, typed: text))
            }
            return .answered(try await employeeTurns.handle(dialogueEvent, transcript: transcript, message: message,
                                                            start: start, inboxEventID: eventID))
        case .joined:
            guard let start = try await beginTurn(message, inboxEventID: eventID, at: now) else { return .answeredMeanwhile }
            return .answered(try await employeeTurns.handle(.joined, transcript: "[joined]", message: message,
                                                            start: start, inboxEventID: eventID))
        case let .deskButton(action):
            guard let start = try await beginTurn(message, inboxEventID: eventID, at: now) else { return .answeredMeanwhile }
            return .answered(try await deskButtons.handle(action, message: message, start: start, inboxEventID: eventID))
        }
    }

    /// A manager's "승인" / "承認" / "approve" typed instead of pressed, when it can only mean one of
    /// the requests waiting for them (or names it): the same as pressing that request's button.
    private func typedApproval(_ text: String, start: TurnStart) async throws -> DeskAction? {
        guard context.desk != nil, let typed = TypedApproval.read(text), let employeeID = start.employee.id else { return nil }
        let waiting = try await context.store.awaitingApprovals(approverEmployeeID: employeeID)
        let number: String? = if let named = typed.ticket {
            waiting.contains(named) ? named : nil
        } else {
            waiting.count == 1 ? waiting.first : nil
        }
        guard let number else { return nil }
        return typed.approve ? .approve(ticket: number) : .reject(ticket: number)
    }

    /// Finds or creates the employee and the conversation and reads what the turn needs; nil when
    /// the entry is no longer pending (another caller answered it while this one waited).
    private func beginTurn(_ message: InboundMessage, inboxEventID: Int64, at now: Date) async throws -> TurnStart? {
        try await context.store.beginTurn(
            inboxEventID: inboxEventID, platform: message.platform, platformUserID: message.userID,
            displayName: message.displayName, conversationKey: message.conversationKey,
            initialState: context.states.initial,
            suggestedSince: now.addingTimeInterval(-context.settings.repeatWindow), at: now)
    }

    // MARK: - Agents' actions from the API

    /// Relays an agent's reply into the employee's conversation and records it on the ticket; the first
    /// reply by an agent sets `firstRespondedAt` (the store does that for agent actors).
    /// `updates` are applied with it in the same transaction (an agent's first reply also takes a new ticket into work).
    public func relayAgentReply(ticketNumber: String, agent: String, actor: TicketActor, text: String,
                                with updates: [TicketUpdate] = []) async throws -> AgentOutcome {
        let message = TicketUpdate(ticketNumber: ticketNumber, change: .message(text), actor: actor)
        let outcome = try await serially {
            try await self.agentTurns.commit(ticketNumber: ticketNumber, event: .agentReply(agent: agent, text: text),
                                             updates: updates + [message], author: .agent)
        }
        await context.desk?.ticketChanged(ticketNumber)
        return outcome
    }

    /// Applies an agent's changes to one ticket in one transaction. When they resolve the ticket, the engine's
    /// `.ticketResolved` asks the employee for a 1–5 rating in the same transaction.
    public func applyAgentUpdates(ticketNumber: String, _ updates: [TicketUpdate]) async throws -> AgentOutcome {
        let resolves = updates.contains { update in
            if case .status(.resolved, _) = update.change { return true }
            return false
        }
        let outcome = try await serially {
            try await self.agentTurns.commit(ticketNumber: ticketNumber,
                                             event: resolves ? .ticketResolved(number: ticketNumber) : nil,
                                             updates: updates, author: .bot)
        }
        // Status, priority or team changed: SLA alarms follow, freed capacity goes to the queue.
        await context.desk?.ticketChanged(ticketNumber)
        return outcome
    }

    /// Tells one linked employee their major incident is fixed, as a turn of their conversation
    /// (in line with their own turns); their linked ticket is resolved in it and its rating asked.
    public func tellIncidentResolved(_ pending: PendingIncidentBroadcast, incident: Incident) async throws -> TurnResult? {
        let result = try await serially { try await self.incidentTurns.tell(pending, incident: incident) }
        if let result { await deskFollowUp(result) }
        return result
    }
}
