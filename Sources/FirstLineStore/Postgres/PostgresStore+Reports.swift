import FirstLineCore
import Foundation
import PostgresNIO

extension PostgresStore: ReportStore {
    public func gapMessages(from: Date, to: Date) async throws -> [GapMessage] {
        try await read { db in
            var gaps: [GapMessage] = try await db.all("""
                SELECT text, payload, createdAt FROM message
                 WHERE direction = 'in' AND author = 'employee' AND createdAt >= \(from) AND createdAt < \(to)
                   AND (payload LIKE '%"unanswered":true%' OR payload LIKE '%"outOfScope":true%')
                """) { row -> GapMessage? in
                let (text, payload, at) = try row.decode((String, String?, Date).self)
                return ReportRows.gapKind(payload: payload).map { GapMessage(text: text, kind: $0, at: at) }
            }.compactMap { $0 }
            gaps += try await db.all("""
                SELECT query, feedbackAt FROM suggestion
                 WHERE feedback = 'still_broken' AND feedbackAt >= \(from) AND feedbackAt < \(to)
                """) { row in
                let (query, at) = try row.decode((String, Date).self)
                return GapMessage(text: query, kind: .stillBroken, at: at)
            }
            gaps += try await db.all("""
                SELECT subject, number, createdAt FROM ticket WHERE createdAt >= \(from) AND createdAt < \(to)
                """) { row in
                let (subject, number, at) = try row.decode((String, String, Date).self)
                return GapMessage(text: subject, kind: .escalated, at: at, ticketNumber: number)
            }
            return gaps.sorted { $0.at < $1.at }
        }
    }

    public func tickets(createdFrom from: Date, to: Date) async throws -> [Ticket] {
        try await read { db in
            try await db.all("""
                SELECT \(unescaped: PostgresRows.ticketColumns) FROM ticket WHERE createdAt >= \(from) AND createdAt < \(to)
                 ORDER BY createdAt, id
                """, PostgresRows.ticket)
        }
    }

    public func reportInput(from: Date, to: Date) async throws -> ReportInput {
        let ahead = to.addingTimeInterval(ReportRows.lookAhead)
        return try await read { db in
            let tickets = try await db.all("""
                SELECT \(unescaped: PostgresRows.ticketColumns) FROM ticket
                 WHERE (createdAt < \(to) AND (status IN ('new', 'open', 'waiting')
                        OR id IN (SELECT ticketID FROM ticketEvent WHERE createdAt >= \(from))))
                    OR (createdAt >= \(to) AND createdAt < \(ahead))
                 ORDER BY id
                """, PostgresRows.ticket)
            let ids = tickets.compactMap(\.id)
            let events = ids.isEmpty ? [] : try await db.all("""
                SELECT \(unescaped: PostgresRows.ticketEventColumns) FROM ticketEvent WHERE ticketID = ANY(\(ids))
                """, PostgresRows.ticketEvent)
            let suggestions = try await db.all("""
                SELECT \(unescaped: PostgresRows.suggestionColumns) FROM suggestion WHERE shownAt >= \(from) AND shownAt < \(ahead)
                """, PostgresRows.suggestion)
            let incidents = try await db.all("""
                SELECT \(unescaped: PostgresRows.incidentColumns) FROM incident WHERE firstReportAt < \(to) ORDER BY id
                """, PostgresRows.incident)
            let affected = Dictionary(uniqueKeysWithValues: try await db.all("""
                SELECT incidentID, COUNT(*) FROM incidentLink WHERE unlinkedAt IS NULL GROUP BY incidentID
                """) { try $0.decode((Int64, Int64).self) })
            let linked = Dictionary(grouping: try await db.all("""
                SELECT incidentLink.incidentID, ticket.number FROM incidentLink JOIN ticket ON ticket.id = incidentLink.ticketID
                 WHERE incidentLink.unlinkedAt IS NULL ORDER BY ticket.id
                """) { try $0.decode((Int64, String).self) }, by: \.0)
            let counted = incidents.map { ($0, Int(affected[$0.id ?? 0] ?? 0), (linked[$0.id ?? 0] ?? []).map(\.1)) }
            return ReportRows.input(tickets: tickets, events: events, suggestions: suggestions, incidents: counted)
        }
    }
}
