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
/// What the agents' API reads and writes directly (turns go through `ConversationService`).
typealias AgentStore = TicketQueueRepository & TicketRepository & ConversationRepository & AccountRepository
    & DirectoryRepository

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

    let database: any AgentStore
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

    /// The SLA due times of `priority` counted from `start` on `calendar` (design §5): one rule for a
    /// ticket logged by an agent and for a re-prioritised one.
    func dueTimes(_ priority: TicketPriority, from start: Date, calendar: BusinessCalendar) -> (firstResponse: Date?, resolution: Date?) {
        (policy.sla.due(.firstResponse, priority: priority, from: start, calendar: calendar),
         policy.sla.due(.resolution, priority: priority, from: start, calendar: calendar))
    }

    /// The calendar a ticket's SLA is counted on: its team's, or the team its category goes to.
    func calendar(for ticket: Ticket) -> BusinessCalendar {
        policy.calendar(ofTeam: ticket.team ?? policy.teamID(for: ticket.category.articleCategory))
    }


    // MARK: - Helpers

    /// Anyone who may read some tickets: agents and admins all of them, employees their own.
    func readingPrincipal(_ request: Request) async throws -> Principal {
        let principal = try await authenticator.principal(for: request)
        guard principal.can(.readAllTickets) || principal.can(.readOwnTickets) else {
            throw AppError.forbidden("the \(principal.role.rawValue) role may not read tickets")
        }
        return principal
    }

    /// The ticket if `principal` may read it. Someone else's ticket is "not found", like a number that does not
    /// exist: a 403 would confirm that the ticket exists.
    func readableTicket(_ number: String?, for principal: Principal) async throws -> Ticket {
        let ticket = try await existingTicket(number)
        if principal.can(.readAllTickets) { return ticket }
        if principal.can(.readOwnTickets), let employeeID = principal.employeeID, ticket.requesterID == employeeID {
            return ticket
        }
        throw AppError.notFound("ticket \(ticket.number)")
    }

    func existingTicket(_ number: String?) async throws -> Ticket {
        guard let number, number.hasPrefix(Ticket.numberPrefix), number.count <= 32,
              let ticket = try await database.ticket(number: number) else {
            throw AppError.notFound("ticket \(number?.prefix(32) ?? "")")
        }
        return ticket
    }

    /// History as `principal` may see it: employees do not see internal notes.
    func visibleHistory(of ticket: Ticket, to principal: Principal) async throws -> [TicketEvent] {
        let events = try await database.history(number: ticket.number)
        return principal.can(.readAllTickets) ? events : events.filter { $0.kind != .note }
    }

    func lastEventID(_ ticket: Ticket) async throws -> Int64 {
        try await database.history(number: ticket.number).last?.id ?? 0
    }

    func changeResponse(_ outcome: AgentOutcome, since: Int64,
                                status: HTTPResponse.Status) async throws -> Response {
        let events = try await database.history(number: outcome.ticket.number).filter { ($0.id ?? 0) > since }
        return try JSONBody.response(TicketChangeJSON(ticket: try await ticketJSON(outcome.ticket),
                                                      events: events.map(HistoryEntryJSON.init),
                                                      notifiedEmployee: outcome.notifiedEmployee), status: status)
    }

    func ticketJSON(_ ticket: Ticket) async throws -> TicketJSON {
        try await ticketJSON([ticket], now: clock.now())[0]
    }

    func ticketJSON(_ tickets: [Ticket], now: Date) async throws -> [TicketJSON] {
        let employees = try await database.employees(ids: Array(Set(tickets.map(\.requesterID))))
        let approvals = try await database.approvalStatuses(ticketIDs: tickets.compactMap(\.id))
        return tickets.map { ticket in
            TicketJSON(ticket, requester: employees[ticket.requesterID], approval: ticket.id.flatMap { approvals[$0] },
                       now: now, atRiskFraction: Self.atRiskFraction)
        }
    }

    /// Refuses a status change the lifecycle forbids (409), and a reopen after the window (409).
    func checkStatusChange(_ ticket: Ticket, to status: TicketStatus) async throws {
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

    func decode<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T {
        try await JSONBody.decode(type, from: request, limit: Self.bodyLimit)
    }

    /// A body that may be left out entirely (`POST …/resolve` with nothing to add).
    func decodeOptional<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T? {
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
