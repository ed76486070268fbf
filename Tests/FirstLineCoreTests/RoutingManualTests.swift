import FirstLineCore
import Foundation
import Testing

@Suite("Routing by hand: claim and assign")
struct RoutingManualTests {
    typealias R = RoutingFixtures

    /// HD-1 waits in the desk queue; everyone is offline, cy is full (capacity 1).
    static let router = R.router { agent in
        agent.isOnline = false
        if agent.id == "cy" { agent.capacity = 1 }
    }
    static let waiting = router.route(R.ticket("HD-1", .account), state: RoutingState(openTickets: ["cy": 1]),
                                      now: R.now).state

    @Test("an agent claims a waiting ticket of their team, online or not")
    func claim() throws {
        let outcome = try Self.router.claim(ticketID: "HD-1", agentID: "bo", state: Self.waiting)
        #expect(outcome.decisions == [.assigned(ticketID: "HD-1", agentID: "bo", teamID: "desk", reason: .claimed)])
        #expect(outcome.state.queues.isEmpty)
        #expect(outcome.state.openTickets == ["bo": 1, "cy": 1])
        #expect(outcome.state.lastAssigned.isEmpty)
    }

    static let claimErrors: [(agent: String, ticket: String, error: RoutingError)] = [
        ("zed", "HD-1", .unknownAgent("zed")),
        ("bo", "HD-9", .ticketNotQueued("HD-9")),
        ("dee", "HD-1", .notTeamMember(agentID: "dee", teamID: "desk")),
        ("cy", "HD-1", .overCapacity(agentID: "cy", capacity: 1)),
    ]

    @Test("claims are refused with a typed error", arguments: claimErrors)
    func claimRefused(_ agent: String, _ ticket: String, _ error: RoutingError) {
        #expect(throws: error) { try Self.router.claim(ticketID: ticket, agentID: agent, state: Self.waiting) }
    }

    @Test("a lead assigns a waiting ticket to anyone below capacity, even outside the team or offline")
    func assignFromQueue() throws {
        let outcome = try Self.router.assign(R.ticket("HD-1", .account), to: "dee", state: Self.waiting)
        #expect(outcome.decisions == [.assigned(ticketID: "HD-1", agentID: "dee", teamID: "desk", reason: .manual)])
        #expect(outcome.state.queues.isEmpty)
        #expect(outcome.state.openTickets == ["dee": 1, "cy": 1])
    }

    @Test("a lead moves an assigned ticket from one agent to another")
    func assignReplacing() throws {
        let state = RoutingState(openTickets: ["ana": 2], lastAssigned: ["network": "bo"])
        let outcome = try Self.router.assign(R.ticket("HD-7", .network), to: "bo", replacing: "ana", state: state)
        #expect(outcome.decisions == [.assigned(ticketID: "HD-7", agentID: "bo", teamID: "network", reason: .manual)])
        #expect(outcome.state.openTickets == ["ana": 1, "bo": 1])
        #expect(outcome.state.lastAssigned == ["network": "bo"])
    }

    static let assignErrors: [(agent: String, replacing: String?, error: RoutingError)] = [
        ("zed", nil, .unknownAgent("zed")),
        ("cy", nil, .overCapacity(agentID: "cy", capacity: 1)),
        ("ana", "ana", .alreadyAssigned(ticketID: "HD-1", agentID: "ana")),
    ]

    @Test("assignments are refused with a typed error", arguments: assignErrors)
    func assignRefused(_ agent: String, _ replacing: String?, _ error: RoutingError) {
        #expect(throws: error) {
            try Self.router.assign(R.ticket("HD-1", .account), to: agent, replacing: replacing, state: Self.waiting)
        }
    }
}
