import FirstLineCore
import FirstLineStore
import Foundation
import Logging

/// Sends "it is fixed" to everyone linked to a resolved major incident (issue: outages, point 4).
/// It works from the links not yet told, so a pass cut short by a restart (or by a failure) is
/// taken up by the next one, and a link told is never told again: each message is committed with
/// its link marked told. The outbox then delivers them at the platforms' own pace, with retries.
public struct IncidentBroadcaster: Sendable {
    let store: any IncidentStore & TicketRepository
    let conversations: ConversationService
    let clock: any ServerClock
    let logger: Logger
    /// Links read per batch; a pass goes on until none is left.
    var batch = 200

    public init(store: any IncidentStore & TicketRepository, conversations: ConversationService, clock: any ServerClock,
                logger: Logger) {
        self.store = store
        self.conversations = conversations
        self.clock = clock
        self.logger = logger
    }

    /// One pass over every link still to tell; returns how many employees were told. `limit`
    /// stops early (tests use it to stop a broadcast half-way, as a crash would).
    @discardableResult
    public func pass(limit: Int = .max) async throws -> Int {
        var told = 0
        var incidents: [Int64: Incident] = [:]
        var failed: Set<Int64> = []
        while told < limit {
            let pending = try await store.pendingIncidentBroadcasts(limit: batch).filter { !failed.contains($0.link.id ?? 0) }
            guard !pending.isEmpty else { break }
            for item in pending.prefix(limit - told) {
                let linkID = item.link.id ?? 0
                do {
                    guard let incident = try await incident(item.link.incidentID, cache: &incidents) else { continue }
                    if try await tell(item, incident: incident) { told += 1 }
                } catch {
                    // One employee's failure (a conversation deleted meanwhile) must not stop the others;
                    // the next pass tries it again.
                    failed.insert(linkID)
                    logger.error("incident broadcast failed for a link", metadata: [
                        "incident": "INC-\(item.link.incidentID)", "link": "\(linkID)", "error": "\(error)",
                    ])
                }
            }
        }
        if told > 0 { logger.notice("incident resolution told", metadata: ["employees": "\(told)"]) }
        return told
    }

    private func tell(_ item: PendingIncidentBroadcast, incident: Incident) async throws -> Bool {
        if item.link.conversationID != nil {
            return try await conversations.tellIncidentResolved(item, incident: incident) != nil
        }
        // A ticket with no conversation (a phone call, a walk-in): resolved with the incident, nobody to message.
        if let number = item.ticketNumber, let ticket = try await store.ticket(number: number), ticket.status.isOpen {
            _ = try await conversations.applyAgentUpdates(ticketNumber: number, [TicketUpdate(
                ticketNumber: number, change: .status(.resolved, note: "resolved with the major incident \(incident.number)"),
                actor: .agent(incident.resolvedBy ?? "system"))])
        }
        if let id = item.link.id { try await store.markIncidentLinkNotified(id: id, at: clock.now()) }
        return false
    }

    private func incident(_ id: Int64, cache: inout [Int64: Incident]) async throws -> Incident? {
        if let known = cache[id] { return known }
        let incident = try await store.incident(id: id)
        cache[id] = incident
        return incident
    }
}
