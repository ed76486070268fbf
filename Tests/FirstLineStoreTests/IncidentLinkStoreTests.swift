import FirstLineCore
import Foundation
import Testing

@testable import FirstLineStore

/// Major incidents' links in the store (issue: outages, points 2–4), on every store kind: reports
/// linked by a turn, unlinked, tickets linked by hand, notices and the resolution, and a link told once.
@Suite("incident store: links, notices, resolution and telling once")
struct IncidentLinkStoreTests {
    @Test("a turn links its conversation once; unlinking keeps the row; a resolved incident takes no new report",
          arguments: StorageKind.tested)
    func reportLinks(kind: StorageKind) async throws {
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let db = store.database
        let (_, conversation) = try await db.makeEmployeeAndConversation()
        let conversationID = try #require(conversation.id)
        let incident = try await db.declareIncident(topic: "article:vpn-connect", by: "ana", notice: nil, at: Fixed.now)
        #expect(incident.status == .confirmed && incident.decidedBy == "ana")
        let id = try incident.storedID
        #expect(try await db.activeIncidents().map(\.id) == [id])

        var turn = TurnCommit(conversationID: conversationID, state: "{}", now: Fixed.later(seconds: 10))
        turn.incidentReport = IncidentReport(incidentNumber: incident.number, text: "VPN이 안 돼요")
        _ = try await db.commitTurn(turn)
        turn.now = Fixed.later(seconds: 20)
        _ = try await db.commitTurn(turn)
        var links = try await db.incidentLinks(incidentID: id)
        #expect(links.count == 1)
        #expect(links.first?.text == "VPN이 안 돼요" && links.first?.linkedBy == "bot" && links.first?.ticketID == nil)

        var unlink = TurnCommit(conversationID: conversationID, state: "{}", now: Fixed.later(seconds: 30))
        unlink.incidentUnlink = incident.number
        _ = try await db.commitTurn(unlink)
        links = try await db.incidentLinks(incidentID: id)
        #expect(links.first?.unlinkedAt == Fixed.later(seconds: 30))

        _ = try await db.resolveIncident(id: id, note: nil, by: "ana", at: Fixed.later(seconds: 40))
        #expect(try await db.pendingIncidentBroadcasts(limit: 10).isEmpty, "an unlinked employee is not told")
        turn.now = Fixed.later(seconds: 50)
        _ = try await db.commitTurn(turn)
        #expect(try await db.incidentLinks(incidentID: id).first?.unlinkedAt != nil, "no report joins a resolved incident")
        #expect(try await db.activeIncidents().isEmpty)
    }

    @Test("notices and resolution only on a confirmed incident; a declared topic that is open is a duplicate", arguments: StorageKind.tested)
    func noticesAndResolution(kind: StorageKind) async throws {
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let db = store.database
        let incident = try await db.declareIncident(topic: "term:sap", by: "ana", notice: IncidentNote(ja: "復旧中です"),
                                                    at: Fixed.now)
        let id = try incident.storedID
        #expect(incident.notice == IncidentNote(ja: "復旧中です"))
        await #expect(throws: StoreError.self) {
            _ = try await db.declareIncident(topic: "term:sap", by: "bo", notice: nil, at: Fixed.now)
        }
        let edited = try await db.setIncidentNotice(id: id, notice: IncidentNote(ko: "복구 중", en: "Being fixed"), at: Fixed.now)
        #expect(edited.notice?.texts == [.ko: "복구 중", .en: "Being fixed"])
        #expect(try await db.activeIncidents().first?.notice == edited.notice)
        #expect(try await db.setIncidentNotice(id: id, notice: IncidentNote(en: "  "), at: Fixed.now).notice == nil,
                "a blank notice ends it")
        let resolved = try await db.resolveIncident(id: id, note: IncidentNote(en: "Patched"), by: "bo", at: Fixed.later(seconds: 60))
        #expect(resolved.status == .resolved && resolved.resolvedBy == "bo" && resolved.resolutionNote == IncidentNote(en: "Patched"))
        #expect(resolved.resolvedAt == Fixed.later(seconds: 60))
        for change in [
            { _ = try await db.resolveIncident(id: id, note: nil, by: "bo", at: Fixed.now) },
            { _ = try await db.setIncidentNotice(id: id, notice: IncidentNote(en: "x"), at: Fixed.now) },
            { _ = try await db.resolveIncident(id: 999, note: nil, by: "bo", at: Fixed.now) },
        ] as [@Sendable () async throws -> Void] {
            await #expect(throws: StoreError.self) { try await change() }
        }
        // Resolved, the topic is free again.
        #expect(try await db.declareIncident(topic: "term:sap", by: "ana", notice: nil, at: Fixed.later(seconds: 90)).id != id)
    }

    @Test("a ticket is linked by hand once, to one incident; its conversation's report row takes it; told once",
          arguments: StorageKind.tested)
    func ticketLinksAndTellingOnce(kind: StorageKind) async throws {
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let db = store.database
        let (employee, conversation) = try await db.makeEmployeeAndConversation()
        let conversationID = try #require(conversation.id)
        let first = try await db.declareIncident(topic: "article:vpn-connect", by: "ana", notice: nil, at: Fixed.now)
        let second = try await db.declareIncident(topic: "term:sap", by: "ana", notice: nil, at: Fixed.now)
        var turn = TurnCommit(conversationID: conversationID, state: "{}", now: Fixed.now)
        turn.incidentReport = IncidentReport(incidentNumber: first.number, text: "VPN is down")
        _ = try await db.commitTurn(turn)
        let ticket = try await db.createTicket(NewTicket(requesterID: employee.id!, conversationID: conversationID, channel: .slack,
                                                         subject: "VPN down", category: .network, priority: .p2), at: Fixed.now)
        let link = try await db.linkTicket(incidentID: try first.storedID, ticketNumber: ticket.number, by: "ana", at: Fixed.now)
        #expect(link.ticketID == ticket.id && link.conversationID == conversationID)
        #expect(try await db.incidentLinks(incidentID: try first.storedID).count == 1, "the report's row took the ticket")
        #expect(try await db.history(number: ticket.number).contains { $0.kind == .incident && $0.after == first.number })
        await #expect(throws: StoreError.self) {
            _ = try await db.linkTicket(incidentID: try second.storedID, ticketNumber: ticket.number, by: "ana", at: Fixed.now)
        }
        await #expect(throws: StoreError.self) {
            _ = try await db.linkTicket(incidentID: try first.storedID, ticketNumber: "HD-404", by: "ana", at: Fixed.now)
        }

        _ = try await db.resolveIncident(id: try first.storedID, note: nil, by: "ana", at: Fixed.later(seconds: 5))
        let pending = try await db.pendingIncidentBroadcasts(limit: 10)
        #expect(pending.count == 1)
        #expect(pending.first?.ticketNumber == ticket.number)
        var told = TurnCommit(conversationID: conversationID, state: "{}", now: Fixed.later(seconds: 6))
        told.incidentNotified = pending.first?.link.id
        told.outbox = [NewOutboxMessage(platform: .slack, conversationKey: conversation.conversationKey,
                                        idempotencyKey: "incident:INC-1:resolved:\(conversationID):1", payload: "{}")]
        _ = try await db.commitTurn(told)
        #expect(try await db.pendingIncidentBroadcasts(limit: 10).isEmpty)
        // Told again (a second replica, a replay): the whole turn fails and queues nothing more.
        told.outbox = [NewOutboxMessage(platform: .slack, conversationKey: conversation.conversationKey,
                                        idempotencyKey: "incident:INC-1:resolved:\(conversationID):2", payload: "{}")]
        await #expect(throws: StoreError.self) { _ = try await db.commitTurn(told) }
        #expect(try await store.count("outbox") == 1)
    }
}
