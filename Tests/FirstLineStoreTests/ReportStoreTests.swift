import FirstLineCore
import Foundation
import Testing

@testable import FirstLineStore

/// What the reports read (issue: console, point 4), on every store kind: the tickets that matter
/// to a period with their whole history, the articles shown, the incidents with their counts.
@Suite("report store: the rows a period's figures need")
struct ReportStoreTests {
    @Test("tickets open in the period or changed in it, with history; closed before it left out; a day's look-ahead",
          arguments: StorageKind.tested)
    func input(kind: StorageKind) async throws {
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let db = store.database
        let (employee, conversation) = try await db.makeEmployeeAndConversation()
        func ticket(_ subject: String, at seconds: TimeInterval) async throws -> Ticket {
            try await db.createTicket(NewTicket(requesterID: employee.id!, channel: .slack, subject: subject, category: .network,
                                                priority: .p2), at: Fixed.later(seconds: seconds))
        }
        let from = Fixed.later(days: 1), to = Fixed.later(days: 2)
        // Resolved long before the period: not read.
        let old = try await ticket("old", at: 0)
        _ = try await db.update(TicketUpdate(ticketNumber: old.number, change: .status(.resolved, note: nil), actor: .agent("ana")),
                                at: Fixed.later(seconds: 60))
        // Opened before, resolved in the period: read with its history.
        let carried = try await ticket("carried", at: 100)
        _ = try await db.update(TicketUpdate(ticketNumber: carried.number, change: .status(.resolved, note: nil), actor: .agent("ana")),
                                at: Fixed.later(days: 1.5))
        // Opened before, still open: read (it is in the backlog).
        _ = try await ticket("still open", at: 200)
        // In the period, and just after it (the look-ahead).
        let inPeriod = try await ticket("in the period", at: 86_400 * 1.2)
        _ = try await ticket("the next morning", at: 86_400 * 2.5)
        _ = try await ticket("far later", at: 86_400 * 4)
        _ = try await db.recordSuggestion(conversationID: conversation.id!, articleID: "vpn-connect", query: "vpn",
                                          shownAt: Fixed.later(days: 1.1))
        _ = try await db.recordSuggestion(conversationID: conversation.id!, articleID: "wifi-connect", query: "wifi",
                                          shownAt: Fixed.later(days: 0.5))
        let incident = try await db.declareIncident(topic: "term:sap", by: "ana", notice: nil, at: Fixed.later(days: 1.2))
        var turn = TurnCommit(conversationID: conversation.id!, state: "{}", now: Fixed.later(days: 1.3))
        turn.incidentReport = IncidentReport(incidentNumber: incident.number, text: "SAP is down")
        _ = try await db.commitTurn(turn)
        _ = try await db.linkTicket(incidentID: try incident.storedID, ticketNumber: inPeriod.number, by: "ana",
                                    at: Fixed.later(days: 1.4))

        let input = try await db.reportInput(from: from, to: to)
        #expect(input.tickets.map(\.subject) == ["carried", "still open", "in the period", "the next morning"])
        let history = try #require(input.tickets.first)
        #expect(history.events.map(\.kind) == ["created", "status"])
        #expect(history.events.last?.after == "resolved" && history.events.last?.actor == "agent:ana")
        #expect(input.suggestions.map(\.articleID) == ["vpn-connect"])
        #expect(input.suggestions.first?.employee == employee.id)
        #expect(input.incidents.map(\.affected) == [2])
        #expect(input.incidents.first?.tickets == [inPeriod.number])
        #expect(try await db.tickets(createdFrom: from, to: to).map(\.subject) == ["in the period"])
    }
}
