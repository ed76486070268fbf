import FirstLineCore
import FirstLineStore
import Foundation
import HTTPTypes
import Hummingbird

/// The server-rendered console (issue: console, points 1–4): sign-in with a session cookie,
/// the agents' queue and ticket pages with their forms, the managers' reports and the editors'
/// content gaps, in Korean, Japanese and English, dates in the viewer's time zone. Every form
/// carries the session's CSRF token; every action goes through the same services as the API.
struct ConsoleController {
    let store: any HelpdeskStore
    let sessions: ConsoleSessions
    let renderer: ConsoleRenderer
    let conversations: ConversationService
    let desk: TicketDesk
    let reports: ReportBuilder
    let library: ContentLibrary
    let incidents: IncidentWatch
    let clock: any ServerClock
    /// The agents' API, whose checks the ticket controls and the intake form reuse, so a change made in
    /// the console is refused or recorded exactly as the same change through the API.
    let agents: AgentController
    let policy: DeskPolicy

    static let loginCookie = "fl_login"
    static let languageCookie = "fl_lang"

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/console/assets/pages.css") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/css; charset=utf-8"
            headers[.cacheControl] = "max-age=3600"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: ConsoleRenderer.stylesheet)))
        }
        router.get("/console/login") { request, _ in try await loginPage(request, error: nil) }
        router.post("/console/login") { request, _ in try await login(request) }
        router.post("/console/logout") { request, _ in try await logout(request) }
        router.get("/console/queue") { request, _ in try await queue(request) }
        router.get("/console/tickets/{number}") { request, context in
            try await ticket(request, number: context.parameters.get("number") ?? "")
        }
        for action in ["reply", "note", "resolve", "claim", "approve", "reject"] {
            router.post("/console/tickets/{number}/\(action)") { request, context in
                try await work(request, number: context.parameters.get("number") ?? "", action: action)
            }
        }
        router.post("/console/incidents/{number}/{decision}") { request, context in
            try await decideIncident(request, number: context.parameters.get("number") ?? "",
                                     decision: context.parameters.get("decision") ?? "")
        }
        router.get("/console/reports") { request, _ in try await reportsPage(request, gaps: false) }
        router.get("/console/gaps") { request, _ in try await reportsPage(request, gaps: true) }
        addTicketRoutes(to: router)
        addIntakeRoutes(to: router)
        addLiveRoutes(to: router)
        addCSVRoutes(to: router)
    }

    // MARK: - Sign-in

    func loginPage(_ request: Request, error: String?) async throws -> Response {
        let language = language(request)
        let text = ConsoleText(language: language)
        let loginCSRF = ConsoleSessions.randomToken()
        var values = base(request, language: language, signed: nil, title: text["signIn"], current: "")
        values["loginCSRF"] = loginCSRF
        if let error { values["error"] = error }
        return renderer.page("login", values, status: error == nil ? .ok : .unauthorized,
                             cookies: [ConsoleSessions.setCookie(Self.loginCookie, loginCSRF, maxAge: 900, secure: secure(request))]
                                + languageCookie(request))
    }

    func login(_ request: Request) async throws -> Response {
        let form = try await FormBody.read(request)
        let text = ConsoleText(language: language(request))
        // The sign-in form's own token, against a forged cross-site sign-in.
        guard let expected = ConsoleSessions.cookie(Self.loginCookie, in: request),
              ConsoleSessions.validCSRF(form["csrf"], expected) else {
            return try await loginPage(request, error: text["staleForm"])
        }
        let token = (form["token"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let signed: (cookie: String, principal: Principal)
        do {
            signed = try await sessions.signIn(token: token)
        } catch AppError.unauthorized {
            return try await loginPage(request, error: text["badToken"])
        }
        let home = signed.principal.can(.readAllTickets) ? "/console/queue" : "/console/gaps"
        return ConsoleRenderer.redirect(home, cookies: [
            ConsoleSessions.setCookie(ConsoleSessions.cookieName, signed.cookie, maxAge: Int(ConsoleSessions.lifetime),
                                      secure: secure(request)),
            ConsoleSessions.setCookie(Self.loginCookie, "", maxAge: 0, secure: secure(request)),
        ])
    }

    func logout(_ request: Request) async throws -> Response {
        let form = try await FormBody.read(request)
        if let signed = try await sessions.current(request), ConsoleSessions.validCSRF(form["csrf"], signed.csrf) {
            try await sessions.signOut(signed)
        }
        return ConsoleRenderer.redirect("/console/login", cookies: [
            ConsoleSessions.setCookie(ConsoleSessions.cookieName, "", maxAge: 0, secure: secure(request)),
        ])
    }

    // MARK: - Agents

    func queue(_ request: Request) async throws -> Response {
        guard let signed = try await sessions.current(request) else { return ConsoleRenderer.redirect("/console/login") }
        guard signed.principal.can(.readAllTickets) else { return forbidden(request, signed) }
        return renderer.page("queue", try await queueValues(request, signed), cookies: languageCookie(request))
    }

    /// The queue page's values, also rendered alone as its live fragment (`/console/queue/live`).
    func queueValues(_ request: Request, _ signed: ConsoleSessions.Signed) async throws -> [String: Any] {
        let language = language(request)
        let text = ConsoleText(language: language)
        let parameters = request.uri.queryParameters
        var query = TicketQuery(atRiskFraction: AgentController.atRiskFraction, limit: 200)
        let status = parameters.get("status").flatMap(TicketStatus.init)
        if let status { query.statuses = [status] }
        let view = parameters.get("view") ?? ""
        query.team = parameters.get("team").flatMap { $0.isEmpty ? nil : String($0.prefix(64)) }
        query.assignee = view == "mine" ? signed.principal.name : parameters.get("assignee").flatMap { $0.isEmpty ? nil : String($0.prefix(64)) }
        if view == "at_risk" { query.sla = .atRisk }
        let channel = parameters.get("channel").flatMap(TicketChannel.init)
        let category = parameters.get("category").flatMap(TicketCategory.init)
        query.channel = channel
        query.category = category
        let now = clock.now()
        let tickets = try await store.tickets(matching: query, now: now)
        let approvals = try await store.approvalStatuses(ticketIDs: tickets.compactMap(\.id))
        let zone = timeZone(request)
        let rows: [[String: Any]] = tickets.map { ticket in
            [
                "number": ticket.number, "subject": ticket.subject, "status": text["status_\(ticket.status.rawValue)"],
                "priority": ticket.priority.rawValue, "team": ticket.team ?? "", "assignee": ticket.assignee ?? "",
                "channel": ticket.channel.rawValue, "category": text["category_\(ticket.category.rawValue)"],
                "due": Self.format(ticket.firstRespondedAt == nil ? ticket.firstResponseDueAt : ticket.resolutionDueAt, zone) ?? "",
                "sla": ticket.slaStanding(at: now, atRiskFraction: AgentController.atRiskFraction).rawValue,
                "awaitingApproval": ticket.id.flatMap { approvals[$0] } == .pending,
            ]
        }
        let incidents = try await store.incidents(openOnly: true, limit: 20)
        var affected: [[String: Any]] = []
        for incident in incidents {
            let links = try await store.incidentLinks(incidentID: incident.id ?? 0).filter { $0.unlinkedAt == nil }.count
            let notice = incident.notice?.texts ?? [:]
            affected.append(["number": incident.number, "topic": incident.topic, "affected": links,
                             "reporters": incident.reporters, "suspected": incident.status == .suspected,
                             "canDecide": incident.status == .suspected && signed.principal.can(.workTickets),
                             "canManage": incident.status == .confirmed && signed.principal.can(.workTickets),
                             "notices": Language.allCases.compactMap { language in
                                 notice[language].map { ["lang": language.rawValue, "text": $0] as [String: Any] }
                             },
                             "languages": Language.allCases.map { ["value": $0.rawValue] as [String: Any] }])
        }
        let title = view == "mine" ? text["mine"] : view == "at_risk" ? text["atRisk"] : text["queue"]
        var values = base(request, language: language, signed: signed, title: title,
                          current: view.isEmpty ? "queue" : view)
        values["tickets"] = rows
        values["count"] = rows.count
        values["incidents"] = affected
        values["team"] = query.team ?? ""
        values["assignee"] = view == "mine" ? "" : (query.assignee ?? "")
        values["statuses"] = TicketStatus.allCases.map {
            ["value": $0.rawValue, "label": text["status_\($0.rawValue)"], "selected": $0 == status] as [String: Any]
        }
        values["channels"] = TicketChannel.allCases.map { ["value": $0.rawValue, "selected": $0 == channel] as [String: Any] }
        values["categories"] = TicketCategory.allCases.map {
            ["value": $0.rawValue, "label": text["category_\($0.rawValue)"], "selected": $0 == category] as [String: Any]
        }
        // Counts per SLA standing of what the filters show, so the page says how much is late at a glance.
        values["breachedCount"] = rows.filter { $0["sla"] as? String == SLAStanding.breached.rawValue }.count
        values["atRiskCount"] = rows.filter { $0["sla"] as? String == SLAStanding.atRisk.rawValue }.count
        values["stamp"] = try await queueStamp()
        values["liveURL"] = "/console/queue/live" + (request.uri.query.map { "?" + $0 } ?? "")
        return values
    }

    func ticket(_ request: Request, number: String) async throws -> Response {
        guard let signed = try await sessions.current(request) else { return ConsoleRenderer.redirect("/console/login") }
        guard signed.principal.can(.readAllTickets) else { return forbidden(request, signed) }
        let language = language(request)
        guard number.count <= 32, let ticket = try await store.ticket(number: number) else {
            return message(request, signed, "notFound", status: .notFound)
        }
        var values = try await ticketValues(request, signed, ticket: ticket, language: language)
        if let done = request.uri.queryParameters.get("done") {
            values["notice"] = ConsoleText(language: language).optional("done_\(done.prefix(20))")
        }
        return renderer.page("ticket", values, cookies: languageCookie(request))
    }

    func work(_ request: Request, number: String, action: String) async throws -> Response {
        guard let signed = try await sessions.current(request) else { return ConsoleRenderer.redirect("/console/login") }
        let form = try await FormBody.read(request)
        let language = language(request)
        guard ConsoleSessions.validCSRF(form["csrf"], signed.csrf) else {
            return message(request, signed, "staleForm", status: .forbidden)
        }
        guard signed.principal.can(.workTickets) else { return forbidden(request, signed) }
        guard number.count <= 32, let ticket = try await store.ticket(number: number) else {
            return message(request, signed, "notFound", status: .notFound)
        }
        let actor = TicketActor.agent(signed.principal.name)
        let body = (form["text"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let path = "/console/tickets/\(ticket.number)"
        do {
            switch action {
            case "reply":
                guard !body.isEmpty, body.count <= 4000, ticket.status.isOpen else { return ConsoleRenderer.redirect(path) }
                let opening = ticket.status == .new
                    ? [TicketUpdate(ticketNumber: ticket.number, change: .status(.open, note: nil), actor: actor)] : []
                _ = try await conversations.relayAgentReply(ticketNumber: ticket.number, agent: signed.principal.name,
                                                            actor: actor, text: body, with: opening)
            case "note":
                guard !body.isEmpty, body.count <= 4000 else { return ConsoleRenderer.redirect(path) }
                _ = try await store.addNote(number: ticket.number, text: body, actor: actor, at: clock.now())
            case "resolve":
                _ = try await conversations.applyAgentUpdates(ticketNumber: ticket.number, [
                    TicketUpdate(ticketNumber: ticket.number, change: .status(.resolved, note: "resolved in the console"), actor: actor),
                ])
            case "approve", "reject":
                // An agent decides when the manager cannot be reached, as through the API; the employee is told.
                _ = try await desk.decideApproval(ticket.number, approve: action == "approve", by: actor,
                                                  note: body.isEmpty ? nil : String(body.prefix(1000)))
            default:
                _ = try await desk.claim(ticket.number, agent: signed.principal.name)
            }
        } catch StoreError.notFound(.approval, _), StoreError.invalidTransition(.approval, _, _, _) {
            // Decided meanwhile (by the manager in the messenger, or another agent): the page shows how.
            return ConsoleRenderer.redirect(path + "?done=alreadyDecided")
        } catch let error as StoreError {
            var values = base(request, language: language, signed: signed, title: ticket.number, current: "queue")
            values["text"] = "\(error)"
            return renderer.page("message", values, status: .conflict)
        }
        return ConsoleRenderer.redirect(path + "?done=\(action)")
    }

    /// Confirm or Dismiss of a suspected incident, the same decision as the API's and the channel's.
    func decideIncident(_ request: Request, number: String, decision: String) async throws -> Response {
        guard let signed = try await sessions.current(request) else { return ConsoleRenderer.redirect("/console/login") }
        let form = try await FormBody.read(request)
        guard ConsoleSessions.validCSRF(form["csrf"], signed.csrf) else {
            return message(request, signed, "staleForm", status: .forbidden)
        }
        guard signed.principal.can(.workTickets) else { return forbidden(request, signed) }
        guard ["confirm", "dismiss", "notice", "end-notice", "resolve"].contains(decision),
              let id = Incident.id(fromNumber: number), let incident = try await store.incident(id: id) else {
            return message(request, signed, "notFound", status: .notFound)
        }
        let written = (form["text"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let command: IncidentCommand? = switch decision {
        case "notice": written.isEmpty ? nil : .notice(Language(rawValue: form["lang"] ?? "") ?? .en, String(written.prefix(1000)))
        case "end-notice": .endNotice
        case "resolve": .resolve(note: written.isEmpty ? nil : String(written.prefix(1000)),
                                 language: written.isEmpty ? nil : Language(rawValue: form["lang"] ?? "") ?? .en)
        case "confirm": .confirm
        default: .dismiss
        }
        do {
            if let command { _ = try await incidents.apply(command, to: incident, by: signed.principal.name) }
        } catch StoreError.invalidTransition {
            // Decided meanwhile (on the channel, or by another agent): the queue shows how.
        }
        return ConsoleRenderer.redirect("/console/queue")
    }

    // MARK: - Managers and editors

    func reportsPage(_ request: Request, gaps: Bool) async throws -> Response {
        guard let signed = try await sessions.current(request) else { return ConsoleRenderer.redirect("/console/login") }
        guard signed.principal.can(gaps ? .editKnowledgeBase : .readAllTickets) else { return forbidden(request, signed) }
        let language = language(request)
        let text = ConsoleText(language: language)
        let zone = timeZone(request)
        let parameters = request.uri.queryParameters
        let today = ReportPeriod.day(clock.now(), in: zone)
        let monthAgo = ReportPeriod.day(clock.now().addingTimeInterval(-29 * 86_400), in: zone)
        let from = parameters.get("from").map { String($0) } ?? monthAgo
        let to = parameters.get("to").map { String($0) } ?? today
        var values = base(request, language: language, signed: signed, title: text[gaps ? "gaps" : "reports"],
                          current: gaps ? "gaps" : "reports")
        values["action"] = gaps ? "/console/gaps" : "/console/reports"
        // Every list the template tests with `empty(…)`, so a page without one shows none of its heading.
        for list in ["figures", "definitions", "sla", "breakdowns", "downloads", "agents", "recurringArticles", "recurringTerms",
                     "incidents", "clusters"] { values[list] = [[String: Any]]() }
        values["timeZone"] = zone.identifier
        let period: ReportPeriod
        do throws(ReportPeriod.Problem) {
            period = try ReportPeriod(from: from, to: to, timeZone: zone)
        } catch let problem {
            values["from"] = monthAgo
            values["to"] = today
            values["notice"] = problem.description
            return renderer.page("reports", values, status: .unprocessableContent)
        }
        values["from"] = from
        values["to"] = to
        if gaps {
            let messages = try await store.gapMessages(from: period.from, to: period.to)
            let content = try await library.current().content
            let clusters = ContentGaps(tokenizer: content.tokenizer).clusters(messages) { query in
                content.search(query, limit: 3).hits.first { if case .article = ContentIndex.target(of: $0) { true } else { false } }?.id
            }.map { cluster -> [String: Any] in
                var row: [String: Any] = ["term": cluster.term, "count": cluster.count, "examples": cluster.examples,
                                          "tickets": cluster.tickets, "hasTickets": !cluster.tickets.isEmpty,
                                          "write": EditorConsoleController.writeLinks(cluster, text: text)]
                // Absent, not "": Mustache takes an empty string as true and would print an empty line.
                if let nearest = cluster.nearestArticle { row["nearestArticle"] = nearest }
                return row
            }
            // swift-mustache has no `{{#list.0}}` (an array's elements have no names): a Bool says "not empty".
            values["clusters"] = clusters
            values["hasClusters"] = !clusters.isEmpty
        } else {
            let comparison = try await reports.compare(period)
            let now = comparison.current, before = comparison.previous
            let minutes = ReportPageSections.minutes
            values.merge(ReportPageSections.values(now: now, before: before, text: text)) { _, new in new }
            values["downloads"] = downloads(from: from, to: to, zone: zone)
            values["chart"] = ConsoleChart.backlog(now.backlog.map { ($0.day, $0.open) }) ?? ""
            values["agents"] = now.agents.map { agent -> [String: Any] in
                ["agent": agent.agent, "assigned": agent.assigned, "resolved": agent.resolved,
                 "median": minutes(agent.medianResolutionMinutes),
                 "rating": agent.averageRating.map { String(format: "%.1f", $0) } ?? "–"]
            }
            values["incidents"] = now.incidents.map { incident -> [String: Any] in
                ["number": incident.number, "topic": incident.topic, "affected": incident.affected,
                 "detection": minutes(incident.detectionMinutes), "duration": minutes(incident.durationMinutes),
                 "tickets": incident.tickets]
            }
        }
        return renderer.page("reports", values, cookies: languageCookie(request))
    }

    // MARK: - Pieces

    func base(_ request: Request, language: Language, signed: ConsoleSessions.Signed?, title: String,
              current: String) -> [String: Any] {
        let text = ConsoleText(language: language)
        var values: [String: Any] = ["lang": language.rawValue, "t": text.labels, "pageTitle": title,
                                     "editorPage": current == "articles"]
        if let signed {
            var menu: [(String, String, String)] = []
            if signed.principal.can(.readAllTickets) {
                menu += [("queue", "/console/queue", text["queue"]), ("mine", "/console/queue?view=mine", text["mine"]),
                         ("at_risk", "/console/queue?view=at_risk", text["atRisk"]), ("reports", "/console/reports", text["reports"])]
            }
            if signed.principal.can(.workTickets) { menu.insert(("intake", "/console/intake", text["intake"]), at: min(3, menu.count)) }
            if signed.principal.can(.editKnowledgeBase) {
                menu += [("articles", "/console/articles", text["articles"]), ("gaps", "/console/gaps", text["gaps"])]
            }
            values["signed"] = [
                "name": signed.principal.name, "role": signed.principal.role.rawValue, "csrf": signed.csrf,
                "menu": menu.map { ["href": $0.1, "label": $0.2, "current": $0.0 == current] as [String: Any] },
            ] as [String: Any]
        }
        return values
    }

    func forbidden(_ request: Request, _ signed: ConsoleSessions.Signed) -> Response {
        message(request, signed, "forbidden", status: .forbidden)
    }

    /// A page that only says why nothing happened (`key`: a `ConsoleText` label).
    func message(_ request: Request, _ signed: ConsoleSessions.Signed, _ key: String,
                 status: HTTPResponse.Status) -> Response {
        let language = language(request)
        let text = ConsoleText(language: language)
        var values = base(request, language: language, signed: signed, title: text[key], current: "")
        values["text"] = text[key]
        return renderer.page("message", values, status: status)
    }

    func language(_ request: Request) -> Language {
        ConsoleText.language(query: request.uri.queryParameters.get("lang"),
                             cookie: ConsoleSessions.cookie(Self.languageCookie, in: request),
                             acceptLanguage: request.headers[.acceptLanguage])
    }

    /// `?lang=` is remembered for the next pages.
    func languageCookie(_ request: Request) -> [String] {
        guard let chosen = request.uri.queryParameters.get("lang"), Language(rawValue: chosen) != nil else { return [] }
        return [ConsoleSessions.setCookie(Self.languageCookie, chosen, maxAge: 365 * 86_400, secure: secure(request))]
    }

    /// The viewer's zone: `?tz=` when it names one, else the server's (`dialogue.time_zone`).
    func timeZone(_ request: Request) -> TimeZone {
        request.uri.queryParameters.get("tz").flatMap { $0.count <= 64 ? TimeZone(identifier: String($0)) : nil } ?? reports.timeZone
    }

    /// Behind a TLS-terminating proxy (design: deployment notes) the cookie must be Secure.
    func secure(_ request: Request) -> Bool {
        request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https"
    }

    static func format(_ date: Date?, _ zone: TimeZone) -> String? {
        guard let date else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }

}
