import FirstLineCore
import Foundation

/// A small helpdesk for the routing tests, seen on Monday 4 May 2026 at 10:00 in Seoul.
///
/// - desk (account, email, software; round robin): ana, bo, cy — also the default team
/// - network (network; least open): bo, dee, cy
/// - specialists (access, security; skills): ana (windows), dee (sap, mac)
enum RoutingFixtures {
    typealias F = CalendarFixtures

    static let now = F.at("2026-05-04T10:00:00+09:00")
    static let allDay = BusinessCalendar.twentyFourSeven(timeZone: F.seoul)
    /// Closed at `now`: evenings and nights only.
    static let nights = F.everyDay(F.hours("18:00-09:00"), in: F.seoul)

    static let desk = Team(id: "desk", categories: [.account, .email, .software], memberIDs: ["ana", "bo", "cy"],
                           strategy: .roundRobin, leadID: "lee")
    static let network = Team(id: "network", categories: [.network], memberIDs: ["bo", "dee", "cy"], strategy: .leastOpen)
    static let specialists = Team(id: "specialists", categories: [.access, .security], memberIDs: ["ana", "dee"],
                                  strategy: .skills)

    static let agents = [
        Agent(id: "ana", skills: ["windows"], capacity: 3, calendar: allDay),
        Agent(id: "bo", skills: ["mac"], capacity: 3, calendar: allDay),
        Agent(id: "cy", capacity: 3, calendar: allDay),
        Agent(id: "dee", skills: ["sap", "mac"], capacity: 3, calendar: allDay),
    ]

    /// The helpdesk with some agents changed: `change` is applied to each agent by id.
    static func router(teams: [Team] = [desk, network, specialists],
                       _ change: (inout Agent) -> Void = { _ in }) -> TicketRouter {
        let changed = agents.map { agent in
            var agent = agent
            change(&agent)
            return agent
        }
        // The fixture's default team exists, so this cannot fail.
        return try! TicketRouter(teams: teams, agents: changed, defaultTeamID: "desk", reassignAfterMinutes: 15)
    }

    /// All agents offline except those listed.
    static func routerWithOnly(_ online: Set<String>, capacity: Int = 3) -> TicketRouter {
        router { agent in
            agent.isOnline = online.contains(agent.id)
            agent.capacity = capacity
        }
    }

    /// A ticket created `minutesAgo` before `now`.
    static func ticket(_ id: String, _ category: ArticleCategory?, _ priority: TicketPriority = .p3,
                       minutesAgo: Double = 0, skills: Set<String> = []) -> RoutingTicket {
        RoutingTicket(id: id, category: category, requiredSkills: skills, priority: priority,
                      createdAt: now.addingTimeInterval(-minutesAgo * 60))
    }

    /// Routes the tickets one after another from `state`, threading the state through.
    static func routeAll(_ tickets: [RoutingTicket], with router: TicketRouter,
                         from state: RoutingState = RoutingState()) -> (decisions: [RoutingDecision], state: RoutingState) {
        tickets.reduce(into: (decisions: [RoutingDecision](), state: state)) { result, ticket in
            let outcome = router.route(ticket, state: result.state, now: now)
            result.decisions += outcome.decisions
            result.state = outcome.state
        }
    }
}
