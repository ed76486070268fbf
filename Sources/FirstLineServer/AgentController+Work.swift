import FirstLineCore
import FirstLineStore
import FirstLineMessengers
import Foundation
import Hummingbird
import Logging
import NIOCore

// Working a ticket: replies to the employee, internal notes, field changes, resolution.
extension AgentController {
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
        let changes = try await changes(to: ticket, body)

        let since = try await lastEventID(ticket)
        let updates = changes.map { TicketUpdate(ticketNumber: ticket.number, change: $0, actor: principal.actor) }
        let outcome = try await conversations.applyAgentUpdates(ticketNumber: ticket.number, updates)
        context.logger.info("ticket changed", metadata: [
            "ticket": "\(ticket.number)", "agent": "\(principal.name)", "fields": "\(body.keys.sorted().joined(separator: ","))",
        ])
        return try await changeResponse(outcome, since: since, status: .ok)
    }

    /// The changes a PATCH body asks of `ticket`, every field checked before anything is written, so a
    /// refused change writes nothing. Shared by the API and the console's ticket controls, so both record
    /// the same history events.
    func changes(to ticket: Ticket, _ body: [String: JSONValue]) async throws -> [TicketUpdate.Change] {
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
            let due = dueTimes(priority, from: ticket.createdAt, calendar: calendar(for: ticket))
            changes.append(.priority(priority, firstResponseDueAt: due.firstResponse, resolutionDueAt: due.resolution))
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

        return changes
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

}
