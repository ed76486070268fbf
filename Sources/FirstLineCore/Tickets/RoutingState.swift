import Foundation

/// A ticket waiting in a team's queue.
public struct QueuedTicket: Sendable, Equatable, Codable {
    public var ticket: RoutingTicket
    /// Agents this ticket must not go to automatically: those who left it unanswered.
    public var excludedAgentIDs: Set<String>

    public init(ticket: RoutingTicket, excludedAgentIDs: Set<String> = []) {
        self.ticket = ticket
        self.excludedAgentIDs = excludedAgentIDs
    }
}

/// What routing remembers between decisions. A plain value: the router takes one and returns
/// the next, so the caller decides when (and in which transaction) to store it.
public struct RoutingState: Sendable, Equatable, Codable {
    /// Open tickets held per agent id (missing means none).
    public var openTickets: [String: Int]
    /// The agent who got the last automatic assignment, per team id (for round robin).
    public var lastAssigned: [String: String]
    /// Waiting tickets per team id, in arrival order.
    public var queues: [String: [QueuedTicket]]

    public init(openTickets: [String: Int] = [:], lastAssigned: [String: String] = [:],
                queues: [String: [QueuedTicket]] = [:]) {
        self.openTickets = openTickets
        self.lastAssigned = lastAssigned
        self.queues = queues
    }

    public func openTicketCount(of agentID: String) -> Int {
        openTickets[agentID] ?? 0
    }

    /// The team's waiting tickets in arrival order.
    public func queue(of teamID: String) -> [QueuedTicket] {
        queues[teamID] ?? []
    }

    /// The ids of the team's waiting tickets in arrival order.
    public func queuedTicketIDs(of teamID: String) -> [String] {
        queue(of: teamID).map(\.ticket.id)
    }

    /// The state after one of `agentID`'s tickets was resolved, closed or handed back. Follow it
    /// with `TicketRouter.drain` to give the freed capacity to a waiting ticket.
    public func releasing(ticketOf agentID: String) -> RoutingState {
        var next = self
        next.release(agentID)
        return next
    }

    /// The state without `ticketID` in any queue (it was resolved or cancelled while waiting).
    public func withdrawing(_ ticketID: String) -> RoutingState {
        var next = self
        _ = next.removeFromQueue(ticketID)
        return next
    }

    // Mutating helpers for the router, which works on its own copy.

    mutating func release(_ agentID: String) {
        let count = openTicketCount(of: agentID)
        openTickets[agentID] = count > 1 ? count - 1 : nil
    }

    mutating func hold(_ agentID: String) {
        openTickets[agentID] = openTicketCount(of: agentID) + 1
    }

    mutating func enqueue(_ entry: QueuedTicket, in teamID: String) {
        queues[teamID, default: []].append(entry)
    }

    /// Removes the ticket from whichever queue holds it; returns the entry and its team.
    mutating func removeFromQueue(_ ticketID: String) -> (teamID: String, entry: QueuedTicket)? {
        for teamID in queues.keys.sorted() {
            guard let index = queues[teamID]?.firstIndex(where: { $0.ticket.id == ticketID }),
                  let entry = queues[teamID]?.remove(at: index) else { continue }
            if queues[teamID]?.isEmpty == true { queues[teamID] = nil }
            return (teamID, entry)
        }
        return nil
    }

    /// Removes the ticket from one team's queue.
    mutating func remove(_ ticketID: String, fromQueueOf teamID: String) {
        queues[teamID]?.removeAll { $0.ticket.id == ticketID }
        if queues[teamID]?.isEmpty == true { queues[teamID] = nil }
    }

    /// Where the ticket waits, without removing it.
    func queuePosition(of ticketID: String) -> (teamID: String, entry: QueuedTicket)? {
        for teamID in queues.keys.sorted() {
            if let entry = queues[teamID]?.first(where: { $0.ticket.id == ticketID }) { return (teamID, entry) }
        }
        return nil
    }
}
