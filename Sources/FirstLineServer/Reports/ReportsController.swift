import FirstLineCore
import FirstLineStore
import Foundation
import Hummingbird
import NIOCore

/// The managers' numbers outside the browser (issue: console, point 5):
/// `GET /api/v1/reports?from=YYYY-MM-DD&to=YYYY-MM-DD[&tz=Area/City]` (the period and the one of
/// the same length before it) and `GET /api/v1/tickets.csv?from=…&to=…`. Agents and admins.
struct ReportsController {
    let store: any ReportStore
    let authenticator: Authenticator
    let builder: ReportBuilder
    let library: ContentLibrary

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/api/v1/reports") { request, _ in try await report(request) }
        router.get("/api/v1/reports/gaps") { request, _ in try await gaps(request) }
        router.get("/api/v1/tickets.csv") { request, _ in try await ticketsCSV(request) }
        router.get("/api/v1/reports.csv") { request, _ in try await reportCSV(request) }
    }

    func report(_ request: Request) async throws -> Response {
        _ = try await authenticator.authorize(request, .readAllTickets)
        let period = try Self.period(request, defaultTimeZone: builder.timeZone)
        let comparison = try await builder.compare(period)
        return try Self.json(ReportsJSON(period: period, comparison: comparison))
    }

    /// The content-gap report for editors: what the knowledge base did not settle, clustered.
    func gaps(_ request: Request) async throws -> Response {
        _ = try await authenticator.authorize(request, .editKnowledgeBase)
        let period = try Self.period(request, defaultTimeZone: builder.timeZone)
        let messages = try await store.gapMessages(from: period.from, to: period.to)
        let content = try await library.current().content
        let clusters = ContentGaps(tokenizer: content.tokenizer).clusters(messages) { text in
            content.search(text, limit: 3).hits.first { hit in
                if case .article = ContentIndex.target(of: hit) { true } else { false }
            }?.id
        }
        let json = GapsJSON(period: period, messages: messages.count, clusters: clusters)
        return try Self.json(json)
    }

    func ticketsCSV(_ request: Request) async throws -> Response {
        _ = try await authenticator.authorize(request, .readAllTickets)
        let period = try Self.period(request, defaultTimeZone: builder.timeZone)
        let tickets = try await store.tickets(createdFrom: period.from, to: period.to)
        let text = ReportCSV.document(header: TicketCSV.header, rows: tickets.map(TicketCSV.row))
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"tickets.csv\""
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// One report table as CSV: `?table=` one of `ReportCSV.tableNames`, `?period=previous` for the period
    /// before (default `current`). The same cells as `firstline report --format csv`, formula-safe.
    func reportCSV(_ request: Request) async throws -> Response {
        _ = try await authenticator.authorize(request, .readAllTickets)
        let query = request.uri.queryParameters
        let names = ReportCSV.tableNames.joined(separator: ", ")
        guard let name = query.get("table").map { String($0) }, ReportCSV.tableNames.contains(name) else {
            throw AppError.invalidField(field: "table", reason: "must be one of \(names)")
        }
        let which = query.get("period").map { String($0) } ?? "current"
        guard which == "current" || which == "previous" else {
            throw AppError.invalidField(field: "period", reason: "must be current or previous")
        }
        let period = try Self.period(request, defaultTimeZone: builder.timeZone)
        let comparison = try await builder.compare(period)
        let text = ReportCSV.table(name, which == "current" ? comparison.current : comparison.previous) ?? ""
        let range = which == "current" ? (from: period.from, to: period.to) : period.previous
        let days = (ReportPeriod.day(range.from, in: period.timeZone), ReportPeriod.day(range.to.addingTimeInterval(-1), in: period.timeZone))
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"report-\(name)-\(days.0)-\(days.1).csv\""
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func period(_ request: Request, defaultTimeZone: TimeZone) throws -> ReportPeriod {
        let query = request.uri.queryParameters
        guard let from = query.get("from") else { throw AppError.invalidField(field: "from", reason: "required, like 2026-05-01") }
        guard let to = query.get("to") else { throw AppError.invalidField(field: "to", reason: "required, like 2026-05-31") }
        var zone = defaultTimeZone
        if let name = query.get("tz") {
            guard name.count <= 64, let named = TimeZone(identifier: name) else {
                throw AppError.invalidField(field: "tz", reason: "a time zone such as Asia/Seoul")
            }
            zone = named
        }
        do {
            return try ReportPeriod(from: from, to: to, timeZone: zone)
        } catch {
            throw AppError.invalidField(field: error.field, reason: error.description)
        }
    }

    static func json(_ value: some Encodable) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: try ReportBuilder.encoder.encode(value))))
    }
}

/// Reads a period's rows and computes the report for it and for the period before (shared by the
/// API and `firstline report`).
public struct ReportBuilder: Sendable {
    let store: any ReportStore
    public let timeZone: TimeZone
    let policy: DeskPolicy

    public init(store: any ReportStore, timeZone: TimeZone, policy: DeskPolicy) {
        self.store = store
        self.timeZone = timeZone
        self.policy = policy
    }

    public struct Comparison: Sendable {
        public var current: HelpdeskReport
        public var previous: HelpdeskReport
    }

    public func compare(_ period: ReportPeriod) async throws -> Comparison {
        let policy = policy
        var calculator = ReportCalculator(timeZone: period.timeZone) { team in
            team.map { policy.calendar(ofTeam: $0) } ?? .twentyFourSeven(timeZone: .gmt)
        }
        calculator.timeZone = period.timeZone
        let previous = period.previous
        let input = try await store.reportInput(from: previous.from, to: period.to)
        return Comparison(current: calculator.report(input, from: period.from, to: period.to),
                          previous: calculator.report(input, from: previous.from, to: previous.to))
    }

    /// snake_case keys, ISO-8601 dates: the API's style.
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}

/// `GET /api/v1/reports`: both periods and what each figure means.
public struct ReportsJSON: Encodable, Sendable {
    public var from: String
    public var to: String
    public var timeZone: String
    public var current: HelpdeskReport
    public var previous: HelpdeskReport
    public var definitions: [String: String] = ReportsJSON.definitions

    public init(period: ReportPeriod, comparison: ReportBuilder.Comparison) {
        (from, to) = Self.days(period)
        timeZone = period.timeZone.identifier
        current = comparison.current
        previous = comparison.previous
    }

    /// The period's first and last day as written.
    static func days(_ period: ReportPeriod) -> (from: String, to: String) {
        (ReportPeriod.day(period.from, in: period.timeZone), ReportPeriod.day(period.to.addingTimeInterval(-1), in: period.timeZone))
    }

    public static let definitions: [String: String] = [
        "deflection_confirmed": "articles shown in the period on which the employee pressed Solved",
        "deflection_potential": "articles shown with no answer, after which the same employee neither opened a ticket nor was shown another article within 24 hours",
        "reopened": "resolved or closed tickets opened again in the period",
        "first_contact_resolved": "tickets resolved in the period, never reopened, with at most one reply from an agent",
        "first_response": "business minutes on the team's calendar from a ticket's creation to the first agent reply, for first replies in the period",
        "resolution": "business minutes from creation to resolution, for tickets resolved in the period",
        "sla": "of those, the ones without a breach alarm for that target, by the priority at that moment",
        "backlog": "tickets open at the end of each day",
        "intake": "messenger (Slack, Telegram, LINE, LINE WORKS), web (web and terminal chat), phone, visit, other",
    ]
}

/// `GET /api/v1/reports/gaps`.
struct GapsJSON: Encodable {
    var from: String
    var to: String
    var timeZone: String
    var messages: Int
    var clusters: [GapCluster]

    init(period: ReportPeriod, messages: Int, clusters: [GapCluster]) {
        let days = ReportsJSON.days(period)
        from = days.from
        to = days.to
        timeZone = period.timeZone.identifier
        self.messages = messages
        self.clusters = clusters
    }
}

/// The columns of `tickets.csv`.
enum TicketCSV {
    static let header = ["number", "created_at", "channel", "intake", "category", "team", "priority", "status", "assignee",
                         "first_responded_at", "resolved_at", "rating", "subject"]

    static func row(_ ticket: Ticket) -> [String] {
        [ticket.number, ticket.createdAt.formatted(.iso8601), ticket.channel.rawValue, ReportCalculator.intake(ticket.channel),
         ticket.category.rawValue, ticket.team ?? "", ticket.priority.rawValue, ticket.status.rawValue, ticket.assignee ?? "",
         ticket.firstRespondedAt?.formatted(.iso8601) ?? "", ticket.resolvedAt?.formatted(.iso8601) ?? "",
         ticket.rating.map(String.init) ?? "", ticket.subject]
    }
}
