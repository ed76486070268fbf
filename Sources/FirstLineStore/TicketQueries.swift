import FirstLineCore
import Foundation
import GRDB

extension AppDatabase: TicketQueueRepository {
    public func tickets(matching query: TicketQuery, now: Date) async throws -> [Ticket] {
        try await read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let statuses = query.statuses {
                guard !statuses.isEmpty else { return [] }
                conditions.append("status IN (\(statuses.map { _ in "?" }.joined(separator: ", ")))")
                arguments += StatementArguments(statuses.map(\.rawValue))
            }
            if let team = query.team {
                conditions.append("team = ?")
                arguments += [team]
            }
            if let assignee = query.assignee {
                conditions.append("assignee = ?")
                arguments += [assignee]
            }
            if let requesterID = query.requesterID {
                conditions.append("requesterID = ?")
                arguments += [requesterID]
            }
            if let category = query.category {
                conditions.append("category = ?")
                arguments += [category.rawValue]
            }
            if let channel = query.channel {
                conditions.append("channel = ?")
                arguments += [channel.rawValue]
            }
            switch query.sla {
            case .breached?:
                conditions.append("nextDue IS NOT NULL AND nextDue <= ?")
                arguments += [now]
            case .atRisk?:
                // julianday() reads GRDB's "yyyy-MM-dd HH:mm:ss.SSS" UTC dates, so fractions of a window
                // can be computed in SQL and the LIMIT applies after the filter.
                conditions.append("""
                    nextDue IS NOT NULL AND nextDue > ? \
                    AND julianday(?) >= julianday(createdAt) + ? * (julianday(nextDue) - julianday(createdAt))
                    """)
                arguments += [now, now, query.atRiskFraction]
            case nil:
                break
            }
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            // Dates are stored as sortable UTC text, so ORDER BY on them is chronological. Tickets with nothing
            // pending go last; ties go to the more urgent priority ('P1' < 'P2' as text), then the older ticket.
            let sql = """
                SELECT * FROM (SELECT ticket.*, \(Self.nextDueSQL) AS nextDue FROM ticket)
                \(whereClause)
                ORDER BY nextDue IS NULL, nextDue, priority, id
                LIMIT ?
                """
            arguments += [max(0, query.limit)]
            return try Ticket.fetchAll(db, sql: sql, arguments: arguments)
        }
    }

    public func employees(ids: [Int64]) async throws -> [Int64: Employee] {
        guard !ids.isEmpty else { return [:] }
        return try await read { db in
            let rows = try Employee.fetchAll(db, keys: Set(ids))
            return Dictionary(rows.map { ($0.id!, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    public func approvalStatuses(ticketIDs: [Int64]) async throws -> [Int64: Approval.Status] {
        guard !ticketIDs.isEmpty else { return [:] }
        return try await read { db in
            let approvals = try Approval.filter(Set(ticketIDs).contains(Approval.Columns.ticketID)).fetchAll(db)
            return Dictionary(approvals.map { ($0.ticketID, $0.status) }, uniquingKeysWith: { first, _ in first })
        }
    }

    public func findOrCreateEmployee(displayName: String, email: String?, at now: Date) async throws -> Employee {
        try await write { db in
            if let email {
                // E-mail addresses are compared without case: people type them both ways on the phone.
                if let existing = try Employee
                    .filter(sql: "email = ? COLLATE NOCASE", arguments: [email])
                    .order(Employee.Columns.id)
                    .fetchOne(db) {
                    return existing
                }
            }
            return try Employee(displayName: displayName, email: email, createdAt: now).inserted(db)
        }
    }

    public func update(_ updates: [TicketUpdate], at now: Date) async throws -> Ticket {
        guard let number = updates.first?.ticketNumber else { throw StoreError.invalidValue("no ticket change given") }
        return try await write { db in
            var ticket = try Self.existingTicket(db, number: number)
            for update in updates {
                guard update.ticketNumber == number else {
                    throw StoreError.invalidValue("changes to \(update.ticketNumber) and \(number) in one call")
                }
                ticket = try Self.applyTicketUpdate(db, update, at: now)
            }
            return ticket
        }
    }

    /// `Ticket.nextDueAt` in SQL, over the columns of `ticket`.
    static let nextDueSQL = """
        CASE WHEN status IN ('resolved', 'closed') THEN NULL \
        WHEN firstRespondedAt IS NULL AND firstResponseDueAt IS NOT NULL \
        AND (resolutionDueAt IS NULL OR firstResponseDueAt <= resolutionDueAt) THEN firstResponseDueAt \
        ELSE resolutionDueAt END
        """
}
