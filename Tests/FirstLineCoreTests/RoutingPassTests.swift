import FirstLineCore
import Foundation
import Testing

/// The desk's whole routing pass (`TicketRouter.pass`): silent assignees first, then arrivals,
/// then the queues; and away agents.
@Suite("routing pass: reassign, arrive, drain")
struct RoutingPassTests {
    typealias R = RoutingFixtures

    @Test("a silent assignee's ticket moves before arrivals are served, and arrivals do not overtake the queue")
    func order() {
        // ana holds A (silent for 20 minutes); bo and cy are free; D waits in the desk queue.
        let router = R.router { $0.capacity = 1 }
        var state = RoutingState(openTickets: ["ana": 1], lastAssigned: ["desk": "ana"])
        state.queues["desk"] = [QueuedTicket(ticket: R.ticket("D", .account, minutesAgo: 30))]
        let silent = AssignedTicket(ticket: R.ticket("A", .email, minutesAgo: 40), agentID: "ana",
                                    assignedAt: R.now.addingTimeInterval(-20 * 60), hasResponded: false)
        let outcome = router.pass(state: state, arrivals: [R.ticket("N", .software)], dueReassignments: [silent], now: R.now)
        // A leaves ana for bo (next in turn); D, older, is served before N; N gets ana, who is free again
        // now that A is gone, but A itself never goes back to her.
        #expect(outcome.decisions == [
            .assigned(ticketID: "A", agentID: "bo", teamID: "desk", reason: .reassigned(from: "ana", .roundRobin)),
            .assigned(ticketID: "D", agentID: "cy", teamID: "desk", reason: .dequeued(.roundRobin)),
            .assigned(ticketID: "N", agentID: "ana", teamID: "desk", reason: .routed(.roundRobin)),
        ])
        #expect(outcome.state.queue(of: "desk").isEmpty)
        #expect(["ana", "bo", "cy"].allSatisfy { outcome.state.openTicketCount(of: $0) == 1 })
    }

    @Test("agents marked away get nothing; the same router without the mark assigns at once")
    func away() {
        let router = R.router()
        let arrivals = [R.ticket("X", .account)]
        let away = router.marking(away: ["ana", "bo", "cy"])
            .pass(state: RoutingState(), arrivals: arrivals, dueReassignments: [], now: R.now)
        #expect(away.decisions == [.queued(ticketID: "X", teamID: "desk")])
        let back = router.pass(state: away.state, arrivals: [], dueReassignments: [], now: R.now)
        #expect(back.decisions.count == 1)
        if case let .assigned(ticket, agent, _, reason) = back.decisions[0] {
            #expect(ticket == "X" && ["ana", "bo", "cy"].contains(agent))
            #expect(reason == .dequeued(.roundRobin))
        } else {
            Issue.record("expected an assignment, got \(back.decisions)")
        }
    }
}
