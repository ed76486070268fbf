import FirstLineCore
import Foundation
import PostgresNIO

extension PostgresStore: TicketRepository {
    public func createTicket(_ newTicket: NewTicket, at now: Date) async throws -> Ticket {
        try await write { db in try await Self.createTicket(db, newTicket, at: now) }
    }

    public func ticket(number: String) async throws -> Ticket? {
        try await read { db in try await Self.ticket(db, number: number) }
    }

    public func openTickets(requesterID: Int64) async throws -> [Ticket] {
        try await read { db in try await Self.openTickets(db, requesterID: requesterID) }
    }

    public func openTicket(conversationID: Int64) async throws -> Ticket? {
        try await read { db in
            try await db.first("""
                SELECT \(unescaped: PostgresRows.ticketColumns) FROM ticket
                WHERE conversationID = \(conversationID) AND status = ANY(\(Self.openStatuses))
                ORDER BY id DESC LIMIT 1
                """, PostgresRows.ticket)
        }
    }

    public func update(_ update: TicketUpdate, at now: Date) async throws -> Ticket {
        try await write { db in try await Self.applyTicketUpdate(db, update, at: now) }
    }

    public func history(number: String) async throws -> [TicketEvent] {
        try await read { db in
            let ticket = try await Self.existingTicket(db, number: number)
            return try await Self.events(db, ticketID: try ticket.storedID)
        }
    }

    public func resolvedTicketCategories(limit: Int) async throws -> [(subject: String, category: String)] {
        let rows = try await read { db in
            try await db.all("""
                SELECT \(unescaped: PostgresRows.ticketColumns) FROM ticket WHERE status IN ('resolved', 'closed')
                ORDER BY id DESC LIMIT \(max(0, limit))
                """, PostgresRows.ticket)
        }
        return rows.filter { $0.category != .general }.map { ($0.subject, $0.category.rawValue) }
    }

    // MARK: - Inside a transaction (shared with commitTurn and the desk)

    /// `TicketStatus.openStatuses` as a bound text array.
    static var openStatuses: [String] { TicketStatus.openStatuses.map(\.rawValue) }

    static func ticket(_ db: PostgresTransaction, number: String, forUpdate: Bool = false) async throws -> Ticket? {
        try await db.first("""
            SELECT \(unescaped: PostgresRows.ticketColumns) FROM ticket WHERE number = \(number) \(unescaped: forUpdate ? "FOR UPDATE" : "")
            """, PostgresRows.ticket)
    }

    static func ticket(_ db: PostgresTransaction, id: Int64) async throws -> Ticket? {
        try await db.first("SELECT \(unescaped: PostgresRows.ticketColumns) FROM ticket WHERE id = \(id)", PostgresRows.ticket)
    }

    static func existingTicket(_ db: PostgresTransaction, number: String, forUpdate: Bool = false) async throws -> Ticket {
        guard let ticket = try await ticket(db, number: number, forUpdate: forUpdate) else {
            throw StoreError.notFound(.ticket, number)
        }
        return ticket
    }

    static func openTickets(_ db: PostgresTransaction, requesterID: Int64) async throws -> [Ticket] {
        try await db.all("""
            SELECT \(unescaped: PostgresRows.ticketColumns) FROM ticket
            WHERE requesterID = \(requesterID) AND status = ANY(\(openStatuses)) ORDER BY id
            """, PostgresRows.ticket)
    }

    static func events(_ db: PostgresTransaction, ticketID: Int64) async throws -> [TicketEvent] {
        try await db.all("""
            SELECT \(unescaped: PostgresRows.ticketEventColumns) FROM ticketEvent WHERE ticketID = \(ticketID) ORDER BY id
            """, PostgresRows.ticketEvent)
    }

    static func insertEvent(_ db: PostgresTransaction, _ event: TicketEvent) async throws {
        try await db.execute("""
            INSERT INTO ticketEvent (ticketID, actor, kind, field, before, after, note, createdAt)
            VALUES (\(event.ticketID), \(event.actor.rawValue), \(event.kind.rawValue), \(event.field), \(event.before),
                    \(event.after), \(event.note), \(event.createdAt))
            """)
    }

    static func createTicket(_ db: PostgresTransaction, _ new: NewTicket, at now: Date) async throws -> Ticket {
        guard let requester = try await employee(db, id: new.requesterID) else {
            throw StoreError.notFound(.employee, String(new.requesterID))
        }
        if let conversationID = new.conversationID, try await conversation(db, id: conversationID) == nil {
            throw StoreError.notFound(.conversation, String(conversationID))
        }
        // The counter row is locked until this transaction ends: tickets of other replicas wait for it, and a
        // rollback gives the number back, so numbers are gap-free and never used twice.
        guard let id = try await db.value("UPDATE ticketNumber SET last = last + 1 RETURNING last", as: Int64.self) else {
            throw StoreError.invalidValue("the ticketNumber counter row is missing")
        }
        let ticket = Ticket(
            id: id, number: Ticket.number(forID: id), requesterID: new.requesterID, conversationID: new.conversationID,
            channel: new.channel, subject: new.subject, category: new.category, priority: new.priority, status: .new,
            team: new.team, firstResponseDueAt: new.firstResponseDueAt, resolutionDueAt: new.resolutionDueAt,
            createdAt: now, updatedAt: now)
        try await db.execute("""
            INSERT INTO ticket (id, number, requesterID, conversationID, channel, subject, category, priority, status, team,
                                assignee, firstResponseDueAt, resolutionDueAt, firstRespondedAt, resolvedAt, rating, createdAt, updatedAt)
            VALUES (\(id), \(ticket.number), \(ticket.requesterID), \(ticket.conversationID), \(ticket.channel.rawValue),
                    \(ticket.subject), \(ticket.category.rawValue), \(ticket.priority.rawValue), \(ticket.status.rawValue),
                    \(ticket.team), \(ticket.assignee), \(ticket.firstResponseDueAt), \(ticket.resolutionDueAt),
                    \(ticket.firstRespondedAt), \(ticket.resolvedAt), \(ticket.rating), \(now), \(now))
            """)
        try await insertEvent(db, TicketEvent(
            ticketID: id, actor: new.createdBy ?? .employee(new.requesterID), kind: .created, field: "status",
            after: ticket.status.rawValue, note: new.transcript, createdAt: now))
        if new.needsApproval {
            // In the same transaction: a request that needs approval is never routed before it is asked for.
            try await db.execute("""
                INSERT INTO approval (ticketID, approverEmployeeID, status, remindersSent, createdAt)
                VALUES (\(id), \(requester.managerEmployeeID), 'pending', 0, \(now))
                """)
        }
        return ticket
    }

    /// Applies one change and appends its event, with the ticket's row locked so that a concurrent change
    /// (another replica, an agent) is applied after this one, on the value this one left.
    /// A change to the current value returns the ticket untouched, as in the SQLite store.
    static func applyTicketUpdate(_ db: PostgresTransaction, _ update: TicketUpdate, at now: Date) async throws -> Ticket {
        var ticket = try await existingTicket(db, number: update.ticketNumber, forUpdate: true)
        let ticketID = try ticket.storedID
        let approvalBefore: String? = if case .approval = update.change {
            try await db.value("SELECT status FROM approval WHERE ticketID = \(ticketID)", as: String.self)
        } else {
            nil
        }
        guard let event = try TicketChangeRule.apply(update, to: &ticket, ticketID: ticketID,
                                                     approvalBefore: approvalBefore, at: now) else { return ticket }
        try await saveTicket(db, ticket)
        try await insertEvent(db, event)
        return ticket
    }

    /// Writes every mutable column of `ticket` back to its row.
    static func saveTicket(_ db: PostgresTransaction, _ ticket: Ticket) async throws {
        try await db.execute("""
            UPDATE ticket SET conversationID = \(ticket.conversationID), channel = \(ticket.channel.rawValue),
                subject = \(ticket.subject), category = \(ticket.category.rawValue), priority = \(ticket.priority.rawValue),
                status = \(ticket.status.rawValue), team = \(ticket.team), assignee = \(ticket.assignee),
                firstResponseDueAt = \(ticket.firstResponseDueAt), resolutionDueAt = \(ticket.resolutionDueAt),
                firstRespondedAt = \(ticket.firstRespondedAt), resolvedAt = \(ticket.resolvedAt), rating = \(ticket.rating),
                updatedAt = \(ticket.updatedAt)
            WHERE id = \(try ticket.storedID)
            """)
    }
}

extension PostgresStore: TicketQueueRepository {
    public func tickets(matching query: TicketQuery, now: Date) async throws -> [Ticket] {
        if let statuses = query.statuses, statuses.isEmpty { return [] }
        let statuses = (query.statuses ?? TicketStatus.allCases).map(\.rawValue)
        // One statement with every filter bound, a NULL filter meaning "any": no SQL is assembled from values.
        let breached = query.sla == .breached
        let atRisk = query.sla == .atRisk
        return try await read { db in
            try await db.all("""
                SELECT \(unescaped: PostgresRows.ticketColumns) FROM (
                    SELECT ticket.*, \(unescaped: Self.nextDueSQL) AS nextDue FROM ticket) AS t
                WHERE status = ANY(\(statuses))
                AND (\(query.team)::text IS NULL OR team = \(query.team))
                AND (\(query.assignee)::text IS NULL OR assignee = \(query.assignee))
                AND (\(query.requesterID)::bigint IS NULL OR requesterID = \(query.requesterID))
                AND (\(query.category?.rawValue)::text IS NULL OR category = \(query.category?.rawValue))
                AND (\(query.channel?.rawValue)::text IS NULL OR channel = \(query.channel?.rawValue))
                AND (NOT \(breached) OR (nextDue IS NOT NULL AND nextDue <= \(now)))
                AND (NOT \(atRisk) OR (nextDue IS NOT NULL AND nextDue > \(now)
                     AND \(now) >= createdAt + (nextDue - createdAt) * \(query.atRiskFraction)))
                ORDER BY nextDue IS NULL, nextDue, priority COLLATE "C", id
                LIMIT \(max(0, query.limit))
                """, PostgresRows.ticket)
        }
    }

    public func employees(ids: [Int64]) async throws -> [Int64: Employee] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await read { db in
            try await db.all("SELECT \(unescaped: PostgresRows.employeeColumns) FROM employee WHERE id = ANY(\(ids))",
                             PostgresRows.employee)
        }
        var result: [Int64: Employee] = [:]
        for row in rows { result[try row.storedID] = row }
        return result
    }

    public func approvalStatuses(ticketIDs: [Int64]) async throws -> [Int64: Approval.Status] {
        guard !ticketIDs.isEmpty else { return [:] }
        let rows = try await read { db in
            try await db.all("SELECT ticketID, status FROM approval WHERE ticketID = ANY(\(ticketIDs))") {
                try $0.decode((Int64, String).self)
            }
        }
        var result: [Int64: Approval.Status] = [:]
        for (ticketID, status) in rows { result[ticketID] = Approval.Status(rawValue: status) }
        return result
    }

    public func findOrCreateEmployee(displayName: String, email: String?, at now: Date) async throws -> Employee {
        try await write { db in
            if let email {
                // E-mail addresses are compared without case: people type them both ways on the phone.
                try await db.lock("employee-email:\(email.lowercased())")
                if let existing = try await db.first("""
                    SELECT \(unescaped: PostgresRows.employeeColumns) FROM employee WHERE lower(email) = lower(\(email))
                    ORDER BY id LIMIT 1
                    """, PostgresRows.employee) {
                    return existing
                }
            }
            return try await Self.insertEmployee(db, Employee(displayName: displayName, email: email, createdAt: now))
        }
    }

    public func update(_ updates: [TicketUpdate], at now: Date) async throws -> Ticket {
        guard let number = updates.first?.ticketNumber else { throw StoreError.invalidValue("no ticket change given") }
        return try await write { db in
            var ticket = try await Self.existingTicket(db, number: number, forUpdate: true)
            for update in updates {
                guard update.ticketNumber == number else {
                    throw StoreError.invalidValue("changes to \(update.ticketNumber) and \(number) in one call")
                }
                ticket = try await Self.applyTicketUpdate(db, update, at: now)
            }
            return ticket
        }
    }

    /// `Ticket.nextDueAt` in SQL, over the columns of `ticket` (the same rule as `AppDatabase.nextDueSQL`).
    static let nextDueSQL = """
        CASE WHEN status IN ('resolved', 'closed') THEN NULL \
        WHEN firstRespondedAt IS NULL AND firstResponseDueAt IS NOT NULL \
        AND (resolutionDueAt IS NULL OR firstResponseDueAt <= resolutionDueAt) THEN firstResponseDueAt \
        ELSE resolutionDueAt END
        """
}
