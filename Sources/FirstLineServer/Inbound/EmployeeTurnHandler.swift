import FirstLineCore
import FirstLineStore
import Foundation
import Logging

/// An employee's message, dialogue button or join: the engine decides, and the new state with
/// every effect is committed in one transaction (design §2 steps 3–4).
struct EmployeeTurnHandler: Sendable {
    let context: InboundContext

    func handle(_ event: DialogueEvent, transcript: String, message: InboundMessage, start: TurnStart,
                inboxEventID: Int64) async throws -> TurnResult {
        let now = context.clock.now()
        let conversation = start.conversation
        let employeeID = try stored(start.employee.id, .employee, message.userID)
        let conversationID = try stored(conversation.id, .conversation, message.conversationKey)
        let state = context.states.decode(conversation.state)
        let dialogue = DialogueContext(
            now: now, recentlySuggested: start.recentlySuggested,
            openTickets: start.openTickets.map(Self.summary),
            followedTicket: try await followedTicket(state),
            manager: try await start.employee.managerEmployeeID.asyncFlatMap { try await context.store.employee(id: $0) }?.displayName,
            activeIncidents: try await Self.known(context.store.activeIncidents()))
        let engine = try await context.library.current().engine
        let (newState, effects) = engine.handle(event, state: state, context: dialogue)

        var builder = EmployeeTurnBuilder(
            turn: TurnCommit(conversationID: conversationID, state: try context.states.encode(newState),
                             language: newState.language, now: now, inboxEventID: inboxEventID),
            message: message, actor: .employee(employeeID), composer: context.composer)
        for effect in effects {
            if case let .createTicket(draft) = effect {
                builder.turn.newTicket = try await newTicket(draft, employeeID: employeeID, conversationID: conversationID,
                                                             platform: message.platform, latest: transcript)
            } else {
                try builder.apply(effect)
            }
        }
        let turn = builder.finish(inbound: transcript)

        let outcome = try await context.store.commitTurn(turn)
        context.metrics.turn(message.platform.rawValue)
        if outcome.ticket != nil { context.metrics.ticketOpened() }
        if !turn.feedback.isEmpty { await context.library.noteFeedback() }
        let number = outcome.ticket?.number
        let replies = builder.replies.map { reply -> Reply in
            guard let number else { return reply }
            var copy = reply
            copy.text = copy.text.replacingOccurrences(of: TicketDraft.numberPlaceholder, with: number)
            return copy
        }
        let ticketNumber = newState.ticketNumber.map { $0 == TicketDraft.numberPlaceholder ? (number ?? $0) : $0 }
        context.logger.debug("turn", metadata: ["conversation.id": "\(conversationID)", "phase": "\(newState.phase.rawValue)"])
        var changed = turn.ticketUpdates.map(\.ticketNumber)
        if let number { changed.insert(number, at: 0) }
        return TurnResult(replies: replies, phase: newState.phase,
                          ticketNumber: [.ticketOpen, .withAgent].contains(newState.phase) ? ticketNumber : nil,
                          outboxIDs: outcome.enqueued.compactMap(\.id), changedTickets: Array(Set(changed)).sorted())
    }

    /// Confirmed incidents as the engine takes them; read every turn, so a notice written or ended
    /// on any replica counts from the next message.
    static func known(_ incidents: [Incident]) -> [KnownIncident] {
        incidents.compactMap { incident in
            IncidentTopic(incident.topic).map { KnownIncident(number: incident.number, topic: $0, notice: incident.notice?.texts ?? [:]) }
        }
    }

    static func summary(_ ticket: Ticket) -> TicketSummary {
        TicketSummary(number: ticket.number, subject: ticket.subject, status: ticket.status,
                      firstResponseDue: ticket.firstResponseDueAt,
                      resolvedAt: ticket.status == .resolved ? (ticket.resolvedAt ?? ticket.updatedAt) : nil,
                      priority: ticket.priority, createdAt: ticket.createdAt,
                      category: ArticleCategory(rawValue: ticket.category.rawValue))
    }

    /// The ticket a resolved conversation follows, so that the engine can tell whether Reopen is
    /// still allowed (also just after a rating). Read only then: every other turn needs just the open tickets.
    private func followedTicket(_ state: ConversationState) async throws -> TicketSummary? {
        let followed = state.phase == .resolved ? state.ticketNumber : state.phase == .closed ? state.ratedTicketNumber : nil
        guard let number = followed else { return nil }
        return try await context.store.ticket(number: number).map(Self.summary)
    }

    /// A button press is stored as its action (`[human]`); the ticket's transcript says what was pressed,
    /// in the desk's working language, so an agent never reads payloads.
    private static func readable(_ stored: String) -> String {
        PressedButton.label(forStored: stored, ConsoleText(language: .en)) ?? stored
    }

    private func newTicket(_ draft: TicketDraft, employeeID: Int64, conversationID: Int64, platform: Platform,
                           latest: String) async throws -> NewTicket {
        // The transcript is the problem at hand from its first message to this one: the agent
        // should never have to ask the employee to repeat themselves, and should not have to read
        // past earlier, unrelated topics of the same conversation (they stay in its history).
        let since = draft.transcriptSince ?? .distantPast
        var lines = try await context.store.messages(conversationID: conversationID)
            .filter { $0.createdAt >= since }
            .map { message in
            "[\(message.createdAt.formatted(.iso8601))] \(message.author.rawValue): \(Self.readable(message.text))"
        }
        lines.append("[\(context.clock.now().formatted(.iso8601))] employee: \(Self.readable(latest))")
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
}

/// A stored row's id, or the store's not-found error for a row that has none.
func stored(_ id: Int64?, _ entity: StoreError.Entity, _ key: String) throws -> Int64 {
    guard let id else { throw StoreError.notFound(entity, key) }
    return id
}

extension Optional {
    /// `flatMap` with an asynchronous transform (a read that only happens when there is a value).
    func asyncFlatMap<U>(_ transform: (Wrapped) async throws -> U?) async rethrows -> U? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
