import FirstLineCore
import FirstLineStore
import FirstLineMessengers
import Foundation
import Hummingbird
import Logging
import NIOCore

/// The agents' ticket API (design §1, §5, §6), JSON under `/api/v1/tickets`, with `Authorization: Bearer TOKEN`.
///
/// Who may do what (`Permission`; PermissionMatrixTests checks every cell):
///
/// | route                                  | none/bad token | employee (own / other's) | agent | editor | admin |
/// | -------------------------------------- | -------------- | ------------------------ | ----- | ------ | ----- |
/// | GET /api/v1/me                         | 401            | 200 / 200                | 200   | 200    | 200   |
/// | GET, POST /api/v1/users                | 401            | 403                      | 403   | 403    | 200/201 |
/// | GET /api/v1/tickets                    | 401            | 200 (own tickets only)   | 200   | 403    | 200   |
/// | POST /api/v1/tickets                   | 401            | 403                      | 201   | 403    | 201   |
/// | GET /api/v1/tickets/{n}, …/history     | 401            | 200 / 404                | 200   | 403    | 200   |
/// | PATCH /api/v1/tickets/{n}, POST …/resolve | 401         | 403                      | 200   | 403    | 200   |
/// | POST …/replies, POST …/notes           | 401            | 403                      | 201   | 403    | 201   |
///
/// An employee asking for someone else's ticket gets 404, exactly as for a number that does not exist, so ticket
/// numbers cannot be probed; working a ticket is refused with 403 before the ticket is looked up, for the same
/// reason. Employees never see internal notes. Editors see no tickets: they hold employees' personal data.
struct AgentController {
    static let bodyLimit = 32 * 1024
    /// Replies, notes and descriptions; longer than a chat message because agents paste steps.
    static let textLimit = 4000
    static let subjectLimit = 200
    static let nameLimit = 100
    static let defaultListLimit = 100
    static let maximumListLimit = 500
    /// Design §5: breach warnings at 80% of the window.
    static let atRiskFraction = 0.8
    /// Categories an agent may set: the knowledge base's, plus `general` for everything else (what the bot uses
    /// when it cannot tell).
    static let categories = TicketCategory.allCases.map(\.rawValue)
    static let patchFields = ["status", "priority", "category", "team", "assignee"]

    let database: AppDatabase
    let conversations: ConversationService
    let authenticator: Authenticator
    let clock: any ServerClock
    let desk: TicketDesk
    let policy: DeskPolicy

    func addRoutes(to router: Hummingbird.Router<AppRequestContext>) {
        router.get("/api/v1/tickets") { request, _ in try await list(request) }
        router.post("/api/v1/tickets") { request, context in try await create(request, context) }
        router.get("/api/v1/tickets/{number}") { request, context in
            try await detail(request, number: context.parameters.get("number"))
        }
        router.get("/api/v1/tickets/{number}/history") { request, context in
            try await history(request, number: context.parameters.get("number"))
        }
        router.patch("/api/v1/tickets/{number}") { request, context in
            try await patch(request, context, number: context.parameters.get("number"))
        }
        router.post("/api/v1/tickets/{number}/replies") { request, context in
            try await reply(request, context, number: context.parameters.get("number"))
        }
        router.post("/api/v1/tickets/{number}/notes") { request, context in
            try await note(request, context, number: context.parameters.get("number"))
        }
        router.post("/api/v1/tickets/{number}/resolve") { request, context in
            try await resolve(request, context, number: context.parameters.get("number"))
        }
        router.post("/api/v1/tickets/{number}/claim") { request, context in
            try await claim(request, context, number: context.parameters.get("number"))
        }
        router.post("/api/v1/tickets/{number}/approval") { request, context in
            try await approval(request, context, number: context.parameters.get("number"))
        }
        router.put("/api/v1/agents/me/presence") { request, context in
            try await presence(request, context)
        }
    }

    /// The calendar a ticket's SLA is counted on: its team's, or the team its category goes to.
    private func calendar(for ticket: Ticket) -> BusinessCalendar {
        policy.calendar(ofTeam: ticket.team ?? policy.teamID(for: ticket.category.articleCategory))
    }

    // MARK: - Reading

    func list(_ request: Request) async throws -> Response {
        let principal = try await readingPrincipal(request)
        let parameters = request.uri.queryParameters
        var query = TicketQuery(atRiskFraction: Self.atRiskFraction, limit: Self.defaultListLimit)
        if let raw = parameters["status"] {
            var statuses: [TicketStatus] = []
            for name in raw.split(separator: ",") {
                guard let status = TicketStatus(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                    throw AppError.invalidField(
                        field: "status", reason: "must be one or more of \(Self.names(TicketStatus.allCases)), comma-separated")
                }
                statuses.append(status)
            }
            guard !statuses.isEmpty else { throw AppError.invalidField(field: "status", reason: "is empty") }
            query.statuses = statuses
        }
        query.team = parameters["team"].map(String.init)
        query.assignee = parameters["assignee"].map(String.init)
        if let raw = parameters["requester"] {
            guard let id = Int64(raw) else { throw AppError.invalidField(field: "requester", reason: "must be an employee id") }
            query.requesterID = id
        }
        if let raw = parameters["sla"] {
            guard let filter = TicketQuery.SLAFilter(rawValue: String(raw)) else {
                throw AppError.invalidField(field: "sla", reason: "must be at_risk or breached")
            }
            query.sla = filter
        }
        if let raw = parameters["limit"] {
            guard let limit = Int(raw), (1...Self.maximumListLimit).contains(limit) else {
                throw AppError.invalidField(field: "limit", reason: "must be a number from 1 to \(Self.maximumListLimit)")
            }
            query.limit = limit
        }
        if !principal.can(.readAllTickets) {
            // An employee's queue is their own tickets, whatever `requester` says.
            guard let employeeID = principal.employeeID else { return try JSONBody.response(TicketListJSON(tickets: [], count: 0)) }
            query.requesterID = employeeID
        }
        let now = clock.now()
        let tickets = try await database.tickets(matching: query, now: now)
        let json = try await ticketJSON(tickets, now: now)
        return try JSONBody.response(TicketListJSON(tickets: json, count: json.count))
    }

    func detail(_ request: Request, number: String?) async throws -> Response {
        let principal = try await readingPrincipal(request)
        let ticket = try await readableTicket(number, for: principal)
        var transcript: [TranscriptLineJSON] = []
        if let conversationID = ticket.conversationID {
            transcript = try await database.messages(conversationID: conversationID).map(TranscriptLineJSON.init)
        }
        let events = try await visibleHistory(of: ticket, to: principal)
        return try JSONBody.response(TicketDetailJSON(ticket: try await ticketJSON(ticket), transcript: transcript,
                                                      history: events.map(HistoryEntryJSON.init)))
    }

    func history(_ request: Request, number: String?) async throws -> Response {
        let principal = try await readingPrincipal(request)
        let ticket = try await readableTicket(number, for: principal)
        let events = try await visibleHistory(of: ticket, to: principal)
        return try JSONBody.response(TicketHistoryJSON(ticket: ticket.number, history: events.map(HistoryEntryJSON.init)))
    }

    // MARK: - Working a ticket

    struct TextBody: Decodable {
        var text: String
    }

    func reply(_ request: Request, _ context: AppRequestContext, number: String?) async throws -> Response {
        let principal = try await authenticator.authorize(request, .workTickets)
        let ticket = try await existingTicket(number)
        let text = try Self.validText(try await decode(TextBody.self, request).text, field: "text")
        guard ticket.status.isOpen else {
            throw AppError.conflict("ticket \(ticket.number) is \(ticket.status.rawValue); reopen it before replying")
        }
        // The first answer takes a new ticket into work: `new` means nobody has looked at it yet.
        let opening = ticket.status == .new
            ? [TicketUpdate(ticketNumber: ticket.number, change: .status(.open, note: nil), actor: principal.actor)] : []
        let since = try await lastEventID(ticket)
        let outcome = try await conversations.relayAgentReply(ticketNumber: ticket.number, agent: principal.name,
                                                              actor: principal.actor, text: text, with: opening)
        context.logger.info("agent reply", metadata: [
            "ticket": "\(ticket.number)", "agent": "\(principal.name)", "delivered": "\(outcome.notifiedEmployee)",
        ])
        return try await changeResponse(outcome, since: since, status: .created)
    }

    func note(_ request: Request, _ context: AppRequestContext, number: String?) async throws -> Response {
        let principal = try await authenticator.authorize(request, .workTickets)
        let ticket = try await existingTicket(number)
        let text = try Self.validText(try await decode(TextBody.self, request).text, field: "text")
        let since = try await lastEventID(ticket)
        // Straight to the store: a note is internal and never becomes a dialogue turn or an outbox row.
        let updated = try await database.update(
            [TicketUpdate(ticketNumber: ticket.number, change: .note(text), actor: principal.actor)], at: clock.now())
        context.logger.info("agent note", metadata: ["ticket": "\(ticket.number)", "agent": "\(principal.name)"])
        return try await changeResponse(.init(ticket: updated, notifiedEmployee: false, outboxIDs: []), since: since,
                                        status: .created)
    }

    func patch(_ request: Request, _ context: AppRequestContext, number: String?) async throws -> Response {
        let principal = try await authenticator.authorize(request, .workTickets)
        let ticket = try await existingTicket(number)
        let body = try await decode([String: JSONValue].self, request)
        if let unknown = body.keys.sorted().first(where: { !Self.patchFields.contains($0) }) {
            throw AppError.invalidField(field: unknown, reason: "is not a field that can be changed (\(Self.patchFields.joined(separator: ", ")))")
        }
        guard !body.isEmpty else {
            throw AppError.invalidRequest("send at least one of \(Self.patchFields.joined(separator: ", "))")
        }

        // Every field is checked before anything is written: a refused PATCH changes nothing.
        var changes: [TicketUpdate.Change] = []
        if let value = body["priority"] {
            guard case let .string(raw) = value, let priority = TicketPriority(rawValue: raw.uppercased()) else {
                throw AppError.invalidField(field: "priority", reason: "must be one of \(Self.names(TicketPriority.allCases))")
            }
            // Targets follow the priority, counted from when the ticket was opened (design §5).
            // The desk then recounts them with the ticket's pauses (TicketDesk.ticketChanged).
            let calendar = calendar(for: ticket)
            changes.append(.priority(priority,
                                     firstResponseDueAt: policy.sla.due(.firstResponse, priority: priority, from: ticket.createdAt, calendar: calendar),
                                     resolutionDueAt: policy.sla.due(.resolution, priority: priority, from: ticket.createdAt, calendar: calendar)))
        }
        if let value = body["category"] {
            guard case let .string(raw) = value, let category = TicketCategory(rawValue: raw) else {
                throw AppError.invalidField(field: "category", reason: "must be one of \(Self.categories.joined(separator: ", "))")
            }
            changes.append(.category(category))
        }
        if let value = body["team"] {
            switch value {
            case .null: changes.append(.team(nil))
            case let .string(team) where !team.trimmingCharacters(in: .whitespaces).isEmpty && team.count <= Self.nameLimit:
                changes.append(.team(team.trimmingCharacters(in: .whitespaces)))
            default: throw AppError.invalidField(field: "team", reason: "must be a team name or null")
            }
        }
        if let value = body["assignee"] {
            switch value {
            case .null: changes.append(.assignee(nil))
            case let .string(name):
                // Only someone who can work the ticket can be given it, and under their account's own spelling.
                guard let account = try await database.account(name: name), !account.isDisabled,
                      account.role.permissions.contains(.workTickets) else {
                    throw AppError.invalidField(field: "assignee", reason: "must name an active agent or admin, or be null")
                }
                changes.append(.assignee(account.name))
            default: throw AppError.invalidField(field: "assignee", reason: "must name an active agent or admin, or be null")
            }
        }
        if let value = body["status"] {
            guard case let .string(raw) = value, let status = TicketStatus(rawValue: raw) else {
                throw AppError.invalidField(field: "status", reason: "must be one of \(Self.names(TicketStatus.allCases))")
            }
            try await checkStatusChange(ticket, to: status)
            // Last, so that a PATCH which also re-prioritises resolves the ticket as it ends up.
            changes.append(.status(status, note: nil))
        }

        let since = try await lastEventID(ticket)
        let updates = changes.map { TicketUpdate(ticketNumber: ticket.number, change: $0, actor: principal.actor) }
        let outcome = try await conversations.applyAgentUpdates(ticketNumber: ticket.number, updates)
        context.logger.info("ticket changed", metadata: [
            "ticket": "\(ticket.number)", "agent": "\(principal.name)", "fields": "\(body.keys.sorted().joined(separator: ","))",
        ])
        return try await changeResponse(outcome, since: since, status: .ok)
    }

    struct ResolveBody: Decodable {
        /// A resolution summary, kept on the status event.
        var note: String?
    }

    func resolve(_ request: Request, _ context: AppRequestContext, number: String?) async throws -> Response {
        let principal = try await authenticator.authorize(request, .workTickets)
        let ticket = try await existingTicket(number)
        let body = try await decodeOptional(ResolveBody.self, request)
        let note = try body?.note.map { try Self.validText($0, field: "note") }
        guard ticket.status.isOpen else {
            throw AppError.invalidTransition(from: ticket.status.rawValue, to: TicketStatus.resolved.rawValue)
        }
        let since = try await lastEventID(ticket)
        let outcome = try await conversations.applyAgentUpdates(ticketNumber: ticket.number, [
            TicketUpdate(ticketNumber: ticket.number, change: .status(.resolved, note: note), actor: principal.actor),
        ])
        context.logger.info("ticket resolved", metadata: ["ticket": "\(ticket.number)", "agent": "\(principal.name)"])
        return try await changeResponse(outcome, since: since, status: .ok)
    }

    // MARK: - Desk: claim, approval, presence

    func claim(_ request: Request, _ context: AppRequestContext, number: String?) async throws -> Response {
        let principal = try await authenticator.authorize(request, .workTickets)
        let ticket = try await existingTicket(number)
        let since = try await lastEventID(ticket)
        let claimed = try await desk.claim(ticket.number, agent: principal.name)
        context.logger.info("ticket claimed", metadata: ["ticket": "\(ticket.number)", "agent": "\(principal.name)"])
        return try await changeResponse(.init(ticket: claimed, notifiedEmployee: false, outboxIDs: []), since: since, status: .ok)
    }

    struct ApprovalBody: Decodable {
        var decision: String
        var note: String?
    }

    /// An agent or admin decides an approval for a manager who cannot (no messenger, away).
    func approval(_ request: Request, _ context: AppRequestContext, number: String?) async throws -> Response {
        let principal = try await authenticator.authorize(request, .workTickets)
        let ticket = try await existingTicket(number)
        let body = try await decode(ApprovalBody.self, request)
        guard ["approve", "reject"].contains(body.decision) else {
            throw AppError.invalidField(field: "decision", reason: "must be approve or reject")
        }
        let note = try body.note.map { try Self.validText($0, field: "note") }
        let since = try await lastEventID(ticket)
        let decided = try await desk.decideApproval(ticket.number, approve: body.decision == "approve", by: principal.actor,
                                                    note: note)
        context.logger.info("approval decided", metadata: ["ticket": "\(ticket.number)", "agent": "\(principal.name)"])
        let current = try await database.ticket(number: decided.number) ?? decided
        return try await changeResponse(.init(ticket: current, notifiedEmployee: current.conversationID != nil, outboxIDs: []),
                                        since: since, status: .ok)
    }

    struct PresenceBody: Decodable {
        var online: Bool
    }

    /// An agent says they are available or away; nothing is routed to an away agent.
    func presence(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let principal = try await authenticator.authorize(request, .workTickets)
        let body = try await decode(PresenceBody.self, request)
        try await desk.setPresence(agent: principal.name, online: body.online)
        context.logger.info("agent presence", metadata: ["agent": "\(principal.name)", "online": "\(body.online)"])
        struct PresenceJSON: Encodable { var agent: String; var online: Bool }
        return try JSONBody.response(PresenceJSON(agent: principal.name, online: body.online))
    }

    // MARK: - Logging a call or a visit

    struct CreateBody: Decodable {
        struct EmployeeReference: Decodable {
            var name: String
            var email: String?
        }

        var employee: EmployeeReference?
        var employeeID: Int64?
        var channel: String
        var subject: String
        var description: String?
        var category: String?
        var priority: String?

        enum CodingKeys: String, CodingKey {
            case employee, channel, subject, description, category, priority
            case employeeID = "employee_id"
        }
    }

    /// Channels an agent logs by hand; chat channels open their tickets through the bot.
    static let manualChannels: [TicketChannel] = [.phone, .visit, .email]

    func create(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let principal = try await authenticator.authorize(request, .workTickets)
        let body = try await decode(CreateBody.self, request)
        guard let channel = TicketChannel(rawValue: body.channel), Self.manualChannels.contains(channel) else {
            throw AppError.invalidField(field: "channel", reason: "must be one of \(Self.names(Self.manualChannels))")
        }
        let subject = body.subject.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !subject.isEmpty, subject.count <= Self.subjectLimit else {
            throw AppError.invalidField(field: "subject", reason: "must be 1 to \(Self.subjectLimit) characters")
        }
        let description = body.description.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
        guard description.count <= Self.textLimit else {
            throw AppError.invalidField(field: "description", reason: "must be at most \(Self.textLimit) characters")
        }
        guard let category = TicketCategory(rawValue: body.category ?? TicketCategory.general.rawValue) else {
            throw AppError.invalidField(field: "category", reason: "must be one of \(Self.categories.joined(separator: ", "))")
        }
        guard let priority = TicketPriority(rawValue: (body.priority ?? "P3").uppercased()) else {
            throw AppError.invalidField(field: "priority", reason: "must be one of \(Self.names(TicketPriority.allCases))")
        }
        let now = clock.now()
        let requester = try await requester(of: body, at: now)
        guard let requesterID = requester.id else { throw AppError.internalFailure }
        let calendar = policy.calendar(ofTeam: policy.teamID(for: category.articleCategory))
        let created = try await database.createTicket(NewTicket(
            requesterID: requesterID, channel: channel, subject: subject, category: category, priority: priority,
            transcript: description.isEmpty ? nil : description,
            firstResponseDueAt: policy.sla.due(.firstResponse, priority: priority, from: now, calendar: calendar),
            resolutionDueAt: policy.sla.due(.resolution, priority: priority, from: now, calendar: calendar),
            createdBy: principal.actor), at: now)
        // Routed at once, so the answer already names the team and the assignee.
        await desk.ticketChanged(created.number)
        let ticket = try await database.ticket(number: created.number) ?? created
        context.logger.info("ticket logged", metadata: [
            "ticket": "\(ticket.number)", "agent": "\(principal.name)", "channel": "\(channel.rawValue)",
        ])
        var response = try JSONBody.response(["ticket": try await ticketJSON(ticket)], status: .created)
        response.headers[.location] = "/api/v1/tickets/\(ticket.number)"
        return response
    }

    /// The employee a logged ticket is for: by id, or by name and e-mail (an existing employee with that
    /// e-mail, else a new one). A name alone always makes a new employee: names are not unique.
    private func requester(of body: CreateBody, at now: Date) async throws -> Employee {
        switch (body.employee, body.employeeID) {
        case let (nil, id?):
            guard let employee = try await database.employee(id: id) else {
                throw AppError.invalidField(field: "employee_id", reason: "names no employee")
            }
            return employee
        case let (reference?, nil):
            let name = reference.name.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !name.isEmpty, name.count <= Self.nameLimit else {
                throw AppError.invalidField(field: "employee.name", reason: "must be 1 to \(Self.nameLimit) characters")
            }
            let email = reference.email?.trimmingCharacters(in: .whitespaces)
            if let email, !Self.looksLikeEmail(email) {
                throw AppError.invalidField(field: "employee.email", reason: "is not an e-mail address")
            }
            return try await database.findOrCreateEmployee(displayName: name, email: email, at: now)
        default:
            throw AppError.invalidField(field: "employee", reason: "send exactly one of 'employee' or 'employee_id'")
        }
    }

    static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return text.count <= 254 && parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
            && !text.contains(where: \.isWhitespace)
    }

    // MARK: - Helpers

    /// Anyone who may read some tickets: agents and admins all of them, employees their own.
    private func readingPrincipal(_ request: Request) async throws -> Principal {
        let principal = try await authenticator.principal(for: request)
        guard principal.can(.readAllTickets) || principal.can(.readOwnTickets) else {
            throw AppError.forbidden("the \(principal.role.rawValue) role may not read tickets")
        }
        return principal
    }

    /// The ticket if `principal` may read it. Someone else's ticket is "not found", like a number that does not
    /// exist: a 403 would confirm that the ticket exists.
    private func readableTicket(_ number: String?, for principal: Principal) async throws -> Ticket {
        let ticket = try await existingTicket(number)
        if principal.can(.readAllTickets) { return ticket }
        if principal.can(.readOwnTickets), let employeeID = principal.employeeID, ticket.requesterID == employeeID {
            return ticket
        }
        throw AppError.notFound("ticket \(ticket.number)")
    }

    private func existingTicket(_ number: String?) async throws -> Ticket {
        guard let number, number.hasPrefix(Ticket.numberPrefix), number.count <= 32,
              let ticket = try await database.ticket(number: number) else {
            throw AppError.notFound("ticket \(number?.prefix(32) ?? "")")
        }
        return ticket
    }

    /// History as `principal` may see it: employees do not see internal notes.
    private func visibleHistory(of ticket: Ticket, to principal: Principal) async throws -> [TicketEvent] {
        let events = try await database.history(number: ticket.number)
        return principal.can(.readAllTickets) ? events : events.filter { $0.kind != .note }
    }

    private func lastEventID(_ ticket: Ticket) async throws -> Int64 {
        try await database.history(number: ticket.number).last?.id ?? 0
    }

    private func changeResponse(_ outcome: AgentOutcome, since: Int64,
                                status: HTTPResponse.Status) async throws -> Response {
        let events = try await database.history(number: outcome.ticket.number).filter { ($0.id ?? 0) > since }
        return try JSONBody.response(TicketChangeJSON(ticket: try await ticketJSON(outcome.ticket),
                                                      events: events.map(HistoryEntryJSON.init),
                                                      notifiedEmployee: outcome.notifiedEmployee), status: status)
    }

    private func ticketJSON(_ ticket: Ticket) async throws -> TicketJSON {
        try await ticketJSON([ticket], now: clock.now())[0]
    }

    private func ticketJSON(_ tickets: [Ticket], now: Date) async throws -> [TicketJSON] {
        let employees = try await database.employees(ids: Array(Set(tickets.map(\.requesterID))))
        return tickets.map { TicketJSON($0, requester: employees[$0.requesterID], now: now, atRiskFraction: Self.atRiskFraction) }
    }

    /// Refuses a status change the lifecycle forbids (409), and a reopen after the window (409).
    private func checkStatusChange(_ ticket: Ticket, to status: TicketStatus) async throws {
        guard status != ticket.status else { return }
        guard ticket.status.canTransition(to: status) else {
            throw AppError.invalidTransition(from: ticket.status.rawValue, to: status.rawValue)
        }
        let reopen = conversations.reopen
        if !ticket.status.isOpen, status.isOpen,
           !reopen.allows(status: ticket.status, resolvedAt: ticket.resolvedAt ?? ticket.updatedAt, now: clock.now()) {
            throw AppError.reopenWindowPassed(days: reopen.days)
        }
    }

    static func validText(_ text: String, field: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw AppError.invalidField(field: field, reason: "is empty") }
        guard trimmed.count <= textLimit else {
            throw AppError.invalidField(field: field, reason: "is longer than \(textLimit) characters")
        }
        return trimmed
    }

    static func names<T: RawRepresentable>(_ values: [T]) -> String where T.RawValue == String {
        values.map(\.rawValue).joined(separator: ", ")
    }

    private func decode<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T {
        try await JSONBody.decode(type, from: request, limit: Self.bodyLimit)
    }

    /// A body that may be left out entirely (`POST …/resolve` with nothing to add).
    private func decodeOptional<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T? {
        if request.headers[.contentLength] == "0" { return nil }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: Self.bodyLimit)
        } catch {
            throw AppError.bodyTooLarge(limit: Self.bodyLimit)
        }
        guard buffer.readableBytesView.contains(where: { !Set<UInt8>([0x20, 0x0A, 0x0D, 0x09]).contains($0) }) else { return nil }
        return try await JSONBody.decode(type, from: request, limit: Self.bodyLimit)
    }
}
