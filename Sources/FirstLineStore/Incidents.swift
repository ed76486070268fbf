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

    /// Confirmed incidents, oldest first: what the dialogue engine links matching reports to.
    func activeIncidents() async throws -> [Incident]
    /// An incident an agent declares without waiting for the detector: confirmed at once. A topic
    /// that already has an open incident is a duplicate.
    func declareIncident(topic: String, by agent: String, notice: IncidentNote?, at now: Date) async throws -> Incident
    /// Writes (or, with nil, ends) the known-issue notice of a confirmed incident.
    func setIncidentNotice(id: Int64, notice: IncidentNote?, at now: Date) async throws -> Incident
    /// Resolves a confirmed incident. The broadcast to its linked employees follows from the links
    /// not yet told (`pendingIncidentBroadcasts`), so it resumes after a restart.
    func resolveIncident(id: Int64, note: IncidentNote?, by agent: String, at now: Date) async throws -> Incident
    /// Links one open ticket to a confirmed incident by hand; a ticket linked elsewhere is a duplicate.
    func linkTicket(incidentID: Int64, ticketNumber: String, by agent: String, at now: Date) async throws -> IncidentLink
    /// Every link of the incident, unlinked ones too, in the order they were made.
    func incidentLinks(incidentID: Int64) async throws -> [IncidentLink]
    /// Links of resolved incidents whose employee has not been told yet, oldest first.
    func pendingIncidentBroadcasts(limit: Int) async throws -> [PendingIncidentBroadcast]
    /// A link without a conversation to tell (a phone ticket): marked told once its ticket is resolved.
    func markIncidentLinkNotified(id: Int64, at now: Date) async throws
    /// The incident whose suspected-incident post in the agents' channel has this platform id.
    func incidentNumber(announcedIn conversationKey: String, platformMessageID: String) async throws -> String?
}

extension NoticeKey {
    /// The incident number in a suspected-incident notice's key (`incident:INC-3:suspected`).
    static func suspectedIncident(inKey key: String) -> String? {
        let parts = key.split(separator: ":")
        guard parts.count == 3, parts[0] == "incident", parts[2] == "suspected" else { return nil }
        return String(parts[1])
    }
}

/// A link whose employee is still to be told the incident is fixed, with its ticket's number.
public struct PendingIncidentBroadcast: Sendable, Equatable {
    public var link: IncidentLink
    public var ticketNumber: String?

    public init(link: IncidentLink, ticketNumber: String?) {
        self.link = link
        self.ticketNumber = ticketNumber
    }
}

/// The checks every store makes before an incident changes, one place for SQLite and PostgreSQL.
enum IncidentRules {
    static func requireConfirmed(_ incident: Incident, to target: String) throws {
        guard incident.status == .confirmed else {
            throw StoreError.invalidTransition(.incident, id: incident.number, from: incident.status.rawValue, to: target)
        }
    }

    /// An empty notice is no notice.
    static func stored(_ note: IncidentNote?) -> IncidentNote? {
        guard let note, !note.isEmpty else { return nil }
        return note
    }
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

    public func activeIncidents() async throws -> [Incident] {
        try await read { db in
            try Incident.filter(Incident.Columns.status == Incident.Status.confirmed).order(Incident.Columns.id).fetchAll(db)
        }
    }

    public func declareIncident(topic: String, by agent: String, notice: IncidentNote?, at now: Date) async throws -> Incident {
        try await write { db in
            let open = try Incident
                .filter(Incident.Columns.topic == topic && Incident.Status.open.contains(Incident.Columns.status))
                .fetchOne(db)
            if let open { throw StoreError.duplicate(.incident, "\(open.number) (\(topic))") }
            var incident = Incident(topic: topic, status: .confirmed, reporters: 0, reports: 0, normalLevel: 0,
                                    firstReportAt: now, raisedAt: now, decidedAt: now, decidedBy: agent,
                                    notice: IncidentRules.stored(notice))
            try incident.insert(db)
            return incident
        }
    }

    public func setIncidentNotice(id: Int64, notice: IncidentNote?, at now: Date) async throws -> Incident {
        try await write { db in
            var incident = try Self.existingIncident(db, id: id)
            try IncidentRules.requireConfirmed(incident, to: "noticed")
            incident.notice = IncidentRules.stored(notice)
            try incident.update(db)
            return incident
        }
    }

    public func resolveIncident(id: Int64, note: IncidentNote?, by agent: String, at now: Date) async throws -> Incident {
        try await write { db in
            var incident = try Self.existingIncident(db, id: id)
            try IncidentRules.requireConfirmed(incident, to: Incident.Status.resolved.rawValue)
            incident.status = .resolved
            incident.resolvedAt = now
            incident.resolvedBy = agent
            incident.resolutionNote = IncidentRules.stored(note)
            try incident.update(db)
            return incident
        }
    }

    public func linkTicket(incidentID: Int64, ticketNumber: String, by agent: String, at now: Date) async throws -> IncidentLink {
        try await write { db in
            let incident = try Self.existingIncident(db, id: incidentID)
            try IncidentRules.requireConfirmed(incident, to: "linked")
            guard let ticket = try Ticket.filter(Column("number") == ticketNumber).fetchOne(db), let ticketID = ticket.id else {
                throw StoreError.notFound(.ticket, ticketNumber)
            }
            guard TicketStatus.openStatuses.contains(ticket.status) else {
                throw StoreError.invalidTransition(.ticket, id: ticketNumber, from: ticket.status.rawValue, to: "linked")
            }
            if let other = try IncidentLink.filter(Column("ticketID") == ticketID).fetchOne(db) {
                throw StoreError.duplicate(.incident, "\(ticketNumber) is linked to INC-\(other.incidentID)")
            }
            guard try Self.link(db, tickets: [ticketID], to: incident, by: agent, at: now) == 1,
                  let link = try IncidentLink.filter(Column("ticketID") == ticketID).fetchOne(db) else {
                // The same conversation is linked already (its report, or another of its tickets).
                throw StoreError.duplicate(.incident, "\(ticketNumber)'s conversation is linked to \(incident.number)")
            }
            return link
        }
    }

    public func incidentLinks(incidentID: Int64) async throws -> [IncidentLink] {
        try await read { db in
            try IncidentLink.filter(Column("incidentID") == incidentID).order(Column("linkedAt"), Column("id")).fetchAll(db)
        }
    }

    public func pendingIncidentBroadcasts(limit: Int) async throws -> [PendingIncidentBroadcast] {
        try await read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT incidentLink.*, ticket.number AS ticketNumber FROM incidentLink
                  JOIN incident ON incident.id = incidentLink.incidentID
                  LEFT JOIN ticket ON ticket.id = incidentLink.ticketID
                 WHERE incident.status = 'resolved' AND incidentLink.unlinkedAt IS NULL AND incidentLink.notifiedAt IS NULL
                 ORDER BY incidentLink.id LIMIT ?
                """, arguments: [max(1, min(limit, 1000))])
            return try rows.map { row in PendingIncidentBroadcast(link: try IncidentLink(row: row), ticketNumber: row["ticketNumber"]) }
        }
    }

    public func markIncidentLinkNotified(id: Int64, at now: Date) async throws {
        try await write { db in
            try db.execute(sql: "UPDATE incidentLink SET notifiedAt = ? WHERE id = ? AND notifiedAt IS NULL",
                           arguments: [now, id])
        }
    }

    public func incidentNumber(announcedIn conversationKey: String, platformMessageID: String) async throws -> String? {
        try await read { db in
            try String.fetchOne(db, sql: """
                SELECT idempotencyKey FROM outbox
                 WHERE conversationKey = ? AND platformMessageID = ? AND idempotencyKey LIKE 'incident:%:suspected'
                """, arguments: [conversationKey, platformMessageID]).flatMap(NoticeKey.suspectedIncident(inKey:))
        }
    }

    static func existingIncident(_ db: Database, id: Int64) throws -> Incident {
        guard let incident = try Incident.fetchOne(db, key: id) else { throw StoreError.notFound(.incident, "INC-\(id)") }
        return incident
    }

    /// A turn's incident changes: a report linked, a conversation unlinked, a link told it is fixed.
    static func applyIncidentChanges(_ db: Database, _ turn: TurnCommit) throws {
        if let report = turn.incidentReport, let id = Incident.id(fromNumber: report.incidentNumber) {
            // An incident resolved between the read and this turn takes no new report: the employee
            // was told it is known, and the next message finds it fixed.
            let confirmed = try Incident.fetchOne(db, key: id)?.status == .confirmed
            if confirmed {
                try db.execute(sql: """
                    INSERT INTO incidentLink (incidentID, conversationID, text, linkedAt, linkedBy) VALUES (?, ?, ?, ?, 'bot')
                    ON CONFLICT (incidentID, conversationID) DO UPDATE SET unlinkedAt = NULL
                    """, arguments: [id, turn.conversationID, report.text, turn.now])
            }
        }
        if let number = turn.incidentUnlink, let id = Incident.id(fromNumber: number) {
            try db.execute(sql: """
                UPDATE incidentLink SET unlinkedAt = ? WHERE incidentID = ? AND conversationID = ? AND unlinkedAt IS NULL
                """, arguments: [turn.now, id, turn.conversationID])
        }
        if let linkID = turn.incidentNotified {
            try db.execute(sql: "UPDATE incidentLink SET notifiedAt = ? WHERE id = ? AND notifiedAt IS NULL",
                           arguments: [turn.now, linkID])
            guard db.changesCount == 1 else {
                throw StoreError.invalidTransition(.incident, id: "link \(linkID)", from: "told", to: "told")
            }
        }
    }

    /// Links the open tickets among `tickets` that no incident has yet, each with a history event;
    /// returns how many it linked. A conversation linked already (its report) takes the ticket on its row.
    @discardableResult
    private static func link(_ db: Database, tickets: [Int64], to incident: Incident, by agent: String, at now: Date) throws -> Int {
        let incidentID = try incident.storedID
        var linked = 0
        for ticketID in Set(tickets).sorted() {
            guard let ticket = try Ticket.fetchOne(db, key: ticketID), TicketStatus.openStatuses.contains(ticket.status),
                  try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM incidentLink WHERE ticketID = ?", arguments: [ticketID]) == 0
            else { continue }
            try db.execute(sql: """
                INSERT INTO incidentLink (incidentID, conversationID, ticketID, linkedAt, linkedBy) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (incidentID, conversationID) DO UPDATE SET ticketID = excluded.ticketID, unlinkedAt = NULL
                 WHERE incidentLink.ticketID IS NULL
                """, arguments: [incidentID, ticket.conversationID, ticketID, now, agent])
            guard db.changesCount == 1 else { continue }
            linked += 1
            _ = try TicketEvent(ticketID: ticketID, actor: .agent(agent), kind: .incident, field: "incident",
                                before: nil, after: incident.number, note: "linked to the major incident \(incident.number)",
                                createdAt: now).inserted(db)
        }
        return linked
    }
}
