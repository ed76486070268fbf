import FirstLineCore
import FirstLineStore
import FirstLineMessengers
import Foundation
import Hummingbird
import Logging
import NIOCore

// The desk from the API: claims, approvals, presence, and tickets logged for a call or a visit.
extension AgentController {
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
        let ticket = try await logTicket(body, by: principal)
        context.logger.info("ticket logged", metadata: [
            "ticket": "\(ticket.number)", "agent": "\(principal.name)", "channel": "\(ticket.channel.rawValue)",
        ])
        var response = try JSONBody.response(["ticket": try await ticketJSON(ticket)], status: .created)
        response.headers[.location] = "/api/v1/tickets/\(ticket.number)"
        return response
    }

    /// The channel an agent names: `walk-in` is what people say for a visit to the desk, so it is
    /// the same channel as `visit` (and stored as `visit`).
    static func manualChannel(_ name: String) -> TicketChannel? {
        let word = name.trimmingCharacters(in: .whitespaces).lowercased()
        guard let channel = TicketChannel(rawValue: ["walk-in", "walkin", "walk_in"].contains(word) ? "visit" : word),
              manualChannels.contains(channel) else { return nil }
        return channel
    }

    /// A ticket logged by an agent for a call, a visit or an e-mail: every field checked before anything
    /// is written, then routed at once. Shared by `POST /api/v1/tickets` and the console's intake form.
    func logTicket(_ body: CreateBody, by principal: Principal) async throws -> Ticket {
        guard let channel = Self.manualChannel(body.channel) else {
            throw AppError.invalidField(field: "channel", reason: "must be one of \(Self.names(Self.manualChannels)) (walk-in is visit)")
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
        let due = dueTimes(priority, from: now, calendar: policy.calendar(ofTeam: policy.teamID(for: category.articleCategory)))
        let created = try await database.createTicket(NewTicket(
            requesterID: requesterID, channel: channel, subject: subject, category: category, priority: priority,
            transcript: description.isEmpty ? nil : description,
            firstResponseDueAt: due.firstResponse, resolutionDueAt: due.resolution,
            createdBy: principal.actor), at: now)
        // Routed at once, so the answer already names the team and the assignee.
        await desk.ticketChanged(created.number)
        return try await database.ticket(number: created.number) ?? created
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

}
