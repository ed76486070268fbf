import FirstLineCore
import Foundation
import PostgresNIO

// The desk (design §5) on PostgreSQL: notices, routing, presence, SLA and reassignment timers, approvals.
// Where SQLite's single writer makes a pass or a claim the only one at a time, the routing pass here takes
// an advisory lock and timers and approvals lock their rows, so under several replicas there is one winner.

extension PostgresStore: NoticeStore {
    public func postNotice(conversationID: Int64, messages: [NewMessage], outbox: [NewOutboxMessage],
                           resetState: (expected: String, new: String)?, at now: Date) async throws -> [OutboxMessage] {
        try await write { db in
            // Locked: the compare and swap of the state must not interleave with a turn of the same conversation.
            let conversation = try await Self.existingConversation(db, id: conversationID, forUpdate: true)
            if let resetState, conversation.state == resetState.expected {
                try await db.execute("""
                    UPDATE conversation SET state = \(resetState.new), updatedAt = \(now) WHERE id = \(conversationID)
                    """)
            }
            for message in messages { _ = try await Self.insertMessage(db, message, conversationID: conversationID, at: now) }
            var enqueued: [OutboxMessage] = []
            for message in outbox {
                if let row = try await Self.enqueue(db, message, at: now) { enqueued.append(row) }
            }
            return enqueued
        }
    }

    public func enqueue(_ messages: [NewOutboxMessage], at now: Date) async throws -> [OutboxMessage] {
        try await write { db in
            var enqueued: [OutboxMessage] = []
            for message in messages {
                if let row = try await Self.enqueue(db, message, at: now) { enqueued.append(row) }
            }
            return enqueued
        }
    }

    public func ticketNumber(announcedIn conversationKey: String, platformMessageID: String) async throws -> String? {
        let prefix = NoticeKey.ticketAnnouncementPrefix
        let key = try await read { db in
            try await db.value("""
                SELECT idempotencyKey FROM outbox
                WHERE conversationKey = \(conversationKey) AND platformMessageID = \(platformMessageID)
                AND starts_with(idempotencyKey, \(prefix))
                ORDER BY id LIMIT 1
                """, as: String.self)
        }
        return key.map { String($0.dropFirst(prefix.count)) }
    }
}

extension PostgresStore: StoreHealth {
    public func backlog() async throws -> Backlog {
        try await read { db in
            let row = try await db.first("""
                SELECT (SELECT COUNT(*) FROM inbox WHERE status = 'pending'),
                       (SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')),
                       (SELECT COUNT(*) FROM ticket WHERE status = ANY(\(Self.openStatuses))),
                       (SELECT COUNT(*) FROM ticket WHERE status = ANY(\(Self.openStatuses)) AND team IS NOT NULL AND assignee IS NULL)
                """) { try $0.decode((Int, Int, Int, Int).self) }
            guard let (inbox, outbox, open, queued) = row else { throw StoreError.invalidValue("backlog query returned no row") }
            return Backlog(inboxPending: inbox, outboxPending: outbox, openTickets: open, queuedTickets: queued)
        }
    }
}

extension PostgresStore: DeskStore {
    // MARK: - Routing

    public func route(at now: Date, reassignAfter: TimeInterval, actor: TicketActor,
                      _ decide: @escaping @Sendable (RoutingSnapshot) throws -> RoutingOutcome) async throws -> AppDatabase.RoutingPassResult {
        try await write { db in
            // One pass at a time across every replica: a pass decides on a snapshot, and two passes deciding
            // on the same snapshot would hand out the same capacity twice.
            try await db.lock("routing")
            let snapshot = try await Self.routingSnapshot(db, at: now)
            let outcome = try decide(snapshot)
            for reassignment in snapshot.dueReassignments {
                try await db.execute("""
                    UPDATE deskTimer SET status = 'done', firedAt = \(now)
                    WHERE ticketID = (SELECT id FROM ticket WHERE number = \(reassignment.ticket.id))
                    AND kind = 'reassign' AND status = 'pending' AND dueAt <= \(now)
                    """)
            }
            try await Self.apply(outcome, db, at: now, reassignAfter: reassignAfter, actor: actor)
            return AppDatabase.RoutingPassResult(decisions: outcome.decisions, arrivals: snapshot.unrouted.map(\.id))
        }
    }

    static func routingSnapshot(_ db: PostgresTransaction, at now: Date) async throws -> RoutingSnapshot {
        var state = RoutingState()
        for (assignee, count) in try await db.all("""
            SELECT assignee, COUNT(*) FROM ticket WHERE assignee IS NOT NULL AND status = ANY(\(openStatuses)) GROUP BY assignee
            """, { try $0.decode((String, Int).self) }) {
            state.openTickets[assignee] = count
        }
        for (teamID, agentID) in try await db.all("SELECT teamID, agentID FROM routingCursor", { try $0.decode((String, String).self) }) {
            state.lastAssigned[teamID] = agentID
        }
        var passedOver: [Int64: Set<String>] = [:]
        for (ticketID, agentID) in try await db.all("SELECT ticketID, agentID FROM ticketPassOver",
                                                    { try $0.decode((Int64, String).self) }) {
            passedOver[ticketID, default: []].insert(agentID)
        }
        let held = "NOT EXISTS (SELECT 1 FROM approval a WHERE a.ticketID = ticket.id AND a.status <> 'approved')"
        let waiting = try await db.all("""
            SELECT \(unescaped: PostgresRows.ticketColumns) FROM ticket
            WHERE status = ANY(\(openStatuses)) AND team IS NOT NULL AND assignee IS NULL AND \(unescaped: held) ORDER BY id
            """, PostgresRows.ticket)
        for ticket in waiting {
            guard let team = ticket.team else { continue }
            state.queues[team, default: []].append(
                QueuedTicket(ticket: AppDatabase.routingTicket(ticket), excludedAgentIDs: passedOver[try ticket.storedID] ?? []))
        }
        let unrouted = try await db.all("""
            SELECT \(unescaped: PostgresRows.ticketColumns) FROM ticket
            WHERE status = ANY(\(openStatuses)) AND team IS NULL AND \(unescaped: held) ORDER BY id
            """, PostgresRows.ticket).map(AppDatabase.routingTicket)

        var due: [AssignedTicket] = []
        let timers = try await db.all("""
            SELECT \(unescaped: PostgresRows.timerColumns) FROM deskTimer
            WHERE kind = 'reassign' AND status = 'pending' AND dueAt <= \(now) ORDER BY dueAt, id
            """, PostgresRows.timer)
        for timer in timers {
            guard let ticket = try await Self.ticket(db, id: timer.ticketID), ticket.status.isOpen,
                  let assignee = ticket.assignee, assignee == timer.detail else { continue }
            let acted = try await db.exists("""
                SELECT 1 FROM ticketEvent WHERE ticketID = \(timer.ticketID) AND actor = \(TicketActor.agent(assignee).rawValue)
                AND createdAt >= \(timer.createdAt)
                """)
            due.append(AssignedTicket(ticket: AppDatabase.routingTicket(ticket), agentID: assignee, assignedAt: timer.createdAt,
                                      hasResponded: acted, passedOverIDs: passedOver[try ticket.storedID] ?? []))
        }
        let away = try await awayAgents(db)
        return RoutingSnapshot(state: state, unrouted: unrouted, dueReassignments: due, awayAgentIDs: away)
    }

    static func apply(_ outcome: RoutingOutcome, _ db: PostgresTransaction, at now: Date, reassignAfter: TimeInterval,
                      actor: TicketActor) async throws {
        for decision in outcome.decisions {
            switch decision {
            case let .assigned(number, agentID, teamID, reason):
                let ticket = try await existingTicket(db, number: number, forUpdate: true)
                let ticketID = try ticket.storedID
                if ticket.team != teamID {
                    _ = try await applyTicketUpdate(db, TicketUpdate(ticketNumber: number, change: .team(teamID), actor: .system,
                                                                     note: "routed by category \(ticket.category.rawValue)"), at: now)
                }
                _ = try await applyTicketUpdate(db, TicketUpdate(ticketNumber: number, change: .assignee(agentID), actor: actor,
                                                                 note: AppDatabase.describe(reason)), at: now)
                if case let .reassigned(from, _) = reason {
                    try await passOver(db, ticketID: ticketID, agentID: from)
                }
                try await cancelTimers(db, ticketID: ticketID, kinds: [.reassign], at: now)
                switch reason {
                case .routed, .dequeued, .reassigned:
                    try await insertTimer(db, DeskTimer(ticketID: ticketID, kind: .reassign, dueAt: now.addingTimeInterval(reassignAfter),
                                                        detail: agentID, createdAt: now))
                case .claimed, .manual:
                    break
                }
            case let .queued(number, teamID):
                let ticket = try await existingTicket(db, number: number, forUpdate: true)
                let ticketID = try ticket.storedID
                if ticket.team != teamID {
                    _ = try await applyTicketUpdate(db, TicketUpdate(
                        ticketNumber: number, change: .team(teamID), actor: .system,
                        note: "routed by category \(ticket.category.rawValue); nobody available, queued"), at: now)
                }
                if let previous = ticket.assignee {
                    _ = try await applyTicketUpdate(db, TicketUpdate(
                        ticketNumber: number, change: .assignee(nil), actor: .system,
                        note: "\(previous) did not respond; nobody else available, queued"), at: now)
                    try await passOver(db, ticketID: ticketID, agentID: previous)
                }
                try await cancelTimers(db, ticketID: ticketID, kinds: [.reassign], at: now)
            }
        }
        // A pass that decided nothing leaves the turns as they were: no write every worker interval.
        guard !outcome.decisions.isEmpty else { return }
        for (teamID, agentID) in outcome.state.lastAssigned {
            try await db.execute("""
                INSERT INTO routingCursor (teamID, agentID) VALUES (\(teamID), \(agentID))
                ON CONFLICT (teamID) DO UPDATE SET agentID = excluded.agentID
                """)
        }
    }

    static func passOver(_ db: PostgresTransaction, ticketID: Int64, agentID: String) async throws {
        try await db.execute("""
            INSERT INTO ticketPassOver (ticketID, agentID) VALUES (\(ticketID), \(agentID)) ON CONFLICT DO NOTHING
            """)
    }

    // MARK: - Presence

    public func setPresence(agentID: String, online: Bool, at now: Date) async throws {
        try await write { db in
            try await db.execute("""
                INSERT INTO agentPresence (agentID, online, updatedAt) VALUES (\(agentID), \(online), \(now))
                ON CONFLICT (agentID) DO UPDATE SET online = excluded.online, updatedAt = excluded.updatedAt
                """)
        }
    }

    public func awayAgents() async throws -> Set<String> {
        try await read { db in try await Self.awayAgents(db) }
    }

    static func awayAgents(_ db: PostgresTransaction) async throws -> Set<String> {
        Set(try await db.all("SELECT agentID FROM agentPresence WHERE NOT online") { try $0.decode(String.self) })
    }

    // MARK: - Timers

    public func clockFacts(number: String) async throws -> TicketClockFacts {
        try await read { db in try await Self.clockFacts(db, ticket: Self.existingTicket(db, number: number)) }
    }

    public func clockFacts(ticketID: Int64) async throws -> TicketClockFacts {
        try await read { db in
            guard let ticket = try await Self.ticket(db, id: ticketID) else { throw StoreError.notFound(.ticket, String(ticketID)) }
            return try await Self.clockFacts(db, ticket: ticket)
        }
    }

    static func clockFacts(_ db: PostgresTransaction, ticket: Ticket) async throws -> TicketClockFacts {
        let ticketID = try ticket.storedID
        let events = try await events(db, ticketID: ticketID)
        let approval = try await db.first("""
            SELECT \(unescaped: PostgresRows.approvalColumns) FROM approval WHERE ticketID = \(ticketID)
            """, PostgresRows.approval)
        return AppDatabase.clockFacts(ticket: ticket, events: events, approval: approval)
    }

    public func rescheduleSLA(ticketID: Int64, alarms: [SLAAlarmTime], firstResponseDue: Date?, resolutionDue: Date?,
                              at now: Date) async throws {
        try await write { db in
            try await Self.cancelTimers(db, ticketID: ticketID, kinds: DeskTimer.Kind.allCases.filter(\.isSLA), at: now)
            for alarm in alarms {
                try await Self.insertTimer(db, DeskTimer(ticketID: ticketID, kind: DeskTimer.Kind(alarm), dueAt: alarm.at, createdAt: now))
            }
            // COALESCE keeps a column whose new due time is nil: a paused clock has no due time, the last known one stays.
            try await db.execute("""
                UPDATE ticket SET firstResponseDueAt = COALESCE(\(firstResponseDue), firstResponseDueAt),
                    resolutionDueAt = COALESCE(\(resolutionDue), resolutionDueAt)
                WHERE id = \(ticketID)
                """)
        }
    }

    public func dueTimers(at now: Date, kinds: [DeskTimer.Kind], limit: Int) async throws -> [DeskTimer] {
        let names = kinds.map(\.rawValue)
        return try await read { db in
            try await db.all("""
                SELECT \(unescaped: PostgresRows.timerColumns) FROM deskTimer
                WHERE status = 'pending' AND dueAt <= \(now) AND kind = ANY(\(names))
                ORDER BY dueAt, id LIMIT \(max(0, limit))
                """, PostgresRows.timer)
        }
    }

    public func pendingTimers(ticketID: Int64) async throws -> [DeskTimer] {
        try await read { db in
            try await db.all("""
                SELECT \(unescaped: PostgresRows.timerColumns) FROM deskTimer WHERE ticketID = \(ticketID) AND status = 'pending'
                ORDER BY dueAt, id
                """, PostgresRows.timer)
        }
    }

    public func fire(timerID: Int64, updates: [TicketUpdate], outbox: [NewOutboxMessage], at now: Date) async throws -> Bool {
        try await write { db in
            // Locked and checked: of two replicas firing the same timer, the second waits, then finds it done.
            guard let status = try await db.value("SELECT status FROM deskTimer WHERE id = \(timerID) FOR UPDATE", as: String.self),
                  status == DeskTimer.Status.pending.rawValue else { return false }
            for update in updates { _ = try await Self.applyTicketUpdate(db, update, at: now) }
            for message in outbox { _ = try await Self.enqueue(db, message, at: now) }
            try await db.execute("UPDATE deskTimer SET status = 'done', firedAt = \(now) WHERE id = \(timerID)")
            return true
        }
    }

    public func cancelTimer(id: Int64, at now: Date) async throws {
        try await write { db in
            try await db.execute("UPDATE deskTimer SET status = 'cancelled', firedAt = \(now) WHERE id = \(id) AND status = 'pending'")
        }
    }

    static func cancelTimers(_ db: PostgresTransaction, ticketID: Int64, kinds: [DeskTimer.Kind], at now: Date) async throws {
        let names = kinds.map(\.rawValue)
        try await db.execute("""
            UPDATE deskTimer SET status = 'cancelled', firedAt = \(now)
            WHERE ticketID = \(ticketID) AND status = 'pending' AND kind = ANY(\(names))
            """)
    }

    static func insertTimer(_ db: PostgresTransaction, _ timer: DeskTimer) async throws {
        try await db.execute("""
            INSERT INTO deskTimer (ticketID, kind, dueAt, status, detail, createdAt, firedAt)
            VALUES (\(timer.ticketID), \(timer.kind.rawValue), \(timer.dueAt), \(timer.status.rawValue), \(timer.detail),
                    \(timer.createdAt), \(timer.firedAt))
            """)
    }

    // MARK: - Approvals

    public func unrequestedApprovals() async throws -> [ApprovalWork] {
        try await read { db in
            let approvals = try await db.all("""
                SELECT \(unescaped: PostgresRows.approvalColumns) FROM approval WHERE status = 'pending' AND requestedAt IS NULL ORDER BY id
                """, PostgresRows.approval)
            var work: [ApprovalWork] = []
            for approval in approvals { work.append(try await Self.work(db, approval)) }
            return work
        }
    }

    public func awaitingApprovals(approverEmployeeID: Int64) async throws -> [String] {
        try await read { db in
            try await db.all("""
                SELECT ticket.number FROM approval JOIN ticket ON ticket.id = approval.ticketID
                WHERE approval.approverEmployeeID = \(approverEmployeeID) AND approval.status = 'pending'
                  AND approval.requestedAt IS NOT NULL
                ORDER BY approval.id
                """) { try $0.decode(String.self) }
        }
    }

    public func approvalWork(ticketID: Int64) async throws -> ApprovalWork? {
        try await read { db in
            guard let approval = try await Self.approval(db, ticketID: ticketID) else { return nil }
            return try await Self.work(db, approval)
        }
    }

    static func approval(_ db: PostgresTransaction, ticketID: Int64, forUpdate: Bool = false) async throws -> Approval? {
        try await db.first("""
            SELECT \(unescaped: PostgresRows.approvalColumns) FROM approval WHERE ticketID = \(ticketID) \(unescaped: forUpdate ? "FOR UPDATE" : "")
            """, PostgresRows.approval)
    }

    static func work(_ db: PostgresTransaction, _ approval: Approval) async throws -> ApprovalWork {
        guard let ticket = try await ticket(db, id: approval.ticketID),
              let requester = try await employee(db, id: ticket.requesterID) else {
            throw StoreError.notFound(.ticket, String(approval.ticketID))
        }
        var approver: Employee?
        if let approverID = approval.approverEmployeeID { approver = try await employee(db, id: approverID) }
        return ApprovalWork(approval: approval, ticket: ticket, requester: requester, approver: approver)
    }

    public func recordApprovalRequest(ticketID: Int64, reminder: Bool, note: String, conversationID: Int64?,
                                      messages: [NewMessage], outbox: [NewOutboxMessage],
                                      nextReminderAt: Date?, timerID: Int64?, at now: Date) async throws -> Bool {
        try await write { db in
            if let conversationID {
                for message in messages { _ = try await Self.insertMessage(db, message, conversationID: conversationID, at: now) }
            }
            // The approval's row is locked: two passes at once (two replicas) ask only once.
            guard let approval = try await Self.approval(db, ticketID: ticketID, forUpdate: true), approval.status == .pending else {
                return false
            }
            if !reminder, approval.requestedAt != nil { return false }
            if let timerID {
                let status = try await db.value("SELECT status FROM deskTimer WHERE id = \(timerID) FOR UPDATE", as: String.self)
                guard status == DeskTimer.Status.pending.rawValue else { return false }
            }
            if reminder {
                try await db.execute("UPDATE approval SET remindersSent = remindersSent + 1 WHERE id = \(try approval.storedID)")
            } else {
                try await db.execute("UPDATE approval SET requestedAt = \(now) WHERE id = \(try approval.storedID)")
            }
            try await Self.insertEvent(db, TicketEvent(ticketID: ticketID, actor: .system, kind: .approval, field: "approval",
                                                       before: Approval.Status.pending.rawValue,
                                                       after: reminder ? "reminded" : "requested", note: note, createdAt: now))
            for message in outbox { _ = try await Self.enqueue(db, message, at: now) }
            if let timerID {
                try await db.execute("UPDATE deskTimer SET status = 'done', firedAt = \(now) WHERE id = \(timerID)")
            }
            if let nextReminderAt {
                try await Self.insertTimer(db, DeskTimer(ticketID: ticketID, kind: .approvalReminder, dueAt: nextReminderAt, createdAt: now))
            }
            return true
        }
    }

    public func decideApproval(ticketNumber: String, approve: Bool, by actor: TicketActor, note: String?,
                               at now: Date) async throws -> Ticket {
        try await write { db in
            let ticket = try await Self.existingTicket(db, number: ticketNumber, forUpdate: true)
            let ticketID = try ticket.storedID
            // Locked: of two approvers deciding at once, the second waits and then finds it decided.
            guard let approval = try await Self.approval(db, ticketID: ticketID, forUpdate: true) else {
                throw StoreError.notFound(.approval, ticketNumber)
            }
            let status: Approval.Status = approve ? .approved : .rejected
            guard approval.status == .pending else {
                throw StoreError.invalidTransition(.approval, id: ticketNumber, from: approval.status.rawValue, to: status.rawValue)
            }
            try await db.execute("""
                UPDATE approval SET status = \(status.rawValue), decidedAt = \(now), decidedBy = \(actor.rawValue)
                WHERE id = \(try approval.storedID)
                """)
            try await Self.insertEvent(db, TicketEvent(ticketID: ticketID, actor: actor, kind: .approval, field: "approval",
                                                       before: Approval.Status.pending.rawValue, after: status.rawValue, note: note,
                                                       createdAt: now))
            try await Self.cancelTimers(db, ticketID: ticketID, kinds: [.approvalReminder], at: now)
            if approve { return try await Self.existingTicket(db, number: ticketNumber) }
            return try await Self.applyTicketUpdate(db, TicketUpdate(
                ticketNumber: ticketNumber, change: .status(.closed, note: "rejected by the approver"), actor: actor), at: now)
        }
    }
}

extension PostgresStore: DirectoryImportStore {
    /// The directory import of `AppDatabase.importDirectory`, with the same matching rules, all or nothing.
    public func importDirectory(_ entries: [DirectoryEntry], at now: Date) async throws -> DirectoryImportSummary {
        try await write { db in
            // One import at a time: two at once could each adopt the same chat-only employee.
            try await db.lock("directory-import")
            var summary = DirectoryImportSummary()
            var ids: [String: Int64] = [:]
            for entry in entries {
                var employee = try await Self.employee(db, directoryID: entry.directoryID)
                if employee == nil {
                    for identity in entry.identities {
                        if let known = try await Self.employee(db, platform: identity.platform, platformUserID: identity.userID),
                           known.directoryID == nil {
                            employee = known
                            break
                        }
                    }
                }
                var row = employee ?? Employee(displayName: entry.name, createdAt: now)
                row.displayName = entry.name
                row.email = entry.email
                row.department = entry.department
                row.directoryID = entry.directoryID
                if row.id == nil {
                    row = try await Self.insertEmployee(db, row)
                    summary.created += 1
                } else {
                    try await Self.saveEmployee(db, row)
                    summary.updated += 1
                }
                let id = try row.storedID
                ids[entry.directoryID] = id
                for identity in entry.identities {
                    try await Self.lockIdentity(db, platform: identity.platform, platformUserID: identity.userID)
                    if let existing = try await Self.identity(db, platform: identity.platform, platformUserID: identity.userID) {
                        guard existing.employeeID != id else { continue }
                        let owner = try await Self.employee(db, id: existing.employeeID)
                        guard owner?.directoryID == nil else {
                            throw StoreError.duplicate(.identity, "\(identity.platform.rawValue):\(identity.userID)")
                        }
                        // Someone seen only in chat under this identity is the same person: take the identity over.
                        try await db.execute("""
                            UPDATE identity SET employeeID = \(id)
                            WHERE platform = \(identity.platform.rawValue) AND platformUserID = \(identity.userID)
                            """)
                    } else {
                        try await db.execute("""
                            INSERT INTO identity (platform, platformUserID, employeeID)
                            VALUES (\(identity.platform.rawValue), \(identity.userID), \(id))
                            """)
                    }
                    summary.identitiesLinked += 1
                }
            }
            for entry in entries {
                guard let id = ids[entry.directoryID] else { throw StoreError.notFound(.employee, entry.directoryID) }
                var managerID: Int64?
                if let manager = entry.managerDirectoryID {
                    var found = ids[manager]
                    if found == nil { found = try await Self.employee(db, directoryID: manager)?.id }
                    guard let found else { throw StoreError.notFound(.employee, "manager \(manager) of \(entry.directoryID)") }
                    managerID = found
                }
                try await db.execute("UPDATE employee SET managerEmployeeID = \(managerID) WHERE id = \(id)")
            }
            return summary
        }
    }

    public func employee(directoryID: String) async throws -> Employee? {
        try await read { db in try await Self.employee(db, directoryID: directoryID) }
    }

    static func employee(_ db: PostgresTransaction, directoryID: String) async throws -> Employee? {
        try await db.first("SELECT \(unescaped: PostgresRows.employeeColumns) FROM employee WHERE directoryID = \(directoryID)",
                           PostgresRows.employee)
    }

    static func saveEmployee(_ db: PostgresTransaction, _ employee: Employee) async throws {
        try await db.execute("""
            UPDATE employee SET displayName = \(employee.displayName), email = \(employee.email),
            department = \(employee.department), managerEmployeeID = \(employee.managerEmployeeID),
            directoryID = \(employee.directoryID)
            WHERE id = \(try employee.storedID)
            """)
    }
}
