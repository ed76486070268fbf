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
    let database: AppDatabase
    let policy: DeskPolicy
    let clock: any ServerClock
    let logger: Logger
    let agentChannel: AgentChannel?
    let defaultLanguage: Language
    let metrics: ServerMetrics
    private let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    public init(database: AppDatabase, policy: DeskPolicy, clock: any ServerClock, logger: Logger,
                agentChannel: AgentChannel? = nil, defaultLanguage: Language = .en, metrics: ServerMetrics = ServerMetrics()) {
        self.metrics = metrics
        self.database = database
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

    private func pass(changed number: String?) async {
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
        try await database.setPresence(agentID: agent, online: online, at: clock.now())
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
            claimPolicy.agents.append(Agent(id: agent, capacity: .max, calendar: .twentyFourSeven(timeZone: TimeZone(identifier: "UTC")!)))
            for index in claimPolicy.teams.indices { claimPolicy.teams[index].memberIDs.append(agent) }
        }
        let router = try claimPolicy.router()
        let now = clock.now()
        // A refused claim (not queued, over capacity) throws out of the transaction, which changes nothing.
        _ = try await serially {
            try await self.database.route(at: now, reassignAfter: self.reassignAfter, actor: .agent(agent)) { snapshot in
                try router.claim(ticketID: number, agentID: agent, state: snapshot.state)
            }
        }
        guard let ticket = try await database.ticket(number: number) else { throw StoreError.notFound(.ticket, number) }
        await ticketChanged(number)
        return ticket
    }

    /// Records a decision on a pending approval, tells the requester, and routes an approved
    /// ticket. `approverEmployeeID`, when given, must be the approval's approver (a manager's
    /// click); agents and admins decide through the API without it.
    public func decideApproval(_ number: String, approve: Bool, by actor: TicketActor, approverEmployeeID: Int64? = nil,
                               note: String? = nil) async throws -> Ticket {
        let ticket = try await serially { () async throws -> Ticket in
            guard let current = try await self.database.ticket(number: number), let ticketID = current.id,
                  let work = try await self.database.approvalWork(ticketID: ticketID) else {
                throw StoreError.notFound(.approval, number)
            }
            if let approverEmployeeID, work.approval.approverEmployeeID != approverEmployeeID {
                throw DeskError.notApprover(number)
            }
            let decided = try await self.database.decideApproval(ticketNumber: number, approve: approve, by: actor,
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
    private func routeAll() async throws -> Set<String> {
        let router = try policy.router()
        let now = clock.now()
        let pass = try await database.route(at: now, reassignAfter: reassignAfter) { snapshot in
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
    private func announce(_ decision: RoutingDecision, newlyRouted: Set<String>) async throws {
        let now = clock.now()
        var messages: [NewOutboxMessage] = []
        switch decision {
        case let .assigned(number, agentID, teamID, _):
            guard let ticket = try await database.ticket(number: number) else { return }
            if newlyRouted.contains(number), let channel = agentChannel {
                let text = "🆕 \(DeskText.headline(ticket)) → \(agentID) (\(teamID)). Reply in this thread to answer the employee."
                messages.append(try outbox(Reply(text: text, buttons: DeskText.buttons(number)), to: channel.platform,
                                           key: channel.conversationKey, idempotencyKey: AppDatabase.announcementKey(ticket: number)))
            }
            if let address = policy.agentAddresses[agentID], let (platform, key) = DeskText.directChat(address) {
                let text = "\(DeskText.headline(ticket)) is assigned to you."
                messages.append(try outbox(Reply(text: text), to: platform, key: key,
                                           idempotencyKey: "desk:assigned:\(number):\(agentID):\(Int(now.timeIntervalSince1970))"))
            }
        case let .queued(number, teamID):
            guard newlyRouted.contains(number), let channel = agentChannel,
                  let ticket = try await database.ticket(number: number) else { return }
            let text = "🆕 \(DeskText.headline(ticket)) waits in the \(teamID) queue. Reply in this thread to answer the employee."
            messages.append(try outbox(Reply(text: text, buttons: DeskText.buttons(number)), to: channel.platform,
                                       key: channel.conversationKey, idempotencyKey: AppDatabase.announcementKey(ticket: number)))
        }
        if !messages.isEmpty { _ = try await database.enqueue(messages, at: now) }
    }

    // MARK: - SLA

    /// Replaces the ticket's pending SLA alarms with those its clock gives now: after a pause,
    /// a new priority or team, or a target met.
    private func resyncSLA(number: String) async throws {
        let facts = try await database.clockFacts(number: number)
        let clock = slaClock(for: facts.ticket)
        let alarms = clock.alarms(for: facts.facts).filter {
            !facts.firedAlarms.contains("\($0.metric.rawValue):\($0.alarm.rawValue)")
        }
        // The due columns were set when the ticket was opened (or re-prioritised) on this same
        // policy; only a wait on the employee moves them, so only then are they rewritten.
        let paused = !facts.facts.pauses.isEmpty
        let firstResponse = !paused || facts.facts.isSettled(.firstResponse) ? nil : clock.timer(.firstResponse, for: facts.facts).due
        let resolution = !paused || facts.facts.isSettled(.resolution) ? nil : clock.timer(.resolution, for: facts.facts).due
        try await database.rescheduleSLA(ticketID: facts.ticket.id!, alarms: alarms, firstResponseDue: firstResponse,
                                         resolutionDue: resolution, at: self.clock.now())
    }

    private func slaClock(for ticket: Ticket) -> SLAClock {
        policy.slaClock(ofTeam: ticket.team ?? policy.teamID(for: ticket.category.articleCategory))
    }

    private func fireSLATimers() async throws {
        let now = clock.now()
        let kinds = DeskTimer.Kind.allCases.filter(\.isSLA)
        for timer in try await database.dueTimers(at: now, kinds: kinds) {
            guard let id = timer.id, let (metric, alarm) = timer.kind.slaAlarm else { continue }
            let facts = try await database.clockFacts(ticketID: timer.ticketID)
            let clock = slaClock(for: facts.ticket)
            if facts.firedAlarms.contains("\(metric.rawValue):\(alarm.rawValue)") || facts.facts.isSettled(metric) {
                try await database.cancelTimer(id: id, at: now)
                continue
            }
            guard clock.isDue(alarm, of: metric, for: facts.facts, at: now) else {
                // The clock moved (a pause, a new priority) since the row was written: schedule it anew.
                try await resyncSLA(number: facts.ticket.number)
                continue
            }
            try await raise(alarm, of: metric, timerID: id, ticket: facts.ticket, due: clock.timer(metric, for: facts.facts).due)
        }
    }

    private func raise(_ alarm: SLAAlarm, of metric: SLAMetric, timerID: Int64, ticket: Ticket, due: Date?) async throws {
        let now = clock.now()
        let team = ticket.team.flatMap { id in policy.teams.first { $0.id == id } }
        let target = metric == .firstResponse ? "first response" : "resolution"
        let dueText = due.map { ISO8601DateFormatter().string(from: $0) } ?? "unknown"
        var note: String
        var messages: [NewOutboxMessage] = []
        switch alarm {
        case .warning:
            note = "SLA warning: 80% of the \(target) target used (due \(dueText))"
        case .breach:
            if let lead = team?.leadID {
                note = "SLA breached: \(target) was due \(dueText); escalated to team lead \(lead)"
                if let address = policy.agentAddresses[lead], let (platform, key) = DeskText.directChat(address) {
                    let text = "SLA breached on \(DeskText.headline(ticket)): \(target) was due \(dueText)."
                    messages.append(try outbox(Reply(text: text), to: platform, key: key,
                                               idempotencyKey: "desk:breach:\(ticket.number):\(metric.rawValue):lead"))
                }
            } else {
                note = "SLA breached: \(target) was due \(dueText); the team has no lead to escalate to"
            }
        }
        if let channel = agentChannel {
            let prefix = alarm == .warning ? "⚠️ SLA warning" : "🚨 SLA breached"
            let assignee = ticket.assignee.map { " · \($0)" } ?? " · unassigned"
            messages.append(try outbox(Reply(text: "\(prefix) (\(target), due \(dueText)): \(DeskText.headline(ticket))\(assignee)"),
                                       to: channel.platform, key: channel.conversationKey,
                                       idempotencyKey: "desk:sla:\(ticket.number):\(metric.rawValue):\(alarm.rawValue)"))
        }
        let update = TicketUpdate(ticketNumber: ticket.number, change: .slaAlarm(metric: metric.rawValue, alarm: alarm.rawValue),
                                  actor: .system, note: note)
        if try await database.fire(timerID: timerID, updates: [update], outbox: messages, at: now) {
            metrics.slaAlarm(metric: metric.rawValue, alarm: alarm.rawValue)
            logger.info("sla alarm", metadata: ["ticket": "\(ticket.number)", "metric": "\(metric.rawValue)", "alarm": "\(alarm.rawValue)"])
        }
    }

    // MARK: - Approvals

    private func requestApprovals() async throws {
        for work in try await database.unrequestedApprovals() {
            try await ask(work, reminder: false, timerID: nil)
        }
    }

    private func fireApprovalReminders() async throws {
        let now = clock.now()
        for timer in try await database.dueTimers(at: now, kinds: [.approvalReminder]) {
            guard let id = timer.id else { continue }
            guard let work = try await database.approvalWork(ticketID: timer.ticketID), work.approval.status == .pending,
                  work.approval.remindersSent < policy.approvals.maximumReminders else {
                try await database.cancelTimer(id: id, at: now)
                continue
            }
            try await ask(work, reminder: true, timerID: id)
        }
    }

    /// Sends the approver the request (or a reminder) with Approve / Reject buttons, in the
    /// conversation they last used with the bot, or a new one on a messenger they are known on.
    private func ask(_ work: ApprovalWork, reminder: Bool, timerID: Int64?) async throws {
        let now = clock.now()
        let number = work.ticket.number
        let sent = reminder ? work.approval.remindersSent + 1 : 0
        let nextReminder = sent < policy.approvals.maximumReminders
            ? now.addingTimeInterval(TimeInterval(policy.approvals.reminderAfterMinutes) * 60) : nil
        guard let approver = work.approver, let conversation = try await approverConversation(approver) else {
            let why = work.approver == nil
                ? "no manager in the directory for the requester" : "the manager \(work.approver!.displayName) has no messenger the bot can reach"
            _ = try await database.recordApprovalRequest(
                ticketID: work.ticket.id!, reminder: reminder, note: "approval needed: \(why); an agent can decide",
                conversationID: nil, messages: [], outbox: [], nextReminderAt: nil, timerID: timerID, at: now)
            if let channel = agentChannel, !reminder {
                let message = try outbox(Reply(text: "\(DeskText.headline(work.ticket)) needs an approval, but \(why)."),
                                         to: channel.platform, key: channel.conversationKey,
                                         idempotencyKey: "desk:approval:\(number):unreachable")
                _ = try await database.enqueue([message], at: now)
            }
            return
        }
        let language = conversation.language.flatMap(Language.init(rawValue:)) ?? defaultLanguage
        let reply = Reply(text: ApprovalWording.request(ticket: number, requester: work.requester.displayName,
                                                        subject: work.ticket.subject, reminder: reminder, language: language),
                          buttons: ApprovalWording.buttons(ticket: number, language: language))
        let payload = try OutboundEnvelope(reply: reply, replyToken: nil).encoded(encoder)
        var outbox: [NewOutboxMessage] = []
        if conversation.platform != .terminal {
            outbox.append(NewOutboxMessage(platform: conversation.platform, conversationKey: conversation.conversationKey,
                                           idempotencyKey: "approval:\(number):\(sent)", payload: payload))
        }
        let recorded = try await database.recordApprovalRequest(
            ticketID: work.ticket.id!, reminder: reminder,
            note: "\(reminder ? "reminder \(sent) sent" : "asked") to \(approver.displayName) on \(conversation.platform.rawValue)",
            conversationID: conversation.id, messages: [NewMessage(direction: .outbound, author: .bot, text: reply.text, payload: payload)],
            outbox: outbox, nextReminderAt: nextReminder, timerID: timerID, at: now)
        if recorded { logger.info("approval asked", metadata: ["ticket": "\(number)", "reminder": "\(sent)"]) }
    }

    private func approverConversation(_ approver: Employee) async throws -> Conversation? {
        guard let id = approver.id else { return nil }
        let conversations = try await database.conversations(employeeID: id).filter { $0.platform != .terminal }
        if let recent = conversations.first { return recent }
        // Never talked to the bot: start a conversation on the first messenger the directory knows them on.
        // Messengers first (they reach the person now); a web chat session is read when its page polls.
        let identities = try await database.identities(employeeID: id)
        let ordered = identities.filter { $0.platform != .web } + identities.filter { $0.platform == .web }
        for identity in ordered {
            let key: String
            if identity.platform == .web {
                key = identity.platformUserID  // a web session's conversation key is the session itself
            } else if let (_, chat) = DeskText.directChat(MessengerAddress(platform: identity.platform,
                                                                           id: identity.platformUserID)) {
                key = chat
            } else {
                continue  // the terminal: nobody to reach later
            }
            let state = String(decoding: try encoder.encode(ConversationState()), as: UTF8.self)
            return try await database.findOrCreateConversation(platform: identity.platform, conversationKey: key, employeeID: id,
                                                               initialState: state, at: clock.now())
        }
        return nil
    }

    /// The requester hears the decision in the ticket's conversation; after a rejection the
    /// conversation is handed back to the bot (the ticket is closed, nobody will answer on it).
    private func tellRequester(_ ticket: Ticket, approved: Bool) async throws {
        guard let conversationID = ticket.conversationID,
              let conversation = try await database.conversation(id: conversationID) else { return }
        let state = (try? JSONDecoder().decode(ConversationState.self, from: Data(conversation.state.utf8))) ?? ConversationState()
        let language = state.language ?? conversation.language.flatMap(Language.init(rawValue:)) ?? defaultLanguage
        let reply = Reply(text: ApprovalWording.outcome(ticket: ticket.number, approved: approved, language: language))
        let payload = try OutboundEnvelope(reply: reply, replyToken: nil).encoded(encoder)
        var reset: (expected: String, new: String)?
        if !approved, state.ticketNumber == ticket.number {
            var idle = ConversationState()
            idle.language = state.language
            reset = (conversation.state, String(decoding: try encoder.encode(idle), as: UTF8.self))
        }
        // Web chat reads its rows when the page polls; the terminal has no one to deliver to later.
        let outbox = conversation.platform != .terminal
            ? [NewOutboxMessage(platform: conversation.platform, conversationKey: conversation.conversationKey,
                                idempotencyKey: "approval:\(ticket.number):outcome", payload: payload)] : []
        _ = try await database.postNotice(conversationID: conversationID,
                                          messages: [NewMessage(direction: .outbound, author: .bot, text: reply.text, payload: payload)],
                                          outbox: outbox, resetState: reset, at: clock.now())
    }

    // MARK: - Helpers

    private func outbox(_ reply: Reply, to platform: Platform, key: String, idempotencyKey: String) throws -> NewOutboxMessage {
        NewOutboxMessage(platform: platform, conversationKey: key, idempotencyKey: idempotencyKey,
                         payload: try OutboundEnvelope(reply: reply, replyToken: nil).encoded(encoder))
    }

    private func step(_ name: String, _ work: () async throws -> Void) async {
        do {
            try await work()
        } catch {
            logger.error("desk step failed", metadata: ["step": "\(name)", "error": "\(error)"])
        }
    }

    /// One desk operation at a time: an actor alone lets a second tick in while the first awaits
    /// the database, and both would then fire the same timers' side effects.
    private func serially<T: Sendable>(_ work: () async throws -> T) async rethrows -> T {
        while busy { await withCheckedContinuation { waiting.append($0) } }
        busy = true
        defer {
            busy = false
            if !waiting.isEmpty { waiting.removeFirst().resume() }
        }
        return try await work()
    }
}

/// Why the desk refused an action.
public enum DeskError: Error, Equatable, Sendable {
    /// The click came from someone who is not the approval's approver.
    case notApprover(String)
}

/// Short texts the desk posts for agents (in English: the agents' working language of the
/// console; employees' texts are localised in `ApprovalWording`).
enum DeskText {
    static func headline(_ ticket: Ticket) -> String {
        "\(ticket.number) [\(ticket.priority.rawValue) · \(ticket.category.rawValue)] \(ticket.subject)"
    }

    static func buttons(_ number: String) -> [ReplyButton] {
        [ReplyButton(action: .claim(ticket: number), label: "Claim"), ReplyButton(action: .open(ticket: number), label: "Open")]
    }

    /// The ticket as an agent sees it on "Open": what, who, where it stands, what is due.
    static func details(_ ticket: Ticket, requester: Employee?, lastMessage: String?) -> String {
        var lines = [headline(ticket)]
        lines.append("Status: \(ticket.status.rawValue) · team: \(ticket.team ?? "—") · assignee: \(ticket.assignee ?? "unassigned")")
        lines.append("Requester: \(requester?.displayName ?? "?")\(requester?.email.map { " <\($0)>" } ?? "") · via \(ticket.channel.rawValue)")
        let formatter = ISO8601DateFormatter()
        if let due = ticket.firstResponseDueAt, ticket.firstRespondedAt == nil { lines.append("First response due: \(formatter.string(from: due))") }
        if let due = ticket.resolutionDueAt, ticket.status.isOpen { lines.append("Resolution due: \(formatter.string(from: due))") }
        if let lastMessage { lines.append("Latest: \(lastMessage.prefix(500))") }
        return lines.joined(separator: "\n")
    }

    /// Where a direct message to a person's messenger address goes: the platform and the
    /// outbox's conversation key (a Slack user id opens the app's DM; a Telegram private chat has
    /// the user's id). Nil for an address no messenger can take.
    static func directChat(_ address: MessengerAddress) -> (Platform, String)? {
        let key: ConversationKey? = switch address.platform {
        case .slack: .slack(channel: address.id, threadTS: nil)
        case .telegram: Int64(address.id).map { .telegram(chatID: $0) }
        case .line: .line(to: address.id)
        case .lineworks: .lineWorksUser(userID: address.id)
        case .web, .terminal: nil
        }
        guard let key else { return nil }
        return (address.platform, key.storageKey)
    }
}

extension MessengerConfiguration {
    /// The agents' channel: Slack's `FIRSTLINE_SLACK_AGENT_CHANNEL` if set, else Telegram's
    /// `FIRSTLINE_TELEGRAM_AGENT_CHAT`; nil when neither is.
    public var agentChannel: AgentChannel? {
        if let channel = slack?.agentChannel {
            return AgentChannel(platform: .slack, conversationKey: ConversationKey.slack(channel: channel, threadTS: nil).storageKey)
        }
        if let chat = telegram?.agentChat {
            return AgentChannel(platform: .telegram, conversationKey: ConversationKey.telegram(chatID: chat).storageKey)
        }
        return nil
    }
}
