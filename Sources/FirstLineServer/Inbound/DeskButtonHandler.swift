import FirstLineCore
import FirstLineStore
import Foundation

/// A click on a desk button (a manager's Approve / Reject, an agent's Claim or Open in the agents'
/// channel): the desk acts on the ticket, and the person who clicked is told what happened in the
/// conversation they clicked in. The dialogue state is left as it is.
struct DeskButtonHandler: Sendable {
    let context: InboundContext

    /// `typed` is the manager's own words when they typed the answer instead of pressing it.
    func handle(_ action: DeskAction, message: InboundMessage, start: TurnStart, inboxEventID: Int64,
                typed: String? = nil) async throws -> TurnResult {
        let conversation = start.conversation
        let employeeID = try stored(start.employee.id, .employee, message.userID)
        let conversationID = try stored(conversation.id, .conversation, message.conversationKey)
        let language = conversation.language ?? context.settings.defaultLanguage
        let text = try await answer(action, message: message, employeeID: employeeID, language: language)
        let reply = Reply(text: text)
        let payload = try context.composer.payload(reply, replyToken: message.replyToken)
        let turn = TurnCommit(
            conversationID: conversationID, state: conversation.state, language: conversation.language,
            now: context.clock.now(), inboxEventID: inboxEventID,
            messages: [NewMessage(direction: .inbound, author: .employee, text: typed ?? "[\(action.rawValue)]"),
                       NewMessage(direction: .outbound, author: .bot, text: text, payload: payload)],
            outbox: [context.composer.row(payload: payload, to: message.platform, conversationKey: message.conversationKey,
                                          key: .reply(platform: message.platform, eventID: message.eventID, index: 1))])
        let outcome = try await context.store.commitTurn(turn)
        let state = context.states.decode(conversation.state)
        return TurnResult(replies: [reply], phase: state.phase, ticketNumber: state.ticketNumber,
                          outboxIDs: outcome.enqueued.compactMap(\.id))
    }

    /// What the person who clicked is told.
    private func answer(_ action: DeskAction, message: InboundMessage, employeeID: Int64,
                        language: Language) async throws -> String {
        let number = action.ticketNumber
        guard let desk = context.desk else { return ApprovalWording.alreadyDecided(ticket: number, language: language) }
        switch action {
        case .confirmIncident, .dismissIncident:
            guard let agent = desk.agentID(platform: message.platform, userID: message.userID) else {
                return DeskText.onlyListedAgents(may: "decide incidents")
            }
            guard let watch = context.incidents, let id = Incident.id(fromNumber: number),
                  let incident = try await context.store.incident(id: id) else { return "\(number) was not found." }
            let command: IncidentCommand = if case .confirmIncident = action { .confirm } else { .dismiss }
            return try await watch.apply(command, to: incident, by: agent)
        case .approve, .reject:
            let approve = if case .approve = action { true } else { false }
            do {
                _ = try await desk.decideApproval(number, approve: approve, by: .employee(employeeID),
                                                  approverEmployeeID: employeeID)
                return ApprovalWording.recorded(ticket: number, approved: approve, language: language)
            } catch DeskError.notApprover {
                return ApprovalWording.notApprover(ticket: number, language: language)
            } catch StoreError.invalidTransition {
                return ApprovalWording.alreadyDecided(ticket: number, language: language)
            } catch StoreError.notFound {
                // The same answer as for someone else's request: numbers cannot be probed.
                return ApprovalWording.notApprover(ticket: number, language: language)
            }
        case .claim:
            guard let agent = desk.agentID(platform: message.platform, userID: message.userID) else {
                return DeskText.onlyListedAgents(may: "claim tickets")
            }
            do {
                _ = try await desk.claim(number, agent: agent)
                return "\(agent) claimed \(number)."
            } catch {
                let holder = try await context.store.ticket(number: number)?.assignee
                return holder.map { "\(number) is already with \($0)." } ?? "\(number) cannot be claimed now."
            }
        case .open:
            guard desk.agentID(platform: message.platform, userID: message.userID) != nil,
                  let ticket = try await context.store.ticket(number: number) else {
                return DeskText.onlyListedAgents(may: "open tickets here")
            }
            let requester = try await context.store.employee(id: ticket.requesterID)
            let latest = try await context.store.history(number: number).last { $0.kind == .message || $0.kind == .created }?.note
            var approval: Approval.Status?
            if let id = ticket.id { approval = try await context.store.approvalStatuses(ticketIDs: [id])[id] }
            return DeskText.details(ticket, requester: requester, approval: approval, lastMessage: latest)
        }
    }
}
