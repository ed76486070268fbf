import FirstLineCore
import FirstLineMessengers
import FirstLineStore
import Foundation
import Logging

/// Where the desk posts for agents (design §6 `FIRSTLINE_SLACK_AGENT_CHANNEL`): new tickets with a
/// Claim button, SLA warnings and breaches.
// Managers' approvals: asked for in the approver's messenger, reminded, and the decision told.
extension TicketDesk {
    // MARK: - Approvals

    func requestApprovals() async throws {
        for work in try await store.unrequestedApprovals() {
            try await ask(work, reminder: false, timerID: nil)
        }
    }

    func fireApprovalReminders() async throws {
        let now = clock.now()
        for timer in try await dueTimers(kinds: [.approvalReminder], at: now) {
            guard let id = timer.id else { continue }
            guard let work = try await store.approvalWork(ticketID: timer.ticketID), work.approval.status == .pending,
                  work.approval.remindersSent < policy.approvals.maximumReminders else {
                try await store.cancelTimer(id: id, at: now)
                continue
            }
            try await ask(work, reminder: true, timerID: id)
        }
    }

    /// Sends the approver the request (or a reminder) with Approve / Reject buttons, in the
    /// conversation they last used with the bot, or a new one on a messenger they are known on.
    func ask(_ work: ApprovalWork, reminder: Bool, timerID: Int64?) async throws {
        let now = clock.now()
        let number = work.ticket.number
        let sent = reminder ? work.approval.remindersSent + 1 : 0
        let nextReminder = sent < policy.approvals.maximumReminders
            ? now.addingTimeInterval(TimeInterval(policy.approvals.reminderAfterMinutes) * 60) : nil
        let ticketID = try stored(work.ticket.id, .ticket, number)
        guard let approver = work.approver, let conversation = try await approverConversation(approver) else {
            let why = work.approver.map { "the manager \($0.displayName) has no messenger the bot can reach" }
                ?? "no manager in the directory for the requester"
            _ = try await store.recordApprovalRequest(
                ticketID: ticketID, reminder: reminder, note: "approval needed: \(why); an agent can decide",
                conversationID: nil, messages: [], outbox: [], nextReminderAt: nil, timerID: timerID, at: now)
            if let channel = agentChannel, !reminder {
                let message = try composer.row(Reply(text: DeskText.awaitingApproval(work.ticket, why: why)),
                                               to: channel.platform, conversationKey: channel.conversationKey,
                                               key: .approvalUnreachable(ticket: number))
                _ = try await store.enqueue([message], at: now)
            }
            return
        }
        let language = conversation.language ?? defaultLanguage
        let reply = Reply(text: ApprovalWording.request(ticket: number, requester: work.requester.displayName,
                                                        subject: work.ticket.subject, reminder: reminder, language: language),
                          buttons: ApprovalWording.buttons(ticket: number, language: language))
        let payload = try composer.payload(reply)
        var outbox: [NewOutboxMessage] = []
        if conversation.platform != .terminal {
            outbox.append(composer.row(payload: payload, to: conversation.platform, conversationKey: conversation.conversationKey,
                                       key: .approvalRequest(ticket: number, reminder: sent)))
        }
        let recorded = try await store.recordApprovalRequest(
            ticketID: ticketID, reminder: reminder,
            note: "\(reminder ? "reminder \(sent) sent" : "asked") to \(approver.displayName) on \(conversation.platform.rawValue)",
            conversationID: conversation.id, messages: [NewMessage(direction: .outbound, author: .bot, text: reply.text, payload: payload)],
            outbox: outbox, nextReminderAt: nextReminder, timerID: timerID, at: now)
        if recorded { logger.info("approval asked", metadata: ["ticket": "\(number)", "reminder": "\(sent)"]) }
    }

    func approverConversation(_ approver: Employee) async throws -> Conversation? {
        guard let id = approver.id else { return nil }
        let conversations = try await store.conversations(employeeID: id).filter { $0.platform != .terminal }
        if let recent = conversations.first { return recent }
        // Never talked to the bot: start a conversation on the first messenger the directory knows them on.
        // Messengers first (they reach the person now); a web chat session is read when its page polls.
        let identities = try await store.identities(employeeID: id)
        let ordered = identities.filter { $0.platform != .web } + identities.filter { $0.platform == .web }
        for identity in ordered {
            let key: String
            if identity.platform == .web {
                key = identity.platformUserID  // a web identity is its chat's conversation key (the session's hash)
            } else if let (_, chat) = DeskText.directChat(MessengerAddress(platform: identity.platform,
                                                                           id: identity.platformUserID)) {
                key = chat
            } else {
                continue  // the terminal: nobody to reach later
            }
            return try await store.findOrCreateConversation(platform: identity.platform, conversationKey: key, employeeID: id,
                                                            initialState: states.initial, at: clock.now())
        }
        return nil
    }

    /// The requester hears the decision in the ticket's conversation; after a rejection the
    /// conversation is handed back to the bot (the ticket is closed, nobody will answer on it).
    func tellRequester(_ ticket: Ticket, approved: Bool) async throws {
        guard let conversationID = ticket.conversationID,
              let conversation = try await store.conversation(id: conversationID) else { return }
        let state = states.decode(conversation.state)
        let language = state.language ?? conversation.language ?? defaultLanguage
        let reply = Reply(text: ApprovalWording.outcome(ticket: ticket.number, approved: approved, language: language))
        let payload = try composer.payload(reply)
        var reset: (expected: String, new: String)?
        if !approved, state.ticketNumber == ticket.number {
            var idle = ConversationState()
            idle.language = state.language
            reset = (conversation.state, try states.encode(idle))
        }
        // Web chat reads its rows when the page polls; the terminal has no one to deliver to later.
        let outbox = conversation.platform != .terminal
            ? [composer.row(payload: payload, to: conversation.platform, conversationKey: conversation.conversationKey,
                            key: .approvalOutcome(ticket: ticket.number))] : []
        _ = try await store.postNotice(conversationID: conversationID,
                                       messages: [NewMessage(direction: .outbound, author: .bot, text: reply.text, payload: payload)],
                                       outbox: outbox, resetState: reset, at: clock.now())
    }

}
