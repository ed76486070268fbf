import FirstLineCore
import FirstLineStore
import Foundation

/// Tells one linked employee that their major incident is fixed (issue: outages, point 4): a
/// dialogue turn of their conversation, so the words are the engine's, in their language, and the
/// message, their linked ticket's resolution, its rating question and the link marked told are
/// one transaction. A link already told fails the commit, so nobody is told twice, whichever
/// replica or restart gets there.
struct IncidentResolutionTurn: Sendable {
    let context: InboundContext

    /// The turn's result; nil when the link has no conversation to tell (a phone ticket).
    func tell(_ pending: PendingIncidentBroadcast, incident: Incident) async throws -> TurnResult? {
        let store = context.store
        let now = context.clock.now()
        let link = pending.link
        guard let linkID = link.id, let conversationID = link.conversationID,
              let conversation = try await store.conversation(id: conversationID) else { return nil }
        let state = context.states.decode(conversation.state)
        let ticket = try await pending.ticketNumber.asyncFlatMap { try await store.ticket(number: $0) }
        let openTicket = ticket.flatMap { $0.status.isOpen ? $0 : nil }
        let language = state.language ?? conversation.language ?? context.settings.defaultLanguage
        let note = incident.resolutionNote.flatMap { KnownIncident.text(in: language, from: $0.texts)?.text }

        let engine = try await context.library.current().engine
        let (newState, effects) = engine.handle(.incidentResolved(incident: incident.number, note: note, ticket: openTicket?.number),
                                                state: state, context: DialogueContext(now: now))
        var turn = TurnCommit(conversationID: conversationID, state: try context.states.encode(newState),
                              language: newState.language, now: now)
        turn.incidentNotified = linkID
        if let openTicket {
            let actor = TicketActor.agent(incident.resolvedBy ?? "system")
            turn.ticketUpdates.append(TicketUpdate(
                ticketNumber: openTicket.number,
                change: .status(.resolved, note: "resolved with the major incident \(incident.number)" + (note.map { ": \($0)" } ?? "")),
                actor: actor))
        }
        var replies: [Reply] = []
        for case let .reply(reply) in effects {
            replies.append(reply)
            let payload = try context.composer.payload(reply)
            turn.messages.append(NewMessage(direction: .outbound, author: .bot, text: reply.text, payload: payload))
            turn.outbox.append(context.composer.row(
                payload: payload, to: conversation.platform, conversationKey: conversation.conversationKey,
                key: .incidentResolved(incident: incident.number, conversationID: conversationID, index: replies.count)))
        }
        let outcome = try await store.commitTurn(turn)
        return TurnResult(replies: replies, phase: newState.phase, ticketNumber: nil,
                          outboxIDs: outcome.enqueued.compactMap(\.id), changedTickets: openTicket.map { [$0.number] } ?? [])
    }
}
