import FirstLineCore
import Foundation
import GRDB

// The desk's timers: SLA alarms and reassignment checks, scheduled and fired in transactions.
extension AppDatabase {
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
        let events = try TicketEvent.filter(TicketEvent.Columns.ticketID == ticket.id).order(TicketEvent.Columns.id).fetchAll(db)
        let approval = try Approval.filter(Approval.Columns.ticketID == ticket.id).fetchOne(db)
        return clockFacts(ticket: ticket, events: events, approval: approval)
    }

    /// The SLA facts from the ticket's row, its history (oldest first) and its approval: shared by both stores.
    static func clockFacts(ticket: Ticket, events: [TicketEvent], approval: Approval?) -> TicketClockFacts {
        let changes = events.filter { $0.kind == .status || $0.kind == .created }
            .map { (at: $0.createdAt, waiting: $0.after == TicketStatus.waiting.rawValue) }
        let fired = Set(events.filter { $0.kind == .sla }.compactMap { event in event.field.map { "\($0):\(event.after ?? "")" } })
        var pauses = SLAPauses.from(changes)
        // A request waiting for the manager's approval is nobody's to work yet: its clock stands still too.
        if let approval {
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
