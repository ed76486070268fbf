import FirstLineCore
import FirstLineStore
import Foundation
import Hummingbird
import Logging

/// Incidents for agents (issue: outages, point 5): `GET /api/v1/incidents[?open=true]`,
/// `GET /api/v1/incidents/{INC-n}`, and `POST /api/v1/incidents/{INC-n}/confirm` or `/dismiss`
/// for a suspected one. Reading takes `readAllTickets`, deciding `workTickets` (agents and admins).
struct IncidentController {
    let store: any IncidentStore
    let watch: IncidentWatch
    let authenticator: Authenticator
    let clock: any ServerClock

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
        let (id, incident) = try await existing(number)
        return try JSONBody.response(IncidentJSON(incident, linkedTickets: try await store.linkedTickets(incidentID: id)))
    }

    func decide(_ request: Request, _ context: AppRequestContext, number: String?, confirm: Bool) async throws -> Response {
        let principal = try await authenticator.authorize(request, .workTickets)
        let (id, incident) = try await existing(number)
        // The "me too" tickets are found before the decision and linked in its transaction.
        let similar = confirm && incident.status == .suspected ? try await watch.similarTickets(for: incident) : []
        let decided = try await store.decideIncident(id: id, confirm: confirm, by: principal.name, linking: similar,
                                                     at: clock.now())
        context.logger.info(confirm ? "incident confirmed" : "incident dismissed",
                            metadata: ["incident": "\(decided.number)", "agent": "\(principal.name)"])
        return try JSONBody.response(IncidentJSON(decided, linkedTickets: try await store.linkedTickets(incidentID: id)))
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

    init(_ incident: Incident, linkedTickets: [String]? = nil) {
        self.linkedTickets = linkedTickets
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
        if let linkedTickets { try container.encode(linkedTickets, forKey: .linkedTickets) }
    }
}

struct IncidentListJSON: Encodable {
    var incidents: [IncidentJSON]
    var count: Int
}
