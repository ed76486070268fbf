import FirstLineCore
import Foundation
import GRDB

/// Everything a dialogue turn reads before the engine decides, fetched in one transaction.
public struct TurnStart: Sendable, Equatable {
    public var employee: Employee
    public var conversation: Conversation
    /// Articles shown to this employee since the repeat window began.
    public var recentlySuggested: Set<String>
    /// The employee's open tickets, oldest first.
    public var openTickets: [Ticket]
}

extension AppDatabase {
    /// Starts a turn for the inbox row `inboxEventID`: finds or creates the employee and the
    /// conversation and reads what the engine needs, in one write transaction instead of five
    /// round trips (each a hop to the database queue and back, which under load cost more than
    /// the queries). Nil when the row is no longer pending: another caller answered it meanwhile.
    public func beginTurn(inboxEventID: Int64, platform: Platform, platformUserID: String, displayName: String,
                          conversationKey: String, initialState: String, suggestedSince: Date,
                          at now: Date) async throws -> TurnStart? {
        try await write { db in
            let status = try String.fetchOne(db, sql: "SELECT status FROM inbox WHERE id = ?", arguments: [inboxEventID])
            guard status == InboxEvent.Status.pending.rawValue else { return nil }
            let employee: Employee
            if let existing = try Self.employee(db, platform: platform, platformUserID: platformUserID) {
                employee = existing
            } else {
                employee = try Employee(displayName: displayName, createdAt: now).inserted(db)
                try Identity(platform: platform, platformUserID: platformUserID, employeeID: try employee.storedID).insert(db)
            }
            let employeeID = try employee.storedID
            let conversation = try Self.conversation(db, platform: platform, conversationKey: conversationKey)
                ?? Conversation(platform: platform, conversationKey: conversationKey, employeeID: employeeID, state: initialState,
                                createdAt: now, updatedAt: now).inserted(db)
            let suggested = try String.fetchAll(db, sql: """
                SELECT DISTINCT articleID FROM suggestion WHERE employeeID = ? AND shownAt >= ?
                """, arguments: [employee.id, suggestedSince])
            let tickets = try Ticket
                .filter(Ticket.Columns.requesterID == employee.id)
                .filter(TicketStatus.openStatuses.contains(Ticket.Columns.status))
                .order(Ticket.Columns.id)
                .fetchAll(db)
            return TurnStart(employee: employee, conversation: conversation, recentlySuggested: Set(suggested),
                             openTickets: tickets)
        }
    }
}
