import FirstLineCore
import Foundation
import Testing

@Suite("Routing queues and reassignment")
struct RoutingQueueTests {
    typealias R = RoutingFixtures

    @Test("the queue drains most urgent first, then oldest, when an agent comes online and when a ticket closes")
    func drainInOrder() {
        let tickets = [
            R.ticket("HD-1", .account, .p3, minutesAgo: 60),
            R.ticket("HD-2", .account, .p1, minutesAgo: 30),
            R.ticket("HD-3", .account, .p3, minutesAgo: 120),
        ]
        let (queued, waiting) = R.routeAll(tickets, with: R.routerWithOnly([]))
        #expect(queued == tickets.map { .queued(ticketID: $0.id, teamID: "desk") })
        #expect(waiting.queuedTicketIDs(of: "desk") == ["HD-1", "HD-2", "HD-3"])

        // ana comes online with room for two: the P1 first, then the older P3.
        let online = R.routerWithOnly(["ana"], capacity: 2)
        let first = online.drain(state: waiting, now: R.now)
        #expect(first.decisions == [
            .assigned(ticketID: "HD-2", agentID: "ana", teamID: "desk", reason: .dequeued(.roundRobin)),
            .assigned(ticketID: "HD-3", agentID: "ana", teamID: "desk", reason: .dequeued(.roundRobin)),
        ])
        #expect(first.state.queuedTicketIDs(of: "desk") == ["HD-1"])
        #expect(online.drain(state: first.state, now: R.now).decisions.isEmpty)

        // One of ana's tickets closes: the last one goes to her.
        let second = online.drain(state: first.state.releasing(ticketOf: "ana"), now: R.now)
        #expect(second.decisions == [
            .assigned(ticketID: "HD-1", agentID: "ana", teamID: "desk", reason: .dequeued(.roundRobin)),
        ])
        #expect(second.state.queues.isEmpty)
        #expect(second.state.openTickets == ["ana": 2])
    }

    @Test("draining when working hours begin")
    func drainWhenHoursBegin() {
        let router = R.router { if $0.id != "bo" { $0.isOnline = false } else { $0.calendar = R.nights } }
        let waiting = router.route(R.ticket("HD-1", .account), state: RoutingState(), now: R.now).state
        #expect(router.drain(state: waiting, now: R.now.addingTimeInterval(3600)).decisions.isEmpty)
        let evening = CalendarFixtures.at("2026-05-04T18:00:00+09:00")
        #expect(router.drain(state: waiting, now: evening).decisions == [
            .assigned(ticketID: "HD-1", agentID: "bo", teamID: "desk", reason: .dequeued(.roundRobin)),
        ])
    }

    @Test("a new ticket does not overtake an older or more urgent one already waiting")
    func newcomerWaitsItsTurn() {
        let router = R.routerWithOnly(["ana"], capacity: 1)
        let full = RoutingState(openTickets: ["ana": 1])
        let waiting = router.route(R.ticket("HD-1", .account, .p2, minutesAgo: 30), state: full, now: R.now).state

        // ana is free again but nobody drained yet; a less urgent newcomer arrives.
        let free = waiting.releasing(ticketOf: "ana")
        let later = router.route(R.ticket("HD-2", .account, .p4), state: free, now: R.now)
        #expect(later.decisions == [
            .assigned(ticketID: "HD-1", agentID: "ana", teamID: "desk", reason: .dequeued(.roundRobin)),
            .queued(ticketID: "HD-2", teamID: "desk"),
        ])

        // A more urgent newcomer goes first even though HD-1 is older.
        let urgent = router.route(R.ticket("HD-3", .account, .p1), state: free, now: R.now)
        #expect(urgent.decisions == [
            .assigned(ticketID: "HD-3", agentID: "ana", teamID: "desk", reason: .routed(.roundRobin)),
        ])
        #expect(urgent.state.queuedTicketIDs(of: "desk") == ["HD-1"])
    }

    @Test("a waiting ticket nobody can take does not block the ones behind it")
    func noHeadOfLineBlocking() {
        let offline = R.routerWithOnly([])
        let (_, waiting) = R.routeAll([R.ticket("HD-1", .access, .p1, skills: ["sap"]), R.ticket("HD-2", .access, .p3)],
                                      with: offline)
        let outcome = R.router { $0.isOnline = $0.id == "ana" }.drain(state: waiting, now: R.now)
        #expect(outcome.decisions == [
            .assigned(ticketID: "HD-2", agentID: "ana", teamID: "specialists", reason: .dequeued(.skills)),
        ])
        #expect(outcome.state.queuedTicketIDs(of: "specialists") == ["HD-1"])
    }

    @Test("routing leaves the caller's state alone and re-routing moves a waiting ticket")
    func valueSemantics() {
        let state = RoutingState()
        let offline = R.routerWithOnly([])
        let first = offline.route(R.ticket("HD-1", .account), state: state, now: R.now)
        #expect(state == RoutingState())
        let moved = offline.route(R.ticket("HD-1", .network), state: first.state, now: R.now)
        #expect(moved.state.queuedTicketIDs(of: "desk").isEmpty)
        #expect(moved.state.queuedTicketIDs(of: "network") == ["HD-1"])
        #expect(moved.state.withdrawing("HD-1").queues.isEmpty)
    }

    // MARK: Reassignment

    static func assigned(_ agent: String, minutesAgo: Double, responded: Bool = false,
                         passedOver: Set<String> = []) -> AssignedTicket {
        AssignedTicket(ticket: R.ticket("HD-1", .account, minutesAgo: 60), agentID: agent,
                       assignedAt: R.now.addingTimeInterval(-minutesAgo * 60), hasResponded: responded,
                       passedOverIDs: passedOver)
    }

    static let notDue: [(minutesAgo: Double, responded: Bool)] = [(10, false), (14.9, false), (60, true)]

    @Test("no reassignment before the limit or once the assignee answered", arguments: notDue)
    func notReassigned(_ minutesAgo: Double, _ responded: Bool) {
        let state = RoutingState(openTickets: ["ana": 1])
        let outcome = R.router().reassignUnresponsive([Self.assigned("ana", minutesAgo: minutesAgo, responded: responded)],
                                                      state: state, now: R.now)
        #expect(outcome.decisions.isEmpty)
        #expect(outcome.state == state)
    }

    @Test("an unanswered ticket goes to another eligible agent, never the same one")
    func reassigned() {
        let state = RoutingState(openTickets: ["ana": 1], lastAssigned: ["desk": "cy"])
        // cy picked last, so ana would be next in turn — but ana is the one who did not answer.
        let outcome = R.router().reassignUnresponsive([Self.assigned("ana", minutesAgo: 15)], state: state, now: R.now)
        #expect(outcome.decisions == [
            .assigned(ticketID: "HD-1", agentID: "bo", teamID: "desk", reason: .reassigned(from: "ana", .roundRobin)),
        ])
        #expect(outcome.state.openTickets == ["bo": 1])

        // Someone who already let it pass is skipped too.
        let again = R.router().reassignUnresponsive([Self.assigned("ana", minutesAgo: 20, passedOver: ["bo"])],
                                                    state: state, now: R.now)
        #expect(again.decisions == [
            .assigned(ticketID: "HD-1", agentID: "cy", teamID: "desk", reason: .reassigned(from: "ana", .roundRobin)),
        ])
    }

    @Test("with nobody else eligible the ticket is queued, and the queue does not hand it back to the same agent")
    func reassignedToQueue() {
        let onlyAna = R.routerWithOnly(["ana"])
        let outcome = onlyAna.reassignUnresponsive([Self.assigned("ana", minutesAgo: 30)],
                                                   state: RoutingState(openTickets: ["ana": 1]), now: R.now)
        #expect(outcome.decisions == [.queued(ticketID: "HD-1", teamID: "desk")])
        #expect(outcome.state.queue(of: "desk").first?.excludedAgentIDs == ["ana"])
        #expect(outcome.state.openTickets.isEmpty)
        #expect(onlyAna.drain(state: outcome.state, now: R.now).decisions.isEmpty)

        let boBack = R.routerWithOnly(["ana", "bo"]).drain(state: outcome.state, now: R.now)
        #expect(boBack.decisions == [
            .assigned(ticketID: "HD-1", agentID: "bo", teamID: "desk", reason: .dequeued(.roundRobin)),
        ])
    }

    @Test("routing state round-trips through JSON")
    func stateCodable() throws {
        let (_, state) = R.routeAll([R.ticket("HD-1", .account, .p1, skills: ["sap"])], with: R.routerWithOnly([]))
        var withCounts = state
        withCounts.openTickets = ["ana": 2]
        withCounts.lastAssigned = ["desk": "ana"]
        let data = try JSONEncoder().encode(withCounts)
        #expect(try JSONDecoder().decode(RoutingState.self, from: data) == withCounts)
    }
}
