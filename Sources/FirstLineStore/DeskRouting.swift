import FirstLineCore
import Foundation
import GRDB

// Routing and presence: the desk's routing pass runs in one write transaction here.
extension AppDatabase {
    // MARK: - Routing

    /// What one routing transaction did.
    public struct RoutingPassResult: Sendable {
        public var decisions: [RoutingDecision]
        /// The tickets that had no team when the pass began (its arrivals).
        public var arrivals: [String]
    }

    /// Reads the routing snapshot, lets `decide` route, and applies its decisions in the same
    /// write transaction, so two routing passes can never hand out the same capacity twice. An
    /// error thrown by `decide` (a refused claim) rolls back and reaches the caller unchanged.
    /// Assignments get a reassignment check `reassignAfter` later (automatic ones only: an agent
    /// who claimed or was given a ticket by a lead is evidently aware of it).
    public func route(at now: Date, reassignAfter: TimeInterval, actor: TicketActor = .system,
                      _ decide: @escaping @Sendable (RoutingSnapshot) throws -> RoutingOutcome) async throws -> RoutingPassResult {
        try await write { db in
            let snapshot = try Self.routingSnapshot(db, at: now)
            let outcome = try decide(snapshot)
            for reassignment in snapshot.dueReassignments {
                try db.execute(sql: """
                    UPDATE deskTimer SET status = 'done', firedAt = ? \
                    WHERE ticketID = (SELECT id FROM ticket WHERE number = ?) AND kind = 'reassign' AND status = 'pending' AND dueAt <= ?
                    """, arguments: [now, reassignment.ticket.id, now])
            }
            try Self.apply(outcome, db, at: now, reassignAfter: reassignAfter, actor: actor)
            return RoutingPassResult(decisions: outcome.decisions, arrivals: snapshot.unrouted.map(\.id))
        }
    }

    static func routingSnapshot(_ db: Database, at now: Date) throws -> RoutingSnapshot {
        var state = RoutingState()
        for row in try Row.fetchAll(db, sql: """
            SELECT assignee, COUNT(*) AS n FROM ticket
            WHERE assignee IS NOT NULL AND status IN \(TicketStatus.openSQLList) GROUP BY assignee
            """) {
            state.openTickets[row["assignee"]] = row["n"]
        }
        for row in try Row.fetchAll(db, sql: "SELECT teamID, agentID FROM routingCursor") {
            state.lastAssigned[row["teamID"]] = row["agentID"]
        }
        var passedOver: [Int64: Set<String>] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT ticketID, agentID FROM ticketPassOver") {
            passedOver[row["ticketID"], default: []].insert(row["agentID"])
        }
        let held = "NOT EXISTS (SELECT 1 FROM approval a WHERE a.ticketID = ticket.id AND a.status <> 'approved')"
        let waiting = try Ticket.fetchAll(db, sql: """
            SELECT * FROM ticket WHERE status IN \(TicketStatus.openSQLList) AND team IS NOT NULL AND assignee IS NULL
            AND \(held) ORDER BY id
            """)
        for ticket in waiting {
            state.queues[ticket.team!, default: []].append(
                QueuedTicket(ticket: routingTicket(ticket), excludedAgentIDs: passedOver[try ticket.storedID] ?? []))
        }
        let unrouted = try Ticket.fetchAll(db, sql: """
            SELECT * FROM ticket WHERE status IN \(TicketStatus.openSQLList) AND team IS NULL AND \(held) ORDER BY id
            """).map(routingTicket)

        var due: [AssignedTicket] = []
        let timers = try DeskTimer
            .filter(DeskTimer.Columns.kind == DeskTimer.Kind.reassign.rawValue && DeskTimer.Columns.status == "pending"
                    && DeskTimer.Columns.dueAt <= now)
            .order(DeskTimer.Columns.dueAt)
            .fetchAll(db)
        for timer in timers {
            guard let ticket = try Ticket.fetchOne(db, key: timer.ticketID), ticket.status.isOpen,
                  let assignee = ticket.assignee, assignee == timer.detail else { continue }
            let acted = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM ticketEvent WHERE ticketID = ? AND actor = ? AND createdAt >= ?
                """, arguments: [ticket.id, TicketActor.agent(assignee).rawValue, timer.createdAt]) ?? 0
            due.append(AssignedTicket(ticket: routingTicket(ticket), agentID: assignee, assignedAt: timer.createdAt,
                                      hasResponded: acted > 0, passedOverIDs: passedOver[try ticket.storedID] ?? []))
        }
        let away = try String.fetchAll(db, sql: "SELECT agentID FROM agentPresence WHERE online = 0")
        return RoutingSnapshot(state: state, unrouted: unrouted, dueReassignments: due, awayAgentIDs: Set(away))
    }

    static func routingTicket(_ ticket: Ticket) -> RoutingTicket {
        RoutingTicket(id: ticket.number, category: ticket.category.articleCategory,
                      priority: ticket.priority, createdAt: ticket.createdAt)
    }

    static func apply(_ outcome: RoutingOutcome, _ db: Database, at now: Date, reassignAfter: TimeInterval,
                      actor: TicketActor) throws {
        for decision in outcome.decisions {
            switch decision {
            case let .assigned(number, agentID, teamID, reason):
                let ticket = try existingTicket(db, number: number)
                let note = describe(reason)
                if ticket.team != teamID {
                    _ = try applyTicketUpdate(db, TicketUpdate(ticketNumber: number, change: .team(teamID), actor: .system,
                                                               note: "routed by category \(ticket.category.rawValue)"), at: now)
                }
                _ = try applyTicketUpdate(db, TicketUpdate(ticketNumber: number, change: .assignee(agentID), actor: actor,
                                                           note: note), at: now)
                if case let .reassigned(from, _) = reason {
                    try db.execute(sql: "INSERT OR IGNORE INTO ticketPassOver (ticketID, agentID) VALUES (?, ?)",
                                   arguments: [ticket.id, from])
                }
                try cancelTimers(db, ticketID: try ticket.storedID, kinds: [.reassign], at: now)
                switch reason {
                case .routed, .dequeued, .reassigned:
                    _ = try DeskTimer(ticketID: try ticket.storedID, kind: .reassign, dueAt: now.addingTimeInterval(reassignAfter),
                                      detail: agentID, createdAt: now).inserted(db)
                case .claimed, .manual:
                    break
                }
            case let .queued(number, teamID):
                let ticket = try existingTicket(db, number: number)
                if ticket.team != teamID {
                    _ = try applyTicketUpdate(db, TicketUpdate(ticketNumber: number, change: .team(teamID), actor: .system,
                                                               note: "routed by category \(ticket.category.rawValue); nobody available, queued"), at: now)
                }
                if let previous = ticket.assignee {
                    _ = try applyTicketUpdate(db, TicketUpdate(ticketNumber: number, change: .assignee(nil), actor: .system,
                                                               note: "\(previous) did not respond; nobody else available, queued"), at: now)
                    try db.execute(sql: "INSERT OR IGNORE INTO ticketPassOver (ticketID, agentID) VALUES (?, ?)",
                                   arguments: [ticket.id, previous])
                }
                try cancelTimers(db, ticketID: try ticket.storedID, kinds: [.reassign], at: now)
            }
        }
        // A pass that decided nothing leaves the turns as they were: no write every worker interval.
        guard !outcome.decisions.isEmpty else { return }
        for (teamID, agentID) in outcome.state.lastAssigned {
            try db.execute(sql: """
                INSERT INTO routingCursor (teamID, agentID) VALUES (?, ?)
                ON CONFLICT(teamID) DO UPDATE SET agentID = excluded.agentID
                """, arguments: [teamID, agentID])
        }
    }

    static func describe(_ reason: AssignmentReason) -> String {
        switch reason {
        case let .routed(strategy): "assigned on arrival (\(strategy.rawValue))"
        case let .dequeued(strategy): "assigned from the queue (\(strategy.rawValue))"
        case let .reassigned(from, strategy): "reassigned: \(from) did not respond in time (\(strategy.rawValue))"
        case .claimed: "claimed from the queue"
        case .manual: "assigned by hand"
        }
    }


    // MARK: - Presence

    public func setPresence(agentID: String, online: Bool, at now: Date) async throws {
        try await write { db in
            try db.execute(sql: """
                INSERT INTO agentPresence (agentID, online, updatedAt) VALUES (?, ?, ?)
                ON CONFLICT(agentID) DO UPDATE SET online = excluded.online, updatedAt = excluded.updatedAt
                """, arguments: [agentID, online, now])
        }
    }

    public func awayAgents() async throws -> Set<String> {
        try await read { db in Set(try String.fetchAll(db, sql: "SELECT agentID FROM agentPresence WHERE online = 0")) }
    }

}
