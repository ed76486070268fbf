import FirstLineCore
import Foundation
import PostgresNIO

extension PostgresStore: IncidentStore {
    public func reports(from: Date, to: Date) async throws -> [ReportRow] {
        try await read { db in
            try await db.all("""
                SELECT shownAt AS at, employeeID, articleID, NULL::text AS text FROM suggestion
                 WHERE shownAt >= \(from) AND shownAt < \(to)
                UNION ALL
                SELECT createdAt AS at, requesterID AS employeeID, NULL::text AS articleID, subject AS text FROM ticket
                 WHERE createdAt >= \(from) AND createdAt < \(to)
                ORDER BY at
                """) { row in
                let (at, employeeID, articleID, text) = try row.decode((Date, Int64, String?, String?).self)
                return ReportRow(at: at, employeeID: employeeID, articleID: articleID, text: text)
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

    public func decideIncident(id: Int64, confirm: Bool, by agent: String, at now: Date) async throws -> Incident {
        let target: Incident.Status = confirm ? .confirmed : .dismissed
        return try await write { db in
            // Only a suspected row changes: of two agents deciding at once, the second finds it decided.
            if let decided = try await db.first("""
                UPDATE incident SET status = \(target.rawValue), decidedAt = \(now), decidedBy = \(agent)
                 WHERE id = \(id) AND status = 'suspected'
                RETURNING \(unescaped: PostgresRows.incidentColumns)
                """, PostgresRows.incident) {
                return decided
            }
            guard let current = try await db.first("SELECT \(unescaped: PostgresRows.incidentColumns) FROM incident WHERE id = \(id)",
                                                   PostgresRows.incident) else {
                throw StoreError.notFound(.incident, "INC-\(id)")
            }
            throw StoreError.invalidTransition(.incident, id: current.number, from: current.status.rawValue, to: target.rawValue)
        }
    }
}
