import FirstLineCore
import Foundation
import Testing

@Suite("Routing strategies")
struct RoutingStrategyTests {
    typealias R = RoutingFixtures

    /// Why an agent cannot take a ticket.
    enum Unavailable: Sendable { case offline, outOfHours, full }

    @Test("round robin takes turns in member order and wraps around")
    func roundRobinRotates() {
        let tickets = (1...4).map { R.ticket("HD-\($0)", .account) }
        let (decisions, state) = R.routeAll(tickets, with: R.router())
        #expect(decisions == zip(tickets, ["ana", "bo", "cy", "ana"]).map { ticket, agent in
            .assigned(ticketID: ticket.id, agentID: agent, teamID: "desk", reason: .routed(.roundRobin))
        })
        #expect(state.lastAssigned["desk"] == "ana")
        #expect(state.openTickets == ["ana": 2, "bo": 1, "cy": 1])
        #expect(state.queues.isEmpty)
    }

    static let skips: [(unavailable: [String: Unavailable], expected: String?)] = [
        ([:], "ana"),
        (["ana": .offline], "bo"),
        (["ana": .outOfHours], "bo"),
        (["ana": .full], "bo"),
        (["ana": .offline, "bo": .outOfHours], "cy"),
        (["ana": .full, "bo": .offline, "cy": .outOfHours], nil),
    ]

    @Test("round robin skips offline, out-of-hours and full agents; nobody left → queued", arguments: skips)
    func roundRobinSkips(_ unavailable: [String: Unavailable], _ expected: String?) {
        let router = R.router { agent in
            switch unavailable[agent.id] {
            case .offline: agent.isOnline = false
            case .outOfHours: agent.calendar = R.nights
            case .full, nil: break
            }
        }
        let full = unavailable.filter { $0.value == .full }.mapValues { _ in 3 }
        let outcome = router.route(R.ticket("HD-1", .email), state: RoutingState(openTickets: full), now: R.now)
        if let expected {
            #expect(outcome.decisions == [.assigned(ticketID: "HD-1", agentID: expected, teamID: "desk",
                                                    reason: .routed(.roundRobin))])
        } else {
            #expect(outcome.decisions == [.queued(ticketID: "HD-1", teamID: "desk")])
            #expect(outcome.state.queuedTicketIDs(of: "desk") == ["HD-1"])
            #expect(outcome.state.openTickets == full)
        }
    }

    static let turns: [(last: String?, expected: String)] = [
        (nil, "ana"), ("ana", "bo"), ("bo", "cy"), ("cy", "ana"), ("zed", "ana"),
    ]

    @Test("round robin starts after the previous pick; an unknown previous pick restarts the turn", arguments: turns)
    func roundRobinTurn(_ last: String?, _ expected: String) {
        let state = RoutingState(lastAssigned: last.map { ["desk": $0] } ?? [:])
        let outcome = R.router().route(R.ticket("HD-1", .account), state: state, now: R.now)
        #expect(outcome.decisions.first == .assigned(ticketID: "HD-1", agentID: expected, teamID: "desk",
                                                     reason: .routed(.roundRobin)))
    }

    @Test("round robin wraps past a skipped agent")
    func roundRobinWrapsPastSkipped() {
        let router = R.router { if $0.id == "cy" { $0.isOnline = false } }
        let outcome = router.route(R.ticket("HD-1", .account), state: RoutingState(lastAssigned: ["desk": "bo"]), now: R.now)
        #expect(outcome.decisions == [.assigned(ticketID: "HD-1", agentID: "ana", teamID: "desk", reason: .routed(.roundRobin))])
    }

    static let loads: [(open: [String: Int], offline: Set<String>, expected: String)] = [
        (["bo": 3, "dee": 1, "cy": 1], [], "cy"),   // tie between cy and dee goes to the smaller id
        ([:], [], "bo"),
        (["bo": 2, "cy": 1], [], "dee"),
        (["bo": 1, "dee": 1], ["cy"], "bo"),
        (["bo": 2, "dee": 1, "cy": 0], ["cy"], "dee"),
    ]

    @Test("least open picks the least loaded eligible member, ties by id", arguments: loads)
    func leastOpen(_ open: [String: Int], _ offline: Set<String>, _ expected: String) {
        let router = R.router { $0.isOnline = !offline.contains($0.id) }
        let outcome = router.route(R.ticket("HD-1", .network), state: RoutingState(openTickets: open), now: R.now)
        #expect(outcome.decisions == [.assigned(ticketID: "HD-1", agentID: expected, teamID: "network",
                                                reason: .routed(.leastOpen))])
        #expect(outcome.state.openTicketCount(of: expected) == (open[expected] ?? 0) + 1)
    }

    static let skillCases: [(skills: Set<String>, open: [String: Int], offline: Set<String>, expected: String?)] = [
        (["sap"], ["dee": 2], [], "dee"),            // the skill beats a lighter load
        (["windows"], [:], [], "ana"),
        ([], ["ana": 1], [], "dee"),                  // no skill needed: least loaded
        ([], [:], [], "ana"),                         // … ties by id
        (["sap", "korean"], [:], [], nil),            // nobody has both
        (["sap"], [:], ["dee"], nil),                 // the one who has it is offline: wait for them
    ]

    @Test("skills picks an agent with every required skill, else queues", arguments: skillCases)
    func skills(_ skills: Set<String>, _ open: [String: Int], _ offline: Set<String>, _ expected: String?) {
        let router = R.router { $0.isOnline = !offline.contains($0.id) }
        let outcome = router.route(R.ticket("HD-1", .access, skills: skills), state: RoutingState(openTickets: open), now: R.now)
        let decision: RoutingDecision = expected.map {
            .assigned(ticketID: "HD-1", agentID: $0, teamID: "specialists", reason: .routed(.skills))
        } ?? .queued(ticketID: "HD-1", teamID: "specialists")
        #expect(outcome.decisions == [decision])
    }

    static let owners: [(category: ArticleCategory?, team: String)] = [
        (.account, "desk"), (.software, "desk"), (.network, "network"), (.security, "specialists"),
        (.hardware, "desk"), (.facilities, "desk"), (nil, "desk"),
    ]

    @Test("category → owning team; unowned and uncategorised → default team", arguments: owners)
    func owningTeam(_ category: ArticleCategory?, _ team: String) {
        #expect(R.router().team(for: category).id == team)
        let outcome = R.routerWithOnly([]).route(R.ticket("HD-1", category), state: RoutingState(), now: R.now)
        #expect(outcome.decisions == [.queued(ticketID: "HD-1", teamID: team)])
    }

    @Test("a category listed by two teams goes to the first; an unknown default team is refused")
    func teamSetup() throws {
        let second = Team(id: "second", categories: [.network, .hardware], memberIDs: ["dee"], strategy: .leastOpen)
        let router = R.router(teams: [R.desk, R.network, second])
        #expect(router.team(for: .network).id == "network")
        #expect(router.team(for: .hardware).id == "second")
        #expect(throws: RoutingError.unknownTeam("nope")) {
            try TicketRouter(teams: [R.desk], agents: R.agents, defaultTeamID: "nope")
        }
    }

    @Test("an agent listed twice gets one turn, and unknown members are never picked")
    func oddMembers() {
        let team = Team(id: "desk", categories: [.account], memberIDs: ["ghost", "ana", "ana", "bo"], strategy: .roundRobin)
        let tickets = (1...3).map { R.ticket("HD-\($0)", .account) }
        let (decisions, _) = R.routeAll(tickets, with: R.router(teams: [team]))
        #expect(decisions.map { decision -> String? in
            if case let .assigned(_, agent, _, _) = decision { return agent }
            return nil
        } == ["ana", "bo", "ana"])
    }
}
