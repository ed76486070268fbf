import FirstLineCore
import Foundation
import GRDB

/// What the outage watch needs from the store (issue: outages).
public protocol IncidentStore: Sendable {
    /// Articles shown and tickets opened by employees in `[from, to)`, oldest first: the reports
    /// the spike detector counts. Reports are the rows the turn already writes, so watching for
    /// outages adds no write to an employee's turn.
    func reports(from: Date, to: Date) async throws -> [ReportRow]
    /// When the first report was stored: weeks before it are no evidence of a normal level.
    func firstReportAt() async throws -> Date?
    /// Raises a suspected incident and queues its notice to the agents, in one transaction; nil
    /// (and nothing queued) when the topic already has an open incident. `notice` is given the
    /// stored incident, so the notice can name its number.
    func raiseIncident(_ incident: Incident, at now: Date,
                       notice: @escaping @Sendable (Incident) throws -> [NewOutboxMessage]) async throws -> Incident?
    /// Topics that must not be raised again now: open ones, and ones dismissed since `dismissedSince`.
    func suppressedTopics(dismissedSince: Date) async throws -> Set<String>
    /// Newest first; `open` only: suspected and confirmed.
    func incidents(openOnly: Bool, limit: Int) async throws -> [Incident]
    func incident(id: Int64) async throws -> Incident?
    /// Confirm or dismiss a suspected incident. Only the first decision counts: a second one (by
    /// another agent at the same moment, or on another replica) is an invalid transition.
    /// Confirming links `linking` ("me too" tickets) in the same transaction: those still open and
    /// not linked to another incident, each with a history event.
    func decideIncident(id: Int64, confirm: Bool, by agent: String, linking: [Int64], at now: Date) async throws -> Incident
    /// The numbers of the tickets linked to an incident, in the order they were linked.
    func linkedTickets(incidentID: Int64) async throws -> [String]
}

extension AppDatabase: IncidentStore {
    public func reports(from: Date, to: Date) async throws -> [ReportRow] {
        try await read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT shownAt AS at, employeeID, articleID, NULL AS text, NULL AS ticketID FROM suggestion
                 WHERE shownAt >= ? AND shownAt < ?
                UNION ALL
                SELECT createdAt AS at, requesterID AS employeeID, NULL AS articleID, subject AS text, id AS ticketID FROM ticket
                 WHERE createdAt >= ? AND createdAt < ?
                ORDER BY at
                """, arguments: [from, to, from, to])
            return rows.map { row in
                ReportRow(at: row["at"], employeeID: row["employeeID"], articleID: row["articleID"], text: row["text"],
                          ticketID: row["ticketID"])
            }
        }
    }

    public func firstReportAt() async throws -> Date? {
        try await read { db in
            let first = try Date.fetchOne(db, sql: "SELECT MIN(shownAt) FROM suggestion")
            let ticket = try Date.fetchOne(db, sql: "SELECT MIN(createdAt) FROM ticket")
            return [first, ticket].compactMap { $0 }.min()
        }
    }

    public func raiseIncident(_ incident: Incident, at now: Date,
                              notice: @escaping @Sendable (Incident) throws -> [NewOutboxMessage]) async throws -> Incident? {
        try await write { db in
            let open = try Incident
                .filter(Incident.Columns.topic == incident.topic && Incident.Status.open.contains(Incident.Columns.status))
                .fetchCount(db)
            guard open == 0 else { return nil }
            var raised = incident
            raised.status = .suspected
            raised.raisedAt = now
            try raised.insert(db)
            for message in try notice(raised) { _ = try Self.enqueue(db, message, at: now) }
            return raised
        }
    }

    public func suppressedTopics(dismissedSince: Date) async throws -> Set<String> {
        try await read { db in
            let topics = try String.fetchAll(db, sql: """
                SELECT topic FROM incident WHERE status IN ('suspected', 'confirmed')
                   OR (status = 'dismissed' AND decidedAt >= ?)
                """, arguments: [dismissedSince])
            return Set(topics)
        }
    }

    public func incidents(openOnly: Bool, limit: Int) async throws -> [Incident] {
        try await read { db in
            var request = Incident.order(Incident.Columns.id.desc).limit(max(1, min(limit, 500)))
            if openOnly { request = request.filter(Incident.Status.open.contains(Incident.Columns.status)) }
            return try request.fetchAll(db)
        }
    }

    public func incident(id: Int64) async throws -> Incident? {
        try await read { db in try Incident.fetchOne(db, key: id) }
    }

    public func decideIncident(id: Int64, confirm: Bool, by agent: String, linking: [Int64], at now: Date) async throws -> Incident {
        try await write { db in
            guard var incident = try Incident.fetchOne(db, key: id) else { throw StoreError.notFound(.incident, "INC-\(id)") }
            let target: Incident.Status = confirm ? .confirmed : .dismissed
            guard incident.status == .suspected else {
                throw StoreError.invalidTransition(.incident, id: incident.number, from: incident.status.rawValue,
                                                   to: target.rawValue)
            }
            incident.status = target
            incident.decidedAt = now
            incident.decidedBy = agent
            try incident.update(db)
            if confirm { try Self.link(db, tickets: linking, to: incident, by: agent, at: now) }
            return incident
        }
    }

    public func linkedTickets(incidentID: Int64) async throws -> [String] {
        try await read { db in
            try String.fetchAll(db, sql: """
                SELECT ticket.number FROM incidentLink JOIN ticket ON ticket.id = incidentLink.ticketID
                 WHERE incidentLink.incidentID = ? ORDER BY incidentLink.linkedAt, ticket.id
                """, arguments: [incidentID])
        }
    }

    private static func link(_ db: Database, tickets: [Int64], to incident: Incident, by agent: String, at now: Date) throws {
        let incidentID = try incident.storedID
        for ticketID in Set(tickets).sorted() {
            guard let ticket = try Ticket.fetchOne(db, key: ticketID), TicketStatus.openStatuses.contains(ticket.status),
                  try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM incidentLink WHERE ticketID = ?", arguments: [ticketID]) == 0
            else { continue }
            try db.execute(sql: "INSERT INTO incidentLink (incidentID, ticketID, linkedAt, linkedBy) VALUES (?, ?, ?, ?)",
                           arguments: [incidentID, ticketID, now, agent])
            _ = try TicketEvent(ticketID: ticketID, actor: .agent(agent), kind: .incident, field: "incident",
                                before: nil, after: incident.number, note: "linked to the major incident \(incident.number)",
                                createdAt: now).inserted(db)
        }
    }
}
