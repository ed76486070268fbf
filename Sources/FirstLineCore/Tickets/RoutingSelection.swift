import Foundation

extension TicketRouter {
    /// The member of `team` who should get `ticket` now under the team's strategy, or nil when no
    /// member outside `excluded` is eligible (and, for the skills strategy, has the skills).
    func pickAgent(for ticket: RoutingTicket, in team: Team, state: RoutingState, now: Date,
                   excluding excluded: Set<String>) -> String? {
        var seen = Set<String>()
        // Listing someone twice must not give them two turns.
        let members = team.memberIDs.filter { seen.insert($0).inserted }
        let eligible = { (id: String) in !excluded.contains(id) && isEligible(id, at: now, in: state) }

        switch team.strategy {
        case .roundRobin:
            // Start right after the previous pick; someone no longer in the team restarts the turn.
            let start = state.lastAssigned[team.id].flatMap { members.firstIndex(of: $0) }.map { $0 + 1 } ?? 0
            let turn = members[min(start, members.count)...] + members[..<min(start, members.count)]
            return turn.first(where: eligible)
        case .leastOpen:
            return leastLoaded(members.filter(eligible), state: state)
        case .skills:
            let skilled = members.filter { id in
                eligible(id) && agents[id].map { ticket.requiredSkills.isSubset(of: $0.skills) } == true
            }
            return leastLoaded(skilled, state: state)
        }
    }

    /// Fewest open tickets, ties to the smallest id, so the choice does not depend on list order.
    private func leastLoaded(_ candidates: [String], state: RoutingState) -> String? {
        candidates.min { lhs, rhs in
            let left = state.openTicketCount(of: lhs), right = state.openTicketCount(of: rhs)
            return left != right ? left < right : lhs < rhs
        }
    }
}
