import FirstLineCore
import FirstLineStore
import Foundation
import Logging

/// What an agent's action did.
public struct AgentOutcome: Sendable, Equatable {
    public var ticket: Ticket
    /// Whether a message to the employee was queued; false for a ticket without a conversation (a phone call,
    /// a walk-in), whose history still records the action.
    public var notifiedEmployee: Bool
    public var outboxIDs: [Int64]
}

/// The agents' side of a conversation (design §4: `ticketOpen → withAgent → resolved → rated/closed`).
///
/// An agent's reply or resolution is a dialogue turn like an employee's message: the engine decides what the
/// employee sees (`.agentReply`, `.ticketResolved`), and the ticket change, the conversation's new state, the
/// transcript lines and the outbox rows are committed in one transaction. Callers run it inside
/// `ConversationService.serially`, so it never reads a state an employee's turn is about to replace.
struct AgentTurnCommitter: Sendable {
    let context: InboundContext

    /// `inboxEventID`: the agents' channel message this turn answers, marked done in the same transaction.
    func commit(ticketNumber: String, event: DialogueEvent?, updates: [TicketUpdate],
                author: ConversationMessage.Author, inboxEventID: Int64? = nil) async throws -> AgentOutcome {
        let store = context.store
        let now = context.clock.now()
        guard let ticket = try await store.ticket(number: ticketNumber) else {
            throw StoreError.notFound(.ticket, ticketNumber)
        }
        guard let event, let conversationID = ticket.conversationID,
              let conversation = try await store.conversation(id: conversationID) else {
            let updated = updates.isEmpty ? ticket : try await store.update(updates, at: now)
            if let inboxEventID { try await store.markDone(id: inboxEventID, at: now) }
            return AgentOutcome(ticket: updated, notifiedEmployee: false, outboxIDs: [])
        }

        let engine = try await context.library.current().engine
        let (newState, effects) = engine.handle(event, state: context.states.decode(conversation.state),
                                                context: DialogueContext(now: now))
        var turn = TurnCommit(conversationID: conversationID, state: try context.states.encode(newState),
                              language: newState.language, now: now, inboxEventID: inboxEventID,
                              ticketUpdates: updates)
        // One key per action: the rows of this turn are queued once, and a later action never collides with them.
        let action = UUID().uuidString
        for effect in effects {
            guard case let .reply(reply) = effect else {
                // Agent events only produce replies today; anything else is a new engine behaviour to wire up here.
                context.logger.warning("agent turn effect ignored",
                                       metadata: ["ticket": "\(ticketNumber)", "effect": "\(Self.kind(of: effect))"])
                continue
            }
            // No reply token: an agent's message answers no inbound event, so it is always a push.
            let payload = try context.composer.payload(reply)
            turn.messages.append(NewMessage(direction: .outbound, author: author, text: reply.text, payload: payload))
            turn.outbox.append(context.composer.row(
                payload: payload, to: conversation.platform, conversationKey: conversation.conversationKey,
                key: .agentAction(ticket: ticketNumber, action: action, index: turn.outbox.count + 1)))
        }
        let outcome = try await store.commitTurn(turn)
        // The outcome carries only a ticket the turn created; this one existed, so it is read back.
        guard let updated = try await store.ticket(number: ticketNumber) else {
            throw StoreError.notFound(.ticket, ticketNumber)
        }
        context.logger.debug("agent turn", metadata: ["conversation.id": "\(conversationID)", "phase": "\(newState.phase.rawValue)"])
        return AgentOutcome(ticket: updated, notifiedEmployee: !outcome.enqueued.isEmpty,
                            outboxIDs: outcome.enqueued.compactMap(\.id))
    }

    /// An effect's case name, for logs that must not carry message text.
    private static func kind(of effect: Effect) -> String {
        String(describing: effect).prefix { $0 != "(" }.description
    }
}
