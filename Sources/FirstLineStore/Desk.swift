import FirstLineCore
import Foundation
import GRDB

/// What routing sees, read inside the transaction that applies its decisions.
public struct RoutingSnapshot: Sendable {
    /// Open tickets per agent, round-robin turns, and the waiting tickets of every team.
    public var state: RoutingState
    /// Open tickets with no team yet (just created, or approved), oldest first.
    public var unrouted: [RoutingTicket]
    /// Assigned tickets whose reassignment check is due, with whether the assignee has acted since.
    public var dueReassignments: [AssignedTicket]
    /// Agents who said they are away.
    public var awayAgentIDs: Set<String>
}

/// The SLA-relevant facts of one ticket, read from its row and its status history.
public struct TicketClockFacts: Sendable {
    public var ticket: Ticket
    public var facts: TicketSLAFacts
    /// Alarms already recorded in the history (`firstResponse:warning`…): each goes off once.
    public var firedAlarms: Set<String>
}

/// An approval that has not been asked for yet, or is due a reminder, with the people involved.
public struct ApprovalWork: Sendable {
    public var approval: Approval
    public var ticket: Ticket
    public var requester: Employee
    public var approver: Employee?
}

extension AppDatabase {
    /// Adds the bot's messages to a conversation and queues their delivery, without touching the
    /// conversation's dialogue state: a notice (an approval request, a decision) is not a turn,
    /// so it cannot overwrite a turn that runs at the same time.
    ///
    /// `resetState` replaces the state only if it is still `expected` (compare and swap): used to
    /// hand a conversation back to the bot when its ticket ends without an agent (a rejection).
    public func postNotice(conversationID: Int64, messages: [NewMessage], outbox: [NewOutboxMessage],
                           resetState: (expected: String, new: String)? = nil, at now: Date) async throws -> [OutboxMessage] {
        try await write { db in
            var conversation = try Self.existingConversation(db, id: conversationID)
            if let resetState, conversation.state == resetState.expected {
                conversation.state = resetState.new
                conversation.updatedAt = now
                try conversation.update(db)
            }
            for message in messages { _ = try Self.insertMessage(db, message, conversationID: conversationID, at: now) }
            return try outbox.compactMap { try Self.enqueue(db, $0, at: now) }
        }
    }

    /// Queues messages that belong to no conversation (the agents' channel, an agent's DM).
    public func enqueue(_ messages: [NewOutboxMessage], at now: Date) async throws -> [OutboxMessage] {
        try await write { db in try messages.compactMap { try Self.enqueue(db, $0, at: now) } }
    }
}

/// Work waiting right now, for the metrics gauges.
public struct Backlog: Sendable, Equatable {
    public var inboxPending: Int
    public var outboxPending: Int
    public var openTickets: Int
    /// Open tickets in a team's queue (no assignee).
    public var queuedTickets: Int
}

extension AppDatabase {
    public func backlog() async throws -> Backlog {
        try await read { db in
            func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql) ?? 0 }
            return Backlog(
                inboxPending: try count("SELECT COUNT(*) FROM inbox WHERE status = 'pending'"),
                outboxPending: try count("SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')"),
                openTickets: try count("SELECT COUNT(*) FROM ticket WHERE status IN \(TicketStatus.openSQLList)"),
                queuedTickets: try count("""
                    SELECT COUNT(*) FROM ticket WHERE status IN \(TicketStatus.openSQLList) AND team IS NOT NULL AND assignee IS NULL
                    """))
        }
    }

    /// The ticket an agents' channel post announced, found by the platform's id of that post (a
    /// Slack `ts`): a reply in its thread is a reply on that ticket. The post's outbox row is how it
    /// is found: its key is `NoticeKey.ticketAnnouncement`.
    public func ticketNumber(announcedIn conversationKey: String, platformMessageID: String) async throws -> String? {
        try await read { db in
            let key = try String.fetchOne(db, sql: """
                SELECT idempotencyKey FROM outbox
                WHERE conversationKey = ? AND platformMessageID = ? AND idempotencyKey LIKE ?
                """, arguments: [conversationKey, platformMessageID, NoticeKey.ticketAnnouncementPrefix + "%"])
            return key.map { String($0.dropFirst(NoticeKey.ticketAnnouncementPrefix.count)) }
        }
    }
}
