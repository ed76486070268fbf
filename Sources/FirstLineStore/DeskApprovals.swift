import FirstLineCore
import Foundation
import GRDB

// Managers' approvals of service requests: asked for, reminded and decided.
extension AppDatabase {
    // MARK: - Approvals

    /// Approvals that are pending and were never asked for: the manager must be messaged.
    public func unrequestedApprovals() async throws -> [ApprovalWork] {
        try await read { db in
            try Approval.filter(Approval.Columns.status == "pending" && Approval.Columns.requestedAt == nil)
                .order(Column("id")).fetchAll(db).map { try Self.work(db, $0) }
        }
    }

    public func approvalWork(ticketID: Int64) async throws -> ApprovalWork? {
        try await read { db in
            try Approval.filter(Approval.Columns.ticketID == ticketID).fetchOne(db).map { try Self.work(db, $0) }
        }
    }

    /// The tickets whose approval was asked of this employee and is still pending, oldest first:
    /// what a manager's typed "approve" can be about.
    public func awaitingApprovals(approverEmployeeID: Int64) async throws -> [String] {
        try await read { db in
            try String.fetchAll(db, sql: """
                SELECT ticket.number FROM approval JOIN ticket ON ticket.id = approval.ticketID
                WHERE approval.approverEmployeeID = ? AND approval.status = 'pending' AND approval.requestedAt IS NOT NULL
                ORDER BY approval.id
                """, arguments: [approverEmployeeID])
        }
    }

    static func work(_ db: Database, _ approval: Approval) throws -> ApprovalWork {
        guard let ticket = try Ticket.fetchOne(db, key: approval.ticketID),
              let requester = try Employee.fetchOne(db, key: ticket.requesterID) else {
            throw StoreError.notFound(.ticket, String(approval.ticketID))
        }
        let approver = try approval.approverEmployeeID.flatMap { try Employee.fetchOne(db, key: $0) }
        return ApprovalWork(approval: approval, ticket: ticket, requester: requester, approver: approver)
    }

    /// Records that the manager was asked (or reminded): the history event, the messages, and the
    /// next reminder, in one transaction. False when the approval was decided meanwhile.
    public func recordApprovalRequest(ticketID: Int64, reminder: Bool, note: String, conversationID: Int64?,
                                      messages: [NewMessage], outbox: [NewOutboxMessage],
                                      nextReminderAt: Date?, timerID: Int64?, at now: Date) async throws -> Bool {
        try await write { db in
            if let conversationID {
                for message in messages { _ = try Self.insertMessage(db, message, conversationID: conversationID, at: now) }
            }
            guard var approval = try Approval.filter(Approval.Columns.ticketID == ticketID).fetchOne(db),
                  approval.status == .pending else { return false }
            // Two passes at once (two processes, or a pass racing a restart) ask only once.
            if !reminder, approval.requestedAt != nil { return false }
            if let timerID, try DeskTimer.fetchOne(db, key: timerID)?.status != .pending { return false }
            if reminder { approval.remindersSent += 1 } else { approval.requestedAt = now }
            try approval.update(db)
            _ = try TicketEvent(ticketID: ticketID, actor: .system, kind: .approval, field: "approval",
                                    before: Approval.Status.pending.rawValue, after: reminder ? "reminded" : "requested",
                                    note: note, createdAt: now).inserted(db)
            for message in outbox { _ = try Self.enqueue(db, message, at: now) }
            if let timerID {
                try db.execute(sql: "UPDATE deskTimer SET status = 'done', firedAt = ? WHERE id = ?", arguments: [now, timerID])
            }
            if let nextReminderAt {
                _ = try DeskTimer(ticketID: ticketID, kind: .approvalReminder, dueAt: nextReminderAt, createdAt: now).inserted(db)
            }
            return true
        }
    }

    /// Decides a pending approval. Approved: the ticket is released to routing. Rejected: the
    /// ticket is closed with the reason. Fails with `invalidTransition` when already decided.
    public func decideApproval(ticketNumber: String, approve: Bool, by actor: TicketActor, note: String?,
                               at now: Date) async throws -> Ticket {
        try await write { db in
            let ticket = try Self.existingTicket(db, number: ticketNumber)
            guard var approval = try Approval.filter(Approval.Columns.ticketID == ticket.id).fetchOne(db) else {
                throw StoreError.notFound(.approval, ticketNumber)
            }
            let status: Approval.Status = approve ? .approved : .rejected
            guard approval.status == .pending else {
                throw StoreError.invalidTransition(.approval, id: ticketNumber, from: approval.status.rawValue, to: status.rawValue)
            }
            approval.status = status
            approval.decidedAt = now
            approval.decidedBy = actor.rawValue
            try approval.update(db)
            _ = try TicketEvent(ticketID: try ticket.storedID, actor: actor, kind: .approval, field: "approval",
                                before: Approval.Status.pending.rawValue, after: status.rawValue, note: note, createdAt: now).inserted(db)
            try Self.cancelTimers(db, ticketID: try ticket.storedID, kinds: [.approvalReminder], at: now)
            if approve { return try Self.existingTicket(db, number: ticketNumber) }
            return try Self.applyTicketUpdate(db, TicketUpdate(
                ticketNumber: ticketNumber, change: .status(.closed, note: "rejected by the approver"), actor: actor), at: now)
        }
    }
}
