import FirstLineCore
import Foundation
import Testing

@testable import FirstLineStore

/// The outage watch's rows (issue: outages): reports read from what turns already store, one open
/// incident per topic, and one decision per incident. Run on every store kind.
@Suite("incident store: reports, one open incident per topic, one decision")
struct IncidentStoreTests {
    @Test("reports are the articles shown and the tickets opened in the interval, oldest first", arguments: StorageKind.tested)
    func reports(kind: StorageKind) async throws {
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let db = store.database
        #expect(try await db.firstReportAt() == nil)
        let (employee, conversation) = try await db.makeEmployeeAndConversation()
        _ = try await db.recordSuggestion(conversationID: conversation.id!, articleID: "vpn-connect", query: "VPN이 안 돼요",
                                          shownAt: Fixed.later(seconds: 10))
        let sap = try await db.createTicket(NewTicket(requesterID: employee.id!, channel: .slack, subject: "SAP is down",
                                                      category: .software, priority: .p2), at: Fixed.later(seconds: 20))
        _ = try await db.recordSuggestion(conversationID: conversation.id!, articleID: "wifi-connect", query: "wifi",
                                          shownAt: Fixed.later(seconds: 700))

        let rows = try await db.reports(from: Fixed.now, to: Fixed.later(seconds: 600))
        #expect(rows == [
            ReportRow(at: Fixed.later(seconds: 10), employeeID: employee.id!, articleID: "vpn-connect", text: nil),
            ReportRow(at: Fixed.later(seconds: 20), employeeID: employee.id!, articleID: nil, text: "SAP is down", ticketID: sap.id),
        ])
        #expect(try await db.firstReportAt() == Fixed.later(seconds: 10))
    }

    @Test("a topic has one open incident; its notice is queued only with it; dismissing frees the topic", arguments: StorageKind.tested)
    func oneOpenIncidentPerTopic(kind: StorageKind) async throws {
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let db = store.database
        let suspected = Incident(topic: "article:vpn-connect", reporters: 10, reports: 12, normalLevel: 1,
                                 firstReportAt: Fixed.now, raisedAt: Fixed.now)
        let notice = NewOutboxMessage(platform: .slack, conversationKey: "C-agents", idempotencyKey: "incident:1",
                                      payload: #"{"text":"suspected"}"#)
        let raised = try #require(try await db.raiseIncident(suspected, at: Fixed.later(seconds: 5), notice: { _ in [notice] }))
        #expect(raised.status == .suspected && raised.raisedAt == Fixed.later(seconds: 5))
        let again = NewOutboxMessage(platform: .slack, conversationKey: "C-agents", idempotencyKey: "incident:2", payload: "{}")
        #expect(try await db.raiseIncident(suspected, at: Fixed.later(seconds: 6), notice: { _ in [again] }) == nil)
        #expect(try await store.count("outbox") == 1, "the refused raise queued nothing")
        #expect(try await db.suppressedTopics(dismissedSince: Fixed.now) == ["article:vpn-connect"])

        let id = try raised.storedID
        let dismissed = try await db.decideIncident(id: id, confirm: false, by: "ana", linking: [], at: Fixed.later(seconds: 60))
        #expect(dismissed.status == .dismissed && dismissed.decidedBy == "ana")
        // A dismissal keeps the topic quiet for a while (the caller's window), then not.
        #expect(try await db.suppressedTopics(dismissedSince: Fixed.later(seconds: 30)) == ["article:vpn-connect"])
        #expect(try await db.suppressedTopics(dismissedSince: Fixed.later(seconds: 120)).isEmpty)
        // Dismissed, the topic can be raised again.
        let second = try #require(try await db.raiseIncident(suspected, at: Fixed.later(seconds: 200), notice: { _ in [] }))
        #expect(second.id != raised.id)
        #expect(try await db.incidents(openOnly: true, limit: 10).map(\.id) == [second.id])
        #expect(try await db.incidents(openOnly: false, limit: 10).map(\.id) == [second.id, raised.id])
    }

    @Test("only the first decision counts; unknown incidents are not found", arguments: StorageKind.tested)
    func oneDecision(kind: StorageKind) async throws {
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let db = store.database
        let raised = try #require(try await db.raiseIncident(
            Incident(topic: "term:sap", reporters: 11, reports: 11, normalLevel: 1, firstReportAt: Fixed.now, raisedAt: Fixed.now),
            at: Fixed.now, notice: { _ in [] }))
        let id = try raised.storedID
        let confirmed = try await db.decideIncident(id: id, confirm: true, by: "bo", linking: [], at: Fixed.later(seconds: 30))
        #expect(confirmed.status == .confirmed)
        await #expect(throws: StoreError.invalidTransition(.incident, id: raised.number, from: "confirmed", to: "dismissed")) {
            _ = try await db.decideIncident(id: id, confirm: false, by: "ana", linking: [], at: Fixed.later(seconds: 40))
        }
        await #expect(throws: StoreError.notFound(.incident, "INC-999")) {
            _ = try await db.decideIncident(id: 999, confirm: true, by: "ana", linking: [], at: Fixed.later(seconds: 40))
        }
        #expect(try await db.incident(id: id)?.decidedBy == "bo")
        #expect(try await db.incident(id: 999) == nil)
        #expect(Incident.id(fromNumber: raised.number) == id && Incident.id(fromNumber: "INC-x") == nil)
    }

    @Test("confirming links the open «me too» tickets once each, with a history event; closed and taken tickets stay", arguments: StorageKind.tested)
    func confirmLinks(kind: StorageKind) async throws {
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let db = store.database
        let (employee, _) = try await db.makeEmployeeAndConversation()
        func ticket(_ subject: String) async throws -> Ticket {
            try await db.createTicket(NewTicket(requesterID: employee.id!, channel: .slack, subject: subject, category: .network,
                                                priority: .p2), at: Fixed.now)
        }
        let first = try await ticket("VPN down"), second = try await ticket("VPN again"), closed = try await ticket("VPN old")
        _ = try await db.update(TicketUpdate(ticketNumber: closed.number, change: .status(.resolved, note: nil), actor: .agent("ana")),
                                at: Fixed.later(seconds: 1))
        func raise(_ topic: String) async throws -> Incident {
            try #require(try await db.raiseIncident(
                Incident(topic: topic, reporters: 10, reports: 10, normalLevel: 1, firstReportAt: Fixed.now, raisedAt: Fixed.now),
                at: Fixed.now, notice: { _ in [] }))
        }
        let vpn = try await raise("article:vpn-connect"), other = try await raise("term:sap")
        let ids = [first.id!, second.id!, closed.id!, first.id!]
        _ = try await db.decideIncident(id: vpn.id!, confirm: true, by: "ana", linking: ids, at: Fixed.later(seconds: 10))
        #expect(try await db.linkedTickets(incidentID: vpn.id!) == [first.number, second.number])
        let history = try await db.history(number: first.number)
        #expect(history.contains { $0.kind == .incident && $0.after == vpn.number && $0.actor == .agent("ana") })
        // A ticket belongs to one incident: the second confirmation does not take it.
        _ = try await db.decideIncident(id: other.id!, confirm: true, by: "bo", linking: [first.id!], at: Fixed.later(seconds: 20))
        #expect(try await db.linkedTickets(incidentID: other.id!).isEmpty)
        // Dismissing links nothing.
        let third = try await raise("term:zoom")
        _ = try await db.decideIncident(id: third.id!, confirm: false, by: "bo", linking: [second.id!], at: Fixed.later(seconds: 30))
        #expect(try await db.linkedTickets(incidentID: third.id!).isEmpty)
    }
}
