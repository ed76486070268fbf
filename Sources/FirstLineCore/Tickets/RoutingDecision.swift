import Foundation

/// Why a ticket went to an agent; written to the ticket's history.
public enum AssignmentReason: Sendable, Equatable {
    /// Picked by the team's strategy when the ticket arrived.
    case routed(RoutingStrategy)
    /// Picked by the team's strategy from the queue, once someone was free.
    case dequeued(RoutingStrategy)
    /// The previous assignee did not respond in time; picked by the team's strategy.
    case reassigned(from: String, RoutingStrategy)
    /// The agent took the ticket from the queue.
    case claimed
    /// Someone (a lead) chose the agent.
    case manual
}

/// One routing decision. Decisions are values for the caller to apply and record; the router
/// changes nothing itself.
public enum RoutingDecision: Sendable, Equatable {
    case assigned(ticketID: String, agentID: String, teamID: String, reason: AssignmentReason)
    /// Nobody eligible: the ticket waits in the team's queue.
    case queued(ticketID: String, teamID: String)
}

/// Decisions in the order they were taken, and the state after all of them.
public struct RoutingOutcome: Sendable, Equatable {
    public var decisions: [RoutingDecision]
    public var state: RoutingState

    public init(decisions: [RoutingDecision], state: RoutingState) {
        self.decisions = decisions
        self.state = state
    }
}

/// Why a manual routing request was refused, or the router could not be set up.
public enum RoutingError: Error, Sendable, Equatable {
    case unknownAgent(String)
    case unknownTeam(String)
    /// The agent already holds `capacity` open tickets.
    case overCapacity(agentID: String, capacity: Int)
    /// `claim` is only for tickets that are waiting in a queue.
    case ticketNotQueued(String)
    /// An agent may only claim tickets from the queues of teams they belong to.
    case notTeamMember(agentID: String, teamID: String)
    /// The ticket is already with that agent.
    case alreadyAssigned(ticketID: String, agentID: String)
}
