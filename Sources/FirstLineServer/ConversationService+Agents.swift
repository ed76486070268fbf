import FirstLineCore
import FirstLineStore
import Foundation
import Logging

/// The agents' side of a conversation (design §4: `ticketOpen → withAgent → resolved → rated/closed`).
///
/// An agent's reply or resolution is a dialogue turn like an employee's message: the engine decides what the
/// employee sees (`.agentReply`, `.ticketResolved`), and the ticket change, the conversation's new state, the
/// transcript lines and the outbox rows are committed in one transaction. These turns run through `serially`
/// with the employee's own, so neither can read a state the other is about to replace.
extension ConversationService {
    /// What an agent's action did.
    public struct AgentOutcome: Sendable, Equatable {
        public var ticket: Ticket
        /// Whether a message to the employee was queued; false for a ticket without a conversation (a phone call,
        /// a walk-in), whose history still records the action.
        public var notifiedEmployee: Bool
        public var outboxIDs: [Int64]
    }

    /// Relays an agent's reply into the employee's conversation and records it on the ticket; the first
    /// reply by an agent sets `firstRespondedAt` (the store does that for agent actors).
    /// `updates` are applied with it in the same transaction (an agent's first reply also takes a new ticket into work).
    public func relayAgentReply(ticketNumber: String, agent: String, actor: TicketActor, text: String,
                                with updates: [TicketUpdate] = []) async throws -> AgentOutcome {
        let message = TicketUpdate(ticketNumber: ticketNumber, change: .message(text), actor: actor)
        let outcome = try await serially {
            try await self.commitAgentTurn(ticketNumber: ticketNumber, event: .agentReply(agent: agent, text: text),
                                           updates: updates + [message], author: .agent)
        }
        await desk?.ticketChanged(ticketNumber)
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
            try await self.commitAgentTurn(ticketNumber: ticketNumber,
                                           event: resolves ? .ticketResolved(number: ticketNumber) : nil,
                                           updates: updates, author: .bot)
        }
        // Status, priority or team changed: SLA alarms follow, freed capacity goes to the queue.
        await desk?.ticketChanged(ticketNumber)
        return outcome
    }

    /// Whether a ticket in this state may still be reopened at `now`: a resolved one within the window, an open
    /// one trivially, a closed one never (closed is final, `TicketStatus.canTransition`).
    public func mayReopen(_ ticket: Ticket, at now: Date) -> Bool {
        switch ticket.status {
        case .new, .open, .waiting: true
        case .resolved: now.timeIntervalSince(ticket.resolvedAt ?? ticket.updatedAt) <= reopenWindow
        case .closed: false
        }
    }

    /// The reopen window in whole days, for messages.
    public var reopenWindowDays: Int { Int((reopenWindow / 86_400).rounded()) }

    /// The engine's decision for an employee's event, except that "Reopen" on a ticket past the reopen window
    /// is refused here: the engine knows no dates of tickets, and the store would reject the change and with it
    /// the whole turn. The conversation is closed, so the next message starts a new topic (and a new ticket).
    func decide(_ event: DialogueEvent, state: ConversationState, context: DialogueContext,
                engine: DialogueEngine) async throws -> (state: ConversationState, effects: [Effect]) {
        if case .button(.reopen) = event, state.phase == .resolved, let number = state.ticketNumber,
           let ticket = try await database.ticket(number: number), !mayReopen(ticket, at: context.now) {
            var closed = ConversationState()
            closed.language = state.language
            closed.phase = .closed
            let text = ReopenWording.tooLate(number: number, days: reopenWindowDays, language: state.language ?? settings.defaultLanguage)
            return (closed, [.reply(Reply(text: text))])
        }
        return engine.handle(event, state: state, context: context)
    }

    /// `inboxEventID`: the agents' channel message this turn answers, marked done in the same transaction.
    func commitAgentTurn(ticketNumber: String, event: DialogueEvent?, updates: [TicketUpdate],
                         author: ConversationMessage.Author, inboxEventID: Int64? = nil) async throws -> AgentOutcome {
        let now = clock.now()
        guard let ticket = try await database.ticket(number: ticketNumber) else {
            throw StoreError.notFound(.ticket, ticketNumber)
        }
        guard let event, let conversationID = ticket.conversationID,
              let conversation = try await database.conversation(id: conversationID) else {
            let updated = updates.isEmpty ? ticket : try await database.update(updates, at: now)
            if let inboxEventID { try await database.markDone(id: inboxEventID, at: now) }
            return AgentOutcome(ticket: updated, notifiedEmployee: false, outboxIDs: [])
        }

        let engine = try await library.current().engine
        let (newState, effects) = engine.handle(event, state: decodeState(conversation.state), context: DialogueContext(now: now))
        var turn = TurnCommit(conversationID: conversationID, state: try encodeState(newState),
                              language: newState.language?.rawValue, now: now, inboxEventID: inboxEventID,
                              ticketUpdates: updates)
        // One key per action: the rows of this turn are queued once, and a later action never collides with them.
        let action = UUID().uuidString
        for effect in effects {
            guard case let .reply(reply) = effect else {
                // Agent events only produce replies today; anything else is a new engine behaviour to wire up here.
                logger.warning("agent turn effect ignored", metadata: ["ticket": "\(ticketNumber)", "effect": "\(Self.kind(of: effect))"])
                continue
            }
            // No reply token: an agent's message answers no inbound event, so it is always a push.
            let payload = try OutboundEnvelope(reply: reply, replyToken: nil).encoded(encoder)
            turn.messages.append(NewMessage(direction: .outbound, author: author, text: reply.text, payload: payload))
            turn.outbox.append(NewOutboxMessage(
                platform: conversation.platform, conversationKey: conversation.conversationKey,
                idempotencyKey: "agent:\(ticketNumber):\(action):\(turn.outbox.count + 1)", payload: payload))
        }
        let outcome = try await database.commitTurn(turn)
        // The outcome carries only a ticket the turn created; this one existed, so it is read back.
        guard let updated = try await database.ticket(number: ticketNumber) else {
            throw StoreError.notFound(.ticket, ticketNumber)
        }
        logger.debug("agent turn", metadata: ["conversation.id": "\(conversationID)", "phase": "\(newState.phase.rawValue)"])
        return AgentOutcome(ticket: updated, notifiedEmployee: !outcome.enqueued.isEmpty,
                            outboxIDs: outcome.enqueued.compactMap(\.id))
    }

    /// An effect's case name, for logs that must not carry message text.
    private static func kind(of effect: Effect) -> String {
        String(describing: effect).prefix { $0 != "(" }.description
    }
}

/// The refusal of a late "Reopen", in the conversation's language.
enum ReopenWording {
    static func tooLate(number: String, days: Int, language: Language) -> String {
        switch language {
        case .ko:
            "\(number) 티켓은 해결된 지 \(days)일이 지나 다시 열 수 없어요. "
                + "문제가 계속되면 내용을 입력해 새 요청을 남겨 주세요."
        case .ja:
            "チケット\(number)は解決から\(days)日以上経過したため、再オープンできません。"
                + "問題が続く場合は、内容を入力して新しくお問い合わせください。"
        case .en:
            "Ticket \(number) was resolved more than \(days) days ago and can no longer be reopened. "
                + "If the problem is back, describe it and I'll open a new request."
        }
    }
}

extension ConversationService {
    /// A message in a thread of the agents' channel (design §1: agents are notified in their
    /// messenger), or a Telegram reply to a post there: under a new-ticket post it is the agent's
    /// reply to the employee, relayed like a reply from the console. Only configured agents (by their messenger address) may relay.
    func relayFromAgentThread(_ message: InboundMessage, text: String, post threadID: String, channel: AgentChannel,
                              desk: TicketDesk, inboxEventID: Int64) async throws -> TurnResult {
        let now = clock.now()
        var note: String
        var changed: [String] = []
        if let number = try await database.ticketNumber(announcedIn: channel.conversationKey, platformMessageID: threadID),
           let ticket = try await database.ticket(number: number) {
            if let agent = desk.agentID(platform: message.platform, userID: message.userID) {
                if ticket.status.isOpen {
                    let actor = TicketActor.agent(agent)
                    let opening = ticket.status == .new
                        ? [TicketUpdate(ticketNumber: number, change: .status(.open, note: nil), actor: actor)] : []
                    let outcome = try await commitAgentTurn(
                        ticketNumber: number, event: .agentReply(agent: agent, text: text),
                        updates: opening + [TicketUpdate(ticketNumber: number, change: .message(text), actor: actor)],
                        author: .agent, inboxEventID: inboxEventID)
                    note = outcome.notifiedEmployee ? "✓ \(agent) → \(number): sent to the employee."
                        : "✓ \(agent) → \(number): recorded on the ticket (no chat to deliver to)."
                    changed = [number]
                } else {
                    note = "\(number) is \(ticket.status.rawValue); reopen it before replying."
                }
            } else {
                note = "Only agents listed in firstline.yml with this messenger account can reply to employees."
            }
        } else {
            note = "This thread is not a ticket post; nothing was sent."
        }
        if changed.isEmpty { try await database.markDone(id: inboxEventID, at: now) }
        let reply = Reply(text: note)
        let payload = try OutboundEnvelope(reply: reply, replyToken: nil).encoded(encoder)
        _ = try await database.enqueue([NewOutboxMessage(platform: message.platform, conversationKey: message.conversationKey,
                                                         idempotencyKey: "\(message.platform.rawValue):\(message.eventID):ack",
                                                         payload: payload)], at: now)
        return TurnResult(replies: [reply], phase: .idle, ticketNumber: nil, outboxIDs: [], changedTickets: changed)
    }
}
