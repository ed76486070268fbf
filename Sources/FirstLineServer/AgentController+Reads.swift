import FirstLineCore
import FirstLineStore
import FirstLineMessengers
import Foundation
import Hummingbird
import Logging
import NIOCore

// The queue, one ticket with its transcript, and its history.
extension AgentController {
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
        if let raw = parameters["category"] {
            guard let category = TicketCategory(rawValue: String(raw)) else {
                throw AppError.invalidField(field: "category", reason: "must be one of \(Self.names(TicketCategory.allCases))")
            }
            query.category = category
        }
        if let raw = parameters["channel"] {
            guard let channel = TicketChannel(rawValue: String(raw)) else {
                throw AppError.invalidField(field: "channel", reason: "must be one of \(Self.names(TicketChannel.allCases))")
            }
            query.channel = channel
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

}
