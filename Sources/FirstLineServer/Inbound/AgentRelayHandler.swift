import FirstLineCore
import FirstLineStore
import Foundation

/// A message in a thread of the agents' channel (design §1: agents are notified in their
/// messenger), or a Telegram reply to a post there: under a new-ticket post it is the agent's
/// reply to the employee, relayed like a reply from the console. Only configured agents (by
/// their messenger address) may relay; the agent is told in the thread what happened.
struct AgentRelayHandler: Sendable {
    let context: InboundContext
    let agentTurns: AgentTurnCommitter

    func handle(_ message: InboundMessage, text: String, post threadID: String, channel: AgentChannel,
                inboxEventID: Int64) async throws -> TurnResult {
        let now = context.clock.now()
        var changed: [String] = []
        let note: String
        if let desk = context.desk,
           let number = try await context.store.ticketNumber(announcedIn: channel.conversationKey, platformMessageID: threadID),
           let ticket = try await context.store.ticket(number: number) {
            if let agent = desk.agentID(platform: message.platform, userID: message.userID) {
                if ticket.status.isOpen {
                    let actor = TicketActor.agent(agent)
                    let opening = ticket.status == .new
                        ? [TicketUpdate(ticketNumber: number, change: .status(.open, note: nil), actor: actor)] : []
                    let outcome = try await agentTurns.commit(
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
                note = DeskText.onlyListedAgents(may: "reply to employees")
            }
        } else if let number = try await context.store.incidentNumber(announcedIn: channel.conversationKey,
                                                                      platformMessageID: threadID) {
            note = try await incidentThread(message, text: text, incident: number)
        } else {
            note = "This thread is not a ticket post; nothing was sent."
        }
        if changed.isEmpty { try await context.store.markDone(id: inboxEventID, at: now) }
        let reply = Reply(text: note)
        _ = try await context.store.enqueue([try context.composer.row(
            reply, to: message.platform, conversationKey: message.conversationKey,
            key: .agentThreadAcknowledgement(platform: message.platform, eventID: message.eventID))], at: now)
        return TurnResult(replies: [reply], phase: .idle, ticketNumber: nil, outboxIDs: [], changedTickets: changed)
    }

    /// A message under a suspected incident's post: a listed agent's command for it.
    private func incidentThread(_ message: InboundMessage, text: String, incident number: String) async throws -> String {
        guard let agent = context.desk?.agentID(platform: message.platform, userID: message.userID) else {
            return DeskText.onlyListedAgents(may: "change incidents")
        }
        guard let watch = context.incidents, let id = Incident.id(fromNumber: number),
              let incident = try await context.store.incident(id: id) else { return "\(number) was not found." }
        guard let command = IncidentCommand.read(text) else { return IncidentCommand.help }
        return try await watch.apply(command, to: incident, by: agent)
    }
}
