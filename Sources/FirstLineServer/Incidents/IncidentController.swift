import FirstLineCore
import FirstLineStore
import Foundation
import Hummingbird
import Logging

/// Incidents for agents (issue: outages, point 5): `GET /api/v1/incidents[?open=true]`,
/// `POST /api/v1/incidents` (declared by an agent), `GET /api/v1/incidents/{INC-n}`,
/// `POST …/confirm` or `/dismiss` for a suspected one, `POST …/resolve` and `POST …/link` for a
/// confirmed one, `PUT` / `DELETE …/notice` for its known-issue notice. Reading takes
/// `readAllTickets`, changing `workTickets` (agents and admins).
struct IncidentController {
    let store: any IncidentStore
    let watch: IncidentWatch
    let authenticator: Authenticator
    let clock: any ServerClock
    let library: ContentLibrary
    /// Wakes the incident worker, whose pass tells the linked employees after a resolution.
    let broadcast: WakeUp

    static let bodyLimit = 16 * 1024
    /// A notice is read in a chat bubble: a few sentences, not an article.
    static let noticeLimit = 1000

    func addRoutes(to router: Hummingbird.Router<AppRequestContext>) {
        router.get("/api/v1/incidents") { request, _ in try await list(request) }
        router.get("/api/v1/incidents/{number}") { request, context in
            try await detail(request, number: context.parameters.get("number"))
        }
        router.post("/api/v1/incidents/{number}/confirm") { request, context in
            try await decide(request, context, number: context.parameters.get("number"), confirm: true)
        }
        router.post("/api/v1/incidents/{number}/dismiss") { request, context in
            try await decide(request, context, number: context.parameters.get("number"), confirm: false)
        }
        router.post("/api/v1/incidents") { request, context in try await declare(request, context) }
        router.post("/api/v1/incidents/{number}/resolve") { request, context in
            try await resolve(request, context, number: context.parameters.get("number"))
        }
        router.post("/api/v1/incidents/{number}/link") { request, context in
            try await link(request, context, number: context.parameters.get("number"))
        }
        router.put("/api/v1/incidents/{number}/notice") { request, context in
            try await notice(request, context, number: context.parameters.get("number"), ending: false)
        }
        router.delete("/api/v1/incidents/{number}/notice") { request, context in
            try await notice(request, context, number: context.parameters.get("number"), ending: true)
        }
    }

    func declare(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let principal = try await authenticator.authorize(request, .workTickets)
        let body = try await JSONBody.decode(DeclareBody.self, from: request, limit: Self.bodyLimit)
        let topic = try await topic(of: body)
        let declared = try await store.declareIncident(topic: topic.description, by: principal.name,
                                                       notice: try body.notice.map(Self.checked), at: clock.now())
        context.logger.info("incident declared", metadata: ["incident": "\(declared.number)", "agent": "\(principal.name)"])
        return try JSONBody.response(try await json(declared), status: .created)
    }

    func resolve(_ request: Request, _ context: AppRequestContext, number: String?) async throws -> Response {
        let principal = try await authenticator.authorize(request, .workTickets)
        let (id, _) = try await existing(number)
        let body = try await JSONBody.decode(ResolveBody.self, from: request, limit: Self.bodyLimit)
        let resolved = try await store.resolveIncident(id: id, note: try body.note.map(Self.checked), by: principal.name,
                                                       at: clock.now())
        context.logger.info("incident resolved", metadata: ["incident": "\(resolved.number)", "agent": "\(principal.name)"])
        await broadcast.signal()
        return try JSONBody.response(try await json(resolved))
    }

    func link(_ request: Request, _ context: AppRequestContext, number: String?) async throws -> Response {
        let principal = try await authenticator.authorize(request, .workTickets)
        let (id, _) = try await existing(number)
        let body = try await JSONBody.decode(LinkBody.self, from: request, limit: Self.bodyLimit)
        let ticket = body.ticket.trimmingCharacters(in: .whitespaces)
        guard !ticket.isEmpty, ticket.count <= 32 else { throw AppError.invalidField(field: "ticket", reason: "a ticket number") }
        _ = try await store.linkTicket(incidentID: id, ticketNumber: ticket, by: principal.name, at: clock.now())
        guard let incident = try await store.incident(id: id) else { throw AppError.notFound("incident \(id)") }
        return try JSONBody.response(try await json(incident))
    }

    func notice(_ request: Request, _ context: AppRequestContext, number: String?, ending: Bool) async throws -> Response {
        let principal = try await authenticator.authorize(request, .workTickets)
        let (id, _) = try await existing(number)
        let note = ending ? nil : try Self.checked(try await JSONBody.decode(IncidentNoteBody.self, from: request,
                                                                              limit: Self.bodyLimit))
        if !ending, note?.isEmpty ?? true {
            throw AppError.invalidField(field: "notice", reason: "write it in at least one of ko, ja, en")
        }
        let updated = try await store.setIncidentNotice(id: id, notice: note, at: clock.now())
        context.logger.info(ending ? "incident notice ended" : "incident notice written",
                            metadata: ["incident": "\(updated.number)", "agent": "\(principal.name)"])
        return try JSONBody.response(try await json(updated))
    }

    /// `{"article": "vpn-connect"}` (an article that exists) or `{"term": "SAP"}` (one distinctive word).
    private func topic(of body: DeclareBody) async throws -> IncidentTopic {
        switch (body.article, body.term) {
        case let (article?, nil):
            let content = try await library.current().content
            guard Language.allCases.contains(where: { content.article(id: article, language: $0) != nil }) else {
                throw AppError.invalidField(field: "article", reason: "no article \(article.prefix(100))")
            }
            return .article(article)
        case let (nil, term?):
            let words = DistinctiveWords().words(of: term)
            guard words.count == 1, let word = words.first else {
                throw AppError.invalidField(field: "term", reason: "one distinctive word, such as a system's name")
            }
            return .term(word)
        default:
            throw AppError.invalidField(field: "article", reason: "give either article or term")
        }
    }

    /// The languages' texts trimmed, each within the limit.
    static func checked(_ body: IncidentNoteBody) throws -> IncidentNote {
        func text(_ value: String?, _ field: String) throws -> String? {
            guard let value = value?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
            guard value.count <= noticeLimit else {
                throw AppError.invalidField(field: field, reason: "at most \(noticeLimit) characters")
            }
            return value
        }
        return IncidentNote(ko: try text(body.ko, "ko"), ja: try text(body.ja, "ja"), en: try text(body.en, "en"))
    }

    private func json(_ incident: Incident) async throws -> IncidentJSON {
        guard let id = incident.id else { return IncidentJSON(incident) }
        return IncidentJSON(incident, linkedTickets: try await store.linkedTickets(incidentID: id),
                            links: try await store.incidentLinks(incidentID: id))
    }

    func list(_ request: Request) async throws -> Response {
        _ = try await authenticator.authorize(request, .readAllTickets)
        let openOnly: Bool
        switch request.uri.queryParameters.get("open") {
        case nil, "false": openOnly = false
        case "true": openOnly = true
        case let other?: throw AppError.invalidField(field: "open", reason: "must be true or false, not \(other.prefix(20))")
        }
        let incidents = try await store.incidents(openOnly: openOnly, limit: 200).map { IncidentJSON($0) }
        return try JSONBody.response(IncidentListJSON(incidents: incidents, count: incidents.count))
    }

    func detail(_ request: Request, number: String?) async throws -> Response {
        _ = try await authenticator.authorize(request, .readAllTickets)
        let (_, incident) = try await existing(number)
        return try JSONBody.response(try await json(incident))
    }

    func decide(_ request: Request, _ context: AppRequestContext, number: String?, confirm: Bool) async throws -> Response {
        let principal = try await authenticator.authorize(request, .workTickets)
        let (_, incident) = try await existing(number)
        let decided = try await watch.decide(incident, confirm: confirm, by: principal.name)
        context.logger.info(confirm ? "incident confirmed" : "incident dismissed",
                            metadata: ["incident": "\(decided.number)", "agent": "\(principal.name)"])
        return try JSONBody.response(try await json(decided))
    }

    private func existing(_ number: String?) async throws -> (id: Int64, incident: Incident) {
        guard let number, let id = Incident.id(fromNumber: number), let incident = try await store.incident(id: id) else {
            throw AppError.notFound("incident \((number ?? "").prefix(32))")
        }
        return (id, incident)
    }
}

/// One incident as the API writes it (snake_case keys, nulls written out).
struct IncidentJSON: Encodable {
    var number: String
    var topic: String
    var status: String
    var reporters: Int
    var reports: Int
    var normalLevel: Double
    var firstReportAt: String?
    var raisedAt: String?
    var decidedAt: String?
    var decidedBy: String?
    var resolvedAt: String?
    /// Ticket numbers linked as "me too"; nil in lists (read one incident for them).
    var linkedTickets: [String]?
    var notice: IncidentNote?
    var resolutionNote: IncidentNote?
    var resolvedBy: String?
    /// Employees linked now (reports and tickets, not those who said "something else"); nil in lists.
    var affected: Int?
    /// Reports linked in the chat without a ticket; nil in lists.
    var linkedReports: Int?
    /// Linked employees told it is fixed; nil in lists.
    var told: Int?

    init(_ incident: Incident, linkedTickets: [String]? = nil, links: [IncidentLink]? = nil) {
        self.linkedTickets = linkedTickets
        notice = incident.notice
        resolutionNote = incident.resolutionNote
        resolvedBy = incident.resolvedBy
        if let links {
            let current = links.filter { $0.unlinkedAt == nil }
            affected = current.count
            linkedReports = current.filter { $0.ticketID == nil }.count
            told = current.filter { $0.notifiedAt != nil }.count
        }
        number = incident.number
        topic = incident.topic
        status = incident.status.rawValue
        reporters = incident.reporters
        reports = incident.reports
        normalLevel = (incident.normalLevel * 100).rounded() / 100
        firstReportAt = apiTimestamp(incident.firstReportAt)
        raisedAt = apiTimestamp(incident.raisedAt)
        decidedAt = apiTimestamp(incident.decidedAt)
        decidedBy = incident.decidedBy
        resolvedAt = apiTimestamp(incident.resolvedAt)
    }

    enum CodingKeys: String, CodingKey {
        case number, topic, status, reporters, reports
        case normalLevel = "normal_level", firstReportAt = "first_report_at", raisedAt = "raised_at"
        case decidedAt = "decided_at", decidedBy = "decided_by", resolvedAt = "resolved_at"
        case linkedTickets = "linked_tickets"
        case notice, resolutionNote = "resolution_note", resolvedBy = "resolved_by"
        case affected, linkedReports = "linked_reports", told
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(number, forKey: .number)
        try container.encode(topic, forKey: .topic)
        try container.encode(status, forKey: .status)
        try container.encode(reporters, forKey: .reporters)
        try container.encode(reports, forKey: .reports)
        try container.encode(normalLevel, forKey: .normalLevel)
        try container.encode(firstReportAt, forKey: .firstReportAt)
        try container.encode(raisedAt, forKey: .raisedAt)
        try container.encode(decidedAt, forKey: .decidedAt)
        try container.encode(decidedBy, forKey: .decidedBy)
        try container.encode(resolvedAt, forKey: .resolvedAt)
        try container.encode(notice, forKey: .notice)
        try container.encode(resolutionNote, forKey: .resolutionNote)
        try container.encode(resolvedBy, forKey: .resolvedBy)
        if let linkedTickets { try container.encode(linkedTickets, forKey: .linkedTickets) }
        if let affected { try container.encode(affected, forKey: .affected) }
        if let linkedReports { try container.encode(linkedReports, forKey: .linkedReports) }
        if let told { try container.encode(told, forKey: .told) }
    }
}

/// `POST /api/v1/incidents`.
struct DeclareBody: Decodable {
    var article: String?
    var term: String?
    var notice: IncidentNoteBody?
}

/// `{"ko": …, "ja": …, "en": …}`: a notice or a resolution note; any language may be left out.
struct IncidentNoteBody: Decodable {
    var ko: String?
    var ja: String?
    var en: String?
}

struct ResolveBody: Decodable {
    var note: IncidentNoteBody?
}

struct LinkBody: Decodable {
    var ticket: String
}

struct IncidentListJSON: Encodable {
    var incidents: [IncidentJSON]
    var count: Int
}
