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

    public func activeIncidents() async throws -> [Incident] {
        try await read { db in
            try await db.all("""
                SELECT \(unescaped: PostgresRows.incidentColumns) FROM incident WHERE status = 'confirmed' ORDER BY id
                """, PostgresRows.incident)
        }
    }

    public func declareIncident(topic: String, by agent: String, notice: IncidentNote?, at now: Date) async throws -> Incident {
        let notice = try IncidentRules.stored(notice)?.json()
        return try await write { db in
            guard let declared = try await db.first("""
                INSERT INTO incident (topic, status, reporters, reports, normalLevel, firstReportAt, raisedAt, decidedAt,
                                      decidedBy, notice)
                VALUES (\(topic), 'confirmed', 0, 0, 0, \(now), \(now), \(now), \(agent), \(notice))
                ON CONFLICT (topic) WHERE status IN ('suspected', 'confirmed') DO NOTHING
                RETURNING \(unescaped: PostgresRows.incidentColumns)
                """, PostgresRows.incident) else {
                let open = try await db.first("""
                    SELECT id FROM incident WHERE topic = \(topic) AND status IN ('suspected', 'confirmed')
                    """) { try $0.decode(Int64.self) }
                throw StoreError.duplicate(.incident, "INC-\(open ?? 0) (\(topic))")
            }
            return declared
        }
    }

    public func setIncidentNotice(id: Int64, notice: IncidentNote?, at now: Date) async throws -> Incident {
        let json = try IncidentRules.stored(notice)?.json()
        return try await write { db in
            let incident = try await Self.existingIncident(db, id: id, forUpdate: true)
            try IncidentRules.requireConfirmed(incident, to: "noticed")
            try await db.execute("UPDATE incident SET notice = \(json) WHERE id = \(id)")
            return try await Self.existingIncident(db, id: id, forUpdate: false)
        }
    }

    public func resolveIncident(id: Int64, note: IncidentNote?, by agent: String, at now: Date) async throws -> Incident {
        let json = try IncidentRules.stored(note)?.json()
        return try await write { db in
            let incident = try await Self.existingIncident(db, id: id, forUpdate: true)
            try IncidentRules.requireConfirmed(incident, to: Incident.Status.resolved.rawValue)
            try await db.execute("""
                UPDATE incident SET status = 'resolved', resolvedAt = \(now), resolvedBy = \(agent), resolutionNote = \(json)
                 WHERE id = \(id)
                """)
            return try await Self.existingIncident(db, id: id, forUpdate: false)
        }
    }

    public func linkTicket(incidentID: Int64, ticketNumber: String, by agent: String, at now: Date) async throws -> IncidentLink {
        try await write { db in
            let incident = try await Self.existingIncident(db, id: incidentID, forUpdate: true)
            try IncidentRules.requireConfirmed(incident, to: "linked")
            guard let (ticketID, status) = try await db.first("""
                SELECT id, status FROM ticket WHERE number = \(ticketNumber)
                """, { try $0.decode((Int64, String).self) }) else {
                throw StoreError.notFound(.ticket, ticketNumber)
            }
            guard let ticketStatus = TicketStatus(rawValue: status), TicketStatus.openStatuses.contains(ticketStatus) else {
                throw StoreError.invalidTransition(.ticket, id: ticketNumber, from: status, to: "linked")
            }
            if let other = try await db.first("SELECT incidentID FROM incidentLink WHERE ticketID = \(ticketID)",
                                              { try $0.decode(Int64.self) }) {
                throw StoreError.duplicate(.incident, "\(ticketNumber) is linked to INC-\(other)")
            }
            guard try await Self.link(db, tickets: [ticketID], to: incident, by: agent, at: now) == 1,
                  let link = try await db.first("""
                    SELECT \(unescaped: PostgresRows.incidentLinkColumns) FROM incidentLink WHERE ticketID = \(ticketID)
                    """, PostgresRows.incidentLink) else {
                throw StoreError.duplicate(.incident, "\(ticketNumber)'s conversation is linked to \(incident.number)")
            }
            return link
        }
    }

    public func incidentLinks(incidentID: Int64) async throws -> [IncidentLink] {
        try await read { db in
            try await db.all("""
                SELECT \(unescaped: PostgresRows.incidentLinkColumns) FROM incidentLink
                 WHERE incidentID = \(incidentID) ORDER BY linkedAt, id
                """, PostgresRows.incidentLink)
        }
    }

    public func pendingIncidentBroadcasts(limit: Int) async throws -> [PendingIncidentBroadcast] {
        let limit = max(1, min(limit, 1000))
        return try await read { db in
            try await db.all("""
                SELECT l.id, l.incidentID, l.conversationID, l.ticketID, l.text, l.linkedAt, l.linkedBy, l.unlinkedAt,
                       l.notifiedAt, ticket.number
                  FROM incidentLink l JOIN incident ON incident.id = l.incidentID LEFT JOIN ticket ON ticket.id = l.ticketID
                 WHERE incident.status = 'resolved' AND l.unlinkedAt IS NULL AND l.notifiedAt IS NULL
                 ORDER BY l.id LIMIT \(limit)
                """) { row in
                let (id, incidentID, conversationID, ticketID, text, linkedAt, linkedBy, unlinkedAt, notifiedAt, number) =
                    try row.decode((Int64, Int64, Int64?, Int64?, String?, Date, String, Date?, Date?, String?).self)
                return PendingIncidentBroadcast(
                    link: IncidentLink(id: id, incidentID: incidentID, conversationID: conversationID, ticketID: ticketID,
                                       text: text, linkedAt: linkedAt, linkedBy: linkedBy, unlinkedAt: unlinkedAt,
                                       notifiedAt: notifiedAt),
                    ticketNumber: number)
            }
        }
    }

    public func markIncidentLinkNotified(id: Int64, at now: Date) async throws {
        try await write { db in
            try await db.execute("UPDATE incidentLink SET notifiedAt = \(now) WHERE id = \(id) AND notifiedAt IS NULL")
        }
    }

    public func incidentNumber(announcedIn conversationKey: String, platformMessageID: String) async throws -> String? {
        try await read { db in
            try await db.first("""
                SELECT idempotencyKey FROM outbox
                 WHERE conversationKey = \(conversationKey) AND platformMessageID = \(platformMessageID)
                   AND idempotencyKey LIKE 'incident:%:suspected'
                """) { try $0.decode(String.self) }.flatMap(NoticeKey.suspectedIncident(inKey:))
        }
    }

    static func existingIncident(_ db: PostgresTransaction, id: Int64, forUpdate: Bool) async throws -> Incident {
        let lock = forUpdate ? " FOR UPDATE" : ""
        guard let incident = try await db.first("""
            SELECT \(unescaped: PostgresRows.incidentColumns) FROM incident WHERE id = \(id)\(unescaped: lock)
            """, PostgresRows.incident) else { throw StoreError.notFound(.incident, "INC-\(id)") }
        return incident
    }

    /// A turn's incident changes, as `AppDatabase.applyIncidentChanges` makes them.
    static func applyIncidentChanges(_ db: PostgresTransaction, _ turn: TurnCommit) async throws {
        if let report = turn.incidentReport, let id = Incident.id(fromNumber: report.incidentNumber) {
            try await db.execute("""
                INSERT INTO incidentLink (incidentID, conversationID, text, linkedAt, linkedBy)
                SELECT id, \(turn.conversationID), \(report.text), \(turn.now), 'bot' FROM incident
                 WHERE id = \(id) AND status = 'confirmed'
                ON CONFLICT (incidentID, conversationID) DO UPDATE SET unlinkedAt = NULL
                """)
        }
        if let number = turn.incidentUnlink, let id = Incident.id(fromNumber: number) {
            try await db.execute("""
                UPDATE incidentLink SET unlinkedAt = \(turn.now)
                 WHERE incidentID = \(id) AND conversationID = \(turn.conversationID) AND unlinkedAt IS NULL
                """)
        }
        if let linkID = turn.incidentNotified {
            let told = try await db.first("""
                UPDATE incidentLink SET notifiedAt = \(turn.now) WHERE id = \(linkID) AND notifiedAt IS NULL RETURNING id
                """) { try $0.decode(Int64.self) }
            guard told != nil else {
                throw StoreError.invalidTransition(.incident, id: "link \(linkID)", from: "told", to: "told")
            }
        }
    }

    /// Links the open tickets among `tickets` that no incident has yet, each with a history event;
    /// returns how many. `ON CONFLICT` leaves a ticket another incident took meanwhile where it is,
    /// and puts the ticket on its conversation's report row when that is linked already.
    @discardableResult
    private static func link(_ db: PostgresTransaction, tickets: [Int64], to incident: Incident, by agent: String,
                             at now: Date) async throws -> Int {
        guard let incidentID = incident.id else { return 0 }
        var count = 0
        for ticketID in Set(tickets).sorted() {
            if try await db.first("SELECT 1 FROM incidentLink WHERE ticketID = \(ticketID)", { try $0.decode(Int.self) }) != nil {
                continue
            }
            let linked = try await db.first("""
                INSERT INTO incidentLink (incidentID, conversationID, ticketID, linkedAt, linkedBy)
                SELECT \(incidentID), conversationID, id, \(now), \(agent) FROM ticket
                 WHERE id = \(ticketID) AND status IN ('new', 'open', 'waiting')
                ON CONFLICT (incidentID, conversationID) DO UPDATE SET ticketID = excluded.ticketID, unlinkedAt = NULL
                 WHERE incidentLink.ticketID IS NULL
                RETURNING ticketID
                """) { try $0.decode(Int64?.self) }
            guard linked != nil else { continue }
            count += 1
            try await Self.insertEvent(db, TicketEvent(ticketID: ticketID, actor: .agent(agent), kind: .incident, field: "incident",
                                                       before: nil, after: incident.number,
                                                       note: "linked to the major incident \(incident.number)", createdAt: now))
        }
        return count
    }
}
