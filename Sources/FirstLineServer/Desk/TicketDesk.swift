import FirstLineCore
import FirstLineMessengers
import FirstLineStore
import Foundation
import Logging

/// Where the desk posts for agents (design §6 `FIRSTLINE_SLACK_AGENT_CHANNEL`): new tickets with a
/// Claim button, SLA warnings and breaches.
public struct AgentChannel: Sendable, Equatable {
    public var platform: Platform
    /// The outbox's conversation key, such as `slack:C0AGENTS` or `telegram:-100123`.
    public var conversationKey: String

    public init(platform: Platform, conversationKey: String) {
        self.platform = platform
        self.conversationKey = conversationKey
    }
}

/// Everything that happens to tickets without anyone typing (design §5): routing on arrival,
/// draining queues, reassignment when an assignee stays silent, SLA alarms on business time,
/// approvals and their reminders.
///
/// The decisions are Core's (`TicketRouter`, `SLAClock`); this actor reads the facts from the
/// store and writes the outcome back, each step in one transaction. Nothing lives only in memory:
/// queues are open tickets without an assignee, timers are rows with a due time, so a restart
/// resumes exactly where the last process stopped. `tick` is idempotent and cheap, so it runs
/// after every ticket change and on the worker's interval (working hours beginning, timers due).
public actor TicketDesk {
    let store: any DeskServiceStore
    let policy: DeskPolicy
    let clock: any ServerClock
    let logger: Logger
    let agentChannel: AgentChannel?
    let defaultLanguage: Language
    let metrics: ServerMetrics
    /// This replica's hold on the timers it fires, when replicas share the store; nil for one process.
    let lease: WorkLease?
    let composer = OutboxComposer()
    let states = ConversationStateCodec()
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    public init(store: any DeskServiceStore, policy: DeskPolicy, clock: any ServerClock, logger: Logger,
                agentChannel: AgentChannel? = nil, defaultLanguage: Language = .en, metrics: ServerMetrics = ServerMetrics(),
                lease: WorkLease? = nil) {
        self.metrics = metrics
        self.lease = lease
        self.store = store
        self.policy = policy
        self.clock = clock
        self.logger = logger
        self.agentChannel = agentChannel
        self.defaultLanguage = defaultLanguage
    }

    /// One pass over everything that may be due. Each step's failure is logged and the others
    /// still run: a broken approval must not stop SLA alarms.
    public func tick() async {
        await serially { await self.pass(changed: nil) }
    }

    /// A ticket changed (status, priority, team, a reply): its SLA alarms are recomputed, and
    /// whatever the change made possible (freed capacity) happens.
    public func ticketChanged(_ number: String) async {
        await serially { await self.pass(changed: number) }
    }

    /// Due timers of `kinds`: claimed for this replica when replicas share the store, so each is worked on by one.
    func dueTimers(kinds: [DeskTimer.Kind], at now: Date) async throws -> [DeskTimer] {
        if let lease { return try await store.claimDueTimers(at: now, kinds: kinds, limit: 100, lease: lease) }
        return try await store.dueTimers(at: now, kinds: kinds)
    }

    func pass(changed number: String?) async {
        await step("approvals") { try await requestApprovals() }
        var arrived: Set<String> = []
        await step("routing") { arrived = try await routeAll() }
        // A ticket that just arrived had its alarms scheduled by the routing step.
        if let number, !arrived.contains(number) {
            await step("sla resync") { try await resyncSLA(number: number) }
        }
        await step("sla") { try await fireSLATimers() }
        await step("reminders") { try await fireApprovalReminders() }
    }

    /// An agent says they are available or away; coming back drains the queues at once.
    public func setPresence(agent: String, online: Bool) async throws {
        try await store.setPresence(agentID: agent, online: online, at: clock.now())
        await tick()
    }

    /// An agent takes a waiting ticket (the console or the agents' channel's Claim button).
    ///
    /// Any account that works tickets may claim: one not listed among the configured agents (the
    /// built-in desk lists none) claims as a member of the ticket's team, without a capacity limit.
    public func claim(_ number: String, agent: String) async throws -> Ticket {
        // A ticket that arrived a moment ago may not be in its queue yet.
        await tick()
        var claimPolicy = policy
        if !policy.agents.contains(where: { $0.id == agent }) {
            claimPolicy.agents.append(Agent(id: agent, capacity: .max, calendar: .twentyFourSeven(timeZone: .gmt)))
            for index in claimPolicy.teams.indices { claimPolicy.teams[index].memberIDs.append(agent) }
        }
        let router = try claimPolicy.router()
        let now = clock.now()
        // A refused claim (not queued, over capacity) throws out of the transaction, which changes nothing.
        _ = try await serially {
            try await self.store.route(at: now, reassignAfter: self.reassignAfter, actor: .agent(agent)) { snapshot in
                try router.claim(ticketID: number, agentID: agent, state: snapshot.state)
            }
        }
        guard let ticket = try await store.ticket(number: number) else { throw StoreError.notFound(.ticket, number) }
        await ticketChanged(number)
        return ticket
    }

    /// Records a decision on a pending approval, tells the requester, and routes an approved
    /// ticket. `approverEmployeeID`, when given, must be the approval's approver (a manager's
    /// click); agents and admins decide through the API without it.
    public func decideApproval(_ number: String, approve: Bool, by actor: TicketActor, approverEmployeeID: Int64? = nil,
                               note: String? = nil) async throws -> Ticket {
        let ticket = try await serially { () async throws -> Ticket in
            guard let current = try await self.store.ticket(number: number), let ticketID = current.id,
                  let work = try await self.store.approvalWork(ticketID: ticketID) else {
                throw StoreError.notFound(.approval, number)
            }
            if let approverEmployeeID, work.approval.approverEmployeeID != approverEmployeeID {
                throw DeskError.notApprover(number)
            }
            let decided = try await self.store.decideApproval(ticketNumber: number, approve: approve, by: actor,
                                                                 note: note, at: self.clock.now())
            try await self.tellRequester(decided, approved: approve)
            return decided
        }
        await ticketChanged(number)
        return ticket
    }

    /// The agent whose messenger address is this platform user (a Claim click in the agents' channel).
    nonisolated func agentID(platform: Platform, userID: String) -> String? {
        policy.agentAddresses.first { $0.value.platform == platform && $0.value.id == userID }?.key
    }

    // MARK: - Routing

    var reassignAfter: TimeInterval { TimeInterval(policy.reassignAfterMinutes) * 60 }

    /// Routes arrivals, drains the queues and reassigns silent assignees; returns the arrivals,
    /// whose SLA alarms it scheduled (their team, and so their calendar, was set just now).
    @discardableResult
    func routeAll() async throws -> Set<String> {
        let router = try policy.router()
        let now = clock.now()
        let pass = try await store.route(at: now, reassignAfter: reassignAfter) { snapshot in
            router.marking(away: snapshot.awayAgentIDs)
                .pass(state: snapshot.state, arrivals: snapshot.unrouted, dueReassignments: snapshot.dueReassignments, now: now)
        }
        let arrived = Set(pass.arrivals)
        for decision in pass.decisions {
            try await announce(decision, newlyRouted: arrived)
        }
        // Other assignments keep their team, so their SLA clocks are unchanged.
        for number in arrived { try await resyncSLA(number: number) }
        return arrived
    }

    /// Tells the agents: the channel hears of every new ticket, an agent with a messenger address
    /// of every ticket given to them.
    func announce(_ decision: RoutingDecision, newlyRouted: Set<String>) async throws {
        let now = clock.now()
        var messages: [NewOutboxMessage] = []
        switch decision {
        case let .assigned(number, agentID, teamID, _):
            guard let ticket = try await store.ticket(number: number) else { return }
            if newlyRouted.contains(number), let channel = agentChannel {
                let text = "🆕 \(DeskText.headline(ticket)) → \(agentID) (\(teamID)). Reply in this thread to answer the employee."
                messages.append(try composer.row(Reply(text: text, buttons: DeskText.buttons(number)), to: channel.platform,
                                                 conversationKey: channel.conversationKey, key: .ticketAnnouncement(ticket: number)))
            }
            if let address = policy.agentAddresses[agentID], let (platform, key) = DeskText.directChat(address) {
                let text = "\(DeskText.headline(ticket)) is assigned to you."
                messages.append(try composer.row(Reply(text: text), to: platform, conversationKey: key,
                                                 key: .assignedToAgent(ticket: number, agent: agentID, at: Int(now.timeIntervalSince1970))))
            }
        case let .queued(number, teamID):
            guard newlyRouted.contains(number), let channel = agentChannel,
                  let ticket = try await store.ticket(number: number) else { return }
            let text = "🆕 \(DeskText.headline(ticket)) waits in the \(teamID) queue. Reply in this thread to answer the employee."
            messages.append(try composer.row(Reply(text: text, buttons: DeskText.buttons(number)), to: channel.platform,
                                             conversationKey: channel.conversationKey, key: .ticketAnnouncement(ticket: number)))
        }
        if !messages.isEmpty { _ = try await store.enqueue(messages, at: now) }
    }


    // MARK: - Helpers

    func step(_ name: String, _ work: () async throws -> Void) async {
        do {
            try await work()
        } catch {
            logger.error("desk step failed", metadata: ["step": "\(name)", "error": "\(error)"])
        }
    }

    /// One desk operation at a time: an actor alone lets a second tick in while the first awaits
    /// the database, and both would then fire the same timers' side effects.
    func serially<T: Sendable>(_ work: () async throws -> T) async rethrows -> T {
        while busy { await withCheckedContinuation { waiting.append($0) } }
        busy = true
        defer {
            busy = false
            if !waiting.isEmpty { waiting.removeFirst().resume() }
        }
        return try await work()
    }
}
