import FirstLineCore
import FirstLineStore
import Foundation
import Logging

/// Carries one employee event through the whole pipeline of design §2: commit it to the inbox,
/// load the conversation, let the dialogue engine decide, and store the new state with every
/// effect (messages, suggestions, feedback, ticket, outbox rows) in one transaction.
///
/// Turns run strictly one at a time (`serially`): every conversation sees its messages in order,
/// and a retry of a failed turn can never overtake a newer one.
public actor ConversationService {
    // Internal rather than private: the agents' side of the conversation (ConversationService+Agents.swift)
    // commits its turns through the same database, engine and clock.
    let database: AppDatabase
    let library: ContentLibrary
    let settings: DialogueSettings
    let clock: any ServerClock
    let logger: Logger
    /// How long after resolution the employee (or an agent) may still reopen a ticket.
    let reopenWindow: TimeInterval
    /// Told about every ticket a turn opened or changed, so routing and SLA alarms follow at once.
    let desk: TicketDesk?
    let metrics: ServerMetrics
    /// Commits webhook events to the inbox in shared transactions (group commit), so concurrent
    /// webhooks do not each wait for a disk sync of their own.
    let inbox: InboxWriter
    private var turnInProgress = false
    private var waitingTurns: [CheckedContinuation<Void, Never>] = []
    let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
    /// A new conversation's state as stored: the same bytes every time, so encoded once rather
    /// than on every turn.
    private lazy var initialState: String = (try? encodeState(ConversationState())) ?? "{}"

    public init(database: AppDatabase, library: ContentLibrary, settings: DialogueSettings, clock: any ServerClock,
                logger: Logger, reopenWindow: TimeInterval = 7 * 24 * 3600, desk: TicketDesk? = nil,
                metrics: ServerMetrics = ServerMetrics()) {
        self.metrics = metrics
        self.reopenWindow = reopenWindow
        self.desk = desk
        self.database = database
        self.inbox = InboxWriter(database: database)
        self.library = library
        self.settings = settings
        self.clock = clock
        self.logger = logger
    }

    /// Commits `message` to the inbox and processes it. Nil when the platform already delivered
    /// this event (a retry): it was or will be processed once, from its first delivery.
    public func receive(_ message: InboundMessage) async throws -> TurnResult? {
        guard try await record(message) else { return nil }
        guard let event = try await database.inboxEvent(platform: message.platform, eventID: message.eventID) else {
            throw StoreError.notFound(.inbox, message.eventID)
        }
        let result = try await serially { try await self.process(event) }
        await deskFollowUp(result)
        return result
    }

    /// How long the inbox worker steps aside before each answer while webhooks arrive in a burst.
    static let burstPause: Duration = .milliseconds(5)

    /// Lets the desk route a ticket the turn opened and resync one it changed. Outside the turn
    /// lock: the desk's own pass takes its time and must not hold up the next message.
    func deskFollowUp(_ result: TurnResult) async {
        guard let desk else { return }
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

    /// Commits `message` to the inbox only; false for a duplicate. What webhooks do before their 200:
    /// it returns once the transaction holding the event has committed, never earlier.
    ///
    /// Nonisolated so that webhooks never queue behind a turn: the actor runs the dialogue engine
    /// between its awaits, and acknowledgements must not wait for that.
    public nonisolated func record(_ message: InboundMessage) async throws -> Bool {
        let payload = String(decoding: try Self.payloadEncoder.encode(message), as: UTF8.self)
        return try await inbox.record(InboxEntry(platform: message.platform, eventID: message.eventID,
                                                 conversationKey: message.conversationKey, payload: payload,
                                                 receivedAt: clock.now()))
    }

    /// The inbox payload's encoding (the same options as `encoder`), shared by concurrent webhooks.
    private static let payloadEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Processes every inbox row still pending, oldest first, in batches until none is left:
    /// after a restart, what was acknowledged but not yet answered is answered now.
    ///
    /// - Parameter leavingRecentSynchronous: web and terminal messages are answered by the request
    ///   that brought them; the background worker passes how long to leave them to that request,
    ///   and only answers those left behind (by a crash) for longer.
    @discardableResult
    ///   - keepGoing: asked before each event; the worker stops between turns when the server shuts
    ///     down, leaving the rest pending for the next start instead of holding SIGTERM up.
    public func processPending(batch: Int = 100, leavingRecentSynchronous grace: TimeInterval? = nil,
                               while keepGoing: @Sendable () -> Bool = { true }) async -> Int {
        var processed = 0
        var failed = Set<Int64>()
        let cutoff = grace.map { clock.now().addingTimeInterval(-$0) }
        do {
            while true {
                // Rows that failed stay pending for a later retry; skip them in this pass.
                let events = try await database.pending(limit: batch + failed.count).filter { event in
                    if failed.contains(event.id ?? -1) { return false }
                    if let cutoff, [.web, .terminal].contains(event.platform), event.receivedAt > cutoff {
                        failed.insert(event.id ?? -1)  // not ours to answer in this pass
                        return false
                    }
                    return true
                }
                guard !events.isEmpty, keepGoing() else { break }
                for event in events.prefix(batch) {
                    guard keepGoing() else { return processed }
                    // Acknowledgements first: during a webhook burst each answer waits a moment, so
                    // the 200s (which platforms time out on) keep the CPU and the database writer.
                    if await inbox.isUnderBurst { try? await Task.sleep(for: Self.burstPause) }
                    do {
                        let result = try await serially { try await self.process(event) }
                        await deskFollowUp(result)
                        processed += 1
                    } catch {
                        failed.insert(event.id ?? -1)
                        logger.error("inbox event failed", metadata: ["inbox.id": "\(event.id ?? -1)", "error": "\(error)"])
                    }
                }
            }
        } catch {
            logger.error("cannot read the inbox", metadata: ["error": "\(error)"])
        }
        return processed
    }

    /// Whether a conversation exists for this platform conversation.
    public func hasConversation(platform: Platform, conversationKey: String) async throws -> Bool {
        try await database.conversation(platform: platform, conversationKey: conversationKey) != nil
    }

    private func process(_ event: InboxEvent) async throws -> TurnResult {
        guard let eventID = event.id else { throw StoreError.notFound(.inbox, event.eventID) }
        let answeredMeanwhile = StoreError.invalidTransition(.inbox, id: String(eventID), from: "done", to: "done")
        let message: InboundMessage
        do {
            message = try JSONDecoder().decode(InboundMessage.self, from: Data(event.payload.utf8))
        } catch {
            // A row this version cannot read would block nothing else; park it as failed.
            try await database.markFailed(id: eventID, error: "undecodable payload: \(error)", at: clock.now())
            throw error
        }
        // An agent writing in a thread of the agents' channel is not an employee asking for help.
        if let desk, let channel = desk.agentChannel, message.platform == channel.platform,
           case let .text(text) = message.content, let post = Self.agentPost(answeredBy: message, in: channel) {
            // Another caller may have answered this row while this one waited for its turn.
            guard try await database.inboxEvent(platform: event.platform, eventID: event.eventID)?.status == .pending else {
                throw answeredMeanwhile
            }
            return try await relayFromAgentThread(message, text: text, post: post, channel: channel, desk: desk,
                                                  inboxEventID: eventID)
        }
        let now = clock.now()
        let snapshot = try await library.current()
        guard let start = try await database.beginTurn(
            inboxEventID: eventID, platform: message.platform, platformUserID: message.userID,
            displayName: message.displayName, conversationKey: message.conversationKey,
            initialState: initialState,
            suggestedSince: now.addingTimeInterval(-settings.repeatWindow), at: now)
        else { throw answeredMeanwhile }
        let conversation = start.conversation
        guard let employeeID = start.employee.id else { throw StoreError.notFound(.employee, message.userID) }
        guard let conversationID = conversation.id else { throw StoreError.notFound(.conversation, message.conversationKey) }
        let state = decodeState(conversation.state)

        if case let .button(action) = message.content, let deskAction = DeskAction(rawValue: action) {
            return try await handleDeskAction(deskAction, message: message, employeeID: employeeID,
                                              conversation: conversation, inboxEventID: eventID, now: now)
        }

        let dialogueEvent: DialogueEvent
        let inboundText: String
        switch message.content {
        case let .text(text):
            dialogueEvent = .message(text)
            inboundText = text
        case .joined:
            dialogueEvent = .joined
            inboundText = "[joined]"
        case let .button(action):
            guard let button = ButtonAction(rawValue: action) else {
                try await database.markFailed(id: eventID, error: "unknown button \(action)", at: now)
                throw StoreError.invalidValue("unknown button \(action)")
            }
            dialogueEvent = .button(button)
            inboundText = "[\(action)]"
        }

        let context = DialogueContext(
            now: now,
            recentlySuggested: start.recentlySuggested,
            openTickets: start.openTickets.map {
                TicketSummary(number: $0.number, subject: $0.subject, status: $0.status,
                              firstResponseDue: $0.firstResponseDueAt)
            })
        let (newState, effects) = try await decide(dialogueEvent, state: state, context: context, engine: snapshot.engine)

        var turn = TurnCommit(conversationID: conversationID, state: try encodeState(newState),
                              language: newState.language?.rawValue, now: now, inboxEventID: eventID)
        var inbound = NewMessage(direction: .inbound, author: .employee, text: inboundText)
        var replies: [Reply] = []
        let actor = TicketActor.employee(employeeID)
        for effect in effects {
            switch effect {
            case let .reply(reply):
                replies.append(reply)
                // Only the first reply may use the reply token: LINE accepts it once.
                let token = replies.count == 1 ? message.replyToken : nil
                let payload = try OutboundEnvelope(reply: reply, replyToken: token).encoded(encoder)
                turn.messages.append(NewMessage(direction: .outbound, author: .bot, text: reply.text, payload: payload))
                turn.outbox.append(NewOutboxMessage(
                    platform: message.platform, conversationKey: message.conversationKey,
                    idempotencyKey: "\(message.platform.rawValue):\(message.eventID):\(replies.count)", payload: payload))
            case let .suggestionShown(articleID, query):
                turn.suggestions.append(.init(articleID: articleID, query: query))
            case let .feedback(articleID, query, solved):
                turn.feedback.append(.init(articleID: articleID, feedback: solved ? .solved : .stillBroken))
                if solved { turn.learnedPhrase = .init(articleID: articleID, text: query) }
            case let .createTicket(draft):
                turn.newTicket = try await newTicket(draft, employeeID: employeeID, conversationID: conversationID,
                                                     platform: message.platform, latest: inboundText)
            case let .appendToTicket(number, text):
                turn.ticketAppends.append(.init(ticketNumber: number, text: text, actor: actor))
                // The employee answered what the ticket was waiting for: the SLA clock runs again.
                if context.openTickets.contains(where: { $0.number == number && $0.status == .waiting }) {
                    turn.ticketUpdates.append(TicketUpdate(ticketNumber: number, change: .status(.open, note: "the employee answered"),
                                                           actor: actor))
                }
            case let .rateTicket(number, stars):
                turn.ticketUpdates.append(TicketUpdate(ticketNumber: number, change: .rating(stars), actor: actor))
            case let .reopenTicket(number):
                turn.ticketUpdates.append(TicketUpdate(ticketNumber: number,
                                                       change: .status(.open, note: "reopened by the employee"), actor: actor))
            case .unanswered:
                // Kept on the message itself, so the editors' list of unanswered questions is a query.
                inbound.payload = #"{"unanswered":true}"#
            }
        }
        turn.messages.insert(inbound, at: 0)

        let outcome = try await database.commitTurn(turn)
        metrics.turn(message.platform.rawValue)
        if outcome.ticket != nil { metrics.ticketOpened() }
        if !turn.feedback.isEmpty { await library.noteFeedback() }
        let number = outcome.ticket?.number
        let resolved = replies.map { reply -> Reply in
            guard let number else { return reply }
            var copy = reply
            copy.text = copy.text.replacingOccurrences(of: TicketDraft.numberPlaceholder, with: number)
            return copy
        }
        let ticketNumber = newState.ticketNumber.map { $0 == TicketDraft.numberPlaceholder ? (number ?? $0) : $0 }
        logger.debug("turn", metadata: ["conversation.id": "\(conversationID)", "phase": "\(newState.phase.rawValue)"])
        var changed = turn.ticketUpdates.map(\.ticketNumber)
        if let number { changed.insert(number, at: 0) }
        return TurnResult(replies: resolved, phase: newState.phase,
                          ticketNumber: [.ticketOpen, .withAgent].contains(newState.phase) ? ticketNumber : nil,
                          outboxIDs: outcome.enqueued.compactMap(\.id), changedTickets: Array(Set(changed)).sorted())
    }

    /// The platform id of the agents' channel post a message answers: a Slack thread under it, or
    /// a Telegram reply to it. Nil for anything else.
    static func agentPost(answeredBy message: InboundMessage, in channel: AgentChannel) -> String? {
        if message.conversationKey.hasPrefix(channel.conversationKey + ":") {
            return String(message.conversationKey.dropFirst(channel.conversationKey.count + 1))
        }
        if message.conversationKey == channel.conversationKey { return message.repliesTo }
        return nil
    }

    /// A click on a desk button (a manager's Approve / Reject, an agent's Claim in the agents'
    /// channel): the desk acts on the ticket, and the person who clicked is told what happened in
    /// the conversation they clicked in. The dialogue state is left as it is.
    private func handleDeskAction(_ action: DeskAction, message: InboundMessage, employeeID: Int64,
                                  conversation: Conversation, inboxEventID: Int64, now: Date) async throws -> TurnResult {
        let language = conversation.language.flatMap(Language.init(rawValue:)) ?? settings.defaultLanguage
        let number = action.ticketNumber
        var text: String
        if let desk {
            switch action {
            case .approve, .reject:
                let approve = if case .approve = action { true } else { false }
                do {
                    _ = try await desk.decideApproval(number, approve: approve, by: .employee(employeeID),
                                                      approverEmployeeID: employeeID)
                    text = ApprovalWording.recorded(ticket: number, approved: approve, language: language)
                } catch DeskError.notApprover {
                    text = ApprovalWording.notApprover(ticket: number, language: language)
                } catch StoreError.invalidTransition {
                    text = ApprovalWording.alreadyDecided(ticket: number, language: language)
                } catch StoreError.notFound {
                    // The same answer as for someone else's request: numbers cannot be probed.
                    text = ApprovalWording.notApprover(ticket: number, language: language)
                }
            case .claim:
                if let agent = desk.agentID(platform: message.platform, userID: message.userID) {
                    do {
                        _ = try await desk.claim(number, agent: agent)
                        text = "\(agent) claimed \(number)."
                    } catch {
                        let holder = try await database.ticket(number: number)?.assignee
                        text = holder.map { "\(number) is already with \($0)." } ?? "\(number) cannot be claimed now."
                    }
                } else {
                    text = "Only agents listed in firstline.yml with this messenger account can claim tickets."
                }
            case .open:
                if desk.agentID(platform: message.platform, userID: message.userID) != nil,
                   let ticket = try await database.ticket(number: number) {
                    let requester = try await database.employee(id: ticket.requesterID)
                    let latest = try await database.history(number: number).last { $0.kind == .message || $0.kind == .created }?.note
                    text = DeskText.details(ticket, requester: requester, lastMessage: latest)
                } else {
                    text = "Only agents listed in firstline.yml with this messenger account can open tickets here."
                }
            }
        } else {
            text = ApprovalWording.alreadyDecided(ticket: number, language: language)
        }
        let reply = Reply(text: text)
        let payload = try OutboundEnvelope(reply: reply, replyToken: message.replyToken).encoded(encoder)
        let turn = TurnCommit(
            conversationID: conversation.id!, state: conversation.state, language: conversation.language, now: now,
            inboxEventID: inboxEventID,
            messages: [NewMessage(direction: .inbound, author: .employee, text: "[\(action.rawValue)]"),
                       NewMessage(direction: .outbound, author: .bot, text: text, payload: payload)],
            outbox: [NewOutboxMessage(platform: message.platform, conversationKey: message.conversationKey,
                                      idempotencyKey: "\(message.platform.rawValue):\(message.eventID):1", payload: payload)])
        let outcome = try await database.commitTurn(turn)
        let state = decodeState(conversation.state)
        return TurnResult(replies: [reply], phase: state.phase, ticketNumber: state.ticketNumber,
                          outboxIDs: outcome.enqueued.compactMap(\.id))
    }

    private func newTicket(_ draft: TicketDraft, employeeID: Int64, conversationID: Int64, platform: Platform,
                           latest: String) async throws -> NewTicket {
        // The transcript is the whole conversation so far plus this message: the agent should
        // never have to ask the employee to repeat themselves.
        var lines = try await database.messages(conversationID: conversationID).map { message in
            "[\(Self.timestamp(message.createdAt))] \(message.author.rawValue): \(message.text)"
        }
        lines.append("[\(Self.timestamp(clock.now()))] employee: \(latest)")
        if !draft.description.isEmpty, draft.description != draft.subject {
            lines.insert("Description: \(draft.description)", at: 0)
        }
        return NewTicket(
            requesterID: employeeID, conversationID: conversationID, channel: TicketChannel(platform), subject: draft.subject,
            category: TicketCategory(draft.category), priority: draft.priority,
            transcript: lines.joined(separator: "\n"), firstResponseDueAt: draft.firstResponseDue,
            resolutionDueAt: draft.resolutionDue, createdBy: .employee(employeeID),
            needsApproval: draft.needsManagerApproval)
    }

    private static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    func encodeState(_ state: ConversationState) throws -> String {
        String(decoding: try encoder.encode(state), as: UTF8.self)
    }

    /// A state this version cannot read starts the conversation afresh rather than failing it.
    func decodeState(_ json: String) -> ConversationState {
        (try? JSONDecoder().decode(ConversationState.self, from: Data(json.utf8))) ?? ConversationState()
    }
}
