import Foundation

/// Decides who works which ticket (design §5): category → team, then the team's strategy picks an
/// eligible member, or the ticket waits in the team's queue.
///
/// An agent is *eligible* at `now` when they are online, inside their calendar's hours and below
/// their capacity. Pure: every method takes the state and the time and returns the decisions and
/// the next state; nothing is read from a clock or changed in place.
///
/// Queues are served most urgent first, then oldest first (by `createdAt`), then in arrival order.
/// A ticket nobody can take does not block the ones behind it: a waiting P2 that needs a skill
/// nobody on duty has does not stop a P3 from going to whoever is free.
public struct TicketRouter: Sendable {
    /// In order: when several teams own a category, the first one gets it.
    public let teams: [Team]
    /// Gets the tickets of categories no team owns, and uncategorised tickets.
    public let defaultTeamID: String
    /// Agents by id. Update an agent (going online, changing hours) and call `drain`.
    public var agents: [String: Agent]
    /// How long (wall-clock minutes) an assignee may leave a ticket unanswered before
    /// `reassignUnresponsive` gives it to someone else.
    public var reassignAfterMinutes: Int

    private let teamsByID: [String: Team]
    /// The team of `defaultTeamID`, found once: every category has a team.
    private let defaultTeam: Team

    /// Fails with `unknownTeam` when the default team is not among `teams`.
    public init(teams: [Team], agents: [Agent], defaultTeamID: String,
                reassignAfterMinutes: Int = 15) throws(RoutingError) {
        let byID = Dictionary(teams.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        guard let defaultTeam = byID[defaultTeamID] else { throw .unknownTeam(defaultTeamID) }
        self.teams = teams
        self.defaultTeamID = defaultTeamID
        self.agents = Dictionary(agents.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.reassignAfterMinutes = reassignAfterMinutes
        teamsByID = byID
        self.defaultTeam = defaultTeam
    }

    /// The team that gets tickets of `category`.
    public func team(for category: ArticleCategory?) -> Team {
        if let category, let owner = teams.first(where: { $0.categories.contains(category) }) { return owner }
        return defaultTeam
    }

    /// Online, inside their hours at `now` and below capacity.
    public func isEligible(_ agentID: String, at now: Date, in state: RoutingState) -> Bool {
        guard let agent = agents[agentID] else { return false }
        return agent.isOnline && state.openTicketCount(of: agentID) < agent.capacity && agent.calendar.isOpen(at: now)
    }

    /// Routes a new ticket to its team: assigned to an eligible member by the team's strategy, or
    /// queued. Tickets already waiting in that team's queue are served first in queue order, so a
    /// newcomer never overtakes a more urgent or older ticket; their assignments come back too.
    /// Routing a ticket that is already waiting moves it (say, after its category changed).
    public func route(_ ticket: RoutingTicket, state: RoutingState, now: Date) -> RoutingOutcome {
        let team = team(for: ticket.category)
        var next = state
        _ = next.removeFromQueue(ticket.id)
        next.enqueue(QueuedTicket(ticket: ticket), in: team.id)
        var decisions = serveQueues(&next, of: [team.id], now: now, arriving: ticket.id)
        if next.queuePosition(of: ticket.id) != nil {
            decisions.append(.queued(ticketID: ticket.id, teamID: team.id))
        }
        return RoutingOutcome(decisions: decisions, state: next)
    }

    /// Assigns waiting tickets of every team to whoever is eligible now, in queue order. Call it
    /// when capacity frees (a ticket closed), an agent comes online, or working hours begin.
    /// Only assignments are returned; tickets nobody can take stay queued.
    public func drain(state: RoutingState, now: Date) -> RoutingOutcome {
        var next = state
        let decisions = serveQueues(&next, of: Set(next.queues.keys), now: now, arriving: nil)
        return RoutingOutcome(decisions: decisions, state: next)
    }

    /// Takes back tickets whose assignee has not responded within `reassignAfterMinutes` of the
    /// assignment and gives each to another eligible member, never the same agent nor one who
    /// already let it pass; without one the ticket is queued and remembers whom to avoid.
    /// Tickets are handled most urgent first, then oldest first.
    public func reassignUnresponsive(_ tickets: [AssignedTicket], state: RoutingState, now: Date) -> RoutingOutcome {
        let limit = TimeInterval(reassignAfterMinutes) * 60
        let overdue = tickets
            .filter { !$0.hasResponded && now.timeIntervalSince($0.assignedAt) >= limit }
            .sorted { RoutingTicket.servedBefore($0.ticket, $1.ticket) }
        var next = state
        var decisions: [RoutingDecision] = []
        for assigned in overdue {
            next.release(assigned.agentID)
            let avoid = assigned.passedOverIDs.union([assigned.agentID])
            let team = team(for: assigned.ticket.category)
            if let agentID = pickAgent(for: assigned.ticket, in: team, state: next, now: now, excluding: avoid) {
                next.hold(agentID)
                next.lastAssigned[team.id] = agentID
                decisions.append(.assigned(ticketID: assigned.ticket.id, agentID: agentID, teamID: team.id,
                                           reason: .reassigned(from: assigned.agentID, team.strategy)))
            } else {
                next.enqueue(QueuedTicket(ticket: assigned.ticket, excludedAgentIDs: avoid), in: team.id)
                decisions.append(.queued(ticketID: assigned.ticket.id, teamID: team.id))
            }
        }
        return RoutingOutcome(decisions: decisions, state: next)
    }

    /// An agent takes a waiting ticket from one of their teams' queues. Being online or inside
    /// working hours is not checked (the agent is evidently at work); capacity is.
    public func claim(ticketID: String, agentID: String, state: RoutingState) throws(RoutingError) -> RoutingOutcome {
        guard let agent = agents[agentID] else { throw .unknownAgent(agentID) }
        guard let (teamID, _) = state.queuePosition(of: ticketID) else { throw .ticketNotQueued(ticketID) }
        guard teamsByID[teamID]?.memberIDs.contains(agentID) == true else {
            throw .notTeamMember(agentID: agentID, teamID: teamID)
        }
        guard state.openTicketCount(of: agentID) < agent.capacity else {
            throw .overCapacity(agentID: agentID, capacity: agent.capacity)
        }
        var next = state
        _ = next.removeFromQueue(ticketID)
        next.hold(agentID)
        return RoutingOutcome(decisions: [.assigned(ticketID: ticketID, agentID: agentID, teamID: teamID, reason: .claimed)],
                              state: next)
    }

    /// A person (a lead) gives a ticket to an agent, from the queue or from `currentAgentID`.
    /// Any known agent below capacity may receive it, in or outside the team and whether online or
    /// not: the person deciding knows something the router does not. Does not move the team's
    /// round-robin turn.
    public func assign(_ ticket: RoutingTicket, to agentID: String, replacing currentAgentID: String? = nil,
                       state: RoutingState) throws(RoutingError) -> RoutingOutcome {
        guard let agent = agents[agentID] else { throw .unknownAgent(agentID) }
        guard currentAgentID != agentID else { throw .alreadyAssigned(ticketID: ticket.id, agentID: agentID) }
        guard state.openTicketCount(of: agentID) < agent.capacity else {
            throw .overCapacity(agentID: agentID, capacity: agent.capacity)
        }
        var next = state
        if let currentAgentID { next.release(currentAgentID) }
        let teamID = next.removeFromQueue(ticket.id)?.teamID ?? team(for: ticket.category).id
        next.hold(agentID)
        return RoutingOutcome(decisions: [.assigned(ticketID: ticket.id, agentID: agentID, teamID: teamID, reason: .manual)],
                              state: next)
    }

    /// Serves the queues of `teamIDs` together in serving order, assigning each ticket that has an
    /// eligible agent. `arriving` is the ticket being routed right now (reason `.routed`).
    private func serveQueues(_ state: inout RoutingState, of teamIDs: Set<String>, now: Date,
                             arriving: String?) -> [RoutingDecision] {
        let waiting = teamIDs.sorted().flatMap { teamID in state.queue(of: teamID).map { (teamID, $0) } }
        // `sorted` is not guaranteed stable, so arrival order is made explicit as the last key.
        let order = waiting.indices.sorted { lhs, rhs in
            let left = waiting[lhs].1.ticket, right = waiting[rhs].1.ticket
            if RoutingTicket.servedBefore(left, right) { return true }
            if RoutingTicket.servedBefore(right, left) { return false }
            return lhs < rhs
        }
        var decisions: [RoutingDecision] = []
        for index in order {
            let (teamID, entry) = waiting[index]
            guard let team = teamsByID[teamID],
                  let agentID = pickAgent(for: entry.ticket, in: team, state: state, now: now,
                                          excluding: entry.excludedAgentIDs)
            else { continue }
            state.remove(entry.ticket.id, fromQueueOf: teamID)
            state.hold(agentID)
            state.lastAssigned[teamID] = agentID
            let reason: AssignmentReason = entry.ticket.id == arriving ? .routed(team.strategy) : .dequeued(team.strategy)
            decisions.append(.assigned(ticketID: entry.ticket.id, agentID: agentID, teamID: teamID, reason: reason))
        }
        return decisions
    }
}

extension TicketRouter {
    /// The same router with these agents marked offline (they said they are away).
    public func marking(away agentIDs: Set<String>) -> TicketRouter {
        var router = self
        for id in agentIDs { router.agents[id]?.isOnline = false }
        return router
    }

    /// One full routing pass, in the order that keeps promises: take back tickets whose assignee
    /// stayed silent, route the newly arrived tickets (oldest first), then give freed capacity to
    /// whatever still waits.
    public func pass(state: RoutingState, arrivals: [RoutingTicket], dueReassignments: [AssignedTicket],
                     now: Date) -> RoutingOutcome {
        var decisions: [RoutingDecision] = []
        let reassigned = reassignUnresponsive(dueReassignments, state: state, now: now)
        decisions += reassigned.decisions
        var next = reassigned.state
        for ticket in arrivals {
            let outcome = route(ticket, state: next, now: now)
            decisions += outcome.decisions
            next = outcome.state
        }
        let drained = drain(state: next, now: now)
        return RoutingOutcome(decisions: decisions + drained.decisions, state: drained.state)
    }
}
