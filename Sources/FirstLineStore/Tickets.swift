import FirstLineCore
import Foundation
import GRDB

extension AppDatabase: TicketRepository {
    public func createTicket(_ newTicket: NewTicket, at now: Date) async throws -> Ticket {
        try await write { db in try Self.createTicket(db, newTicket, at: now) }
    }

    public func ticket(number: String) async throws -> Ticket? {
        try await read { db in try Ticket.filter(Ticket.Columns.number == number).fetchOne(db) }
    }

    public func openTickets(requesterID: Int64) async throws -> [Ticket] {
        try await read { db in
            try Ticket
                .filter(Ticket.Columns.requesterID == requesterID)
                .filter(TicketStatus.openStatuses.contains(Ticket.Columns.status))
                .order(Ticket.Columns.id)
                .fetchAll(db)
        }
    }

    public func openTicket(conversationID: Int64) async throws -> Ticket? {
        try await read { db in
            try Ticket
                .filter(Ticket.Columns.conversationID == conversationID)
                .filter(TicketStatus.openStatuses.contains(Ticket.Columns.status))
                .order(Ticket.Columns.id.desc)
                .fetchOne(db)
        }
    }

    public func update(_ update: TicketUpdate, at now: Date) async throws -> Ticket {
        try await write { db in try Self.applyTicketUpdate(db, update, at: now) }
    }

    public func history(number: String) async throws -> [TicketEvent] {
        try await read { db in
            let ticket = try Self.existingTicket(db, number: number)
            return try TicketEvent
                .filter(TicketEvent.Columns.ticketID == ticket.id)
                .order(TicketEvent.Columns.id)
                .fetchAll(db)
        }
    }

    public func resolvedTicketCategories(limit: Int) async throws -> [(subject: String, category: String)] {
        let rows = try await read { db in
            try Ticket
                .filter([TicketStatus.resolved, TicketStatus.closed].contains(Ticket.Columns.status))
                .order(Ticket.Columns.id.desc)
                .limit(limit)
                .fetchAll(db)
        }
        return rows.filter { $0.category != .general }.map { ($0.subject, $0.category.rawValue) }
    }

    // MARK: - Inside a transaction (shared with commitTurn)

    static func existingTicket(_ db: Database, number: String) throws -> Ticket {
        guard let ticket = try Ticket.filter(Ticket.Columns.number == number).fetchOne(db) else {
            throw StoreError.notFound(.ticket, number)
        }
        return ticket
    }

    static func createTicket(_ db: Database, _ new: NewTicket, at now: Date) throws -> Ticket {
        guard try Employee.exists(db, key: new.requesterID) else {
            throw StoreError.notFound(.employee, String(new.requesterID))
        }
        if let conversationID = new.conversationID, try !Conversation.exists(db, key: conversationID) {
            throw StoreError.notFound(.conversation, String(conversationID))
        }
        // The number is derived from the id, which SQLite only picks at insert time. Reading the AUTOINCREMENT
        // counter inside this write transaction and inserting that id explicitly makes number and id agree in a
        // single insert; the counter also never goes back, so a number is never reused.
        let lastID = try Int64.fetchOne(
            db, sql: "SELECT seq FROM sqlite_sequence WHERE name = ?", arguments: [Ticket.databaseTableName]
        ) ?? 0
        let id = lastID + 1
        let ticket = try Ticket(
            id: id, number: Ticket.number(forID: id), requesterID: new.requesterID, conversationID: new.conversationID,
            channel: new.channel, subject: new.subject, category: new.category, priority: new.priority, status: .new,
            team: new.team, firstResponseDueAt: new.firstResponseDueAt, resolutionDueAt: new.resolutionDueAt,
            createdAt: now, updatedAt: now
        ).inserted(db)
        _ = try TicketEvent(
            ticketID: id, actor: new.createdBy ?? .employee(new.requesterID), kind: .created, field: "status",
            after: ticket.status.rawValue, note: new.transcript, createdAt: now
        ).inserted(db)
        if new.needsApproval {
            // In the same transaction: a request that needs approval is never routed before it is asked for.
            let approver = try Employee.fetchOne(db, key: new.requesterID)?.managerEmployeeID
            _ = try Approval(ticketID: id, approverEmployeeID: approver, status: .pending, createdAt: now).inserted(db)
        }
        return ticket
    }

    /// Applies one change (`TicketChangeRule`) and appends its event; an unchanged value returns the ticket untouched.
    static func applyTicketUpdate(_ db: Database, _ update: TicketUpdate, at now: Date) throws -> Ticket {
        var ticket = try existingTicket(db, number: update.ticketNumber)
        let ticketID = try ticket.storedID
        let approvalBefore: String? = if case .approval = update.change {
            try Approval.filter(Approval.Columns.ticketID == ticketID).fetchOne(db)?.status.rawValue
        } else {
            nil
        }
        guard var event = try TicketChangeRule.apply(update, to: &ticket, ticketID: ticketID,
                                                     approvalBefore: approvalBefore, at: now) else { return ticket }
        try ticket.update(db)
        try event.insert(db)
        return ticket
    }
}
