import FirstLineCore
import Foundation
import GRDB

/// What the managers' reports read (issue: console, point 4): every row a period's figures need,
/// converted to Core's report input, which computes them.
public protocol ReportStore: Sendable {
    /// Tickets created before `to` that were open at some time in `[from, to)` (open now, or with
    /// an event in it), and those created up to a day after `to` (they decide whether an article
    /// shown near the end deflected anything); their whole history; articles shown from `from` to
    /// a day after `to`; every incident with its affected count.
    func reportInput(from: Date, to: Date) async throws -> ReportInput
    /// Tickets created in `[from, to)`, oldest first (the CSV export).
    func tickets(createdFrom from: Date, to: Date) async throws -> [Ticket]
    /// What the knowledge base did not settle in `[from, to)`: employees' messages that matched
    /// nothing or were out of scope, queries answered with Still broken, and tickets opened.
    func gapMessages(from: Date, to: Date) async throws -> [GapMessage]
}

extension ReportRows {
    /// A message's kind from the mark the turn left in its payload.
    static func gapKind(payload: String?) -> GapMessage.Kind? {
        guard let payload else { return nil }
        if payload.contains(#""unanswered":true"#) { return .unanswered }
        if payload.contains(#""outOfScope":true"#) { return .outOfScope }
        return nil
    }
}

/// The rows as the report takes them, shared by both stores.
enum ReportRows {
    static let lookAhead: TimeInterval = 24 * 3600

    static func input(tickets: [Ticket], events: [TicketEvent], suggestions: [Suggestion],
                      incidents: [(Incident, Int, [String])]) -> ReportInput {
        let byTicket = Dictionary(grouping: events, by: \.ticketID)
        let reportTickets = tickets.map { ticket in
            ReportTicket(number: ticket.number, requester: ticket.requesterID, subject: ticket.subject, channel: ticket.channel,
                         category: ticket.category.rawValue, team: ticket.team, priority: ticket.priority,
                         createdAt: ticket.createdAt,
                         events: (byTicket[ticket.id ?? -1] ?? []).sorted { ($0.createdAt, $0.id ?? 0) < ($1.createdAt, $1.id ?? 0) }
                            .map { event in
                                ReportEvent(kind: event.kind.rawValue, field: event.field, before: event.before, after: event.after,
                                            actor: event.actor.rawValue, at: event.createdAt)
                            })
        }
        let shown = suggestions.map { suggestion in
            ReportSuggestion(employee: suggestion.employeeID, articleID: suggestion.articleID, shownAt: suggestion.shownAt,
                             solved: suggestion.feedback.map { $0 == .solved })
        }
        let rows = incidents.map { incident, affected, tickets in
            ReportIncident(number: incident.number, topic: incident.topic, status: incident.status.rawValue,
                           firstReportAt: incident.firstReportAt, raisedAt: incident.raisedAt, resolvedAt: incident.resolvedAt,
                           affected: affected, tickets: tickets)
        }
        return ReportInput(tickets: reportTickets, suggestions: shown, incidents: rows)
    }
}

extension AppDatabase: ReportStore {
    public func gapMessages(from: Date, to: Date) async throws -> [GapMessage] {
        try await read { db in
            var gaps: [GapMessage] = []
            for row in try Row.fetchAll(db, sql: """
                SELECT text, payload, createdAt FROM message
                 WHERE direction = 'in' AND author = 'employee' AND createdAt >= ? AND createdAt < ?
                   AND (payload LIKE '%"unanswered":true%' OR payload LIKE '%"outOfScope":true%')
                """, arguments: [from, to]) {
                if let kind = ReportRows.gapKind(payload: row["payload"]) {
                    gaps.append(GapMessage(text: row["text"], kind: kind, at: row["createdAt"]))
                }
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT query, feedbackAt FROM suggestion WHERE feedback = 'still_broken' AND feedbackAt >= ? AND feedbackAt < ?
                """, arguments: [from, to]) {
                gaps.append(GapMessage(text: row["query"], kind: .stillBroken, at: row["feedbackAt"]))
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT subject, number, createdAt FROM ticket WHERE createdAt >= ? AND createdAt < ?
                """, arguments: [from, to]) {
                gaps.append(GapMessage(text: row["subject"], kind: .escalated, at: row["createdAt"], ticketNumber: row["number"]))
            }
            return gaps.sorted { $0.at < $1.at }
        }
    }

    public func tickets(createdFrom from: Date, to: Date) async throws -> [Ticket] {
        try await read { db in
            try Ticket.filter(Column("createdAt") >= from && Column("createdAt") < to).order(Column("createdAt"), Column("id"))
                .fetchAll(db)
        }
    }

    public func reportInput(from: Date, to: Date) async throws -> ReportInput {
        try await read { db in
            let ahead = to.addingTimeInterval(ReportRows.lookAhead)
            let tickets = try Ticket.fetchAll(db, sql: """
                SELECT * FROM ticket
                 WHERE (createdAt < ? AND (status IN ('new', 'open', 'waiting')
                        OR id IN (SELECT ticketID FROM ticketEvent WHERE createdAt >= ?)))
                    OR (createdAt >= ? AND createdAt < ?)
                 ORDER BY id
                """, arguments: [to, from, to, ahead])
            let ids = tickets.compactMap(\.id)
            let events = ids.isEmpty ? [] : try TicketEvent.filter(ids.contains(Column("ticketID"))).fetchAll(db)
            let suggestions = try Suggestion.filter(Column("shownAt") >= from && Column("shownAt") < ahead).fetchAll(db)
            let incidents = try Row.fetchAll(db, sql: """
                SELECT incident.id, (SELECT COUNT(*) FROM incidentLink
                                      WHERE incidentLink.incidentID = incident.id AND unlinkedAt IS NULL) AS affected
                  FROM incident WHERE firstReportAt < ? ORDER BY id
                """, arguments: [to]).compactMap { row -> (Incident, Int, [String])? in
                    guard let incident = try Incident.fetchOne(db, key: row["id"] as Int64) else { return nil }
                    let tickets = try String.fetchAll(db, sql: """
                        SELECT ticket.number FROM incidentLink JOIN ticket ON ticket.id = incidentLink.ticketID
                         WHERE incidentLink.incidentID = ? AND incidentLink.unlinkedAt IS NULL ORDER BY ticket.id
                        """, arguments: [incident.id])
                    return (incident, row["affected"], tickets)
                }
            return ReportRows.input(tickets: tickets, events: events, suggestions: suggestions, incidents: incidents)
        }
    }
}
