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
            WHERE assignee IS NOT NULL AND status IN ('new', 'open', 'waiting') GROUP BY assignee
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
            SELECT * FROM ticket WHERE status IN ('new', 'open', 'waiting') AND team IS NOT NULL AND assignee IS NULL
            AND \(held) ORDER BY id
            """)
        for ticket in waiting {
            state.queues[ticket.team!, default: []].append(
                QueuedTicket(ticket: routingTicket(ticket), excludedAgentIDs: passedOver[ticket.id!] ?? []))
        }
        let unrouted = try Ticket.fetchAll(db, sql: """
            SELECT * FROM ticket WHERE status IN ('new', 'open', 'waiting') AND team IS NULL AND \(held) ORDER BY id
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
                                      hasResponded: acted > 0, passedOverIDs: passedOver[ticket.id!] ?? []))
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
                try cancelTimers(db, ticketID: ticket.id!, kinds: [.reassign], at: now)
                switch reason {
                case .routed, .dequeued, .reassigned:
                    _ = try DeskTimer(ticketID: ticket.id!, kind: .reassign, dueAt: now.addingTimeInterval(reassignAfter),
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
                try cancelTimers(db, ticketID: ticket.id!, kinds: [.reassign], at: now)
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

    // MARK: - Timers

    /// The ticket's SLA facts: pauses from its status history, alarms already recorded.
    public func clockFacts(number: String) async throws -> TicketClockFacts {
        try await read { db in try Self.clockFacts(db, ticket: Self.existingTicket(db, number: number)) }
    }

    public func clockFacts(ticketID: Int64) async throws -> TicketClockFacts {
        try await read { db in
            guard let ticket = try Ticket.fetchOne(db, key: ticketID) else { throw StoreError.notFound(.ticket, String(ticketID)) }
            return try Self.clockFacts(db, ticket: ticket)
        }
    }

    static func clockFacts(_ db: Database, ticket: Ticket) throws -> TicketClockFacts {
        let events = try TicketEvent.filter(TicketEvent.Columns.ticketID == ticket.id!).order(TicketEvent.Columns.id).fetchAll(db)
        let changes = events.filter { $0.kind == .status || $0.kind == .created }
            .map { (at: $0.createdAt, waiting: $0.after == TicketStatus.waiting.rawValue) }
        let fired = Set(events.filter { $0.kind == .sla }.compactMap { event in event.field.map { "\($0):\(event.after ?? "")" } })
        var pauses = SLAPauses.from(changes)
        // A request waiting for the manager's approval is nobody's to work yet: its clock stands still too.
        if let approval = try Approval.filter(Approval.Columns.ticketID == ticket.id!).fetchOne(db) {
            pauses.append(SLAPause(start: approval.createdAt, end: approval.status == .pending ? nil : approval.decidedAt))
        }
        let facts = TicketSLAFacts(priority: ticket.priority,
                                   createdAt: ticket.createdAt, firstRespondedAt: ticket.firstRespondedAt,
                                   resolvedAt: ticket.status.isOpen ? nil : (ticket.resolvedAt ?? ticket.updatedAt),
                                   pauses: pauses)
        return TicketClockFacts(ticket: ticket, facts: facts, firedAlarms: fired)
    }

    /// Replaces the ticket's pending SLA timers with `alarms`, and its due-time columns with `due`
    /// (nil keeps a column: a paused clock has no due time, the last known one stays visible).
    public func rescheduleSLA(ticketID: Int64, alarms: [SLAAlarmTime], firstResponseDue: Date?, resolutionDue: Date?,
                              at now: Date) async throws {
        try await write { db in
            try Self.cancelTimers(db, ticketID: ticketID, kinds: DeskTimer.Kind.allCases.filter(\.isSLA), at: now)
            for alarm in alarms {
                _ = try DeskTimer(ticketID: ticketID, kind: DeskTimer.Kind(alarm), dueAt: alarm.at, createdAt: now).inserted(db)
            }
            if var ticket = try Ticket.fetchOne(db, key: ticketID) {
                let before = ticket
                if let firstResponseDue { ticket.firstResponseDueAt = firstResponseDue }
                if let resolutionDue { ticket.resolutionDueAt = resolutionDue }
                if ticket != before { try ticket.update(db) }
            }
        }
    }

    /// Pending timers due at `now`, earliest first.
    public func dueTimers(at now: Date, kinds: [DeskTimer.Kind], limit: Int = 100) async throws -> [DeskTimer] {
        try await read { db in
            try DeskTimer
                .filter(DeskTimer.Columns.status == DeskTimer.Status.pending.rawValue && DeskTimer.Columns.dueAt <= now)
                .filter(kinds.map(\.rawValue).contains(DeskTimer.Columns.kind))
                .order(DeskTimer.Columns.dueAt, Column("id"))
                .limit(limit)
                .fetchAll(db)
        }
    }

    public func pendingTimers(ticketID: Int64) async throws -> [DeskTimer] {
        try await read { db in
            try DeskTimer.filter(DeskTimer.Columns.ticketID == ticketID && DeskTimer.Columns.status == "pending")
                .order(DeskTimer.Columns.dueAt).fetchAll(db)
        }
    }

    /// Carries out a timer: its ticket changes and messages are written and the timer is marked
    /// done in one transaction. False when the timer was no longer pending (another pass did it).
    public func fire(timerID: Int64, updates: [TicketUpdate], outbox: [NewOutboxMessage], at now: Date) async throws -> Bool {
        try await write { db in
            guard var timer = try DeskTimer.fetchOne(db, key: timerID), timer.status == .pending else { return false }
            for update in updates { _ = try Self.applyTicketUpdate(db, update, at: now) }
            for message in outbox { _ = try Self.enqueue(db, message, at: now) }
            timer.status = .done
            timer.firedAt = now
            try timer.update(db)
            return true
        }
    }

    /// Drops a timer that no longer applies (the target was met, the approval decided).
    public func cancelTimer(id: Int64, at now: Date) async throws {
        try await write { db in
            try db.execute(sql: "UPDATE deskTimer SET status = 'cancelled', firedAt = ? WHERE id = ? AND status = 'pending'",
                           arguments: [now, id])
        }
    }

    static func cancelTimers(_ db: Database, ticketID: Int64, kinds: [DeskTimer.Kind], at now: Date) throws {
        let list = kinds.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        try db.execute(sql: """
            UPDATE deskTimer SET status = 'cancelled', firedAt = ? WHERE ticketID = ? AND status = 'pending' AND kind IN (\(list))
            """, arguments: [now, ticketID])
    }

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
            guard var approval = try Approval.filter(Approval.Columns.ticketID == ticket.id!).fetchOne(db) else {
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
            _ = try TicketEvent(ticketID: ticket.id!, actor: actor, kind: .approval, field: "approval",
                                before: Approval.Status.pending.rawValue, after: status.rawValue, note: note, createdAt: now).inserted(db)
            try Self.cancelTimers(db, ticketID: ticket.id!, kinds: [.approvalReminder], at: now)
            if approve { return try Self.existingTicket(db, number: ticketNumber) }
            return try Self.applyTicketUpdate(db, TicketUpdate(
                ticketNumber: ticketNumber, change: .status(.closed, note: "rejected by the approver"), actor: actor), at: now)
        }
    }
}

extension DeskTimer.Kind {
    init(_ alarm: SLAAlarmTime) {
        switch (alarm.metric, alarm.alarm) {
        case (.firstResponse, .warning): self = .firstResponseWarning
        case (.firstResponse, .breach): self = .firstResponseBreach
        case (.resolution, .warning): self = .resolutionWarning
        case (.resolution, .breach): self = .resolutionBreach
        }
    }

    /// The SLA target and alarm of an SLA timer; nil for other kinds.
    public var slaAlarm: (metric: SLAMetric, alarm: SLAAlarm)? {
        switch self {
        case .firstResponseWarning: (.firstResponse, .warning)
        case .firstResponseBreach: (.firstResponse, .breach)
        case .resolutionWarning: (.resolution, .warning)
        case .resolutionBreach: (.resolution, .breach)
        case .reassign, .approvalReminder: nil
        }
    }
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
                openTickets: try count("SELECT COUNT(*) FROM ticket WHERE status IN ('new', 'open', 'waiting')"),
                queuedTickets: try count("""
                    SELECT COUNT(*) FROM ticket WHERE status IN ('new', 'open', 'waiting') AND team IS NOT NULL AND assignee IS NULL
                    """))
        }
    }

    /// The idempotency key of the agents' channel post announcing a ticket: the outbox row is how
    /// a later thread reply finds its ticket, so the key is written and read by this one function.
    public static func announcementKey(ticket number: String) -> String { announcementPrefix + number }
    static let announcementPrefix = "desk:new:"

    /// The ticket an agents' channel post announced, found by the platform's id of that post (a
    /// Slack `ts`): a reply in its thread is a reply on that ticket.
    public func ticketNumber(announcedIn conversationKey: String, platformMessageID: String) async throws -> String? {
        try await read { db in
            let key = try String.fetchOne(db, sql: """
                SELECT idempotencyKey FROM outbox
                WHERE conversationKey = ? AND platformMessageID = ? AND idempotencyKey LIKE ?
                """, arguments: [conversationKey, platformMessageID, Self.announcementPrefix + "%"])
            return key.map { String($0.dropFirst(Self.announcementPrefix.count)) }
        }
    }
}
