import FirstLineCore
import Foundation
import PostgresNIO

extension PostgresStore: IncidentStore {
    public func reports(from: Date, to: Date) async throws -> [ReportRow] {
        try await read { db in
            try await db.all("""
                SELECT shownAt AS at, employeeID, articleID, NULL::text AS text, NULL::bigint AS ticketID FROM suggestion
                 WHERE shownAt >= \(from) AND shownAt < \(to)
                UNION ALL
                SELECT createdAt AS at, requesterID AS employeeID, NULL::text AS articleID, subject AS text, id AS ticketID FROM ticket
                 WHERE createdAt >= \(from) AND createdAt < \(to)
                ORDER BY at
                """) { row in
                let (at, employeeID, articleID, text, ticketID) = try row.decode((Date, Int64, String?, String?, Int64?).self)
                return ReportRow(at: at, employeeID: employeeID, articleID: articleID, text: text, ticketID: ticketID)
            }
        }
    }

    public func firstReportAt() async throws -> Date? {
        try await read { db in
            try await db.first("""
                SELECT LEAST((SELECT MIN(shownAt) FROM suggestion), (SELECT MIN(createdAt) FROM ticket))
                """) { try $0.decode(Date?.self) } ?? nil
        }
    }

    public func raiseIncident(_ incident: Incident, at now: Date,
                              notice: @escaping @Sendable (Incident) throws -> [NewOutboxMessage]) async throws -> Incident? {
        try await write { db in
            // The partial unique index decides between two replicas raising the same topic at once:
            // the loser's insert does nothing, and it queues no notice.
            guard let raised = try await db.first("""
                INSERT INTO incident (topic, status, reporters, reports, normalLevel, firstReportAt, raisedAt)
                VALUES (\(incident.topic), 'suspected', \(incident.reporters), \(incident.reports), \(incident.normalLevel),
                        \(incident.firstReportAt), \(now))
                ON CONFLICT (topic) WHERE status IN ('suspected', 'confirmed') DO NOTHING
                RETURNING \(unescaped: PostgresRows.incidentColumns)
                """, PostgresRows.incident) else { return nil }
            for message in try notice(raised) { _ = try await Self.enqueue(db, message, at: now) }
            return raised
        }
    }

    public func suppressedTopics(dismissedSince: Date) async throws -> Set<String> {
        try await read { db in
            Set(try await db.all("""
                SELECT topic FROM incident WHERE status IN ('suspected', 'confirmed')
                   OR (status = 'dismissed' AND decidedAt >= \(dismissedSince))
                """) { try $0.decode(String.self) })
        }
    }

    public func incidents(openOnly: Bool, limit: Int) async throws -> [Incident] {
        let limit = max(1, min(limit, 500))
        return try await read { db in
            try await db.all("""
                SELECT \(unescaped: PostgresRows.incidentColumns) FROM incident
                 WHERE \(!openOnly) OR status IN ('suspected', 'confirmed')
                 ORDER BY id DESC LIMIT \(limit)
                """, PostgresRows.incident)
        }
    }

    public func incident(id: Int64) async throws -> Incident? {
        try await read { db in
            try await db.first("SELECT \(unescaped: PostgresRows.incidentColumns) FROM incident WHERE id = \(id)",
                               PostgresRows.incident)
        }
    }

    public func decideIncident(id: Int64, confirm: Bool, by agent: String, linking: [Int64], at now: Date) async throws -> Incident {
        let target: Incident.Status = confirm ? .confirmed : .dismissed
        return try await write { db in
            // Only a suspected row changes: of two agents deciding at once, the second finds it decided.
            if let decided = try await db.first("""
                UPDATE incident SET status = \(target.rawValue), decidedAt = \(now), decidedBy = \(agent)
                 WHERE id = \(id) AND status = 'suspected'
                RETURNING \(unescaped: PostgresRows.incidentColumns)
                """, PostgresRows.incident) {
                if confirm { try await Self.link(db, tickets: linking, to: decided, by: agent, at: now) }
                return decided
            }
            guard let current = try await db.first("SELECT \(unescaped: PostgresRows.incidentColumns) FROM incident WHERE id = \(id)",
                                                   PostgresRows.incident) else {
                throw StoreError.notFound(.incident, "INC-\(id)")
            }
            throw StoreError.invalidTransition(.incident, id: current.number, from: current.status.rawValue, to: target.rawValue)
        }
    }

    public func linkedTickets(incidentID: Int64) async throws -> [String] {
        try await read { db in
            try await db.all("""
                SELECT ticket.number FROM incidentLink JOIN ticket ON ticket.id = incidentLink.ticketID
                 WHERE incidentLink.incidentID = \(incidentID) ORDER BY incidentLink.linkedAt, ticket.id
                """) { try $0.decode(String.self) }
        }
    }

    /// Links the open tickets among `tickets` that no incident has yet; `ON CONFLICT` leaves a ticket
    /// another incident took meanwhile where it is.
    private static func link(_ db: PostgresTransaction, tickets: [Int64], to incident: Incident, by agent: String,
                             at now: Date) async throws {
        guard let incidentID = incident.id else { return }
        for ticketID in Set(tickets).sorted() {
            let linked = try await db.first("""
                INSERT INTO incidentLink (incidentID, ticketID, linkedAt, linkedBy)
                SELECT \(incidentID), id, \(now), \(agent) FROM ticket
                 WHERE id = \(ticketID) AND status IN ('new', 'open', 'waiting')
                ON CONFLICT DO NOTHING
                RETURNING ticketID
                """) { try $0.decode(Int64.self) }
            guard linked != nil else { continue }
            try await Self.insertEvent(db, TicketEvent(ticketID: ticketID, actor: .agent(agent), kind: .incident, field: "incident",
                                                       before: nil, after: incident.number,
                                                       note: "linked to the major incident \(incident.number)", createdAt: now))
        }
    }
}
